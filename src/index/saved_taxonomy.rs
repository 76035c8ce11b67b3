//! Keeps a copy of the taxonomy an index was tagged with, so searches validate and explain topics the same way.

use std::fs;
use std::path::Path;

use crate::error::Result;
use crate::taxonomy::defs::{SectionOptions, TaxonomyFile};
use crate::taxonomy::Taxonomy;

const RULES_FILE: &str = "taxonomy.json";

pub(crate) fn save(index_dir: &Path, taxonomy: &Taxonomy) -> Result<()> {
    let file = TaxonomyFile {
        topics: SectionOptions { replace: true },
        topic: taxonomy.topics.clone(),
        entities: SectionOptions { replace: true },
        entity: taxonomy.entities.clone(),
    };
    super::state::save_json(index_dir, RULES_FILE, &file)
}

/// The taxonomy saved with the index; the embedded one when the index has none yet.
pub(crate) fn load(index_dir: &Path) -> Taxonomy {
    fs::read(index_dir.join(RULES_FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<TaxonomyFile>(&bytes).ok())
        .map(|file| Taxonomy {
            topics: file.topic,
            entities: file.entity,
        })
        .unwrap_or_else(Taxonomy::embedded)
}

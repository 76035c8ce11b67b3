//! Keeps a copy of the taxonomy an index was tagged with, so searches validate and explain topics the same way.

use std::fs;
use std::path::Path;

use crate::error::{Error, Result};
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
    let text =
        serde_json::to_vec(&file).map_err(|err| Error::io("encoding taxonomy", err.into()))?;
    let target = index_dir.join(RULES_FILE);
    let temp = index_dir.join(format!("{RULES_FILE}.tmp"));
    fs::write(&temp, text)
        .and_then(|()| fs::rename(&temp, &target))
        .map_err(|err| Error::io(format!("writing {}", target.display()), err))
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

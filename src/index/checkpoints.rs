//! Where `track` left off for each topic: the newest indexing run it has shown, kept in the index
//! folder so that the next `track` shows only what came in after it.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Result;

const CHECKPOINTS_FILE: &str = "tracking.json";

/// Per topic id, the `indexed` time (seconds since the epoch, UTC) of the newest documents a
/// `track` run has shown; documents indexed later are new.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoints {
    #[serde(default)]
    pub topics: BTreeMap<String, i64>,
}

impl Checkpoints {
    /// The checkpoints of the index at `index_dir`; none when the file is missing or unreadable
    /// (then every member of a topic is new once).
    pub fn load(index_dir: &Path) -> Checkpoints {
        fs::read(index_dir.join(CHECKPOINTS_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Saves them atomically (temporary file, then rename), so a `track` killed while saving
    /// leaves the old checkpoints.
    pub fn save(&self, index_dir: &Path) -> Result<()> {
        super::state::save_json(index_dir, CHECKPOINTS_FILE, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_survive_a_round_trip_and_garbage_reads_as_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(Checkpoints::load(dir.path()), Checkpoints::default());
        let mut checkpoints = Checkpoints::default();
        checkpoints.topics.insert("strikes".into(), 1_764_806_400);
        checkpoints.save(dir.path()).expect("saved");
        assert_eq!(Checkpoints::load(dir.path()), checkpoints);
        fs::write(dir.path().join(CHECKPOINTS_FILE), "{broken").expect("written");
        assert_eq!(Checkpoints::load(dir.path()), Checkpoints::default());
    }
}

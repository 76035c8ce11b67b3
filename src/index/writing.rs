//! Opening the index folder for an indexing run: create it, take over one a killed first run left
//! unfinished, continue it, or start a rebuild beside it.

use std::fs;
use std::path::Path;

use super::rebuild::{self, Rebuild};
use super::store::{check_stamp, create, is_missing_or_empty, open_checked, read_stamp, OpenIndex};
use crate::corpus::INDEX_META_FILE as META_FILE;
use crate::error::{Error, Result};

/// Opens the index for writing, creating it when absent. `rebuild` starts from an empty index,
/// also when the old one is damaged or from another version: the new one is built beside the old
/// one, which stays readable until [`Rebuild::switch`] puts the new one in its place.
pub(crate) fn open_for_writing(path: &Path, rebuild: bool) -> Result<(OpenIndex, Option<Rebuild>)> {
    rebuild::finish_interrupted_switch(path)?;
    if is_missing_or_empty(path) || is_unstamped_empty_index(path) {
        if !is_missing_or_empty(path) {
            fs::remove_dir_all(path).map_err(|err| {
                Error::io(format!("removing unfinished index {}", path.display()), err)
            })?;
        }
        return Ok((create(path)?, None));
    }
    let stamp = read_stamp(path);
    let is_ours = matches!(stamp, Ok(Some(_))) || matches!(stamp, Err(Error::CorruptIndex { .. }));
    if !is_ours {
        stamp?;
        return Err(Error::NotAnIndex {
            path: path.to_path_buf(),
        });
    }
    if rebuild {
        let (opened, rebuild) = rebuild::begin(path)?;
        return Ok((opened, Some(rebuild)));
    }
    check_stamp(path)?;
    if !path.join(META_FILE).exists() {
        // A run killed between stamping the folder and creating the tantivy index: finish it.
        return Ok((create(path)?, None));
    }
    Ok((open_checked(path)?, None))
}

/// True for a folder that only holds what `create` writes before stamping it (an empty
/// tantivy index from a run killed at that moment); such a folder is safe to take over.
fn is_unstamped_empty_index(path: &Path) -> bool {
    let Ok(entries) = fs::read_dir(path) else {
        return false;
    };
    let only_bookkeeping = entries.filter_map(|entry| entry.ok()).all(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        name == META_FILE || name.starts_with(".managed") || name.starts_with(".tantivy-")
    });
    only_bookkeeping
        && fs::read_to_string(path.join(META_FILE))
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .is_some_and(|meta| meta["segments"].as_array().is_some_and(Vec::is_empty))
}

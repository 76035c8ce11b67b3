//! `index --rebuild` without ever emptying the index: the new index is built in a hidden folder
//! beside the old one while the old one stays locked and readable, and the two are switched by
//! renames once the new one is committed.
//!
//! For an index folder `DIR` the steps and what a kill after each leaves are:
//!
//! 1. build in `.DIR.rebuilding` — `DIR` intact; the next run deletes the half-built folder;
//! 2. rename `DIR` to `.DIR.replaced` — `DIR` missing, both others complete; the next run
//!    finishes the switch (step 3);
//! 3. rename `.DIR.rebuilding` to `DIR` — the new index in place; the next run deletes the old;
//! 4. delete `.DIR.replaced`.
//!
//! Leftovers are deleted only by a run that holds `DIR`'s writer lock, so a rebuild under way is
//! never disturbed; a second run during a rebuild still gets "in use".

use std::fs;
use std::path::{Path, PathBuf};

use tantivy::directory::{Directory, DirectoryLock, MmapDirectory, INDEX_WRITER_LOCK};

use super::store::{create, map_writer_error};
use super::OpenIndex;
use crate::error::{Error, Result};

/// A rebuild under way: the old index's lock, held until the switch, and where the new one is.
pub(crate) struct Rebuild {
    target: PathBuf,
    temp: PathBuf,
    _old_lock: DirectoryLock,
}

/// `target` as an absolute path that ends in the folder's own name (`.` or `..` resolved), so that
/// its siblings and renames are about the folder itself.
fn normalized(target: &Path) -> PathBuf {
    let full = std::path::absolute(target).unwrap_or_else(|_| target.to_path_buf());
    if full.file_name().is_some() {
        full
    } else {
        full.canonicalize().unwrap_or(full)
    }
}

/// `.DIR.SUFFIX` beside `DIR`.
fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let target = normalized(target);
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "topictrack-index".to_owned());
    target.with_file_name(format!(".{name}.{suffix}"))
}

/// Where a rebuild of `target` builds the new index.
pub(crate) fn temp_path(target: &Path) -> PathBuf {
    sibling(target, "rebuilding")
}

/// Where the old index waits between the two renames.
fn replaced_path(target: &Path) -> PathBuf {
    sibling(target, "replaced")
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(|err| {
        Error::io(
            format!("renaming {} to {}", from.display(), to.display()),
            err,
        )
    })
}

fn remove_if_present(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(Error::io(format!("removing {}", path.display()), err)),
    }
}

/// Finishes a switch that a kill interrupted between its two renames (step 2 done, step 3 not):
/// the new index is complete, so it takes its place. Called before `target` is opened.
pub(crate) fn finish_interrupted_switch(target: &Path) -> Result<()> {
    let target = normalized(target);
    let replaced = replaced_path(&target);
    if target.exists() || !replaced.is_dir() {
        return Ok(());
    }
    let temp = temp_path(&target);
    if temp.is_dir() {
        rename(&temp, &target)
    } else {
        rename(&replaced, &target)
    }
}

/// Deletes what an earlier, killed rebuild left beside `target`. The caller holds `target`'s
/// writer lock, so no rebuild is using these folders.
pub(crate) fn remove_leftovers(target: &Path) -> Result<()> {
    remove_if_present(&temp_path(target))?;
    remove_if_present(&replaced_path(target))
}

/// Starts rebuilding the existing index at `target`: takes its writer lock (an "in use" error
/// when another run holds it), clears leftovers and creates the empty new index beside it.
pub(crate) fn begin(target: &Path) -> Result<(OpenIndex, Rebuild)> {
    let directory = MmapDirectory::open(target).map_err(|err| Error::CorruptIndex {
        path: target.to_path_buf(),
        detail: err.to_string(),
    })?;
    let old_lock = directory
        .acquire_lock(&INDEX_WRITER_LOCK)
        .map_err(|err| map_writer_error(target, err.into()))?;
    remove_leftovers(target)?;
    let temp = temp_path(target);
    let opened = create(&temp)?;
    Ok((
        opened,
        Rebuild {
            target: normalized(target),
            temp,
            _old_lock: old_lock,
        },
    ))
}

impl Rebuild {
    /// The new index's folder, where the run writes its state files.
    pub(crate) fn target(&self) -> &Path {
        &self.target
    }

    /// Puts the committed new index in place of the old one (steps 2 to 4). The new index's
    /// writer must be finished: its files are renamed.
    pub(crate) fn switch(self) -> Result<()> {
        let replaced = replaced_path(&self.target);
        rename(&self.target, &replaced)?;
        rename(&self.temp, &self.target)?;
        remove_if_present(&replaced)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_switch_killed_between_its_renames_is_finished() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("index");
        fs::create_dir_all(replaced_path(&target)).expect("old index");
        fs::create_dir_all(temp_path(&target)).expect("new index");
        fs::write(temp_path(&target).join("marker"), "new").expect("marker");
        finish_interrupted_switch(&target).expect("finished");
        assert!(target.join("marker").exists());
        remove_leftovers(&target).expect("cleared");
        assert!(!replaced_path(&target).exists());
        assert!(!temp_path(&target).exists());
    }

    #[test]
    fn a_dot_index_path_gets_siblings_beside_the_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let inside = dir.path().join("index").join("..").join("index");
        fs::create_dir_all(&inside).expect("index folder");
        let dotted = inside.join(".");
        let temp = temp_path(&dotted);
        assert_eq!(
            temp.file_name(),
            Some(std::ffi::OsStr::new(".index.rebuilding"))
        );
    }

    #[test]
    fn leftover_names_are_hidden_siblings() {
        let target = Path::new("/data/my-index");
        assert_eq!(temp_path(target), Path::new("/data/.my-index.rebuilding"));
        assert_eq!(replaced_path(target), Path::new("/data/.my-index.replaced"));
    }
}

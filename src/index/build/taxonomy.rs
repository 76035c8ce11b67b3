//! The one taxonomy of an index: which files it is built from, and how a run changes that.
//!
//! The index records every file its taxonomy came from, with the text it had, so that the
//! taxonomy applies to every document whatever root it came from and stays until a user changes
//! it. A run replaces what it names and keeps the rest:
//!
//! - `topictrack.toml` at a root this run indexes is read again (and dropped when it is gone);
//!   the one of a root this run does not index stays as recorded;
//! - `--taxonomy` files replace the recorded `--taxonomy` files, `--entities` files the recorded
//!   `--entities` files; without the flag the recorded ones stay;
//! - `--rebuild` starts from an empty record.
//!
//! The files apply on top of the built-in taxonomy in that order: root files (by path), then
//! `--taxonomy` files, then `--entities` files, each in the order given.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::index::state::{SourceRole, TaxonomySource};
use crate::taxonomy::Taxonomy;

/// The name of the taxonomy file a corpus root may carry.
pub(crate) const ROOT_FILE: &str = "topictrack.toml";

/// The taxonomy files a user gives one run.
#[derive(Debug, Clone, Copy)]
pub(super) struct GivenFiles<'a> {
    pub(super) taxonomy: &'a [PathBuf],
    pub(super) entities: &'a [PathBuf],
}

/// The taxonomy a run tags with, and the record of its files to save with the index.
pub(super) struct ChosenTaxonomy {
    pub(super) taxonomy: Taxonomy,
    pub(super) sources: Vec<TaxonomySource>,
}

/// Chooses the taxonomy for a run over the canonical `roots`, given the `recorded` sources.
pub(super) fn choose(
    recorded: &[TaxonomySource],
    roots: &[PathBuf],
    given: GivenFiles,
) -> Result<ChosenTaxonomy> {
    let indexed_now = |source: &TaxonomySource| {
        let root = Path::new(&source.path).parent();
        roots
            .iter()
            .any(|candidate| Some(candidate.as_path()) == root)
    };
    let mut sources: Vec<TaxonomySource> = recorded
        .iter()
        .filter(|source| source.role == SourceRole::Root && !indexed_now(source))
        .cloned()
        .collect();
    for root in roots {
        let file = root.join(ROOT_FILE);
        if file.is_file() {
            sources.push(read_source(&file, SourceRole::Root)?);
        }
    }
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    sources.dedup_by(|a, b| a.path == b.path);
    for (role, files) in [
        (SourceRole::Taxonomy, given.taxonomy),
        (SourceRole::Entities, given.entities),
    ] {
        if files.is_empty() {
            sources.extend(
                recorded
                    .iter()
                    .filter(|source| source.role == role)
                    .cloned(),
            );
        } else {
            for file in files {
                sources.push(read_source(file, role)?);
            }
        }
    }
    let mut taxonomy = Taxonomy::embedded();
    for source in &sources {
        taxonomy = taxonomy
            .extended_with_text(&source.text, &source.path)
            .map_err(|err| Error::BadConfig {
                path: PathBuf::from(&source.path),
                // `detail` leaves out the file name that BadConfig already prints.
                detail: err.detail(),
            })?;
    }
    Ok(ChosenTaxonomy { taxonomy, sources })
}

/// Reads one taxonomy file, recorded under its absolute path so later runs from another working
/// folder name it the same way.
fn read_source(file: &Path, role: SourceRole) -> Result<TaxonomySource> {
    if !file.exists() {
        return Err(Error::PathNotFound {
            path: file.to_path_buf(),
        });
    }
    let text = std::fs::read_to_string(file).map_err(|err| Error::BadConfig {
        path: file.to_path_buf(),
        detail: err.to_string(),
    })?;
    let path = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    Ok(TaxonomySource {
        path: path.to_string_lossy().into_owned(),
        role,
        text,
    })
}

/// How a report names the taxonomy: "built-in", then each file it applies on top.
pub(super) fn describe(sources: &[TaxonomySource]) -> Vec<String> {
    std::iter::once("built-in".to_owned())
        .chain(sources.iter().map(|source| source.path.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXTRA_TOPIC: &str =
        "[[topic]]\nid = \"strikes\"\nlabel = \"Strikes\"\nphrases = [\"strike\"]\n";
    const OTHER_TOPIC: &str =
        "[[topic]]\nid = \"floods\"\nlabel = \"Floods\"\nphrases = [\"flood\"]\n";

    fn has_topic(chosen: &ChosenTaxonomy, id: &str) -> bool {
        chosen.taxonomy.topics.iter().any(|topic| topic.id == id)
    }

    #[test]
    fn a_recorded_file_stays_until_the_same_flag_names_another() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = dir.path().join("first.toml");
        let second = dir.path().join("second.toml");
        std::fs::write(&first, EXTRA_TOPIC).expect("written");
        std::fs::write(&second, OTHER_TOPIC).expect("written");
        let given = |taxonomy| GivenFiles {
            taxonomy,
            entities: &[],
        };
        let chosen = choose(&[], &[], given(std::slice::from_ref(&first))).expect("chosen");
        assert!(has_topic(&chosen, "strikes"));

        // A later run without the flag keeps it, even once the file is gone.
        std::fs::remove_file(&first).expect("removed");
        let kept = choose(&chosen.sources, &[], given(&[])).expect("kept");
        assert!(has_topic(&kept, "strikes"));
        assert_eq!(kept.taxonomy.fingerprint(), chosen.taxonomy.fingerprint());

        // Naming another file replaces it.
        let replaced =
            choose(&kept.sources, &[], given(std::slice::from_ref(&second))).expect("replaced");
        assert!(has_topic(&replaced, "floods"));
        assert!(!has_topic(&replaced, "strikes"));
    }

    #[test]
    fn root_files_apply_to_every_root_and_follow_their_own_root() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root_a = dir.path().join("a");
        let root_b = dir.path().join("b");
        for root in [&root_a, &root_b] {
            std::fs::create_dir_all(root).expect("root");
        }
        std::fs::write(root_a.join(ROOT_FILE), EXTRA_TOPIC).expect("written");
        let none = GivenFiles {
            taxonomy: &[],
            entities: &[],
        };
        let first = choose(&[], std::slice::from_ref(&root_a), none).expect("first");
        // A run over the other root keeps the first root's file.
        let other = choose(&first.sources, std::slice::from_ref(&root_b), none).expect("other");
        assert!(has_topic(&other, "strikes"));
        // Deleting the file and indexing its root again drops it.
        std::fs::remove_file(root_a.join(ROOT_FILE)).expect("removed");
        let dropped = choose(&other.sources, std::slice::from_ref(&root_a), none).expect("dropped");
        assert!(!has_topic(&dropped, "strikes"));
        assert_eq!(describe(&dropped.sources), vec!["built-in".to_owned()]);
    }
}

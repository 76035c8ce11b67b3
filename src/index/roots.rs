//! The roots of an index: the folders (and files) `index` runs were given, which indexed files
//! belong to each, and the two ways a root's documents leave the index inside an index run —
//! forgotten on request (`roots remove`, `roots prune`) or moved, when a run finds a recorded root
//! gone and the same files under its new root.
//!
//! A file belongs to the deepest recorded root it lies under. Files of state written before roots
//! were recorded, under no recorded root, are "unrecorded": listed as such, never guessed at.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{SecondsFormat, Utc};
use serde::Serialize;

use super::build::{IndexReport, IndexRequest};
use super::resolve::closest;
use super::state::{nanos, IndexState, RootRecord, SourceRole, TaxonomySource};
use super::store::{is_missing_or_empty, open_existing};
use super::stored::path_key;
use crate::corpus::{FetchOptions, FoundFile, ReadOptions};
use crate::error::{Error, Result};

/// A gone root moved when at least this share (in percent) of its files, and at least one, are
/// found under a new root at the same relative path with the same size and modification time.
const MOVE_SHARE_PERCENT: usize = 80;

/// How many recorded roots an "unknown root" error lists before "and N more".
const LISTED_ROOTS: usize = 5;

/// One root as `topictrack roots` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RootInfo {
    /// Canonical path; `None` for a URL, and for the unrecorded files of an index from before
    /// roots were recorded.
    pub path: Option<String>,
    /// A URL an `index` run fetched (`index URL`, `--urls FILE`); `None` for folders and files.
    pub url: Option<String>,
    pub files: u64,
    pub documents: u64,
    /// When a run last indexed it (RFC 3339, UTC); `None` for unrecorded files.
    pub last_indexed: Option<String>,
    /// The folder (or file) no longer exists.
    pub missing: bool,
}

/// A root whose documents a run removed, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForgottenRoot {
    pub path: String,
    pub files: u64,
    pub documents: u64,
}

/// A recorded root that was gone, its files found under `to`: its documents were replaced by
/// those read from the new place, in the same commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovedRoot {
    pub from: String,
    pub to: String,
    /// Documents the old root had.
    pub documents: u64,
}

impl IndexRequest {
    /// A run that only removes documents: those of the roots at `forget` and, with
    /// `prune_missing`, of every recorded root that no longer exists. Nothing is read, and the
    /// taxonomy and reading options recorded in the index stay as they are.
    pub fn forgetting(index_dir: &Path, forget: Vec<PathBuf>, prune_missing: bool) -> IndexRequest {
        IndexRequest {
            roots: Vec::new(),
            index_dir: index_dir.to_path_buf(),
            rebuild: false,
            read: ReadOptions::default(),
            taxonomy_files: Vec::new(),
            entity_files: Vec::new(),
            full_enrichment: true,
            memory_budget: 64 * 1024 * 1024,
            forget,
            prune_missing,
            stdin: None,
            urls: Vec::new(),
            fetch: FetchOptions::default(),
        }
    }
}

/// Every root of the index at `index_dir`, sorted by path, with the unrecorded files last.
pub fn list_roots(index_dir: &Path) -> Result<Vec<RootInfo>> {
    let opened = open_existing(index_dir)?;
    Ok(summaries(&IndexState::load(&opened.path), &|path| {
        gone(path)
    }))
}

/// The recorded roots that no longer exist: what `roots prune` removes.
pub fn missing_roots(index_dir: &Path) -> Result<Vec<RootInfo>> {
    let mut roots = list_roots(index_dir)?;
    roots.retain(|root| root.missing && root.path.is_some());
    Ok(roots)
}

/// True when nothing is at `path` (a permission error is not "gone").
fn gone(path: &Path) -> bool {
    matches!(std::fs::symlink_metadata(path), Err(err) if err.kind() == std::io::ErrorKind::NotFound)
}

/// The recorded root `key` belongs to: the deepest one it lies under.
fn owner<'a>(key: &str, roots: &'a BTreeMap<String, RootRecord>) -> Option<&'a str> {
    roots
        .keys()
        .filter(|root| Path::new(key).starts_with(root.as_str()))
        .max_by_key(|root| root.len())
        .map(String::as_str)
}

fn summaries(state: &IndexState, missing: &dyn Fn(&Path) -> bool) -> Vec<RootInfo> {
    let mut counts: HashMap<Option<&str>, (u64, u64)> = HashMap::new();
    for (key, file) in &state.files {
        let entry = counts.entry(owner(key, &state.roots)).or_default();
        entry.0 += 1;
        entry.1 += file.documents;
    }
    let mut out: Vec<RootInfo> = state
        .roots
        .iter()
        .map(|(root, record)| {
            let (files, documents) = counts
                .get(&Some(root.as_str()))
                .copied()
                .unwrap_or_default();
            RootInfo {
                path: Some(root.clone()),
                url: None,
                files,
                documents,
                last_indexed: Some(record.indexed.clone()),
                missing: missing(Path::new(root)),
            }
        })
        .collect();
    // Each fetched URL is a root of one "file": the body it answered.
    out.extend(state.urls.iter().map(|(url, record)| RootInfo {
        path: None,
        url: Some(url.clone()),
        files: 1,
        documents: record.items.len() as u64,
        last_indexed: Some(record.fetched.clone()),
        missing: false,
    }));
    if let Some((files, documents)) = counts.get(&None).copied() {
        out.push(RootInfo {
            path: None,
            url: None,
            files,
            documents,
            last_indexed: None,
            missing: false,
        });
    }
    out
}

/// `path` as the index records roots: canonical when it exists; otherwise its deepest existing
/// ancestor made canonical, with the rest appended as typed (`mv1` after `mv mv1 mv2`).
pub(crate) fn absolute_form(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    let full = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut base = full.as_path();
    loop {
        if let Ok(mut canonical) = base.canonicalize() {
            canonical.extend(rest.iter().rev());
            return canonical;
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return full,
        }
    }
}

/// Checks a request's roots and returns them canonical. A run with no roots only removes, so it
/// needs an existing index; a root that does not exist but is recorded gets the error that says
/// how to forget it.
pub(super) fn prepare(request: &IndexRequest) -> Result<Vec<PathBuf>> {
    if request.roots.is_empty() && request.stdin.is_none() && request.urls.is_empty() {
        if is_missing_or_empty(&request.index_dir) {
            return Err(Error::NoIndex {
                path: request.index_dir.clone(),
            });
        }
        if request.rebuild {
            return Err(Error::InvalidRequest {
                detail: "a rebuild needs the files or folders to index".into(),
            });
        }
    }
    request
        .roots
        .iter()
        .map(|root| {
            root.canonicalize().map_err(|_| {
                let mut state = IndexState::load(&request.index_dir);
                let key = path_key(&absolute_form(root));
                let path = root.clone();
                if state.roots.contains_key(&key) {
                    Error::RootGone { path }
                } else if let Some(to) = state.moved.remove(&key) {
                    Error::RootMoved { path, to }
                } else {
                    Error::PathNotFound { path }
                }
            })
        })
        .collect()
}

/// What a removal names: a recorded root, or a folder holding unrecorded files.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Target {
    Root(String),
    Unrecorded(String),
}

/// The targets of `paths`, or the error for the first that names nothing indexed.
fn resolve(state: &IndexState, paths: &[PathBuf]) -> Result<Vec<Target>> {
    paths
        .iter()
        .map(|path| {
            let key = path_key(&absolute_form(path));
            if state.roots.contains_key(&key) {
                return Ok(Target::Root(key));
            }
            let holds_unrecorded = state.files.keys().any(|file| {
                Path::new(file).starts_with(&key) && owner(file, &state.roots).is_none()
            });
            if holds_unrecorded {
                Ok(Target::Unrecorded(key))
            } else {
                Err(Error::UnknownRoot {
                    path: path.clone(),
                    hint: unknown_root_hint(&key, state.roots.keys().map(String::as_str)),
                })
            }
        })
        .collect()
}

/// The closest recorded root — one of the same name elsewhere (a folder typed from another
/// directory), else a near spelling in the same folder — or the list of them.
fn unknown_root_hint<'a>(wanted: &str, roots: impl Iterator<Item = &'a str> + Clone) -> String {
    let wanted = Path::new(wanted);
    let same_name = roots
        .clone()
        .find(|root| Path::new(root).file_name() == wanted.file_name());
    let near_spelling = || {
        let siblings: Vec<(&str, &str)> = roots
            .clone()
            .filter(|root| Path::new(root).parent() == wanted.parent())
            .filter_map(|root| Some((Path::new(root).file_name()?.to_str()?, root)))
            .collect();
        let name = closest(
            wanted.file_name()?.to_str()?,
            siblings.iter().map(|(name, _)| *name),
        )?;
        siblings
            .iter()
            .find(|(sibling, _)| *sibling == name)
            .map(|(_, root)| *root)
    };
    if let Some(root) = same_name.or_else(near_spelling) {
        return format!("; did you mean {root}?");
    }
    let all: Vec<&str> = roots.collect();
    match all.len() {
        0 => "; the index records no roots yet".to_owned(),
        n if n <= LISTED_ROOTS => format!("; the indexed roots are {}", all.join(", ")),
        n => format!(
            "; the indexed roots are {}, and {} more",
            all[..LISTED_ROOTS].join(", "),
            n - LISTED_ROOTS
        ),
    }
}

/// Gone recorded roots whose files are under a new root of the run (not recorded itself) at the
/// same relative paths with the same size and modification time, as `mv` leaves them; `found`
/// maps the keys of the files this run walked to their size and modification time (nanoseconds).
/// Each old root moves to one new root at most, and each new root takes one old root at most.
fn find_moves(
    state: &IndexState,
    new_roots: &[PathBuf],
    found: &HashMap<String, (u64, u128)>,
    missing: &dyn Fn(&Path) -> bool,
) -> Vec<(String, PathBuf)> {
    let mut candidates: Vec<&PathBuf> = new_roots
        .iter()
        .filter(|root| !state.roots.contains_key(&path_key(root)))
        .collect();
    let mut moves = Vec::new();
    for old in state.roots.keys().filter(|old| missing(Path::new(old))) {
        let files: Vec<(&String, _)> = state
            .files
            .iter()
            .filter(|(key, _)| owner(key, &state.roots) == Some(old.as_str()))
            .collect();
        if files.is_empty() {
            continue;
        }
        let matched = |new: &Path| {
            files
                .iter()
                .filter(|(key, file)| {
                    let Ok(relative) = Path::new(key.as_str()).strip_prefix(old) else {
                        return false;
                    };
                    let there = if relative.as_os_str().is_empty() {
                        new.to_path_buf()
                    } else {
                        new.join(relative)
                    };
                    found.get(&path_key(&there)) == Some(&(file.size, file.modified))
                })
                .count()
        };
        let best = candidates
            .iter()
            .enumerate()
            .map(|(at, new)| (matched(new), at))
            .filter(|(count, _)| *count > 0 && count * 100 >= files.len() * MOVE_SHARE_PERCENT)
            .max();
        if let Some((_, at)) = best {
            moves.push((old.clone(), candidates.remove(at).clone()));
        }
    }
    moves
}

/// Removes, before anything is read, the documents of the roots the request forgets, of every
/// gone root when it prunes, and of every recorded root that moved under one of `roots`, and
/// counts them in `report`; `delete` removes one file's documents from the index. Fails, having
/// changed nothing, when a root to forget is not in the index.
pub(super) fn forget_roots(
    state: &mut IndexState,
    report: &mut IndexReport,
    request: &IndexRequest,
    roots: &[PathBuf],
    walked: &[FoundFile],
    delete: &mut dyn FnMut(&str),
) -> Result<()> {
    let mut targets = resolve(state, &request.forget)?;
    if request.prune_missing {
        let missing = state.roots.keys().filter(|root| gone(Path::new(root)));
        targets.extend(missing.cloned().map(Target::Root));
    }
    let found: HashMap<String, (u64, u128)> = walked
        .iter()
        .map(|file| (path_key(&file.path), (file.size, nanos(file.modified))))
        .collect();
    let moves: HashMap<String, PathBuf> = if roots.is_empty() {
        HashMap::new()
    } else {
        find_moves(state, roots, &found, &|path| gone(path))
            .into_iter()
            .collect()
    };
    targets.extend(moves.keys().cloned().map(Target::Root));
    let mut done = HashSet::new();
    for target in targets {
        if !done.insert(target.clone()) {
            continue;
        }
        let forgotten = forget(state, &target, delete);
        report.removed += forgotten.documents;
        match moves.get(&forgotten.path).map(|to| path_key(to)) {
            Some(to) => {
                // Earlier moves to the old place now lead to the new one.
                for target in state.moved.values_mut() {
                    if *target == forgotten.path {
                        target.clone_from(&to);
                    }
                }
                state.moved.insert(forgotten.path.clone(), to.clone());
                report.moved.push(MovedRoot {
                    from: forgotten.path.clone(),
                    to,
                    documents: forgotten.documents,
                });
            }
            None => state.moved.retain(|_, target| *target != forgotten.path),
        }
        report.forgotten_roots.push(forgotten);
    }
    Ok(())
}

/// Removes every file of `target` from the state (and, through `delete`, from the index), and a
/// root's record.
fn forget(state: &mut IndexState, target: &Target, delete: &mut dyn FnMut(&str)) -> ForgottenRoot {
    let (Target::Root(path) | Target::Unrecorded(path)) = target;
    let keys: Vec<String> = state
        .files
        .keys()
        .filter(|key| match target {
            Target::Root(root) => owner(key, &state.roots) == Some(root.as_str()),
            Target::Unrecorded(folder) => {
                Path::new(key.as_str()).starts_with(folder) && owner(key, &state.roots).is_none()
            }
        })
        .cloned()
        .collect();
    let mut forgotten = ForgottenRoot {
        path: path.clone(),
        files: 0,
        documents: 0,
    };
    for key in keys {
        if let Some(file) = state.files.remove(&key) {
            delete(&key);
            forgotten.files += 1;
            forgotten.documents += file.documents;
        }
    }
    if let Target::Root(root) = target {
        state.roots.remove(root);
    }
    forgotten
}

/// Drops from the taxonomy record the `topictrack.toml` of every root the run forgot (removed,
/// pruned or moved away from).
pub(super) fn drop_sources_of_forgotten(
    sources: &mut Vec<TaxonomySource>,
    forgotten: &[ForgottenRoot],
) {
    sources.retain(|source| {
        source.role != SourceRole::Root
            || !forgotten
                .iter()
                .any(|root| Path::new(&source.path).parent() == Some(Path::new(&root.path)))
    });
}

/// Records this run's roots as indexed now.
pub(super) fn record(state: &mut IndexState, roots: &[PathBuf]) {
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    for root in roots {
        // The old place of a moved folder is in use again.
        state.moved.remove(&path_key(root));
        state.roots.insert(
            path_key(root),
            RootRecord {
                indexed: now.clone(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::state::FileState;

    fn file(size: u64, modified: u128) -> FileState {
        FileState {
            size,
            modified,
            documents: 2,
            skipped: Vec::new(),
            renamed: Vec::new(),
        }
    }

    /// A state with root `/old` holding `count` files `/old/fN.md` (size N, modified N), and
    /// root `/kept` holding one file.
    fn state(count: u64) -> IndexState {
        let mut state = IndexState::default();
        for root in ["/old", "/kept"] {
            state.roots.insert(
                root.into(),
                RootRecord {
                    indexed: "2025-01-01T00:00:00Z".into(),
                },
            );
        }
        for n in 0..count {
            state
                .files
                .insert(format!("/old/f{n}.md"), file(n, n.into()));
        }
        state.files.insert("/kept/k.md".into(), file(1, 1));
        state
    }

    /// The files `/new/fN.md` for the given N, as a walk of `/new` found them.
    fn found(numbers: impl Iterator<Item = u64>) -> HashMap<String, (u64, u128)> {
        numbers
            .map(|n| (format!("/new/f{n}.md"), (n, n.into())))
            .collect()
    }

    fn only_old_gone(path: &Path) -> bool {
        path == Path::new("/old")
    }

    #[test]
    fn a_gone_root_whose_files_are_all_under_a_new_root_moved() {
        let moves = find_moves(&state(5), &["/new".into()], &found(0..5), &only_old_gone);
        assert_eq!(moves, vec![("/old".to_owned(), PathBuf::from("/new"))]);
    }

    #[test]
    fn eighty_percent_of_the_files_is_a_move_and_less_is_not() {
        let new = [PathBuf::from("/new")];
        assert_eq!(
            find_moves(&state(5), &new, &found(0..4), &only_old_gone).len(),
            1
        );
        assert!(find_moves(&state(5), &new, &found(0..3), &only_old_gone).is_empty());
    }

    #[test]
    fn a_changed_size_or_time_does_not_count_as_the_same_file() {
        let mut changed = found(0..5);
        for n in 0..2u64 {
            changed.insert(format!("/new/f{n}.md"), (n + 100, n.into()));
        }
        changed.insert("/new/f2.md".into(), (2, 999));
        let moves = find_moves(&state(5), &["/new".into()], &changed, &only_old_gone);
        assert!(moves.is_empty(), "{moves:?}");
    }

    #[test]
    fn no_move_while_the_old_root_exists_or_when_the_new_root_is_recorded() {
        let never_gone = |_: &Path| false;
        assert!(find_moves(&state(3), &["/new".into()], &found(0..3), &never_gone).is_empty());
        let mut recorded = state(3);
        recorded.roots.insert(
            "/new".into(),
            RootRecord {
                indexed: "2025-01-01T00:00:00Z".into(),
            },
        );
        assert!(find_moves(&recorded, &["/new".into()], &found(0..3), &only_old_gone).is_empty());
    }

    #[test]
    fn a_gone_root_without_files_never_moves() {
        let moves = find_moves(&state(0), &["/new".into()], &found(0..3), &only_old_gone);
        assert!(moves.is_empty());
    }

    #[test]
    fn files_belong_to_the_deepest_root_and_unrecorded_ones_are_listed_apart() {
        let mut state = state(2);
        state.roots.insert(
            "/old/sub".into(),
            RootRecord {
                indexed: "2025-02-01T00:00:00Z".into(),
            },
        );
        state.files.insert("/old/sub/s.md".into(), file(1, 1));
        state.files.insert("/elsewhere/e.md".into(), file(1, 1));
        let listed = summaries(&state, &only_old_gone);
        let row = |path: Option<&str>| {
            listed
                .iter()
                .find(|root| root.path.as_deref() == path)
                .map(|root| (root.files, root.documents, root.missing))
        };
        assert_eq!(row(Some("/old")), Some((2, 4, true)));
        assert_eq!(row(Some("/old/sub")), Some((1, 2, false)));
        assert_eq!(row(Some("/kept")), Some((1, 2, false)));
        assert_eq!(row(None), Some((1, 2, false)));
        assert_eq!(listed.last().and_then(|root| root.path.clone()), None);
    }

    #[test]
    fn forgetting_a_root_removes_its_files_and_record_only() {
        let mut state = state(3);
        let mut deleted = Vec::new();
        let forgotten = forget(&mut state, &Target::Root("/old".into()), &mut |key| {
            deleted.push(key.to_owned())
        });
        assert_eq!((forgotten.files, forgotten.documents), (3, 6));
        assert_eq!(deleted.len(), 3);
        assert!(!state.roots.contains_key("/old"));
        assert_eq!(state.files.keys().collect::<Vec<_>>(), ["/kept/k.md"]);
    }

    #[test]
    fn an_unknown_root_names_the_closest_or_lists_the_recorded_ones() {
        let err = resolve(&state(1), &["/olx".into()]).expect_err("unknown");
        assert!(err.to_string().contains("did you mean /old?"), "{err}");
        let err = resolve(&state(1), &["/elsewhere/kept".into()]).expect_err("unknown");
        assert!(err.to_string().contains("did you mean /kept?"), "{err}");
        let err = resolve(&state(1), &["/nope".into()]).expect_err("unknown");
        assert!(err.to_string().contains("/kept, /old"), "{err}");
        assert_eq!(err.to_string().lines().count(), 1);
    }

    #[test]
    fn unrecorded_files_can_be_removed_by_their_folder() {
        let mut state = state(1);
        state.files.insert("/legacy/a.md".into(), file(1, 1));
        let targets = resolve(&state, &["/legacy".into()]).expect("resolved");
        assert_eq!(targets, vec![Target::Unrecorded("/legacy".into())]);
        let forgotten = forget(&mut state, &targets[0], &mut |_| {});
        assert_eq!(forgotten.files, 1);
        assert!(!state.files.contains_key("/legacy/a.md"));
    }

    #[test]
    fn a_missing_path_is_made_absolute_from_its_existing_parent() {
        let dir = tempfile::tempdir().expect("temp dir");
        let canonical = dir.path().canonicalize().expect("canonical");
        assert_eq!(
            absolute_form(&dir.path().join("gone")),
            canonical.join("gone")
        );
        assert_eq!(
            absolute_form(&dir.path().join("gone/deeper")),
            canonical.join("gone/deeper")
        );
    }
}

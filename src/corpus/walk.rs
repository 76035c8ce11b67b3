//! Finds the supported files under the paths a user gives, in a stable order, skipping
//! hidden entries and topictrack index folders, yielding each real file once however many
//! symbolic links lead to it, and turning every unreadable entry into a Problem.

use std::collections::HashSet;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::{DirEntry, WalkDir};

use super::{io_problem, Format, FoundFile, Problem};

/// How folders are walked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WalkOptions {
    /// Folders never entered (the index folder); compared as canonical paths.
    pub exclude: Vec<PathBuf>,
}

/// The file that marks a folder as a topictrack index and records its format versions. The
/// index layer writes it; the walk looks for it, so it lives here, below both.
pub const INDEX_STAMP_FILE: &str = "topictrack.json";

/// tantivy's list of committed segments, present in every tantivy index folder.
pub const INDEX_META_FILE: &str = "meta.json";

/// Whether `folder` is a topictrack index (any, not only the one in use): it holds both the
/// stamp and tantivy's meta file. Its JSON files are not articles, so the walk never enters it.
pub fn is_index_folder(folder: &Path) -> bool {
    folder.join(INDEX_STAMP_FILE).is_file() && folder.join(INDEX_META_FILE).is_file()
}

type Found = Result<FoundFile, Problem>;

/// A found file with the canonical path of the real file behind it (symbolic links
/// resolved), when it could be resolved; problems have none.
type Keyed = (Found, Option<PathBuf>);

/// Walks roots (files or folders), yields supported files in a stable (sorted) order,
/// absolute paths. Each real file is yielded once, under the first path that reaches it,
/// even when roots overlap or symbolic links lead to it again; later paths to it are
/// skipped without a notice (hard links are distinct paths and are read each time).
pub fn walk(roots: &[PathBuf], options: &WalkOptions) -> impl Iterator<Item = Found> {
    let excluded: Arc<Vec<PathBuf>> = Arc::new(
        options
            .exclude
            .iter()
            .filter_map(|path| path.canonicalize().ok())
            .collect(),
    );
    let mut seen = HashSet::new();
    // Owned, so the iterator does not borrow the caller's slice.
    let roots: Vec<PathBuf> = roots.to_vec();
    roots
        .into_iter()
        .flat_map(move |root| walk_root(root, Arc::clone(&excluded)))
        .filter(move |(found, canonical)| match found {
            Ok(file) => seen.insert(canonical.clone().unwrap_or_else(|| file.path.clone())),
            Err(_) => true,
        })
        .map(|(found, _)| found)
}

/// The canonical path of each walked file, resolving each folder once rather than each file:
/// walkdir yields a folder's entries together, so the last folder resolved is kept.
#[derive(Default)]
struct CanonicalPaths {
    folder: Option<(PathBuf, PathBuf)>,
}

impl CanonicalPaths {
    fn of(&mut self, entry: &DirEntry) -> Option<PathBuf> {
        let path = entry.path();
        if entry.path_is_symlink() {
            return path.canonicalize().ok();
        }
        let (parent, name) = (path.parent()?, path.file_name()?);
        match &self.folder {
            Some((folder, canonical)) if folder == parent => Some(canonical.join(name)),
            _ => {
                let canonical = parent.canonicalize().ok()?;
                let file = canonical.join(name);
                self.folder = Some((parent.to_path_buf(), canonical));
                Some(file)
            }
        }
    }
}

fn is_excluded(path: &Path, excluded: &[PathBuf]) -> bool {
    !excluded.is_empty()
        && path
            .canonicalize()
            .is_ok_and(|canonical| excluded.contains(&canonical))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

fn problem_only(problem: Problem) -> Box<dyn Iterator<Item = Keyed>> {
    Box::new(std::iter::once((Err(problem), None)))
}

fn walk_root(root: PathBuf, excluded: Arc<Vec<PathBuf>>) -> Box<dyn Iterator<Item = Keyed>> {
    let root = match std::path::absolute(&root) {
        Ok(absolute) => absolute,
        Err(err) => return problem_only(io_problem(&root, &err)),
    };
    let meta = match std::fs::metadata(&root) {
        Ok(meta) => meta,
        Err(err) => return problem_only(root_problem(&root, &err)),
    };
    if !meta.is_dir() {
        // A file named on the command line is read whatever its name, but its type must be known.
        let canonical = root.canonicalize().ok();
        let found = match Format::from_path(&root) {
            Some(format) => Ok(FoundFile {
                size: meta.len(),
                modified: meta.modified().ok(),
                format,
                path: root,
            }),
            None => Err(Problem::new(
                &root,
                None,
                format!(
                    "unsupported file type; supported extensions are {}",
                    Format::EXTENSIONS
                ),
            )),
        };
        return Box::new(std::iter::once((found, canonical)));
    }
    if is_excluded(&root, &excluded) {
        return Box::new(std::iter::empty());
    }
    if is_index_folder(&root) {
        return problem_only(Problem::new(
            &root,
            None,
            format!(
                "a topictrack index folder (it holds {INDEX_STAMP_FILE}), not articles, so it \
                 is not read; name the corpus folder instead"
            ),
        ));
    }
    let walker = WalkDir::new(&root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |entry| keep(entry, &excluded));
    let mut canonical = CanonicalPaths::default();
    Box::new(walker.filter_map(move |entry| match entry {
        Ok(entry) => found_file(&entry).map(|found| {
            let key = found.is_ok().then(|| canonical.of(&entry)).flatten();
            (found, key)
        }),
        Err(err) => entry_problem(&err).map(|problem| (problem, None)),
    }))
}

/// Whether to yield or descend into an entry: not hidden, not the excluded folder nor any
/// other topictrack index folder.
fn keep(entry: &DirEntry, excluded: &[PathBuf]) -> bool {
    if entry.depth() == 0 {
        return true;
    }
    if is_hidden(entry.file_name()) {
        return false;
    }
    !(entry.file_type().is_dir()
        && (is_excluded(entry.path(), excluded) || is_index_folder(entry.path())))
}

fn found_file(entry: &DirEntry) -> Option<Found> {
    let file_type = entry.file_type();
    if file_type.is_dir() {
        return None;
    }
    let format = Format::from_path(entry.path())?;
    if !file_type.is_file() {
        // A named pipe would hold the run until something writes to it, and a device may never
        // end; files named on the command line are still read, whatever they are.
        return Some(Err(Problem::new(
            entry.path(),
            None,
            "not a regular file (a named pipe, socket or device), so the folder walk does not \
             read it; name it on the command line to read it",
        )));
    }
    match entry.metadata() {
        Ok(meta) => Some(Ok(FoundFile {
            path: entry.path().to_path_buf(),
            size: meta.len(),
            modified: meta.modified().ok(),
            format,
        })),
        Err(err) => entry_problem(&err),
    }
}

fn root_problem(root: &Path, err: &std::io::Error) -> Problem {
    if err.kind() == ErrorKind::NotFound && root.symlink_metadata().is_ok() {
        return Problem::new(
            root,
            None,
            "broken symbolic link: its target does not exist",
        );
    }
    io_problem(root, err)
}

fn entry_problem(err: &walkdir::Error) -> Option<Found> {
    let path = err.path().unwrap_or(Path::new(""));
    if path.file_name().is_some_and(is_hidden) {
        return None;
    }
    let problem = if let Some(ancestor) = err.loop_ancestor() {
        Problem::new(
            path,
            None,
            format!(
                "symlink loop: it points back to {}, so it is not followed",
                ancestor.display()
            ),
        )
    } else if let Some(io) = err.io_error() {
        root_problem(path, io)
    } else {
        Problem::new(path, None, format!("could not be walked: {err}"))
    };
    Some(Err(problem))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(found: &[Found], root: &Path) -> Vec<String> {
        found
            .iter()
            .filter_map(|f| f.as_ref().ok())
            .map(|f| {
                f.path
                    .strip_prefix(root)
                    .unwrap_or(&f.path)
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    #[test]
    fn walks_sorted_skipping_hidden_excluded_and_unsupported() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for (name, text) in [
            ("b.md", "x"),
            ("a.TXT", "x"),
            ("notes.xls", "x"),
            (".hidden.md", "x"),
            (".git/config.md", "x"),
            ("sub/c.json", "{}"),
            ("sub/d.jsonl", "{}"),
            ("index/meta.json", "{}"),
            ("z/page.htm", "x"),
        ] {
            let path = root.join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, text).unwrap();
        }
        let options = WalkOptions {
            exclude: vec![root.join("sub/../index")],
        };
        let found: Vec<_> = walk(std::slice::from_ref(&root), &options).collect();
        assert_eq!(
            names(&found, &root),
            ["a.TXT", "b.md", "sub/c.json", "sub/d.jsonl", "z/page.htm"]
        );
        let first = found[0].as_ref().unwrap();
        assert_eq!(first.format, Format::Text);
        assert_eq!(first.size, 1);
        assert!(first.path.is_absolute());
        assert!(found.iter().all(Result::is_ok));
    }

    #[test]
    fn missing_root_and_unsupported_file_root() {
        let dir = tempfile::tempdir().unwrap();
        let sheet = dir.path().join("x.xls");
        fs::write(&sheet, "x").unwrap();
        let found: Vec<_> =
            walk(&[dir.path().join("nope"), sheet], &WalkOptions::default()).collect();
        assert_eq!(found.len(), 2);
        let missing = found[0].as_ref().unwrap_err();
        assert_eq!(missing.reason, "path does not exist");
        assert!(missing.path.ends_with("nope"));
        assert!(found[1]
            .as_ref()
            .unwrap_err()
            .reason
            .starts_with("unsupported file type"));
    }

    #[test]
    fn overlapping_roots_yield_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        fs::write(&file, "x").unwrap();
        let found: Vec<_> =
            walk(&[dir.path().to_path_buf(), file], &WalkOptions::default()).collect();
        assert_eq!(found.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_reached_through_links_is_yielded_once_under_its_first_path() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::create_dir_all(root.join("b/real")).unwrap();
        fs::write(root.join("b/real/in.md"), "x").unwrap();
        fs::write(root.join("b/real/other.md"), "x").unwrap();
        symlink("b/real/in.md", root.join("a.md")).unwrap();
        symlink("b/real", root.join("c")).unwrap();
        let found: Vec<_> = walk(std::slice::from_ref(&root), &WalkOptions::default()).collect();
        // a.md comes first in the sorted walk, so it names the file; c/ adds nothing new.
        assert_eq!(names(&found, &root), ["a.md", "b/real/other.md"]);
        let through_link = root.join("c");
        let again: Vec<_> = walk(
            &[through_link.clone(), root.join("b")],
            &WalkOptions::default(),
        )
        .collect();
        assert_eq!(names(&again, &through_link), ["in.md", "other.md"]);
    }

    #[test]
    fn index_folders_are_not_entered_and_refused_as_roots() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for name in [
            "a.md",
            "old/topictrack.json",
            "old/meta.json",
            "old/notes.md",
            // A stamp without tantivy's meta file is not an index: read as an article.
            "half/topictrack.json",
        ] {
            let path = root.join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "{}").unwrap();
        }
        assert!(is_index_folder(&root.join("old")));
        assert!(!is_index_folder(&root.join("half")));
        let found: Vec<_> = walk(std::slice::from_ref(&root), &WalkOptions::default()).collect();
        assert_eq!(names(&found, &root), ["a.md", "half/topictrack.json"]);
        let named: Vec<_> = walk(&[root.join("old")], &WalkOptions::default()).collect();
        assert_eq!(named.len(), 1);
        assert!(named[0]
            .as_ref()
            .unwrap_err()
            .reason
            .starts_with("a topictrack index folder"));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_a_problem_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir(root.join("a")).unwrap();
        fs::write(root.join("a/doc.md"), "x").unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("a/loop")).unwrap();
        std::os::unix::fs::symlink(root.join("missing.md"), root.join("a/broken.md")).unwrap();
        let found: Vec<_> = walk(&[root.to_path_buf()], &WalkOptions::default()).collect();
        let problems: Vec<_> = found.iter().filter_map(|f| f.as_ref().err()).collect();
        assert_eq!(names(&found, root), ["a/doc.md"]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(
            problems[0].reason,
            "broken symbolic link: its target does not exist"
        );
        assert!(
            problems[1].reason.starts_with("symlink loop"),
            "{}",
            problems[1].reason
        );
        assert!(problems[1].path.ends_with("a/loop"));
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_reported_in_folders_and_read_when_named() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::write(root.join("doc.md"), "x").unwrap();
        let pipe = root.join("pipe.jsonl");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        assert!(made.is_ok_and(|status| status.success()), "mkfifo failed");
        std::os::unix::fs::symlink("/dev/null", root.join("device.txt")).unwrap();

        let found: Vec<_> = walk(std::slice::from_ref(&root), &WalkOptions::default()).collect();
        assert_eq!(names(&found, &root), ["doc.md"]);
        let problems: Vec<_> = found.iter().filter_map(|f| f.as_ref().err()).collect();
        let skipped: Vec<_> = problems
            .iter()
            .map(|problem| problem.path.strip_prefix(&root).unwrap())
            .collect();
        assert_eq!(skipped, [Path::new("device.txt"), Path::new("pipe.jsonl")]);
        assert!(problems[1].reason.starts_with("not a regular file"));

        let named: Vec<_> = walk(std::slice::from_ref(&pipe), &WalkOptions::default()).collect();
        assert_eq!(named.len(), 1);
        assert_eq!(named[0].as_ref().map(|file| &file.path), Ok(&pipe));
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_file_names_work() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"caf\xE9.md");
        if fs::write(dir.path().join(name), "x").is_err() {
            return; // some file systems refuse such names; nothing to test there
        }
        let found: Vec<_> = walk(&[dir.path().to_path_buf()], &WalkOptions::default()).collect();
        let file = found[0].as_ref().unwrap();
        assert_eq!(file.path.file_name(), Some(name));
        assert_eq!(file.format, Format::Markdown);
        assert!(file.path.display().to_string().ends_with("caf\u{FFFD}.md"));
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_folder_is_reported() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let locked = dir.path().join("locked");
        fs::create_dir(&locked).unwrap();
        fs::write(locked.join("a.md"), "x").unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read_dir(&locked).is_ok() {
            // Running as root: permissions are not enforced, so there is nothing to observe.
            fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
            return;
        }
        let found: Vec<_> = walk(&[dir.path().to_path_buf()], &WalkOptions::default()).collect();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        let problem = found[0].as_ref().unwrap_err();
        assert!(
            problem.reason.starts_with("permission denied"),
            "{}",
            problem.reason
        );
        assert!(problem.path.ends_with("locked"));
    }
}

//! The roots of an index: a moved corpus folder is indexed from its new place instead of twice,
//! `roots` lists what the index holds and from where, and `roots remove` / `roots prune` take a
//! root's documents out (issue 13, item 10).

use std::fs;
use std::path::PathBuf;

use serde_json::Value;

use crate::support::{article, assert_one_line_error, path_str, stderr, Workspace};

/// Writes `count` articles into the folder `name` of the workspace (not its `corpus/`), one of
/// them in a subfolder, and returns the folder.
fn folder(ws: &Workspace, name: &str, count: usize) -> PathBuf {
    let root = ws.dir.path().join(name);
    fs::create_dir_all(root.join("sub")).expect("folder created");
    for n in 0..count {
        let place = if n == 0 { "sub/" } else { "" };
        let text = article(
            &format!("{name} article {n}"),
            "2025-03-01",
            "en",
            &format!("{name}word story number {n} about chips"),
        );
        fs::write(root.join(format!("{place}a{n}.md")), text).expect("file written");
    }
    root
}

/// `index ARGS... --json`: the report and the exit code.
fn index(ws: &Workspace, args: &[&str]) -> (Value, i32) {
    let mut all = vec!["index"];
    all.extend_from_slice(args);
    all.push("--json");
    let output = ws.run(&all);
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("{all:?} printed no JSON ({err}): {}", stderr(&output)));
    (report, output.status.code().unwrap_or(-1))
}

fn documents(ws: &Workspace) -> u64 {
    ws.json(&["stats", "--json"])["documents"]
        .as_u64()
        .expect("stats counts documents")
}

fn roots(ws: &Workspace) -> Vec<Value> {
    ws.json(&["roots", "--json"])
        .as_array()
        .cloned()
        .expect("roots prints an array")
}

fn root_paths(ws: &Workspace) -> Vec<String> {
    roots(ws)
        .iter()
        .map(|root| root["path"].as_str().unwrap_or("(none)").to_owned())
        .collect()
}

fn canonical(path: &std::path::Path) -> String {
    path_str(&path.canonicalize().expect("exists")).to_owned()
}

/// Stdout of a command that must succeed.
fn stdout_of(ws: &Workspace, args: &[&str]) -> String {
    let output = ws.run(args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

// ---- a moved folder ----

#[test]
fn moving_a_corpus_folder_keeps_the_document_count() {
    let ws = Workspace::new();
    let old = folder(&ws, "mv1", 5);
    let (first, code) = index(&ws, &[path_str(&old)]);
    assert_eq!(code, 0, "{first}");
    assert_eq!(first["documents"], 5, "{first}");
    let old_path = canonical(&old);

    let new = ws.dir.path().join("mv2");
    fs::rename(&old, &new).expect("moved");
    let (second, code) = index(&ws, &[path_str(&new)]);
    assert_eq!(code, 0, "{second}");
    assert_eq!(second["documents"], 5, "a move must not double: {second}");
    let new_path = canonical(&new);
    assert_eq!(second["moved"][0]["from"], old_path.as_str(), "{second}");
    assert_eq!(second["moved"][0]["to"], new_path.as_str(), "{second}");
    assert_eq!(second["moved"][0]["documents"], 5, "{second}");
    assert_eq!(second["removed"], 5, "{second}");

    assert_eq!(root_paths(&ws), std::slice::from_ref(&new_path));
    let hits = ws.search("*", &[]);
    assert_eq!(hits["total"], 5, "{hits}");
    for hit in hits["hits"].as_array().expect("hits") {
        let path = hit["path"].as_str().unwrap_or_default();
        assert!(
            path.starts_with(&new_path),
            "{path} is not under {new_path}"
        );
    }
}

#[test]
fn the_text_summary_says_the_corpus_moved() {
    let ws = Workspace::new();
    let old = folder(&ws, "mv1", 2);
    assert!(ws.run(&["index", path_str(&old)]).status.success());
    let new = ws.dir.path().join("mv2");
    fs::rename(&old, &new).expect("moved");
    let output = ws.run(&["index", path_str(&new)]);
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("corpus moved: ")
            && text.contains(" → ")
            && text.contains("its 2 documents are now indexed from the new place"),
        "{text}"
    );
    assert!(text.contains("2 documents in the index"), "{text}");
}

#[test]
fn indexing_the_old_place_of_a_moved_folder_says_where_it_went() {
    let ws = Workspace::new();
    folder(&ws, "mv1", 2);
    assert!(ws.run(&["index", "mv1"]).status.success());
    fs::rename(ws.dir.path().join("mv1"), ws.dir.path().join("mv2")).expect("moved");
    assert!(ws.run(&["index", "mv2"]).status.success());
    let output = ws.run(&["index", "mv1"]);
    assert_one_line_error(
        &output,
        "mv1 is gone: it moved to ",
        "index mv1 after the move",
    );
    assert!(stderr(&output).contains("mv2"), "{}", stderr(&output));
    assert_eq!(documents(&ws), 2);
}

#[test]
fn indexing_a_gone_root_says_how_to_forget_it() {
    let ws = Workspace::new();
    folder(&ws, "mv1", 2);
    assert!(ws.run(&["index", "mv1"]).status.success());
    fs::rename(ws.dir.path().join("mv1"), ws.dir.path().join("elsewhere")).expect("moved");
    let output = ws.run(&["index", "mv1"]);
    assert_one_line_error(&output, "mv1 is gone", "index of a gone root");
    let text = stderr(&output);
    assert!(text.contains("`topictrack roots remove mv1`"), "{text}");
    assert!(text.contains("`topictrack roots prune`"), "{text}");
}

#[test]
fn a_new_folder_with_other_files_is_not_a_move() {
    let ws = Workspace::new();
    let old = folder(&ws, "mv1", 5);
    assert!(ws.run(&["index", path_str(&old)]).status.success());
    fs::remove_dir_all(&old).expect("deleted");
    // Other content under the new root: not the old files, so both stay until pruned.
    let new = folder(&ws, "fresh", 3);
    let (report, code) = index(&ws, &[path_str(&new)]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["moved"], Value::Array(Vec::new()), "{report}");
    assert_eq!(report["documents"], 8, "{report}");
    assert_eq!(root_paths(&ws).len(), 2);
}

// ---- listing, pruning and removing roots ----

#[test]
fn roots_lists_each_root_with_its_files_documents_and_whether_it_is_missing() {
    let ws = Workspace::new();
    let a = folder(&ws, "a", 3);
    let b = folder(&ws, "b", 1);
    assert!(ws.run(&["index", "a", "b"]).status.success());
    fs::remove_dir_all(&b).expect("deleted");
    let listed = roots(&ws);
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(listed[0]["path"], canonical(&a).as_str());
    assert_eq!(
        (
            &listed[0]["files"],
            &listed[0]["documents"],
            &listed[0]["missing"]
        ),
        (&Value::from(3), &Value::from(3), &Value::Bool(false))
    );
    assert_eq!(
        (
            &listed[1]["files"],
            &listed[1]["documents"],
            &listed[1]["missing"]
        ),
        (&Value::from(1), &Value::from(1), &Value::Bool(true))
    );
    let indexed = listed[0]["last_indexed"].as_str().unwrap_or_default();
    assert!(indexed.ends_with('Z') && indexed.contains('T'), "{indexed}");

    let text = stdout_of(&ws, &["roots"]);
    assert!(text.contains("3 files, 3 documents, indexed "), "{text}");
    assert!(text.contains("1 file, 1 document, indexed "), "{text}");
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|line| line.ends_with(", missing")),
        "{text}"
    );
}

#[test]
fn pruning_removes_exactly_the_documents_of_deleted_roots() {
    let ws = Workspace::new();
    folder(&ws, "a", 3);
    let b = folder(&ws, "b", 2);
    assert!(ws.run(&["index", "a"]).status.success());
    assert!(ws.run(&["index", "b"]).status.success());
    assert_eq!(documents(&ws), 5);
    let b_path = canonical(&b);
    fs::remove_dir_all(&b).expect("deleted");

    let dry = stdout_of(&ws, &["roots", "prune", "--dry-run"]);
    assert!(
        dry.contains(&format!("would remove 1 root, 2 documents: {b_path}")),
        "{dry}"
    );
    assert_eq!(documents(&ws), 5, "a dry run changes nothing");
    assert_eq!(root_paths(&ws).len(), 2);

    let pruned = stdout_of(&ws, &["roots", "prune"]);
    assert_eq!(
        pruned.trim_end(),
        format!("removed 1 root, 2 documents: {b_path}; 3 documents in the index")
    );
    assert_eq!(documents(&ws), 3);
    assert_eq!(ws.search("*", &[])["total"], 3);
    assert_eq!(ws.search("bword", &[])["total"], 0);
    assert_eq!(root_paths(&ws).len(), 1);

    let again = stdout_of(&ws, &["roots", "prune"]);
    assert!(again.contains("nothing removed"), "{again}");
    // The remaining root is intact: a plain run finds it unchanged.
    let (report, _) = index(&ws, &["a"]);
    assert_eq!(report["unchanged"], 3, "{report}");
}

#[test]
fn pruning_with_json_reports_the_roots_and_counts() {
    let ws = Workspace::new();
    folder(&ws, "a", 1);
    let b = folder(&ws, "b", 2);
    assert!(ws.run(&["index", "a", "b"]).status.success());
    fs::remove_dir_all(&b).expect("deleted");
    let dry = ws.json(&["roots", "prune", "--dry-run", "--json"]);
    assert_eq!(dry["dry_run"], true, "{dry}");
    assert_eq!(dry["removed_documents"], 2, "{dry}");
    let done = ws.json(&["roots", "prune", "--json"]);
    assert_eq!(done["dry_run"], false, "{done}");
    assert_eq!(done["roots"][0]["files"], 2, "{done}");
    assert_eq!(done["removed_documents"], 2, "{done}");
    assert_eq!(done["documents"], 1, "{done}");
}

#[test]
fn removing_an_existing_root_by_relative_path() {
    let ws = Workspace::new();
    let a = folder(&ws, "a", 3);
    folder(&ws, "b", 2);
    assert!(ws.run(&["index", "a", "b"]).status.success());
    let removed = stdout_of(&ws, &["roots", "remove", "b"]);
    assert!(
        removed.starts_with("removed 1 root, 2 documents: "),
        "{removed}"
    );
    assert_eq!(documents(&ws), 3);
    assert_eq!(root_paths(&ws), [canonical(&a)]);
    // The folder is still there: indexing it again brings its documents back, once.
    let (report, _) = index(&ws, &["b"]);
    assert_eq!(report["added"], 2, "{report}");
    assert_eq!(documents(&ws), 5);
}

#[test]
fn removing_an_unknown_root_is_a_one_line_error() {
    let ws = Workspace::new();
    folder(&ws, "alpha", 1);
    assert!(ws.run(&["index", "alpha"]).status.success());
    let output = ws.run(&["roots", "remove", "alphx"]);
    assert_one_line_error(
        &output,
        "alphx is not an indexed root; did you mean ",
        "near spelling",
    );
    let output = ws.run(&["roots", "remove", "zzz"]);
    assert_one_line_error(&output, "the indexed roots are ", "unknown root");
    assert_eq!(documents(&ws), 1, "nothing removed");
}

#[test]
fn removing_from_a_missing_index_is_a_user_error() {
    let ws = Workspace::new();
    let output = ws.run(&["roots", "remove", "anything"]);
    assert_one_line_error(&output, "no index at", "roots remove without an index");
    assert!(!ws.index_dir().exists(), "no index is created");
    let output = ws.run(&["roots"]);
    assert_one_line_error(&output, "no index at", "roots without an index");
}

#[test]
fn a_removal_keeps_the_taxonomy_the_index_was_tagged_with() {
    let ws = Workspace::new();
    folder(&ws, "a", 1);
    folder(&ws, "b", 1);
    assert!(ws.run(&["index", "a", "b", "--no-enrich"]).status.success());
    assert!(ws.run(&["roots", "remove", "b"]).status.success());
    // Same options as before: nothing is re-read or re-tagged.
    let (report, _) = index(&ws, &["a", "--no-enrich"]);
    assert_eq!(report["unchanged"], 1, "{report}");
    assert_eq!(report["retagged"], false, "{report}");
}

#[test]
fn files_of_an_index_from_before_roots_were_recorded_are_listed_as_unrecorded() {
    let ws = Workspace::new();
    folder(&ws, "old", 2);
    assert!(ws.run(&["index", "old"]).status.success());
    // An index written before roots were recorded has no `roots` in its state.
    let state_path = ws.index_dir().join("files.json");
    let mut state: Value =
        serde_json::from_slice(&fs::read(&state_path).expect("state read")).expect("state JSON");
    state.as_object_mut().expect("object").remove("roots");
    fs::write(&state_path, state.to_string()).expect("state written");

    let listed = roots(&ws);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["path"], Value::Null);
    assert_eq!(listed[0]["documents"], 2);
    assert!(stdout_of(&ws, &["roots"]).starts_with("(unrecorded)  2 files, 2 documents"));
    // Its folder can still be removed by name.
    assert!(ws.run(&["roots", "remove", "old"]).status.success());
    assert_eq!(documents(&ws), 0);
}

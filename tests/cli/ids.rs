//! Records that carry the same id of their own (issue 13, item 12): every document is indexed, the
//! one that already holds the id keeps it, each later one gets a suffixed id (`same@2`) and a
//! warning naming both places, and reruns keep every id where it was.

use serde_json::Value;

use crate::support::{ids, path_str, stderr, Workspace};

/// Runs `index CORPUS [EXTRA...] --json`; returns the report and the exit code.
fn index(ws: &Workspace, extra: &[&str]) -> (Value, i32) {
    let corpus = ws.corpus();
    let mut args = vec!["index", path_str(&corpus), "--json"];
    args.extend_from_slice(extra);
    let output = ws.run(&args);
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("index printed no JSON ({err}): {}", stderr(&output)));
    (report, output.status.code().unwrap_or(-1))
}

fn count(report: &Value, key: &str) -> u64 {
    report[key].as_u64().unwrap_or(u64::MAX)
}

/// The title `show ID` gives, or `None` when it finds no document.
fn title_of(ws: &Workspace, id: &str) -> Option<String> {
    let output = ws.run(&["show", id, "--json"]);
    if !output.status.success() {
        return None;
    }
    let shown: Value = serde_json::from_slice(&output.stdout).ok()?;
    assert_eq!(shown["id"].as_str(), Some(id), "{shown}");
    shown["title"].as_str().map(String::from)
}

/// The ids of the documents matching `query`, sorted.
fn sorted_ids(ws: &Workspace, query: &str) -> Vec<String> {
    let mut found = ids(&ws.search(query, &[]));
    found.sort();
    found
}

/// The warnings of a report as `(file name, line, reason)`.
fn warnings(report: &Value) -> Vec<(String, Option<u64>, String)> {
    report["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|notice| {
            let path = notice["path"].as_str().unwrap_or_default();
            let name = path.rsplit('/').next().unwrap_or_default().to_owned();
            let reason = notice["reason"].as_str().unwrap_or_default().to_owned();
            (name, notice["line"].as_u64(), reason)
        })
        .collect()
}

fn record(id: &str, title: &str, text: &str) -> String {
    format!("{{\"id\":{id},\"title\":\"{title}\",\"text\":\"{text}\"}}\n")
}

#[test]
fn duplicate_ids_are_suffixed_and_every_document_is_found() {
    let ws = Workspace::new();
    let a = [
        record("\"same\"", "First same", "alphaword one"),
        record("\"same\"", "Second same", "alphaword two"),
        record("1", "Number one", "betaword one"),
    ]
    .concat();
    ws.write("a.jsonl", a);
    ws.write("b.jsonl", record("\"1\"", "String one", "betaword two"));

    let (first, code) = index(&ws, &[]);
    assert_eq!(code, 0, "{first}");
    assert_eq!(count(&first, "documents"), 4, "{first}");
    assert_eq!(sorted_ids(&ws, "alphaword"), ["same", "same@2"]);
    assert_eq!(sorted_ids(&ws, "betaword"), ["1", "1@2"]);
    assert_eq!(title_of(&ws, "same").as_deref(), Some("First same"));
    assert_eq!(title_of(&ws, "same@2").as_deref(), Some("Second same"));
    assert_eq!(title_of(&ws, "1").as_deref(), Some("Number one"));
    assert_eq!(title_of(&ws, "1@2").as_deref(), Some("String one"));

    let warned = warnings(&first);
    assert_eq!(warned.len(), 2, "{first}");
    let (file, line, reason) = &warned[0];
    assert_eq!((file.as_str(), *line), ("a.jsonl", Some(2)), "{first}");
    assert!(reason.contains("id 'same' is already used by "), "{reason}");
    assert!(reason.contains("a.jsonl line 1"), "{reason}");
    assert!(reason.ends_with("indexed as 'same@2'"), "{reason}");
    let (file, line, reason) = &warned[1];
    assert_eq!((file.as_str(), *line), ("b.jsonl", Some(1)), "{first}");
    assert!(reason.contains("id '1' is already used by "), "{reason}");
    assert!(reason.contains("a.jsonl line 3"), "{reason}");
    assert!(reason.ends_with("indexed as '1@2'"), "{reason}");

    // Unchanged files keep their ids, and the warnings are said again, as skipped records are.
    let (again, code) = index(&ws, &[]);
    assert_eq!(code, 0, "{again}");
    assert_eq!(count(&again, "unchanged"), 4, "{again}");
    assert_eq!(count(&again, "added"), 0, "{again}");
    assert_eq!(count(&again, "documents"), 4, "{again}");
    assert_eq!(warnings(&again), warned, "{again}");
    assert_eq!(sorted_ids(&ws, "alphaword"), ["same", "same@2"]);
    assert_eq!(sorted_ids(&ws, "betaword"), ["1", "1@2"]);
}

#[test]
fn editing_the_file_that_holds_an_id_keeps_the_id_on_it() {
    let ws = Workspace::new();
    ws.write("a.jsonl", record("\"same\"", "Holder", "gammaword first"));
    ws.write("b.jsonl", record("\"same\"", "Later", "gammaword second"));
    let (first, code) = index(&ws, &[]);
    assert_eq!(code, 0, "{first}");
    assert_eq!(title_of(&ws, "same").as_deref(), Some("Holder"));
    assert_eq!(title_of(&ws, "same@2").as_deref(), Some("Later"));

    // The holder's file changes (and gains a record): it is read again and keeps `same`.
    let edited = [
        record("\"other\"", "New record", "gammaword third"),
        record("\"same\"", "Holder edited", "gammaword first"),
    ]
    .concat();
    ws.write("a.jsonl", edited);
    let (second, code) = index(&ws, &[]);
    assert_eq!(code, 0, "{second}");
    assert_eq!(count(&second, "documents"), 3, "{second}");
    assert_eq!(title_of(&ws, "same").as_deref(), Some("Holder edited"));
    assert_eq!(title_of(&ws, "same@2").as_deref(), Some("Later"));
    assert_eq!(title_of(&ws, "same@3"), None);

    // The renamed document's file changes: it keeps its suffix, the holder in the index keeps `same`.
    ws.write(
        "b.jsonl",
        record("\"same\"", "Later edited", "gammaword second"),
    );
    let (third, code) = index(&ws, &[]);
    assert_eq!(code, 0, "{third}");
    assert_eq!(count(&third, "documents"), 3, "{third}");
    assert_eq!(title_of(&ws, "same").as_deref(), Some("Holder edited"));
    assert_eq!(title_of(&ws, "same@2").as_deref(), Some("Later edited"));
    let warned = warnings(&third);
    assert_eq!(warned.len(), 1, "{third}");
    assert_eq!(warned[0].0, "b.jsonl", "{third}");
    assert!(warned[0].2.contains("a.jsonl line 2"), "{third}");
}

#[test]
fn a_holder_later_in_walk_order_keeps_its_id_when_every_file_is_read_again() {
    let ws = Workspace::new();
    ws.write("b.jsonl", record("\"same\"", "First indexed", "deltaword"));
    let (first, code) = index(&ws, &[]);
    assert_eq!(code, 0, "{first}");
    // A file that sorts before the holder's arrives with the same id: the holder keeps it.
    ws.write("a.jsonl", record("\"same\"", "Arrived later", "deltaword"));
    let (second, code) = index(&ws, &[]);
    assert_eq!(code, 0, "{second}");
    assert_eq!(title_of(&ws, "same").as_deref(), Some("First indexed"));
    assert_eq!(title_of(&ws, "same@2").as_deref(), Some("Arrived later"));

    // Other reading options read every file again, in walk order: the ids stay where they were.
    let (third, code) = index(&ws, &["--field", "title=title"]);
    assert_eq!(code, 0, "{third}");
    assert_eq!(count(&third, "documents"), 2, "{third}");
    assert_eq!(title_of(&ws, "same").as_deref(), Some("First indexed"));
    assert_eq!(title_of(&ws, "same@2").as_deref(), Some("Arrived later"));
}

#[test]
fn a_moved_folder_keeps_the_ids_its_records_carry() {
    let ws = Workspace::new();
    let old = ws.dir.path().join("old");
    std::fs::create_dir_all(&old).expect("folder");
    std::fs::write(
        old.join("a.jsonl"),
        [
            record("\"keep-1\"", "One", "deltaword one"),
            record("\"keep-2\"", "Two", "deltaword two"),
        ]
        .concat(),
    )
    .expect("written");
    let output = ws.run(&["index", path_str(&old)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let new = ws.dir.path().join("new");
    std::fs::rename(&old, &new).expect("moved");
    let output = ws.run(&["index", path_str(&new), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    assert_eq!(count(&report, "documents"), 2, "{report}");
    assert!(warnings(&report).is_empty(), "{report}");
    assert_eq!(sorted_ids(&ws, "deltaword"), ["keep-1", "keep-2"]);
}

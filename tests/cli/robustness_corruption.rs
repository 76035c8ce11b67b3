//! Damaged indexes and indexes from other versions: a clear one-line error that names the
//! fix (`index --rebuild`), and `--rebuild` really mends them.

use std::fs;
use std::path::PathBuf;

use crate::support::{article, assert_no_panic, path_str, stderr, Workspace};

fn indexed() -> Workspace {
    let ws = Workspace::new();
    for n in 0..3 {
        ws.write(
            &format!("d{n}.md"),
            article(&format!("Doc {n}"), "2024-01-01", "en", "corruptword chips"),
        );
    }
    let (_, code) = ws.index_corpus();
    assert_eq!(code, 0);
    ws
}

fn segment_files(ws: &Workspace, extension: &str) -> Vec<PathBuf> {
    fs::read_dir(ws.index_dir())
        .expect("index folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect()
}

/// Every read command fails with one line naming `expected`; then `--rebuild` mends it.
fn assert_names_the_fix_and_rebuild_mends(ws: &Workspace, expected: &str) {
    for args in [
        vec!["search", "corruptword", "--json"],
        vec!["facets", "--json"],
        vec!["timeline", "--all", "--json"],
        vec!["stats", "--json"],
    ] {
        let output = ws.run(&args);
        assert_no_panic(&output, &format!("{args:?}"));
        let text = stderr(&output);
        assert!(
            matches!(output.status.code(), Some(1 | 2)),
            "{args:?}: {text}"
        );
        assert!(text.contains(expected), "{args:?}: {text}");
        assert!(text.contains("index --rebuild"), "{args:?}: {text}");
        assert_eq!(text.trim_end().lines().count(), 1, "{args:?}: {text}");
    }
    let rebuilt = ws.run(&["index", "--rebuild", path_str(&ws.corpus())]);
    assert_eq!(rebuilt.status.code(), Some(0), "{}", stderr(&rebuilt));
    assert_eq!(ws.search("corruptword", &[])["total"].as_u64(), Some(3));
}

#[test]
fn garbage_meta_json() {
    let ws = indexed();
    fs::write(ws.index_dir().join("meta.json"), "{ this is not json").expect("written");
    assert_names_the_fix_and_rebuild_mends(&ws, "damaged");
}

#[test]
fn a_deleted_segment_file() {
    let ws = indexed();
    for file in segment_files(&ws, "idx") {
        fs::remove_file(file).expect("removed");
    }
    assert_names_the_fix_and_rebuild_mends(&ws, "damaged");
}

#[test]
fn a_truncated_segment_file() {
    let ws = indexed();
    for extension in ["store", "term", "idx", "fast"] {
        for file in segment_files(&ws, extension) {
            let bytes = fs::read(&file).expect("read");
            fs::write(&file, &bytes[..bytes.len() / 3]).expect("truncated");
        }
    }
    assert_names_the_fix_and_rebuild_mends(&ws, "damaged");
}

#[test]
fn garbage_stamp() {
    let ws = indexed();
    fs::write(ws.index_dir().join("topictrack.json"), "\u{0}\u{1}garbage").expect("written");
    assert_names_the_fix_and_rebuild_mends(&ws, "damaged");
}

#[test]
fn an_index_from_an_incompatible_version() {
    let ws = indexed();
    let stamp = ws.index_dir().join("topictrack.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&stamp).expect("stamp")).expect("JSON");
    value["schema_version"] = serde_json::json!(9999);
    value["written_by"] = serde_json::json!("topictrack 9.9.9");
    fs::write(&stamp, value.to_string()).expect("written");
    assert_names_the_fix_and_rebuild_mends(&ws, "incompatible version");
    // A plain `index` (no --rebuild) says the same instead of writing into it.
    let ws = indexed();
    fs::write(stamp_of(&ws), value.to_string()).expect("written");
    let output = ws.run(&["index", path_str(&ws.corpus())]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("index --rebuild"),
        "{}",
        stderr(&output)
    );
}

fn stamp_of(ws: &Workspace) -> PathBuf {
    ws.index_dir().join("topictrack.json")
}

#[test]
fn garbage_state_files_only_cost_a_full_reread() {
    let ws = indexed();
    fs::write(ws.index_dir().join("files.json"), "garbage").expect("written");
    fs::write(ws.index_dir().join("taxonomy.json"), "garbage").expect("written");
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        report["documents"].as_u64(),
        Some(3),
        "no duplicates: {report}"
    );
    assert_eq!(ws.search("corruptword", &[])["total"].as_u64(), Some(3));
}

//! A panic while enriching one document costs that document only (issue 13, item 7), proved on the
//! real binary through its debug-build failure hook `TOPICTRACK_TEST_PANIC_ON` (see `index::run`):
//! the document is skipped with its file and line, every other one is written, including those
//! that shared its batch, and reruns count the same.
//!
//! Release builds have no hook, so these tests exist in debug builds only.
#![cfg(debug_assertions)]

use serde_json::Value;

use crate::support::{article, path_str, stderr, Workspace};

const HOOK: &str = "TOPICTRACK_TEST_PANIC_ON";
const MARKER: &str = "panicmarker";
/// More records than one enrichment batch (256 documents) holds, with the doomed one in the first
/// batch among documents of earlier files.
const RECORDS: usize = 256 + 40;
const DOOMED: usize = 256 - 10;

/// Three small files around a JSON Lines file of [`RECORDS`] records, one holding [`MARKER`];
/// returns how many documents the corpus holds.
fn write_corpus(ws: &Workspace) -> u64 {
    ws.write(
        "a.md",
        article("Before", "2024-01-02", "en", "earlyword text"),
    );
    ws.write("b/notes.txt", "Notes\n\nmiddleword text\n");
    let lines: String = (1..=RECORDS)
        .map(|n| {
            let word = if n == DOOMED { MARKER } else { "fineword" };
            format!("{{\"title\":\"Record {n}\",\"text\":\"{word} {n}\"}}\n")
        })
        .collect();
    ws.write("c.jsonl", lines);
    ws.write(
        "d.md",
        article("After", "2024-01-03", "en", "lateword text"),
    );
    RECORDS as u64 + 3
}

/// `index CORPUS --json` with the hook set; the report and the exit code.
fn index_with_hook(ws: &Workspace) -> (Value, i32) {
    let corpus = ws.corpus();
    let output = ws
        .cmd(&["index", path_str(&corpus), "--json"])
        .env(HOOK, MARKER)
        .output()
        .expect("binary ran");
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("index printed no JSON ({err}): {}", stderr(&output)));
    (report, output.status.code().unwrap_or(-1))
}

fn count(report: &Value, key: &str) -> u64 {
    report[key].as_u64().unwrap_or(u64::MAX)
}

fn total(ws: &Workspace, query: &str) -> u64 {
    ws.search(query, &[])["total"].as_u64().unwrap_or(u64::MAX)
}

/// The one skipped notice names the JSON Lines file and the doomed record's line.
fn assert_one_skip_at_the_doomed_line(report: &Value) {
    let skipped = report["skipped"].as_array().cloned().unwrap_or_default();
    assert_eq!(skipped.len(), 1, "{report}");
    let notice = &skipped[0];
    assert!(
        notice["path"]
            .as_str()
            .unwrap_or_default()
            .ends_with("c.jsonl"),
        "{notice}"
    );
    assert_eq!(notice["line"].as_u64(), Some(DOOMED as u64), "{notice}");
    assert!(
        notice["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("enriching"),
        "{notice}"
    );
}

/// Every document but the doomed one is searchable, once.
fn assert_all_but_one_searchable(ws: &Workspace, all: u64) {
    assert_eq!(total(ws, "*"), all - 1);
    assert_eq!(total(ws, "fineword"), RECORDS as u64 - 1);
    assert_eq!(total(ws, MARKER), 0);
    for word in ["earlyword", "middleword", "lateword"] {
        assert_eq!(total(ws, word), 1, "{word}");
    }
}

#[test]
fn a_panic_in_enrichment_costs_one_document_and_reruns_count_the_same() {
    let ws = Workspace::new();
    let all = write_corpus(&ws);

    let (first, code) = index_with_hook(&ws);
    assert_eq!(code, 2, "{first}");
    assert_eq!(count(&first, "added"), all - 1, "{first}");
    assert_eq!(count(&first, "documents"), all - 1, "{first}");
    assert_one_skip_at_the_doomed_line(&first);
    assert_all_but_one_searchable(&ws, all);

    // Unchanged: nothing is read, the skip is listed again with the same exit code.
    let (second, code) = index_with_hook(&ws);
    assert_eq!(code, 2, "{second}");
    assert_eq!(count(&second, "unchanged"), all - 1, "{second}");
    assert_eq!(count(&second, "added"), 0, "{second}");
    assert_eq!(count(&second, "documents"), all - 1, "{second}");
    assert_one_skip_at_the_doomed_line(&second);
    assert_all_but_one_searchable(&ws, all);

    // Read again (another modification time): the same document fails, nothing is doubled.
    let jsonl = ws.corpus().join("c.jsonl");
    let text = std::fs::read_to_string(&jsonl).expect("file read");
    ws.write("c.jsonl", format!("{text}\n"));
    let (third, code) = index_with_hook(&ws);
    assert_eq!(code, 2, "{third}");
    assert_eq!(count(&third, "updated"), RECORDS as u64 - 1, "{third}");
    assert_eq!(count(&third, "added"), 0, "{third}");
    assert_eq!(count(&third, "documents"), all - 1, "{third}");
    assert_one_skip_at_the_doomed_line(&third);
    assert_all_but_one_searchable(&ws, all);
}

//! Mistakes a user makes get one clear line and exit code 2; a closed pipe is not a mistake.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::support::{article, assert_no_panic, assert_user_error, path_str, stderr, Workspace};

fn indexed() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "a.md",
        article(
            "Alpha",
            "2025-01-10",
            "en",
            "Alpha chips and export controls.",
        ),
    );
    let (_, code) = ws.index_corpus();
    assert_eq!(code, 0);
    ws
}

#[test]
fn searching_before_indexing_says_what_to_run() {
    let ws = Workspace::new();
    assert_user_error(
        &ws.run(&["search", "chips"]),
        "run `topictrack index PATH` first",
    );
    assert_user_error(&ws.run(&["stats"]), "run `topictrack index PATH` first");
}

#[test]
fn a_query_syntax_error_says_where() {
    let ws = indexed();
    assert_user_error(&ws.run(&["search", "\"export controls"]), "character 1");
    assert_user_error(&ws.run(&["search", "(chips OR gpus"]), "never closed");
    assert_user_error(
        &ws.run(&["search", "nosuchfield:chips"]),
        "no field \"nosuchfield\"",
    );
}

#[test]
fn bad_dates_name_the_flag() {
    let ws = indexed();
    assert_user_error(
        &ws.run(&["search", "chips", "--from", "2025-02-30"]),
        "--from",
    );
    assert_user_error(&ws.run(&["search", "chips", "--to", "last week"]), "--to");
    assert_user_error(
        &ws.run(&["search", "chips", "--from", "2025-06", "--to", "2025-05"]),
        "after",
    );
}

/// The library names request fields (`from`, `type`, `interval`); what a user reads names the
/// flags they typed.
#[test]
fn errors_name_the_flags_not_the_fields() {
    let ws = indexed();
    for (args, expected) in [
        (
            &["search", "chips", "--from", "2025-13"][..],
            "bad value for --from: ",
        ),
        (
            &["entities", "--type", "brand"][..],
            "bad value for --type: ",
        ),
        (
            &["timeline", "--all", "--smooth", "0"][..],
            "bad value for --smooth: ",
        ),
        (
            &["topics", "--from", "2026", "--to", "2025"][..],
            "--from 2026-01-01 is after --to 2025-12-31",
        ),
    ] {
        let output = ws.run(args);
        assert_user_error(&output, expected);
        assert!(
            !stderr(&output).contains("for from:"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn a_missing_path_is_named() {
    let ws = Workspace::new();
    let missing = ws.dir.path().join("no-such-folder");
    assert_user_error(&ws.run(&["index", path_str(&missing)]), "no-such-folder");
}

#[test]
fn a_second_writer_is_told_the_index_is_in_use() {
    let ws = indexed();
    let index = tantivy::Index::open_in_dir(ws.index_dir()).expect("index opens");
    let _held = index
        .writer::<tantivy::TantivyDocument>(15_000_000)
        .expect("this test holds the writer lock");
    let output = ws.run(&["index", path_str(&ws.corpus())]);
    assert_user_error(&output, "in use");
    let search = ws.run(&["search", "chips", "--json"]);
    assert!(
        search.status.success(),
        "readers must keep working: {}",
        stderr(&search)
    );
}

#[test]
fn an_unknown_topic_gets_a_suggestion() {
    let ws = indexed();
    assert_user_error(
        &ws.run(&["search", "*", "--topic", "export-control"]),
        "did you mean \"export-controls\"",
    );
}

#[test]
fn a_folder_that_is_not_an_index_is_left_alone() {
    let ws = Workspace::new();
    std::fs::create_dir_all(ws.index_dir()).expect("folder");
    std::fs::write(ws.index_dir().join("notes.txt"), "mine").expect("file");
    ws.write("a.md", article("Alpha", "2025-01-10", "en", "Alpha."));
    assert_user_error(
        &ws.run(&["index", path_str(&ws.corpus())]),
        "not a topictrack index",
    );
    assert!(ws.index_dir().join("notes.txt").exists());
}

/// Linux's default pipe buffer; a writer that prints more blocks until the reader reads or goes.
const PIPE_BUFFER: usize = 64 * 1024;

#[test]
fn a_closed_pipe_is_not_an_error() {
    let ws = Workspace::new();
    let docs = 1000;
    let mut lines = String::new();
    for n in 0..docs {
        let body = format!("Pipeword chips and export controls, document {n}. ").repeat(4);
        let record =
            serde_json::json!({ "title": format!("Doc {n}"), "date": "2025-01-10", "body": body });
        lines.push_str(&record.to_string());
        lines.push('\n');
    }
    ws.write("many.jsonl", lines);
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["added"].as_u64(), Some(docs), "{report}");

    let limit = docs.to_string();
    let args = ["search", "*", "--limit", limit.as_str()];
    // The whole output dwarfs the pipe buffer, so the run below is still writing, blocked on a
    // full pipe, when the reader goes away: it must meet the closed pipe.
    let whole = ws.run(&args);
    assert_eq!(whole.status.code(), Some(0), "stderr: {}", stderr(&whole));
    assert!(
        whole.stdout.len() > 4 * PIPE_BUFFER,
        "only {} bytes of output",
        whole.stdout.len()
    );

    // As `topictrack search '*' | head -c 100` does: read a little, then close the pipe.
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("topictrack"))
        .current_dir(ws.dir.path())
        .env_remove("TOPICTRACK_INDEX")
        .env("NO_COLOR", "1")
        .arg("--index")
        .arg(ws.index_dir())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawned");
    let mut first = [0u8; 100];
    let stdout = child.stdout.as_mut().expect("stdout");
    stdout.read_exact(&mut first).expect("some output");
    assert_eq!(&first[..], &whole.stdout[..first.len()]);
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("finished");
    assert_no_panic(&output, "search into a closed pipe");
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

#[test]
fn an_unknown_entity_gets_a_suggestion_and_aliases_resolve() {
    let ws = Workspace::new();
    ws.write(
        "a.md",
        article(
            "Chips",
            "2025-01-10",
            "en",
            "Tencent and Nvidia met in Shenzhen about export controls.",
        ),
    );
    ws.index_corpus();
    assert_user_error(
        &ws.run(&["search", "*", "--entity", "Tencen"]),
        "did you mean \"Tencent\"",
    );
    assert_user_error(
        &ws.run(&["facets", "--entity", "Zzyzx Corp"]),
        "no document names",
    );
    assert_eq!(
        ws.search("*", &["--entity", "tencent"])["total"].as_u64(),
        Some(1)
    );
}

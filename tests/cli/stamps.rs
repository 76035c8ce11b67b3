//! Index-time stamps: when each document entered the index (`indexed`, kept across re-reads and
//! re-enrichment, filtered by `--indexed-since`), the near-duplicate signature that groups copies
//! of one story, and the rebuild advice for an index written before these fields existed.

use std::collections::HashMap;
use std::fs;
use std::thread::sleep;
use std::time::Duration;

use serde_json::Value;

use crate::support::{article, assert_one_line_error, path_str, stderr, Workspace};

/// `id → indexed` for every document.
fn stamps(ws: &Workspace) -> HashMap<String, String> {
    let results = ws.search("*", &[]);
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| {
            (
                hit["id"].as_str().expect("id").to_owned(),
                hit["indexed"]
                    .as_str()
                    .expect("every hit has indexed")
                    .to_owned(),
            )
        })
        .collect()
}

fn record(id: &str, text: &str) -> String {
    format!("{{\"id\":\"{id}\",\"title\":\"Record {id}\",\"text\":\"{text}\"}}\n")
}

fn index(ws: &Workspace, extra: &[&str]) {
    let corpus = ws.corpus();
    let mut args = vec!["index", path_str(&corpus)];
    args.extend_from_slice(extra);
    let output = ws.run(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Waits until the clock shows a later second than every stamp so far, so that the next run's
/// stamp differs.
fn next_second() {
    sleep(Duration::from_millis(1_100));
}

fn total(value: &Value) -> u64 {
    value["total"].as_u64().expect("total")
}

#[test]
fn indexed_is_kept_for_documents_already_in_the_index_and_new_for_new_ones() {
    let ws = Workspace::new();
    ws.write(
        "feed.jsonl",
        record("r1", "first text") + &record("r2", "second text"),
    );
    ws.write("a.md", article("Alpha", "2024-01-01", "en", "alpha text"));
    index(&ws, &[]);
    let first = stamps(&ws);
    assert_eq!(first.len(), 3);
    let run_one = first["r1"].clone();
    assert!(first.values().all(|stamp| *stamp == run_one), "{first:?}");
    assert!(run_one.ends_with('Z') && run_one.contains('T'), "{run_one}");

    next_second();
    // The feed changes (r1 edited, r3 new) and a new file comes: r1 and r2 keep their stamps.
    ws.write(
        "feed.jsonl",
        record("r1", "first text, corrected")
            + &record("r2", "second text")
            + &record("r3", "third"),
    );
    ws.write("b.md", article("Beta", "2020-01-01", "en", "beta text"));
    index(&ws, &[]);
    let second = stamps(&ws);
    assert_eq!(second.len(), 5);
    for kept in ["r1", "r2"] {
        assert_eq!(second[kept], run_one, "{kept} was already indexed");
    }
    let new_ids: Vec<&String> = second
        .iter()
        .filter(|(_, stamp)| **stamp != run_one)
        .map(|(id, _)| id)
        .collect();
    assert_eq!(new_ids.len(), 2, "r3 and b.md are new: {second:?}");
    assert!(second.contains_key("r3") && second["r3"] > run_one);
    let run_two = second["r3"].clone();

    // `--indexed-since` the second run's start: the two new documents, whatever their dates.
    let since = ["--indexed-since", run_two.as_str()];
    assert_eq!(total(&ws.search("*", &since)), 2);
    let facets = ws.json(&["facets", "--json", "--indexed-since", &run_two]);
    assert_eq!(total(&facets), 2, "{facets}");
    assert_eq!(
        total(&ws.search("*", &["--indexed-since", "2000-01-01"])),
        5
    );
    assert_eq!(total(&ws.search("*", &["--indexed-since", "1h"])), 5);
    for command in [
        vec!["timeline", "--all", "--by", "year", "--json"],
        vec!["topics", "--json"],
        vec!["entities", "--json"],
    ] {
        let mut args = command.clone();
        args.extend_from_slice(&since);
        ws.json(&args);
    }
    let timeline = ws.json(&[
        "timeline",
        "--all",
        "--by",
        "year",
        "--json",
        "--indexed-since",
        &run_two,
    ]);
    assert_eq!(
        timeline["series"][0]["total"].as_u64(),
        Some(2),
        "{timeline}"
    );

    // Re-enrichment from the store (a run with other enrichment settings) keeps every stamp.
    next_second();
    index(&ws, &["--no-enrich"]);
    assert_eq!(stamps(&ws), second);

    // `show` prints the time.
    let shown = ws.json(&["show", "r3", "--json"]);
    assert_eq!(shown["indexed"].as_str(), Some(run_two.as_str()));
    let text = ws.run(&["show", "r3"]);
    assert!(
        String::from_utf8_lossy(&text.stdout).contains(&format!("indexed        {run_two}")),
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );
}

#[test]
fn a_bad_indexed_since_is_one_line_naming_the_flag() {
    let ws = Workspace::new();
    ws.write("a.md", article("Alpha", "2024-01-01", "en", "alpha text"));
    index(&ws, &[]);
    for command in [
        vec!["search", "*"],
        vec!["facets"],
        vec!["timeline", "--all"],
        vec!["topics"],
        vec!["entities"],
    ] {
        for bad in ["yesterday", "7y", "2026-13-01"] {
            let mut args = command.clone();
            args.extend_from_slice(&["--indexed-since", bad]);
            let output = ws.run(&args);
            assert_one_line_error(
                &output,
                "bad value for --indexed-since",
                &format!("{args:?}"),
            );
        }
    }
}

const WIRE: &str = "Ministers from the oil exporting countries agreed on Sunday to extend their \
    production cuts for another nine months, in a bid to drain a global glut of crude and lift \
    prices that have fallen by a third since the summer, delegates said after a meeting that \
    lasted more than six hours in the Austrian capital.";

#[test]
fn copies_of_a_wire_story_are_one_group_and_an_unrelated_story_is_not() {
    let ws = Workspace::new();
    let with_source = |title: &str, source: &str, body: &str| {
        format!("---\ntitle: \"{title}\"\ndate: 2024-05-01\nsource: {source}\n---\n\n{body}\n")
    };
    ws.write("wire.md", with_source("OPEC extends cuts", "Wire", WIRE));
    ws.write(
        "gazette.md",
        with_source(
            "Oil producers prolong output curbs to lift prices",
            "Gazette",
            &format!("{WIRE}\nAdvertisement"),
        ),
    );
    ws.write(
        "other.md",
        with_source(
            "Floods close the river road",
            "Gazette",
            "Heavy rain flooded several districts of the capital overnight, forcing hundreds of \
             families to leave their homes while emergency services worked to reopen the main \
             roads and restore electricity to the neighbourhoods near the river before the next \
             storm arrives later this week, officials said.",
        ),
    );
    index(&ws, &[]);
    let hits = ws.search("*", &[]);
    let id_of = |title: &str| -> String {
        hits["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .find(|hit| hit["title"] == title)
            .and_then(|hit| hit["id"].as_str())
            .expect("found")
            .to_owned()
    };
    let wire = ws.json(&["show", &id_of("OPEC extends cuts"), "--json"]);
    let copies = wire["copies"].as_array().expect("copies");
    assert_eq!(copies.len(), 1, "{wire}");
    assert_eq!(copies[0]["source"], "Gazette");
    assert_eq!(
        copies[0]["title"],
        "Oil producers prolong output curbs to lift prices"
    );
    let other = ws.json(&["show", &id_of("Floods close the river road"), "--json"]);
    assert_eq!(other["copies"].as_array().map(Vec::len), Some(0), "{other}");
    let text = ws.run(&["show", &id_of("OPEC extends cuts")]);
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("also in (1)"),
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );
}

#[test]
fn an_index_of_the_previous_schema_gets_the_rebuild_advice() {
    let ws = Workspace::new();
    ws.write("a.md", article("Alpha", "2024-01-01", "en", "alpha text"));
    index(&ws, &[]);
    let stamp = ws.index_dir().join("topictrack.json");
    let mut value: Value =
        serde_json::from_str(&fs::read_to_string(&stamp).expect("stamp")).expect("JSON");
    let current = value["schema_version"].as_u64().expect("schema version");
    // Schema 3 had no `indexed` stamp and no signatures.
    assert!(current >= 4, "{value}");
    value["schema_version"] = serde_json::json!(current - 1);
    fs::write(&stamp, value.to_string()).expect("written");
    for args in [vec!["search", "alpha"], vec!["show", "x"], vec!["facets"]] {
        let output = ws.run(&args);
        let text = stderr(&output);
        assert_ne!(output.status.code(), Some(0), "{args:?}");
        assert!(text.contains("index --rebuild"), "{args:?}: {text}");
        assert_eq!(text.trim_end().lines().count(), 1, "{args:?}: {text}");
    }
    let output = ws.run(&["index", "--rebuild", path_str(&ws.corpus())]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(total(&ws.search("alpha", &[])), 1);
}

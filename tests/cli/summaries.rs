//! `topics` and `entities`: counts, first and last seen, peak period, date ranges and types,
//! checked against what `search` and `timeline` report for the same documents.

use crate::support::{article, path_str, sample_corpus, stderr, Workspace};
use serde_json::Value;

fn sample() -> Workspace {
    let ws = Workspace::new();
    let output = ws.run(&["index", path_str(&sample_corpus()), "--json"]);
    assert!(output.status.success(), "indexing: {}", stderr(&output));
    ws
}

fn rows(value: &Value) -> &Vec<Value> {
    value.as_array().expect("a list of rows")
}

fn row<'a>(list: &'a Value, key: &str, wanted: &str) -> &'a Value {
    rows(list)
        .iter()
        .find(|r| r[key] == wanted)
        .unwrap_or_else(|| panic!("no row {key}={wanted} in {list}"))
}

/// Dates of the hits of `search '*'` plus `extra`, sorted (undated hits left out).
fn hit_dates(ws: &Workspace, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["search", "*", "--json", "--limit", "1000"];
    args.extend_from_slice(extra);
    let found = ws.json(&args);
    let mut dates: Vec<String> = found["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|hit| hit["date"].as_str().map(String::from))
        .collect();
    dates.sort();
    dates
}

/// The month with most documents in a timeline series, the earliest on a tie.
fn peak_of(timeline: &Value) -> (String, u64) {
    let mut best = (String::new(), 0);
    for point in timeline["series"][0]["points"].as_array().expect("points") {
        let count = point["count"].as_u64().expect("count");
        if count > best.1 {
            best = (point["period"].as_str().expect("period").to_string(), count);
        }
    }
    best
}

fn check_topic(ws: &Workspace, id: &str, range: &[&str]) {
    let mut args = vec!["topics", "--json"];
    args.extend_from_slice(range);
    let topics = ws.json(&args);
    let topic = row(&topics, "id", id);
    let dates = hit_dates(ws, &[&["--topic", id][..], range].concat());
    let total = ws.search("*", &[&["--topic", id][..], range].concat())["total"].clone();
    assert_eq!(topic["count"], total, "{id} {range:?}");
    assert_eq!(topic["first"].as_str(), dates.first().map(String::as_str));
    assert_eq!(topic["last"].as_str(), dates.last().map(String::as_str));
    let line = ws.json(&[&["timeline", id, "--json"][..], range].concat());
    let (peak, peak_count) = peak_of(&line);
    assert_eq!(
        topic["peak"].as_str(),
        Some(peak.as_str()),
        "{id} {range:?}"
    );
    assert_eq!(topic["peak_count"].as_u64(), Some(peak_count));
}

#[test]
fn topics_show_first_last_and_peak_and_narrow_with_dates() {
    let ws = sample();
    let all = ws.json(&["topics", "--json"]);
    let busy = rows(&all)
        .iter()
        .filter(|r| r["parent"].is_string())
        .max_by_key(|r| r["count"].as_u64())
        .expect("a topic with documents");
    let id = busy["id"].as_str().expect("id");
    check_topic(&ws, id, &[]);
    check_topic(&ws, id, &["--from", "2024-03", "--to", "2024-12"]);
    let narrowed = ws.json(&["topics", "--json", "--from", "2024-03", "--to", "2024-12"]);
    let before = row(&all, "id", id);
    let after = row(&narrowed, "id", id);
    assert_ne!(before["first"], after["first"], "--from moves first seen");
    assert_ne!(before["last"], after["last"], "--to moves last seen");
    assert_ne!(
        before["peak"], after["peak"],
        "the peak is taken within the range"
    );
    assert!(after["first"].as_str() >= Some("2024-03-01"));
    assert!(after["last"].as_str() <= Some("2024-12-31"));
    // A parent topic is summarised over its children too.
    let parent = busy["parent"].as_str().expect("parent");
    check_topic(&ws, parent, &[]);
    // A range with no documents leaves every topic at zero with no dates.
    let empty = ws.json(&["topics", "--json", "--from", "1990", "--to", "1990"]);
    for topic in rows(&empty) {
        assert_eq!(topic["count"], 0);
        assert!(topic["first"].is_null() && topic["peak"].is_null());
    }
    let text = ws.run(&["topics", "--from", "2025"]);
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(out.contains("peak") && out.contains(id), "{out}");
}

#[test]
fn entities_filter_by_type_and_dates() {
    let ws = sample();
    let orgs = ws.json(&["entities", "--type", "org", "--top", "5", "--json"]);
    assert_eq!(rows(&orgs).len(), 5);
    let counts: Vec<u64> = rows(&orgs)
        .iter()
        .map(|r| r["count"].as_u64().expect("count"))
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    for entity in rows(&orgs) {
        assert_eq!(entity["type"], "org");
        let name = entity["name"].as_str().expect("name");
        let found = ws.search("*", &["--entity", name]);
        assert_eq!(entity["count"], found["total"], "{name}");
        let dates = hit_dates(&ws, &["--entity", name]);
        assert_eq!(entity["first"].as_str(), dates.first().map(String::as_str));
        assert_eq!(entity["last"].as_str(), dates.last().map(String::as_str));
        assert!(!entity["aliases"].as_array().expect("aliases").is_empty());
    }
    let people = ws.json(&["entities", "--type", "person", "--json"]);
    assert!(rows(&people).iter().all(|r| r["type"] == "person"));
    assert!(!rows(&people).is_empty());

    let top = &rows(&orgs)[0];
    let name = top["name"].as_str().expect("name");
    let range = ["--from", "2025-01", "--to", "2025-03"];
    let narrowed = ws.json(
        &[
            &["entities", "--type", "org", "--top", "100", "--json"][..],
            &range,
        ]
        .concat(),
    );
    let after = row(&narrowed, "name", name);
    let searched = ws.search("*", &[&["--entity", name][..], &range].concat());
    assert_eq!(after["count"], searched["total"]);
    assert!(after["count"].as_u64() < top["count"].as_u64());
    assert!(after["first"].as_str() >= Some("2025-01-01"));
    assert!(after["last"].as_str() <= Some("2025-03-31"));
    assert_ne!(top["last"], after["last"]);
    let line = ws.json(&[&["timeline", "--entity", name, "--json"][..], &range].concat());
    assert_eq!(after["peak"].as_str(), Some(peak_of(&line).0.as_str()));

    let bad = ws.run(&["entities", "--type", "company"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("org, person, place"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn peak_and_first_last_on_a_small_known_corpus() {
    let ws = Workspace::new();
    let days = [
        "2024-01-15",
        "2024-03-02",
        "2024-03-20",
        "2024-03-28",
        "2024-06-01",
        "2024-06-02",
    ];
    for (i, day) in days.iter().enumerate() {
        ws.write(
            &format!("doc{i}.md"),
            article(
                &format!("doc {i}"),
                day,
                "en",
                "Nvidia ships AI chips and GPUs to data centres.",
            ),
        );
    }
    let (_, code) = ws.index_corpus();
    assert_eq!(code, 0);
    let entities = ws.json(&["entities", "--json"]);
    let nvidia = row(&entities, "name", "Nvidia");
    assert_eq!(nvidia["count"], 6);
    assert_eq!(nvidia["first"], "2024-01-15");
    assert_eq!(nvidia["last"], "2024-06-02");
    assert_eq!(nvidia["peak"], "2024-03");
    let june = ws.json(&["entities", "--json", "--from", "2024-04"]);
    let nvidia = row(&june, "name", "Nvidia");
    assert_eq!(nvidia["count"], 2);
    assert_eq!(nvidia["first"], "2024-06-01");
    assert_eq!(nvidia["peak"], "2024-06");
}

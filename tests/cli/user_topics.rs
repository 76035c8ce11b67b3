//! Topics of the user's own (`topic add --query`, `topic remove`, `topic list`, `topic show`):
//! applied at once to the indexed documents and to every document indexed later, counted alike
//! by search, facets and timeline, and refused with one clear line when they cannot be defined.

use serde_json::Value;

use crate::support::{article, assert_one_line_error, path_str, sample_corpus, Workspace};

fn sample() -> Workspace {
    let ws = Workspace::new();
    let corpus = sample_corpus();
    let output = ws.run(&["index", path_str(&corpus)]);
    assert!(output.status.success(), "sample indexed");
    ws
}

fn total(results: &Value) -> u64 {
    results["total"].as_u64().expect("total")
}

fn facet_count(ws: &Workspace, extra: &[&str], topic: &str) -> u64 {
    let mut args = vec!["facets", "--json", "--top", "1000"];
    args.extend_from_slice(extra);
    let facets = ws.json(&args);
    facets["facets"]["topic"]
        .as_array()
        .expect("topic facet")
        .iter()
        .find(|row| row["value"] == topic)
        .and_then(|row| row["count"].as_u64())
        .unwrap_or(0)
}

fn timeline_total(ws: &Workspace, topic: &str) -> u64 {
    let timeline = ws.json(&["timeline", topic, "--by", "year", "--json"]);
    let series = &timeline["series"][0];
    series["total"].as_u64().expect("series total")
}

fn add(ws: &Workspace, args: &[&str]) -> Value {
    let mut all = vec!["topic", "add"];
    all.extend_from_slice(args);
    all.push("--json");
    ws.json(&all)
}

#[test]
fn a_query_topic_tags_the_indexed_documents_at_once_and_counts_agree() {
    let ws = sample();
    let expected = total(&ws.search("huawei", &[]));
    assert!(expected > 3, "the sample corpus names Huawei");
    let change = add(
        &ws,
        &[
            "huawei-watch",
            "--query",
            "huawei",
            "--label",
            "Huawei watch",
            "--parent",
            "industry",
        ],
    );
    assert_eq!(change["joined"].as_u64(), Some(expected), "{change}");

    assert_eq!(
        total(&ws.search("*", &["--topic", "huawei-watch"])),
        expected
    );
    assert_eq!(total(&ws.search("topic:huawei-watch", &[])), expected);
    assert_eq!(facet_count(&ws, &[], "huawei-watch"), expected);
    assert_eq!(timeline_total(&ws, "huawei-watch"), expected);
    // Its parent includes it.
    let industry = ws.search("*", &["--topic", "industry"]);
    let members = ws.search("*", &["--topic", "huawei-watch"]);
    let industry_ids: Vec<&str> = industry["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|hit| hit["id"].as_str())
        .collect();
    assert!(total(&industry) >= expected);
    let id = members["hits"][0]["id"].as_str().expect("id");
    assert!(
        industry_ids.contains(&id),
        "the parent includes its user child"
    );

    // `show` gives the query as the evidence, with the facet under the parent.
    let shown = ws.json(&["show", id, "--json"]);
    let topic = shown["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .find(|topic| topic["id"] == "huawei-watch")
        .cloned()
        .expect("the user topic is shown");
    assert_eq!(topic["facet"], "/topic/industry/huawei-watch");
    assert_eq!(topic["evidence"][0]["phrase"], "query: huawei");

    // `topic list` and `topic show` count the same.
    let listed = ws.json(&["topic", "list", "--json"]);
    assert_eq!(listed[0]["id"], "huawei-watch");
    assert_eq!(listed[0]["count"].as_u64(), Some(expected));
    assert_eq!(listed[0]["query"], "huawei");
    let one = ws.json(&["topic", "show", "huawei-watch", "--json"]);
    assert_eq!(one["label"], "Huawei watch");
    assert_eq!(one["parent"], "industry");

    // A plain index run afterwards finds nothing to re-tag.
    let corpus = sample_corpus();
    let report = ws.json(&["index", path_str(&corpus), "--json"]);
    assert_eq!(report["retagged"], false, "{report}");
    assert_eq!(report["updated"], 0, "{report}");
    assert_eq!(
        total(&ws.search("*", &["--topic", "huawei-watch"])),
        expected
    );
}

#[test]
fn a_topic_covers_documents_indexed_later_and_removing_it_takes_it_off_all() {
    let ws = Workspace::new();
    ws.write(
        "a.md",
        article(
            "Port strike",
            "2025-03-01",
            "en",
            "Dockers began a strike at the port of Santos.",
        ),
    );
    ws.write(
        "b.md",
        article(
            "Olive harvest",
            "2025-03-02",
            "en",
            "The olive harvest is early this year.",
        ),
    );
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    let change = add(&ws, &["strikes", "--query", "strike OR huelga"]);
    assert_eq!(change["joined"], 1, "{change}");

    ws.write(
        "c.md",
        article(
            "Huelga en el puerto",
            "2025-03-03",
            "es",
            "Los estibadores iniciaron una huelga en el puerto.",
        ),
    );
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["added"], 1, "{report}");
    let members = ws.search("*", &["--topic", "strikes"]);
    assert_eq!(total(&members), 2, "{members}");
    assert_eq!(facet_count(&ws, &[], "strikes"), 2);

    let removed = ws.json(&["topic", "remove", "strikes", "--json"]);
    assert_eq!(removed["left"], 2, "{removed}");
    assert_eq!(facet_count(&ws, &[], "strikes"), 0);
    let output = ws.run(&["search", "*", "--topic", "strikes"]);
    assert_eq!(output.status.code(), Some(2), "the topic is gone");
    // Documents indexed after the removal are not tagged either.
    ws.write(
        "d.md",
        article(
            "Another strike",
            "2025-03-04",
            "en",
            "A strike closed the airport.",
        ),
    );
    ws.index_corpus();
    assert_eq!(facet_count(&ws, &[], "strikes"), 0);
    assert_eq!(
        ws.json(&["topic", "list", "--json"]),
        Value::Array(Vec::new())
    );
}

#[test]
fn topics_that_cannot_be_defined_are_refused_with_one_line() {
    let ws = sample();
    add(&ws, &["mine", "--query", "nvidia"]);
    let cases: [(&[&str], &str); 6] = [
        (
            &["topic", "add", "mine", "--query", "intel"],
            "already a user topic",
        ),
        (
            &["topic", "add", "ai-chips", "--query", "intel"],
            "topic of the taxonomy",
        ),
        (
            &["topic", "add", "empty", "--query", "  "],
            "query is empty",
        ),
        (
            &["topic", "add", "broken", "--query", "title:(("],
            "never closed",
        ),
        (
            &[
                "topic", "add", "orphan", "--query", "intel", "--parent", "nowhere",
            ],
            "nowhere",
        ),
        (&["topic", "remove", "mune"], "did you mean \"mine\""),
    ];
    for (args, expected) in cases {
        let output = ws.run(args);
        assert_one_line_error(&output, expected, &format!("{args:?}"));
    }
    let output = ws.run(&["topic", "remove", "ai-chips"]);
    assert_one_line_error(&output, "taxonomy", "removing a taxonomy topic");
    let output = ws.run(&["topic", "show", "nothing"]);
    assert_one_line_error(&output, "not a user topic", "showing an unknown topic");
    // Nothing refused was recorded.
    let listed = ws.json(&["topic", "list", "--json"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
}

#[test]
fn a_topic_needs_an_index() {
    let ws = Workspace::new();
    let output = ws.run(&["topic", "add", "x", "--query", "y"]);
    assert_one_line_error(&output, "no index", "topic add without an index");
}

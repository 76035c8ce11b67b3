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

/// The member files in the index folder (see `index::members`), by name.
fn member_files(ws: &Workspace) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(ws.index_dir().join("members"))
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn members_kept_beside_the_index_survive_a_lost_or_damaged_file() {
    let ws = sample();
    let expected = total(&ws.search("huawei", &[]));
    add(&ws, &["huawei-watch", "--query", "huawei"]);
    let saved = member_files(&ws);
    assert!(!saved.is_empty(), "the members are saved beside the index");
    assert_eq!(facet_count(&ws, &[], "huawei-watch"), expected);

    // A damaged file is not trusted: the members are decided again, the same.
    let first = ws.index_dir().join("members").join(&saved[0]);
    std::fs::write(&first, b"TTM1 damaged").expect("damaged");
    assert_eq!(facet_count(&ws, &[], "huawei-watch"), expected);
    assert_eq!(total(&ws.search("topic:huawei-watch", &[])), expected);
    // Lost files (a run killed after its commit, before its files) cost nothing either.
    std::fs::remove_dir_all(ws.index_dir().join("members")).expect("removed");
    assert_eq!(
        total(&ws.search("*", &["--topic", "huawei-watch"])),
        expected
    );
    assert_eq!(timeline_total(&ws, "huawei-watch"), expected);
    // The next indexing run saves them again, as they were.
    let corpus = sample_corpus();
    let report = ws.json(&["index", path_str(&corpus), "--json"]);
    assert_eq!(report["updated"], 0, "{report}");
    assert_eq!(member_files(&ws), saved);
    assert_eq!(facet_count(&ws, &[], "huawei-watch"), expected);
    // Removing the topic deletes its files.
    ws.json(&["topic", "remove", "huawei-watch", "--json"]);
    assert_eq!(member_files(&ws), Vec::<String>::new());
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

fn ids_of(results: &Value) -> Vec<String> {
    crate::support::ids(results)
}

/// A small corpus about dock strikes and other news, in both languages.
fn strikes_corpus(ws: &Workspace) {
    let strikes = [
        ("s1.md", "Dockers strike at Santos", "en", "Dockworkers at the port of Santos went on strike over wages; the union said the strike would halt container cranes and ships waited at anchor."),
        ("s2.md", "Port strike spreads", "en", "The dockworkers strike spread to a second port as the union rejected the wage offer and cranes stood idle at the container terminal."),
        ("s3.md", "Huelga de estibadores", "es", "Los estibadores del puerto de Valencia iniciaron una huelga por salarios; el sindicato dijo que las grúas de contenedores quedan paradas."),
        ("s4.md", "La huelga portuaria sigue", "es", "La huelga de los estibadores sigue en el puerto: el sindicato rechazó la oferta salarial y los buques esperan fondeados frente a la terminal de contenedores."),
        ("s5.md", "Strike closes container terminal", "en", "A strike by dockworkers closed the container terminal; the union wants higher wages and the cranes at the port are idle."),
    ];
    let others = [
        ("o1.md", "Olive harvest early", "en", "Farmers in Jaén report an early olive harvest after autumn rain, with prices for olive oil expected to fall."),
        ("o2.md", "New chip plant", "en", "A chipmaker opened a new plant for advanced processors, adding two thousand engineering jobs near the river."),
        ("o3.md", "Cosecha de naranjas", "es", "La cosecha de naranjas en Valencia se adelanta por el calor y los agricultores esperan buenos precios en los mercados."),
        ("o4.md", "Elecciones municipales", "es", "Los partidos presentan sus candidatos para las elecciones municipales de mayo con promesas sobre vivienda y transporte."),
        ("o5.md", "Football final", "en", "The football final ended with a late goal and thousands of fans celebrated in the city square until dawn."),
    ];
    for (file, title, lang, body) in strikes.iter().chain(others.iter()) {
        ws.write(file, article(title, "2025-04-01", lang, body));
    }
}

#[test]
fn a_topic_learned_from_examples_takes_similar_stories_and_feedback_moves_them() {
    let ws = Workspace::new();
    strikes_corpus(&ws);
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    let examples: Vec<String> = ["Dockers strike at Santos", "Huelga de estibadores"]
        .iter()
        .map(|title| ids_of(&ws.search(&format!("title:\"{title}\""), &[]))[0].clone())
        .collect();
    let change = add(
        &ws,
        &[
            "dock-strikes",
            "--like",
            &examples[0],
            "--like",
            &examples[1],
        ],
    );
    let members = ws.search("*", &["--topic", "dock-strikes"]);
    let titles = crate::support::titles(&members);
    assert_eq!(
        change["members"].as_u64(),
        Some(total(&members)),
        "{change}"
    );
    for title in ["Dockers strike at Santos", "Huelga de estibadores"] {
        assert!(titles.contains(&title.to_owned()), "{titles:?}");
    }
    for title in [
        "Olive harvest early",
        "Football final",
        "Elecciones municipales",
    ] {
        assert!(!titles.contains(&title.to_owned()), "{titles:?}");
    }
    assert_eq!(facet_count(&ws, &[], "dock-strikes"), total(&members));

    // `show` says which terms made a document join, and its score against the threshold.
    let shown = ws.json(&["show", &examples[0], "--json"]);
    let evidence = shown["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .find(|topic| topic["id"] == "dock-strikes")
        .map(|topic| topic["evidence"].to_string())
        .expect("the learned topic is shown");
    assert!(evidence.contains("threshold"), "{evidence}");

    // A story indexed later is decided by the same profile.
    ws.write(
        "s6.md",
        article(
            "Strike at the port again",
            "2025-04-02",
            "en",
            "Dockworkers began a new strike at the port; the union said cranes at the container terminal will stay idle until wages rise.",
        ),
    );
    ws.index_corpus();
    let later = crate::support::titles(&ws.search("*", &["--topic", "dock-strikes"]));
    assert!(
        later.contains(&"Strike at the port again".to_owned()),
        "{later:?}"
    );

    // Feedback: a member judged off-topic leaves, and stays out.
    let member = ids_of(&ws.search("title:\"Port strike spreads\"", &[]))[0].clone();
    let in_before = ids_of(&ws.search("*", &["--topic", "dock-strikes"]));
    if in_before.contains(&member) {
        let refined = ws.json(&[
            "topic",
            "feedback",
            "dock-strikes",
            "--no",
            &member,
            "--json",
        ]);
        assert!(refined["left"].as_u64() >= Some(1), "{refined}");
        let after = ids_of(&ws.search("*", &["--topic", "dock-strikes"]));
        assert!(!after.contains(&member), "{after:?}");
    }
    let shown = ws.json(&["topic", "show", "dock-strikes", "--json"]);
    assert_eq!(shown["kind"], "learned");
    assert!(shown["learned"]["threshold"].as_f64().is_some(), "{shown}");

    // Unknown example ids and feedback on a query topic are refused.
    let output = ws.run(&["topic", "add", "x", "--like", "no-such-id"]);
    assert_one_line_error(&output, "no-such-id", "an unknown example");
    add(&ws, &["by-query", "--query", "olive"]);
    let output = ws.run(&["topic", "feedback", "by-query", "--yes", &member]);
    assert_one_line_error(&output, "query", "feedback on a query topic");
}

#[test]
fn a_rebuild_keeps_the_users_topics_and_where_track_last_looked() {
    let ws = sample();
    let expected = total(&ws.search("huawei", &[]));
    add(&ws, &["huawei-watch", "--query", "huawei"]);
    let first = ws.run(&["track", "--quiet"]);
    assert_eq!(
        first.status.code(),
        Some(0),
        "the first look finds every member"
    );

    let corpus = sample_corpus();
    let report = ws.json(&["index", "--rebuild", path_str(&corpus), "--json"]);
    assert_eq!(report["added"], 67, "{report}");
    let listed = ws.json(&["topic", "list", "--json"]);
    assert_eq!(listed[0]["id"], "huawei-watch", "{listed}");
    assert_eq!(facet_count(&ws, &[], "huawei-watch"), expected);
    // The rebuilt documents entered the index again, so they are new to `track`; the topic's
    // checkpoint is the one of the last look, kept.
    let tracked = ws.json(&["track", "--peek", "--json"]);
    assert_eq!(tracked["topics"][0]["id"], "huawei-watch");
    assert!(tracked["topics"][0]["since"].is_string(), "{tracked}");
}

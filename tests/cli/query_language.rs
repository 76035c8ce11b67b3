//! The query language as users write it: how `OR` groups with the words around it, and the
//! `entity:` and `topic:` fields meaning exactly what `--entity` and `--topic` mean.

use std::sync::OnceLock;

use serde_json::Value;

use crate::support::{self, assert_user_error, ids, path_str, Workspace};

/// One index of the sample corpus shared by the read-only tests of this module.
fn sample() -> &'static Workspace {
    static SAMPLE: OnceLock<Workspace> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let ws = Workspace::new();
        let corpus = support::sample_corpus();
        ws.json(&["index", path_str(&corpus), "--json"]);
        ws
    })
}

fn total(results: &Value) -> u64 {
    results["total"].as_u64().expect("a total")
}

fn sorted_ids(ws: &Workspace, query: &str, extra: &[&str]) -> Vec<String> {
    let mut found = ids(&ws.search(query, extra));
    found.sort();
    found
}

#[test]
fn or_joins_only_its_two_neighbours_and_the_other_words_stay_required() {
    let ws = sample();
    let chips = sorted_ids(ws, "chips", &[]);
    let narrowed = sorted_ids(ws, "chips China OR Taiwan", &[]);
    assert_eq!(narrowed, sorted_ids(ws, "chips (China OR Taiwan)", &[]));
    assert_eq!(narrowed, sorted_ids(ws, "(Taiwan OR China) chips", &[]));
    assert!(!narrowed.is_empty());
    assert!(narrowed.len() < chips.len(), "{narrowed:?} vs {chips:?}");
    assert!(narrowed.iter().all(|id| chips.contains(id)));
    // Written AND is the same as the implied one: OR still takes only its neighbours.
    assert_eq!(sorted_ids(ws, "chips AND China OR Taiwan", &[]), narrowed);
    // A chain of ORs is one group; phrases and fields are operands like words.
    assert_eq!(
        sorted_ids(ws, "nvidia \"export controls\" OR huawei OR lang:es", &[]),
        sorted_ids(ws, "nvidia (\"export controls\" OR huawei OR lang:es)", &[])
    );
    // Inside parentheses the same rule holds.
    assert_eq!(
        sorted_ids(ws, "(chips China OR Taiwan) OR tencent", &[]),
        sorted_ids(ws, "(chips (China OR Taiwan)) OR tencent", &[])
    );
}

#[test]
fn a_negation_inside_or_is_refused_with_the_parenthesised_spellings() {
    let ws = sample();
    for query in ["nvidia -huawei OR intel", "nvidia NOT huawei OR intel"] {
        let output = ws.run(&["search", query]);
        assert_user_error(&output, "-(huawei OR intel)");
        assert!(
            support::stderr(&output).contains("(nvidia -huawei) OR intel"),
            "{}",
            support::stderr(&output)
        );
    }
    // The spellings it suggests work, and exclude what they say.
    let neither = ws.search("nvidia -(huawei OR intel)", &[]);
    assert!(total(&neither) > 0);
    let huawei = sorted_ids(ws, "huawei", &[]);
    assert!(ids(&neither).iter().all(|id| !huawei.contains(id)));
    let grouped = ws.search("(nvidia -huawei) OR intel", &[]);
    assert!(total(&grouped) > 0);
}

#[test]
fn entity_field_takes_any_name_alias_or_case_as_the_entity_filter_does() {
    let ws = sample();
    for name in ["Nvidia", "nvidia", "United States", "EE.UU.", "org/Nvidia"] {
        let by_filter = sorted_ids(ws, "*", &["--entity", name]);
        assert!(!by_filter.is_empty(), "--entity {name}");
        let field = format!("entity:\"{name}\"");
        assert_eq!(sorted_ids(ws, &field, &[]), by_filter, "{field}");
    }
    assert_eq!(
        sorted_ids(ws, "entity:EE.UU.", &[]),
        sorted_ids(ws, "*", &["--entity", "United States"])
    );
    let output = ws.run(&["search", "entity:Nvidea"]);
    assert_user_error(&output, "did you mean \"Nvidia\"");
}

#[test]
fn topic_field_takes_parents_for_every_descendant_and_suggests_unknown_ids() {
    let ws = sample();
    for topic in ["geopolitics", "technology", "export-controls"] {
        let by_filter = sorted_ids(ws, "*", &["--topic", topic]);
        assert!(!by_filter.is_empty(), "--topic {topic}");
        let field = format!("topic:{topic}");
        assert_eq!(sorted_ids(ws, &field, &[]), by_filter, "{field}");
    }
    let output = ws.run(&["search", "topic:geopolitcs"]);
    assert_user_error(&output, "did you mean \"geopolitics\"");
}

#[test]
fn timeline_query_resolves_entity_names() {
    let ws = sample();
    let searched = total(&ws.search("entity:Nvidia", &[]));
    assert!(searched > 0);
    let line = ws.json(&[
        "timeline",
        "--query",
        "entity:Nvidia",
        "--by",
        "year",
        "--json",
    ]);
    let series = line["series"][0]["total"].as_u64();
    assert_eq!(series, Some(searched), "{line}");
}

#[test]
fn query_topics_in_a_taxonomy_resolve_aliases_and_parents() {
    let ws = Workspace::new();
    let taxonomy = ws.dir.path().join("extra.toml");
    std::fs::write(
        &taxonomy,
        r#"
[[topic]]
id = "nvidia-tech"
label = "Nvidia in technology"
parent = "industry"
query = 'entity:NVIDIA AND topic:technology'
"#,
    )
    .expect("taxonomy written");
    let corpus = support::sample_corpus();
    ws.json(&[
        "index",
        path_str(&corpus),
        "--taxonomy",
        path_str(&taxonomy),
        "--json",
    ]);
    let expected = sorted_ids(&ws, "*", &["--entity", "Nvidia", "--topic", "technology"]);
    assert!(!expected.is_empty());
    assert_eq!(sorted_ids(&ws, "*", &["--topic", "nvidia-tech"]), expected);
}

/// Thousands of nested parentheses (well inside the query length limit) overflowed the parser's
/// stack and aborted the process; now they are a query error naming the character.
#[test]
fn deeply_nested_parentheses_are_an_error_not_a_crash() {
    let ws = sample();
    let deep = format!("{}nvidia{}", "(".repeat(3000), ")".repeat(3000));
    let output = ws.run(&["search", &deep]);
    assert_user_error(&output, "nests parentheses more than 64 deep");
    let fine = format!("{}nvidia{}", "(".repeat(20), ")".repeat(20));
    assert_eq!(
        total(&ws.search(&fine, &[])),
        total(&ws.search("nvidia", &[]))
    );
}

//! Facet counting checked against counts made by hand on small real indexes.

use super::*;
use crate::query::test_index::{build_index, term, TestDoc};
use tantivy::query::AllQuery;

fn doc<'a>(day: u64, topics: &'a [&'a str], entities: &'a [&'a str], lang: &'a str) -> TestDoc<'a> {
    TestDoc {
        day,
        topics,
        entities,
        aliases: &[],
        terms: &[],
        tags: &["NEWS"],
        lang,
        source: if lang == "es" { "El País" } else { "Reuters" },
    }
}

fn sample() -> (tantivy::Index, Fields) {
    build_index(&[
        doc(
            20241231,
            &["chips", "export"],
            &["org/Tencent", "place/Taiwan"],
            "es",
        ),
        doc(
            20250101,
            &["export"],
            &["org/Tencent", "org/ByteDance"],
            "en",
        ),
        doc(
            20250102,
            &["chips"],
            &["org/Nvidia", "person/Martin Lau"],
            "es",
        ),
        doc(0, &["export"], &["org/ByteDance"], "es"),
        doc(20250410, &["ai"], &["place/Taiwan", "org/Tencent"], "en"),
    ])
}

fn pairs(values: &[FacetValue]) -> Vec<(&str, u64)> {
    values.iter().map(|v| (v.value.as_str(), v.count)).collect()
}

#[test]
fn counts_every_group_by_count_then_value() {
    let (index, fields) = sample();
    let searcher = index.reader().unwrap().searcher();
    let counts = count_facets(&searcher, &fields, &AllQuery, 0).unwrap();
    assert_eq!(counts.total, 5);
    assert_eq!(counts.undated, 1);
    let f = &counts.facets;
    assert_eq!(pairs(&f.topic), [("export", 3), ("chips", 2), ("ai", 1)]);
    assert_eq!(pairs(&f.lang), [("es", 3), ("en", 2)]);
    assert_eq!(pairs(&f.source), [("El País", 3), ("Reuters", 2)]);
    assert_eq!(pairs(&f.tag), [("NEWS", 5)]);
    assert_eq!(pairs(&f.year), [("2025", 3), ("2024", 1)]);
    assert_eq!(
        pairs(&f.entity),
        [
            ("org/Tencent", 3),
            ("org/ByteDance", 2),
            ("place/Taiwan", 2),
            ("org/Nvidia", 1),
            ("person/Martin Lau", 1)
        ]
    );
    let json = serde_json::to_value(&counts).unwrap();
    assert_eq!(json["facets"]["topic"][0]["value"], "export");
    assert_eq!(json["facets"]["topic"][0]["count"], 3);
}

#[test]
fn top_n_applies_per_group_and_per_entity_kind() {
    let (index, fields) = sample();
    let searcher = index.reader().unwrap().searcher();
    let counts = count_facets(&searcher, &fields, &AllQuery, 1).unwrap();
    assert_eq!(pairs(&counts.facets.topic), [("export", 3)]);
    assert_eq!(
        pairs(&counts.facets.entity),
        [
            ("org/Tencent", 3),
            ("place/Taiwan", 2),
            ("person/Martin Lau", 1)
        ]
    );
}

#[test]
fn counts_only_matching_documents_and_agree_with_the_timeline() {
    let (index, fields) = sample();
    let searcher = index.reader().unwrap().searcher();
    let query = term(fields.topic, "export");
    let counts = count_facets(&searcher, &fields, query.as_ref(), 0).unwrap();
    assert_eq!(counts.total, 3);
    assert_eq!(pairs(&counts.facets.topic), [("export", 3), ("chips", 1)]);
    let days = crate::query::day_counts::day_counts(&searcher, &fields, query.as_ref()).unwrap();
    assert_eq!(days.total(), counts.total);
    let empty = count_facets(
        &searcher,
        &fields,
        term(fields.topic, "nothing").as_ref(),
        5,
    )
    .unwrap();
    assert_eq!(empty.total, 0);
    assert!(empty.facets.topic.is_empty() && empty.facets.year.is_empty());
}

#[test]
fn an_empty_index_counts_nothing() {
    let (index, fields) = build_index(&[]);
    let searcher = index.reader().unwrap().searcher();
    let counts = count_facets(&searcher, &fields, &AllQuery, 5).unwrap();
    assert_eq!(counts.total, 0);
    assert_eq!(counts.undated, 0);
    assert!(counts.facets.topic.is_empty() && counts.facets.lang.is_empty());
}

#[test]
fn counting_runs_of_documents_agrees_with_the_documents_themselves() {
    let topics = ["ai", "chips", "export", "oil"];
    let entities = ["org/Acme", "org/Nvidia", "place/Chile", "person/Ana Ruiz"];
    let days = [0, 19870301, 19990615, 20250101];
    let owned: Vec<(Vec<&str>, Vec<&str>, u64, &str)> = (0..200usize)
        .map(|i| {
            let topic = vec![topics[i % 4], topics[(i / 3) % 4]];
            let entity: Vec<&str> = entities.iter().take(i % 5).copied().collect();
            (
                topic,
                entity,
                days[(i / 2) % 4],
                if i % 3 == 0 { "es" } else { "en" },
            )
        })
        .collect();
    let docs: Vec<TestDoc> = owned
        .iter()
        .map(|(t, e, day, lang)| doc(*day, t, e, lang))
        .collect();
    let (index, fields) = build_index(&docs);
    // Delete two documents so the collector also sees documents one at a time, with gaps.
    let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    for gone in [7usize, 100] {
        writer.delete_term(tantivy::Term::from_field_text(
            fields.id,
            &format!("doc{gone}"),
        ));
    }
    writer.commit().unwrap();
    let live: Vec<usize> = (0..docs.len()).filter(|i| ![7, 100].contains(i)).collect();

    let mut topic_counts: HashMap<String, u64> = HashMap::new();
    let mut entity_counts: HashMap<String, u64> = HashMap::new();
    let mut year_counts: HashMap<String, u64> = HashMap::new();
    let mut undated = 0;
    for &i in &live {
        let (t, e, day, _) = &owned[i];
        for value in t {
            *topic_counts.entry(value.to_string()).or_default() += 1;
        }
        for value in e {
            *entity_counts.entry(value.to_string()).or_default() += 1;
        }
        match day {
            0 => undated += 1,
            day => *year_counts.entry((day / 10_000).to_string()).or_default() += 1,
        }
    }
    let searcher = index.reader().unwrap().searcher();
    let counts = count_facets(&searcher, &fields, &AllQuery, 0).unwrap();
    assert_eq!(counts.total, live.len() as u64);
    assert_eq!(counts.undated, undated);
    assert_eq!(counts.facets.topic, ranked(topic_counts, 0));
    assert_eq!(counts.facets.entity, ranked(entity_counts, 0));
    assert_eq!(counts.facets.year, ranked(year_counts, 0));
}

#[test]
fn one_segment_keeps_the_same_top_values_as_several() {
    // Ties everywhere, so the cut at each `top` depends on the order of the values.
    let (index, fields) = build_index(&[
        doc(20240101, &["b"], &["org/Y", "place/Q"], "es"),
        doc(20250101, &["a", "c"], &["org/X", "place/P"], "en"),
        doc(20250101, &["b", "a"], &["org/Z", "org/Y"], "es"),
        doc(20240101, &["c"], &["org/X", "other/W"], "en"),
    ]);
    let facets_by_top = |index: &tantivy::Index| -> Vec<serde_json::Value> {
        let reader = index.reader().unwrap();
        reader.reload().unwrap();
        let searcher = reader.searcher();
        (0..4)
            .map(|top| {
                let counts = count_facets(&searcher, &fields, &AllQuery, top).unwrap();
                serde_json::to_value(&counts).unwrap()
            })
            .collect()
    };
    let several = facets_by_top(&index);
    assert!(index.searchable_segment_ids().unwrap().len() > 1);
    let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    writer
        .merge(&index.searchable_segment_ids().unwrap())
        .wait()
        .unwrap();
    writer.wait_merging_threads().unwrap();
    assert_eq!(index.searchable_segment_ids().unwrap().len(), 1);
    assert_eq!(facets_by_top(&index), several);
    // Ties at the cut keep the smaller value, within each entity kind.
    let top1 = &several[1]["facets"];
    assert_eq!(top1["topic"][0]["value"], "a");
    assert_eq!(top1["lang"][0]["value"], "en");
    let entities: Vec<&str> = top1["entity"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["value"].as_str())
        .collect();
    assert_eq!(entities, ["org/X", "other/W", "place/P"]);
}

//! Searching: ranking, totals, filters, stemming, sorting and JSON shape.

use crate::support::{article, ids, titles, Workspace};

fn dated_corpus() -> Workspace {
    let ws = Workspace::new();
    let docs = [
        ("eve", "2024-12-31", "en", "Year-end semiconductor review."),
        (
            "newyear",
            "2025-01-01",
            "en",
            "New year semiconductor outlook.",
        ),
        (
            "may-end",
            "2025-05-31",
            "en",
            "Semiconductor exports at the end of May.",
        ),
        ("june", "2025-06-01", "en", "Semiconductor exports in June."),
        (
            "es-1",
            "2025-03-10",
            "es",
            "Las exportaciones de chips crecieron en marzo según el ministerio.",
        ),
        (
            "es-2",
            "2025-03-11",
            "es",
            "La exportacion de semiconductores, sin tilde en este texto traducido.",
        ),
        (
            "es-3",
            "2025-03-12",
            "es",
            "El gobierno revisa la política de exportación de tecnología.",
        ),
    ];
    for (name, date, lang, body) in docs {
        ws.write(&format!("{name}.md"), article(name, date, lang, body));
    }
    let (_, code) = ws.index_corpus();
    assert_eq!(code, 0);
    ws
}

#[test]
fn total_counts_every_match_not_just_the_page() {
    let ws = dated_corpus();
    let page = ws.json(&["search", "semiconductor", "--json", "--limit", "2"]);
    assert_eq!(page["total"].as_u64(), Some(5));
    assert_eq!(page["hits"].as_array().map(Vec::len), Some(2));
    let next = ws.json(&[
        "search",
        "semiconductor",
        "--json",
        "--limit",
        "2",
        "--offset",
        "2",
    ]);
    assert_eq!(next["total"].as_u64(), Some(5));
    let first_ids = ids(&page);
    assert!(
        ids(&next).iter().all(|id| !first_ids.contains(id)),
        "pages overlap"
    );
}

#[test]
fn date_filters_are_inclusive_at_year_and_month_boundaries() {
    let ws = dated_corpus();
    let count = |extra: &[&str]| ws.search("*", extra)["total"].as_u64().unwrap_or(0);
    assert_eq!(count(&["--to", "2024"]), 1);
    assert_eq!(count(&["--from", "2025", "--to", "2025"]), 6);
    assert_eq!(count(&["--from", "2025-05", "--to", "2025-05"]), 1);
    assert_eq!(count(&["--from", "2025-05-31", "--to", "2025-06-01"]), 2);
    assert_eq!(count(&["--from", "2024-12-31", "--to", "2025-01-01"]), 2);
    assert_eq!(count(&["--from", "2025-06"]), 1);
    assert_eq!(
        titles(&ws.search("*", &["--from", "2025-05", "--to", "2025-05"])),
        ["may-end"]
    );
}

#[test]
fn spanish_accents_and_inflections_meet() {
    let ws = dated_corpus();
    let found = titles(&ws.search("exportación", &[]));
    assert_eq!(found, ["es-1", "es-2", "es-3"]);
    assert_eq!(titles(&ws.search("exportacion", &[])), found);
    assert_eq!(
        titles(&ws.search("exportaciones", &["--lang", "es"])),
        found
    );
}

#[test]
fn english_plurals_match_singular_queries() {
    let ws = dated_corpus();
    assert_eq!(
        titles(&ws.search("export", &["--lang", "en"])),
        ["june", "may-end"]
    );
}

#[test]
fn sort_by_date_puts_newest_first() {
    let ws = dated_corpus();
    let results = ws.search("semiconductor", &["--sort", "date"]);
    let dates: Vec<&str> = results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|hit| hit["date"].as_str())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    assert_eq!(dates.first(), Some(&"2025-06-01"));
}

#[test]
fn hits_have_the_documented_json_shape_and_highlighted_snippets() {
    let ws = dated_corpus();
    let results = ws.search("june", &[]);
    let hit = &results["hits"][0];
    for key in [
        "id", "title", "date", "lang", "source", "path", "score", "topics", "entities", "tags",
        "snippet",
    ] {
        assert!(hit.get(key).is_some(), "hit lacks {key}: {hit}");
    }
    assert_eq!(hit["lang"].as_str(), Some("en"));
    assert!(
        hit["snippet"].as_str().unwrap_or("").contains("**June**"),
        "{hit}"
    );
}

#[test]
fn phrase_and_boolean_queries_follow_the_parser() {
    let ws = dated_corpus();
    assert_eq!(titles(&ws.search("\"end of May\"", &[])), ["may-end"]);
    assert_eq!(
        ws.search("semiconductor AND NOT exports", &["--lang", "en"])["total"].as_u64(),
        Some(2)
    );
    assert_eq!(ws.search("june OR outlook", &[])["total"].as_u64(), Some(2));
    assert_eq!(ws.search("lang:es", &[])["total"].as_u64(), Some(3));
}

#[test]
fn language_filter_restricts_results() {
    let ws = dated_corpus();
    assert_eq!(ws.search("*", &["--lang", "es"])["total"].as_u64(), Some(3));
    assert_eq!(ws.search("*", &["--lang", "en"])["total"].as_u64(), Some(4));
}

#[test]
fn search_facets_count_the_whole_matching_set() {
    let ws = dated_corpus();
    let results = ws.json(&["search", "*", "--json", "--facets", "--limit", "1"]);
    let langs = results["facets"]["facets"]["lang"]
        .as_array()
        .expect("lang facet");
    let count_of = |value: &str| {
        langs
            .iter()
            .find(|item| item["value"] == value)
            .and_then(|item| item["count"].as_u64())
    };
    assert_eq!(count_of("en"), Some(4));
    assert_eq!(count_of("es"), Some(3));
}

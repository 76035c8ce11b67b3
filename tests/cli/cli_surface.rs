//! What users of ripgrep and fd expect from the command line: counts in proper English, shell
//! completions and a man page, `search --csv`, date order both ways, prefix words, and `show` with a
//! short id (issue 13, items 17 and 18).

use std::process::Output;

use serde_json::Value;

use crate::support::{article, assert_user_error, ids, path_str, sample_corpus, stderr, Workspace};

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs a command that must succeed; returns its stdout.
fn ok(ws: &Workspace, args: &[&str]) -> String {
    let output = ws.run(args);
    assert!(
        output.status.success(),
        "{args:?} failed: {}",
        stderr(&output)
    );
    stdout(&output)
}

/// A workspace whose index holds the sample corpus.
fn sample() -> Workspace {
    let ws = Workspace::new();
    let output = ws.run(&["index", path_str(&sample_corpus())]);
    assert!(output.status.success(), "{}", stderr(&output));
    ws
}

fn dates(results: &Value) -> Vec<Option<String>> {
    results["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .map(|hit| hit["date"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn one_of_anything_is_singular_in_every_text_output() {
    let ws = Workspace::new();
    // One undated document that names one topic phrase once.
    ws.write(
        "note.txt",
        "A short note\nThe new export controls were discussed at length by the committee.\n",
    );
    let corpus = ws.corpus();
    let indexed = ws.run(&["index", path_str(&corpus)]);
    assert!(indexed.status.success(), "{}", stderr(&indexed));
    assert!(
        stderr(&indexed).starts_with("1 document in the index: 1 added"),
        "{}",
        stderr(&indexed)
    );

    let search = ok(&ws, &["search", "committee"]);
    assert!(search.starts_with("1 match (showing 1–1)\n"), "{search}");
    let none = ok(&ws, &["search", "absentword"]);
    assert!(none.starts_with("0 matches\n"), "{none}");

    let facets = ok(&ws, &["facets"]);
    assert!(
        facets.starts_with("1 matching document (1 undated)\n"),
        "{facets}"
    );

    let id = ids(&ws.search("committee", &[]))
        .pop()
        .expect("the note is found");
    let shown = ok(&ws, &["show", &id]);
    assert!(
        shown.contains("export-controls (Export controls), 1 hit: \"export controls\" ×1"),
        "{shown}"
    );
    assert!(!shown.contains("hit(s)"), "{shown}");

    let timeline = ws.run(&["timeline", "export-controls", "--csv"]);
    assert!(
        stderr(&timeline).contains("export-controls: 1 undated document (in no period)"),
        "{}",
        stderr(&timeline)
    );
}

#[test]
fn completions_and_the_man_page_come_from_the_clap_definitions() {
    let ws = Workspace::new();
    for shell in ["bash", "zsh", "fish"] {
        let script = ok(&ws, &["completions", shell]);
        for word in ["topictrack", "search", "timeline", "sort", "oldest"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let man = ok(&ws, &["man"]);
    assert!(man.starts_with(".ie"), "not roff: {man}");
    assert!(man.contains(".TH topictrack 1"), "{man}");
    for word in ["completions", "search", "show"] {
        assert!(man.contains(word), "the man page lacks {word}");
    }
    let unknown = ws.run(&["completions", "tcsh"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", stderr(&unknown));
}

#[test]
fn search_csv_has_a_header_and_the_json_hits_in_order() {
    let ws = sample();
    let text = ok(&ws, &["search", "nvidia", "--csv", "--limit", "5"]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        header,
        ["id", "date", "lang", "source", "title", "score", "topics", "entities", "tags", "path"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|row| row.expect("a row")).collect();
    let json = ws.json(&["search", "nvidia", "--json", "--limit", "5"]);
    let row_ids: Vec<String> = rows.iter().map(|row| row[0].to_string()).collect();
    assert_eq!(row_ids, ids(&json));
    for (row, hit) in rows.iter().zip(json["hits"].as_array().expect("hits")) {
        assert_eq!(Some(&row[4]), hit["title"].as_str());
        assert_eq!(Some(&row[9]), hit["path"].as_str());
        let entities: Vec<&str> = row[7].split(';').collect();
        assert_eq!(
            Some(entities.len()),
            hit["entities"].as_array().map(Vec::len)
        );
    }
    let both = ws.run(&["search", "nvidia", "--csv", "--json"]);
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));
}

#[test]
fn sort_by_date_goes_both_ways_with_undated_documents_last() {
    let ws = Workspace::new();
    ws.write(
        "a.md",
        article("middle", "2024-03-01", "en", "Lithium mines."),
    );
    ws.write(
        "b.md",
        article("oldest", "2022-01-10", "en", "Lithium prices."),
    );
    ws.write(
        "c.md",
        article("newest", "2026-07-04", "en", "Lithium exports."),
    );
    ws.write("d.txt", "no date\nLithium, with no date anywhere.\n");
    let (_, code) = ws.index_corpus();
    assert_eq!(code, 0);
    let undated_last = |order: &[Option<String>], dated: [&str; 3]| {
        let expected: Vec<Option<String>> = dated
            .iter()
            .map(|day| Some(day.to_string()))
            .chain([None])
            .collect();
        assert_eq!(order, expected);
    };
    let newest = dates(&ws.search("lithium", &["--sort", "date"]));
    undated_last(&newest, ["2026-07-04", "2024-03-01", "2022-01-10"]);
    let oldest = dates(&ws.search("lithium", &["--sort", "oldest"]));
    undated_last(&oldest, ["2022-01-10", "2024-03-01", "2026-07-04"]);
    assert_eq!(
        dates(&ws.search("lithium", &["--sort", "date-asc"])),
        oldest
    );
    // Paging through the oldest-first order keeps it.
    let second = dates(&ws.search("lithium", &["--sort", "oldest", "--offset", "1"]));
    assert_eq!(second, oldest[1..].to_vec());
}

#[test]
fn a_prefix_word_finds_every_word_it_starts() {
    let ws = Workspace::new();
    ws.write(
        "en.md",
        article(
            "Chip output",
            "2025-01-02",
            "en",
            "Semiconductors are scarce.",
        ),
    );
    ws.write(
        "es.md",
        article(
            "Producción",
            "2025-01-03",
            "es",
            "Los semiconductores escasean en la región.",
        ),
    );
    ws.write(
        "title.md",
        article(
            "Semicon show",
            "2025-01-04",
            "en",
            "Only the title says it.",
        ),
    );
    ws.write(
        "other.md",
        article("Weather", "2025-01-05", "en", "Rain all week."),
    );
    let (_, code) = ws.index_corpus();
    assert_eq!(code, 0);
    let total = |query: &str| ws.search(query, &[])["total"].as_u64();
    assert_eq!(total("semicond*"), Some(2));
    assert_eq!(total("Semicon*"), Some(3));
    assert_eq!(total("title:semicon*"), Some(1));
    assert_eq!(total("rain -semicon*"), Some(1));
    assert_eq!(total("(semicond* OR rain)"), Some(3));
    // The whole word followed by `*` finds at least what the word finds (its stem included).
    assert_eq!(total("semiconductores"), Some(2));
    assert_eq!(total("semiconductores*"), Some(2));
    assert_eq!(total("escasean*"), total("escasean"));
    // Phrase prefixes are tantivy's own and keep working.
    assert_eq!(total("\"all we\"*"), Some(1));

    // On the sample corpus, a prefix finds at least what the whole word finds.
    let ws = sample();
    let nvidia = ws.search("nvidia", &[])["total"].as_u64();
    assert!(nvidia > Some(0));
    assert_eq!(ws.search("nvidi*", &[])["total"].as_u64(), nvidia);
}

/// A JSON Lines file with these explicit ids.
fn corpus_with_ids(ids: &[&str]) -> Workspace {
    let ws = Workspace::new();
    let lines: Vec<String> = ids
        .iter()
        .map(|id| {
            serde_json::json!({"id": id, "title": format!("doc {id}"), "body": "Some text.", "date": "2025-01-01"})
                .to_string()
        })
        .collect();
    ws.write("docs.jsonl", lines.join("\n"));
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    ws
}

#[test]
fn show_takes_a_unique_id_prefix_and_lists_the_candidates_of_an_ambiguous_one() {
    let ws = corpus_with_ids(&["abc", "abc123", "abc124", "abd999"]);
    let shown = |prefix: &str| ws.json(&["show", prefix, "--json"]);
    let unique = shown("abd");
    assert_eq!(unique["id"], "abd999");
    assert_eq!(unique["title"], "doc abd999");
    assert_eq!(shown("abc124")["id"], "abc124");
    // An exact id wins over the longer ids it is the start of.
    assert_eq!(shown("abc")["id"], "abc");
    let text = ok(&ws, &["show", "abd9"]);
    assert!(
        text.starts_with("doc abd999\nid             abd999\n"),
        "{text}"
    );

    assert_user_error(
        &ws.run(&["show", "abc1"]),
        "\"abc1\" is the start of 2 ids: abc123, abc124; give more of the id",
    );
    assert_user_error(
        &ws.run(&["show", "ab"]),
        "\"ab\" is the start of 4 ids: abc, abc123, abc124, abd999;",
    );
    assert_user_error(&ws.run(&["show", "abz"]), "no document with id \"abz\"");
    // Characters a regex would read are matched literally.
    assert_user_error(&ws.run(&["show", "a.c"]), "no document with id \"a.c\"");
}

#[test]
fn an_ambiguous_prefix_lists_ten_candidates_and_counts_the_rest() {
    let names: Vec<String> = (0..13).map(|n| format!("x{n:02}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let ws = corpus_with_ids(&refs);
    assert_user_error(
        &ws.run(&["show", "x"]),
        "\"x\" is the start of 13 ids: x00, x01, x02, x03, x04, x05, x06, x07, x08, x09, and 3 more; give more of the id",
    );
    assert_eq!(ws.json(&["show", "x12", "--json"])["id"], "x12");
}

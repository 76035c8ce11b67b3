//! Hostile queries and arguments: one clear line on stderr, exit code 2, never a panic; and
//! ordinary text that looks odd to the query grammar (apostrophes) still searches.

use crate::support::{article, assert_no_panic, assert_one_line_error, stderr, Workspace};

fn indexed() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "a.md",
        article(
            "Alpha",
            "2025-01-10",
            "en",
            "Nvidia chips and export controls. O'Brien said the rules don't help.",
        ),
    );
    ws.write(
        "b.md",
        article("Beta", "2024-06-01", "es", "Aranceles y chips en España."),
    );
    let (_, code) = ws.index_corpus();
    assert_eq!(code, 0);
    ws
}

/// Exit 2, exactly one line on stderr that contains `expected`, no panic, nothing on stdout.
#[test]
fn unbalanced_quotes_and_parentheses_say_where() {
    let ws = indexed();
    for (query, expected) in [
        (
            "\"export controls",
            "quote opened at character 1 is never closed",
        ),
        ("chips \"", "character 7"),
        ("(chips OR gpus", "'(' at character 1 is never closed"),
        ("chips)", "')' at character 6 has no matching '('"),
        ("((chips)", "never closed"),
        ("title:\"alpha", "never closed"),
    ] {
        for command in ["search", "facets"] {
            assert_one_line_error(&ws.run(&[command, query]), expected, query);
        }
        assert_one_line_error(&ws.run(&["timeline", "--query", query]), expected, query);
    }
}

#[test]
fn unknown_fields_list_the_real_ones() {
    let ws = indexed();
    for query in ["author:smith", "nosuch:chips AND chips"] {
        assert_one_line_error(&ws.run(&["search", query]), "fields are title", query);
    }
}

#[test]
fn grammar_oddities_are_one_line_errors_or_results() {
    let ws = indexed();
    // Whatever tantivy's grammar makes of these, the answer is results (0) or one line (2).
    for query in [
        "AND",
        "OR OR",
        "NOT",
        "NOT chips",
        ":",
        "title:",
        "\\",
        "*foo",
        "foo~",
        "a^",
        "[a TO",
        "title:[a TO b]",
        "a AND",
        "-",
        "+",
        "!",
        "&&",
        "{}",
        "'",
        "'unclosed",
        "chips^2",
        "ti*",
        "date:2025",
        "topic:",
        "lang:es OR",
        "\u{202E}chips",
        "💥",
        "(((((",
        ")))))",
        "\"\"",
        "a:b:c",
        "title:(a OR",
        "chips - -gpus",
    ] {
        let output = ws.run(&["search", query, "--json"]);
        let text = stderr(&output);
        match output.status.code() {
            Some(0) => {
                let parsed: serde_json::Value =
                    serde_json::from_slice(&output.stdout).expect("JSON on success");
                assert!(parsed["total"].is_u64(), "{query:?}");
            }
            Some(2) => assert_one_line_error(&output, "bad query", query),
            other => panic!("{query:?}: exit {other:?}: {text}"),
        }
    }
}

#[test]
fn apostrophes_inside_words_are_searchable() {
    let ws = indexed();
    assert_eq!(ws.search("O'Brien", &[])["total"].as_u64(), Some(1));
    assert_eq!(ws.search("don't", &[])["total"].as_u64(), Some(1));
    assert_eq!(
        ws.search("'export controls'", &[])["total"].as_u64(),
        Some(1)
    );
}

#[test]
fn huge_queries_are_refused_with_the_limit() {
    let ws = indexed();
    let huge = "chips ".repeat(5_000);
    assert_one_line_error(&ws.run(&["search", &huge]), "the limit is", "huge query");
    assert_one_line_error(&ws.run(&["facets", &huge]), "the limit is", "huge query");
    // Just under the limit, a long query of many terms still runs.
    let long = "chips OR ".repeat(1_000) + "chips";
    assert_eq!(ws.search(&long, &[])["total"].as_u64(), Some(2));
}

#[test]
fn bad_dates_and_reversed_ranges_name_the_flag() {
    let ws = indexed();
    let cases: &[(&[&str], &str)] = &[
        (&["search", "*", "--from", "2025-02-30"], "not a real date"),
        (&["search", "*", "--to", "2023-02-29"], "not a real date"),
        (&["search", "*", "--from", "2025-13"], "no month 13"),
        (&["search", "*", "--from", "2025-00-10"], "no month 0"),
        (&["search", "*", "--from", "99999"], "--from"),
        (&["search", "*", "--from=-5"], "--from"),
        (&["search", "*", "--to", "yesterday"], "--to"),
        (&["search", "*", "--to", ""], "--to"),
        (
            &["search", "*", "--from", "2025-06", "--to", "2025-05"],
            "swap them",
        ),
        (&["facets", "--from", "2026", "--to", "2025"], "swap them"),
        (
            &["timeline", "--all", "--from", "2025", "--to", "2024"],
            "swap them",
        ),
        (
            &["timeline", "--all", "--from", "2025-02-30"],
            "not a real date",
        ),
        (&["topics", "--from", "2025-02-30"], "--from"),
        (&["entities", "--to", "2025-1-32"], "--to"),
    ];
    for (args, expected) in cases {
        assert_one_line_error(&ws.run(args), expected, &format!("{args:?}"));
    }
}

#[test]
fn unknown_topics_and_types_suggest_the_closest() {
    let ws = indexed();
    let cases: &[(&[&str], &str)] = &[
        (
            &["search", "*", "--topic", "export-control"],
            "did you mean \"export-controls\"",
        ),
        (
            &["facets", "--topic", "ai-chip"],
            "did you mean \"ai-chips\"",
        ),
        (
            &["timeline", "export-contrls"],
            "did you mean \"export-controls\"",
        ),
        (
            &["search", "*", "--topic", "zzzzzzzzzz"],
            "no topic \"zzzzzzzzzz\"",
        ),
        (
            &["entities", "--type", "orgz"],
            "use org, person, place or other",
        ),
    ];
    for (args, expected) in cases {
        assert_one_line_error(&ws.run(args), expected, &format!("{args:?}"));
    }
}

#[test]
fn requests_too_big_to_answer_are_user_errors_not_damage() {
    let ws = indexed();
    let output = ws.run(&[
        "timeline", "--all", "--by", "day", "--from", "0001", "--to", "9999",
    ]);
    assert_one_line_error(&output, "periods", "timeline of millions of days");
    assert!(!stderr(&output).contains("damaged"), "{}", stderr(&output));
}

#[test]
fn extreme_numbers_do_not_panic() {
    let ws = indexed();
    let max = u64::MAX.to_string();
    for args in [
        vec!["search", "*", "--json", "--limit", max.as_str()],
        vec!["search", "*", "--json", "--offset", max.as_str()],
        vec!["facets", "--json", "--top", max.as_str()],
        vec!["facets", "--json", "--top", "0"],
        vec!["timeline", "--all", "--json", "--smooth", max.as_str()],
        vec!["entities", "--json", "--top", max.as_str()],
    ] {
        let output = ws.run(&args);
        assert_no_panic(&output, &format!("{args:?}"));
        let text = stderr(&output);
        assert!(
            matches!(output.status.code(), Some(0 | 2)),
            "{args:?}: {text}"
        );
    }
}

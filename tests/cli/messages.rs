//! What the tool says when a value, a flag or the index is not what the user thinks: filters that
//! ignore case or refuse unknown values instead of counting zero, errors that name the user's
//! flags and fields (never internal ones), OS errors printed once, and the rebuild advice on a
//! damaged index for every read command (issue 13, items 4 and 16).

use std::fs;

use crate::support::{article, assert_no_panic, path_str, stderr, Workspace};

/// Three documents: a Spanish one tagged `Nvidia` from `Pacific Wire`, and two English ones.
fn tagged() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "es.md",
        "---\ntitle: \"Chips de Nvidia\"\ndate: 2025-03-01\nlang: es\nsource: Pacific Wire\ntags: [Nvidia]\n---\n\nNvidia vende chips en China y la exportación sigue.\n",
    );
    ws.write(
        "en1.md",
        "---\ntitle: \"Nvidia chips\"\ndate: 2025-04-01\nlang: en\nsource: Crónica Económica\ntags: [Chips]\n---\n\nNvidia sells chips to many buyers this spring.\n",
    );
    ws.write(
        "en2.md",
        article(
            "Huawei phones",
            "2025-05-01",
            "en",
            "Huawei sells phones across Europe this year.",
        ),
    );
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    ws
}

fn total(ws: &Workspace, query: &str, extra: &[&str]) -> u64 {
    ws.search(query, extra)["total"]
        .as_u64()
        .unwrap_or(u64::MAX)
}

/// A user error: exit 2, one line, containing every one of `expected`.
fn assert_refused(output: &std::process::Output, expected: &[&str], what: &str) {
    assert_no_panic(output, what);
    let text = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{what}: {text}");
    assert_eq!(text.trim_end().lines().count(), 1, "{what}: {text}");
    for part in expected {
        assert!(text.contains(part), "{what}: expected {part:?} in {text:?}");
    }
}

#[test]
fn tag_source_and_language_filters_ignore_case_and_accents() {
    let ws = tagged();
    assert_eq!(total(&ws, "*", &["--tag", "nvidia"]), 1);
    assert_eq!(total(&ws, "*", &["--tag", "NVIDIA", "--tag", "chips"]), 2);
    assert_eq!(total(&ws, "*", &["--source", "pacific wire"]), 1);
    assert_eq!(total(&ws, "*", &["--source", "cronica economica"]), 1);
    assert_eq!(total(&ws, "*", &["--lang", "ES"]), 1);
    assert_eq!(total(&ws, "*", &["--lang", "spanish"]), 1);
    assert_eq!(total(&ws, "*", &["--lang", "Español"]), 1);
    assert_eq!(total(&ws, "*", &["--lang", "inglés"]), 2);
    assert_eq!(total(&ws, "tag:nvidia", &[]), 1);
    assert_eq!(total(&ws, "lang:ES", &[]), 1);
    assert_eq!(total(&ws, "lang:english", &[]), 2);
    assert_eq!(total(&ws, "source:\"pacific wire\"", &[]), 1);
    // The original spelling is what hits and facets show.
    let hits = ws.search("*", &["--source", "PACIFIC WIRE"]);
    assert_eq!(hits["hits"][0]["source"].as_str(), Some("Pacific Wire"));
    assert_eq!(hits["hits"][0]["tags"][0].as_str(), Some("Nvidia"));
    let facets = ws.json(&["facets", "--tag", "nvidia", "--json"]);
    assert_eq!(facets["total"].as_u64(), Some(1), "{facets}");
    assert!(facets.to_string().contains("\"Pacific Wire\""), "{facets}");
    // Timeline series and restrictions resolve the same way.
    let timeline = ws.json(&["timeline", "--tag", "nvidia", "--lang", "spanish", "--json"]);
    assert!(timeline.to_string().contains("\"count\":1"), "{timeline}");
}

#[test]
fn unknown_tag_source_and_language_values_are_errors_with_a_suggestion() {
    let ws = tagged();
    for (args, expected) in [
        (
            vec!["search", "*", "--tag", "nvidiaa"],
            vec!["--tag", "did you mean \"Nvidia\""],
        ),
        (
            vec!["search", "*", "--source", "pacific wir"],
            vec!["--source", "did you mean \"Pacific Wire\""],
        ),
        (
            vec!["search", "*", "--lang", "spanich"],
            vec!["--lang", "es"],
        ),
        (
            vec!["facets", "--tag", "chipz"],
            vec!["--tag", "did you mean \"Chips\""],
        ),
        (
            vec!["timeline", "--tag", "chipz"],
            vec!["did you mean \"Chips\""],
        ),
        (
            vec!["search", "tag:nvidiaa"],
            vec!["tag:nvidiaa", "did you mean \"Nvidia\""],
        ),
        (
            vec!["search", "source:\"pacific wir\""],
            vec!["did you mean \"Pacific Wire\""],
        ),
        (vec!["search", "lang:klingon"], vec!["lang:klingon"]),
    ] {
        assert_refused(&ws.run(&args), &expected, &format!("{args:?}"));
    }
}

#[test]
fn a_timeline_from_after_the_last_indexed_date_says_the_dates_of_the_index_end_there() {
    let ws = tagged();
    let output = ws.run(&["timeline", "--all", "--from", "2030"]);
    assert_refused(
        &output,
        &["--from 2030-01-01", "2025-05-01"],
        "timeline --from",
    );
    let text = stderr(&output);
    assert!(!text.contains("--to"), "the user gave no --to: {text}");
    assert!(text.contains("index"), "{text}");
    let output = ws.run(&["timeline", "--all", "--to", "2020"]);
    assert_refused(&output, &["--to 2020-12-31", "2025-03-01"], "timeline --to");
    assert!(!stderr(&output).contains("--from"), "{}", stderr(&output));
    // Both ends given: the plain "swap them".
    let output = ws.run(&["timeline", "--all", "--from", "2025-06", "--to", "2025-05"]);
    assert_refused(&output, &["--from", "--to", "swap"], "timeline both");
}

#[test]
fn index_memory_outside_what_tantivy_accepts_is_a_usage_error() {
    let ws = tagged();
    for memory in ["100000", "0", "31", "4096"] {
        let output = ws.run(&["index", path_str(&ws.corpus()), "--memory", memory]);
        assert_no_panic(&output, memory);
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "--memory {memory}: {text}");
        assert!(text.contains("--memory"), "{text}");
        assert!(
            text.contains("32..=4095") || text.contains("32..4096"),
            "{text}"
        );
        assert!(!text.contains("arena"), "{text}");
    }
    let output = ws.run(&["index", path_str(&ws.corpus()), "--memory", "32"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn a_query_that_starts_with_a_dash_is_a_negation_of_all_documents() {
    let ws = tagged();
    assert_eq!(total(&ws, "-nvidia", &[]), 1);
    assert_eq!(total(&ws, "-nvidia -huawei", &[]), 0);
    assert_eq!(total(&ws, "NOT huawei", &[]), 2);
    assert_eq!(total(&ws, "-huawei", &["--lang", "en"]), 1);
    // Written after the flags, and with `--`, it means the same.
    let output = ws.run(&["search", "--json", "--", "-nvidia"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn os_errors_are_printed_once() {
    let ws = tagged();
    let output = ws.run(&["timeline", "--all", "--svg", "no/such/folder/chart.svg"]);
    assert_no_panic(&output, "svg");
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert_eq!(text.matches("os error").count(), 1, "{text}");
    assert_eq!(text.matches("No such file").count(), 1, "{text}");
}

#[test]
fn query_errors_name_the_fields_a_user_may_write() {
    let ws = tagged();
    for query in ["body:chips", "text_es:chips", "id:x", "path:x"] {
        let output = ws.run(&["search", query]);
        assert_refused(
            &output,
            &["no field", "title, lang, source, tag, topic, entity"],
            query,
        );
        let text = stderr(&output);
        for internal in ["text_es", "text_en", "text_other", "declared", "body"] {
            if !query.contains(internal) {
                assert!(!text.contains(internal), "{query}: {text}");
            }
        }
    }
    assert_eq!(total(&ws, "title:nvidia", &[]), 2);
}

#[test]
fn every_read_command_on_a_damaged_index_gives_the_rebuild_advice() {
    let ws = tagged();
    let id = ws.search("huawei", &[])["hits"][0]["id"]
        .as_str()
        .map(String::from)
        .unwrap_or_default();
    for entry in fs::read_dir(ws.index_dir())
        .expect("index folder")
        .flatten()
    {
        if entry.path().extension().is_some_and(|ext| ext == "pos") {
            fs::remove_file(entry.path()).expect("removed");
        }
    }
    // These read the term dictionaries of the damaged fields, so they must fail as `search` does on
    // a damaged index: exit 2 and the advice.
    for args in [
        vec!["facets", "--entity", "nvidia"],
        vec!["facets", "--tag", "nvidia"],
        vec!["search", "*", "--entity", "nvidia"],
        vec!["search", "entity:nvidia"],
        vec!["search", "*", "--source", "pacific wire"],
        vec!["search", "tag:nvidia"],
        vec!["timeline", "--entity", "nvidia"],
        vec!["timeline", "--tag", "nvidia"],
        vec!["timeline", "--all", "--lang", "es"],
        vec!["topics"],
    ] {
        let output = ws.run(&args);
        assert_no_panic(&output, &format!("{args:?}"));
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {text}");
        assert!(text.contains("index --rebuild"), "{args:?}: {text}");
        assert_eq!(text.trim_end().lines().count(), 1, "{args:?}: {text}");
    }
    // What this damage does not reach is answered; what it reaches gets the same advice.
    for args in [vec!["entities"], vec!["stats"], vec!["show", id.as_str()]] {
        let output = ws.run(&args);
        assert_no_panic(&output, &format!("{args:?}"));
        if !output.status.success() {
            let text = stderr(&output);
            assert!(text.contains("index --rebuild"), "{args:?}: {text}");
            assert_eq!(text.trim_end().lines().count(), 1, "{args:?}: {text}");
        }
    }
}

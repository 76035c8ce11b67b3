//! Publication dates at the edges: years far from today (outside the 1677–2262 span a nanosecond
//! timestamp can hold), and metadata dates that cannot be read or are only a year or a month.

use serde_json::Value;

use crate::support::{self, path_str, Workspace};

/// A Markdown article whose front matter carries `date_line` as written (so YAML types apply).
fn dated(date_line: &str, title: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\n{date_line}\nlang: en\n---\n\n\
         A short note about Nvidia and the new export controls on its chips.\n"
    )
}

/// The `count` of the row named `name` (under `key`) in a `topics --json` or `entities --json`
/// list, 0 when the row is absent.
fn count_of(rows: &Value, key: &str, name: &str) -> u64 {
    rows.as_array()
        .expect("rows")
        .iter()
        .find(|row| row[key] == name)
        .and_then(|row| row["count"].as_u64())
        .unwrap_or(0)
}

/// The titles of the hits in the order they were listed.
fn titles_in_order(results: &Value) -> Vec<&str> {
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| hit["title"].as_str().unwrap_or(""))
        .collect()
}

fn total(results: &Value) -> u64 {
    results["total"].as_u64().expect("total")
}

/// The corpus of item 1: one document of today, one of 1500 and one of the year 9999.
fn far_years() -> Workspace {
    let ws = Workspace::new();
    ws.write("now.md", dated("date: 2025-05-15", "Now"));
    ws.write("old.md", dated("date: 1500-06-01", "Old"));
    ws.write("far.md", dated("date: 9999-12-31", "Far"));
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["added"], 3, "{report}");
    ws
}

#[test]
fn far_years_are_kept_and_every_range_filter_counts_them() {
    let ws = far_years();
    let cases: [(&[&str], u64); 6] = [
        (&["--to", "9999"], 3),
        (&["--from", "9999"], 1),
        (&["--from", "1000", "--to", "3000"], 2),
        (&["--from", "1500", "--to", "1500-06"], 1),
        (&["--to", "1499"], 0),
        (&["--from", "2025-05-15", "--to", "2025-05-15"], 1),
    ];
    for (range, expected) in cases {
        let found = ws.search("*", range);
        assert_eq!(total(&found), expected, "search {range:?}: {found}");
        let mut facets = vec!["facets", "--json"];
        facets.extend_from_slice(range);
        let counted = ws.json(&facets);
        assert_eq!(total(&counted), expected, "facets {range:?}: {counted}");
        let mut topics = vec!["topics", "--json"];
        topics.extend_from_slice(range);
        let topics = ws.json(&topics);
        let topic = count_of(&topics, "id", "export-controls");
        assert_eq!(topic, expected, "topics {range:?}: {topics}");
        let mut entities = vec!["entities", "--json"];
        entities.extend_from_slice(range);
        let entities = ws.json(&entities);
        let entity = count_of(&entities, "name", "Nvidia");
        assert_eq!(entity, expected, "entities {range:?}: {entities}");
    }
    let stats = ws.run(&["stats"]);
    let text = String::from_utf8_lossy(&stats.stdout);
    assert!(text.contains("1500-06-01 to 9999-12-31"), "{text}");
    assert!(text.contains("(0 undated)"), "{text}");
}

#[test]
fn far_years_are_shown_and_sorted_in_calendar_order() {
    let ws = far_years();
    let newest = ws.search("*", &["--sort", "date"]);
    assert_eq!(titles_in_order(&newest), ["Far", "Now", "Old"], "{newest}");
    let oldest = ws.search("*", &["--sort", "oldest"]);
    assert_eq!(titles_in_order(&oldest), ["Old", "Now", "Far"], "{oldest}");
    let dates: Vec<&str> = oldest["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| hit["date"].as_str().unwrap_or("undated"))
        .collect();
    assert_eq!(dates, ["1500-06-01", "2025-05-15", "9999-12-31"]);
    let old_id = oldest["hits"][0]["id"].as_str().expect("id");
    let shown = ws.json(&["show", old_id, "--json"]);
    assert_eq!(shown["date"], "1500-06-01", "{shown}");
    assert_eq!(shown["date_source"], "metadata", "{shown}");
}

/// The reasons of the run's warnings about the file `name`.
fn warnings_for(report: &Value, name: &str) -> Vec<String> {
    report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|notice| {
            notice["path"]
                .as_str()
                .is_some_and(|path| path.ends_with(name))
        })
        .map(|notice| notice["reason"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn unreadable_metadata_dates_are_reported_with_path_field_and_value() {
    let ws = Workspace::new();
    ws.write("month13.md", dated("date: \"2025-13-45\"", "Month 13"));
    ws.write("flag.md", dated("published: true", "Flag"));
    ws.write("feb30.md", dated("date: 2025-02-30", "February 30"));
    ws.write(
        "records.jsonl",
        "{\"title\": \"Record\", \"body\": \"Text of the record.\", \"date\": \"soon\"}\n",
    );
    ws.write("fine.md", dated("date: 2025-05-15", "Fine"));
    let (report, code) = ws.index_corpus();
    assert_ne!(code, 1, "{report}");
    assert_eq!(report["added"], 5, "{report}");
    for (name, field, value) in [
        ("month13.md", "date", "2025-13-45"),
        ("flag.md", "published", "true"),
        ("feb30.md", "date", "2025-02-30"),
        ("records.jsonl", "date", "soon"),
    ] {
        let reasons = warnings_for(&report, name);
        assert_eq!(reasons.len(), 1, "{name}: {report}");
        assert!(
            reasons[0].contains(&format!("{field} {value:?}")),
            "{name}: {}",
            reasons[0]
        );
        assert!(reasons[0].contains("undated"), "{name}: {}", reasons[0]);
    }
    let jsonl = report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .find(|notice| {
            notice["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("records.jsonl"))
        })
        .expect("a notice for records.jsonl");
    assert_eq!(jsonl["line"], 1, "{jsonl}");
    assert!(warnings_for(&report, "fine.md").is_empty(), "{report}");

    // The text report names the file too.
    ws.write("month13.md", dated("date: \"2025-13-46\"", "Month 13"));
    let output = ws.run(&["index", path_str(&ws.corpus())]);
    let stderr = support::stderr(&output);
    assert!(
        stderr.contains("month13.md") && stderr.contains("date \"2025-13-46\""),
        "{stderr}"
    );
}

#[test]
fn a_bare_year_or_month_in_metadata_is_a_date_with_that_precision() {
    let ws = Workspace::new();
    ws.write("year.md", dated("date: 2025", "Year"));
    ws.write("month.md", dated("date: 2024-11", "Month"));
    ws.write("named.md", dated("date: mayo de 2023", "Named month"));
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        report["warnings"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
    let expected = [
        ("Year", "2025-01-01", "metadata, year only"),
        ("Month", "2024-11-01", "metadata, month only"),
        ("Named month", "2023-05-01", "metadata, month only"),
    ];
    let all = ws.search("*", &["--sort", "date"]);
    assert_eq!(
        titles_in_order(&all),
        ["Year", "Month", "Named month"],
        "{all}"
    );
    for (hit, (title, date, source)) in all["hits"].as_array().expect("hits").iter().zip(expected) {
        let id = hit["id"].as_str().expect("id");
        let shown = ws.json(&["show", id, "--json"]);
        assert_eq!(shown["title"], title, "{shown}");
        assert_eq!(shown["date"], date, "{shown}");
        assert_eq!(shown["date_source"], source, "{shown}");
        let text = ws.run(&["show", id]);
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(text.contains(&format!("{date} (from {source})")), "{text}");
    }
    assert_eq!(
        total(&ws.search("*", &["--from", "2025", "--to", "2025"])),
        1
    );
}

//! Facets and timelines, run through the real binary: counts agree with search, every period is
//! present, labels follow the calendar, shares and smoothing are right, undated documents are
//! reported, and the CSV and SVG outputs hold what they claim.

use std::collections::HashMap;

use crate::support::{article, path_str, sample_corpus, stderr, Workspace};
use chrono::{Datelike, NaiveDate};
use serde_json::Value;

/// A workspace whose index holds the project's sample corpus.
fn sample() -> Workspace {
    let ws = Workspace::new();
    let output = ws.run(&["index", path_str(&sample_corpus()), "--json"]);
    assert!(output.status.success(), "indexing: {}", stderr(&output));
    ws
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

/// `value -> count` of one facet group.
fn facet_map(facets: &Value, group: &str) -> HashMap<String, u64> {
    facets["facets"][group]
        .as_array()
        .unwrap_or_else(|| panic!("facet group {group} missing: {facets}"))
        .iter()
        .map(|v| {
            (
                v["value"].as_str().expect("value").to_string(),
                v["count"].as_u64().expect("count"),
            )
        })
        .collect()
}

fn topic_ids(ws: &Workspace) -> Vec<String> {
    let topics = ws.json(&["topics", "--json"]);
    topics
        .as_array()
        .expect("topics list")
        .iter()
        .map(|t| t["id"].as_str().expect("id").to_string())
        .collect()
}

fn points(line: &Value) -> &Vec<Value> {
    line["points"].as_array().expect("points")
}

fn point_sum(line: &Value) -> u64 {
    points(line)
        .iter()
        .map(|p| p["count"].as_u64().expect("count"))
        .sum()
}

fn labels(line: &Value) -> Vec<String> {
    points(line)
        .iter()
        .map(|p| p["period"].as_str().expect("period").to_string())
        .collect()
}

fn series<'a>(timeline: &'a Value, name: &str) -> &'a Value {
    timeline["series"]
        .as_array()
        .expect("series")
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no series {name:?} in {timeline}"))
}

fn search_total(ws: &Workspace, query: &str, extra: &[&str]) -> u64 {
    ws.search(query, extra)["total"].as_u64().expect("total")
}

fn timeline(ws: &Workspace, args: &[&str]) -> Value {
    let mut all = vec!["timeline"];
    all.extend_from_slice(args);
    all.push("--json");
    ws.json(&all)
}

/// For every topic: timeline total == search total == facet count, under `filters` (shared by
/// all three commands). With dates, the timeline's dated points are what search counts.
fn check_every_topic(ws: &Workspace, filters: &[&str], dated: bool) {
    let ids = topic_ids(ws);
    assert!(ids.len() > 5, "the sample taxonomy lists topics: {ids:?}");
    let mut facet_args = vec!["facets", "--json", "--top", "1000"];
    facet_args.extend_from_slice(filters);
    let facets = ws.json(&facet_args);
    assert_eq!(
        facets["total"].as_u64(),
        Some(search_total(ws, "*", filters)),
        "facets total vs search total with {filters:?}"
    );
    let topic_counts = facet_map(&facets, "topic");
    let mut args: Vec<&str> = ids.iter().map(String::as_str).collect();
    args.extend_from_slice(filters);
    let line_json = timeline(ws, &args);
    let mut nonzero = 0;
    for id in &ids {
        let mut search_args = vec!["--topic", id.as_str()];
        search_args.extend_from_slice(filters);
        let searched = search_total(ws, "*", &search_args);
        let line = series(&line_json, id);
        let total = line["total"].as_u64().expect("total");
        let sum = point_sum(line);
        let undated = line["undated"].as_u64().expect("undated");
        if dated {
            assert_eq!(
                sum, searched,
                "{id} with {filters:?}: dated points vs search"
            );
            assert_eq!(
                total, sum,
                "{id}: total within a date range is the points' sum"
            );
        } else {
            assert_eq!(total, searched, "{id} with {filters:?}: timeline vs search");
            assert_eq!(sum + undated, total, "{id}: points + undated = total");
        }
        let faceted = topic_counts.get(id).copied().unwrap_or(0);
        assert_eq!(faceted, searched, "{id} with {filters:?}: facet vs search");
        if searched > 0 {
            nonzero += 1;
        }
    }
    assert!(nonzero >= 3, "too few topics matched with {filters:?}");
}

#[test]
fn every_topic_counts_the_same_in_timeline_search_and_facets() {
    let ws = sample();
    check_every_topic(&ws, &[], false);
    check_every_topic(&ws, &["--lang", "es"], false);
    check_every_topic(&ws, &["--from", "2024", "--to", "2025"], true);
}

#[test]
fn parent_topics_stand_for_their_children() {
    let ws = sample();
    let topics = ws.json(&["topics", "--json"]);
    let rows = topics.as_array().expect("rows");
    let parent = rows
        .iter()
        .find(|row| {
            let id = &row["id"];
            rows.iter().any(|child| child["parent"] == *id)
        })
        .expect("the sample taxonomy has a parent topic");
    let id = parent["id"].as_str().expect("id");
    let children: Vec<&str> = rows
        .iter()
        .filter(|row| row["parent"] == id)
        .map(|row| row["id"].as_str().expect("id"))
        .collect();
    let parent_total = search_total(&ws, "*", &["--topic", id]);
    let biggest_child = children
        .iter()
        .map(|child| search_total(&ws, "*", &["--topic", child]))
        .max()
        .unwrap_or(0);
    assert!(parent_total >= biggest_child && parent_total > 0);
    let any_child = children.join(" OR topic:");
    let union = search_total(&ws, &format!("topic:{any_child}"), &[]);
    assert_eq!(parent_total, union, "parent = any of {children:?}");
    assert_eq!(parent["count"].as_u64(), Some(parent_total));
}

#[test]
fn entity_tag_and_query_series_match_search_and_facets() {
    let ws = sample();
    let facets = ws.json(&["facets", "--json", "--top", "1000"]);
    let entities = facet_map(&facets, "entity");
    let tags = facet_map(&facets, "tag");
    let mut orgs: Vec<(&String, &u64)> = entities
        .iter()
        .filter(|(value, _)| value.starts_with("org/"))
        .collect();
    orgs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut top_tags: Vec<(&String, &u64)> = tags.iter().collect();
    top_tags.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    assert!(orgs.len() >= 3 && top_tags.len() >= 3);

    let mut args = vec!["--query", "nvidia OR huawei"];
    for (value, _) in orgs.iter().take(3) {
        args.extend(["--entity", value.trim_start_matches("org/")]);
    }
    for (tag, _) in top_tags.iter().take(3) {
        args.extend(["--tag", tag.as_str()]);
    }
    for filters in [&[][..], &["--lang", "en"][..]] {
        let mut all = args.clone();
        all.extend_from_slice(filters);
        let line_json = timeline(&ws, &all);
        let filtered = ws.json(&[&["facets", "--json", "--top", "1000"][..], filters].concat());
        for (value, _) in orgs.iter().take(3) {
            let name = value.trim_start_matches("org/");
            let searched = search_total(&ws, "*", &[&["--entity", name][..], filters].concat());
            assert_eq!(
                series(&line_json, name)["total"].as_u64(),
                Some(searched),
                "{name} {filters:?}"
            );
            let faceted = facet_map(&filtered, "entity").get(*value).copied();
            assert_eq!(faceted.unwrap_or(0), searched, "{value} facet {filters:?}");
        }
        for (tag, _) in top_tags.iter().take(3) {
            let searched =
                search_total(&ws, "*", &[&["--tag", tag.as_str()][..], filters].concat());
            // Tag series are named with a `tag:` prefix so they cannot clash with topics.
            let line = series(&line_json, &format!("tag:{tag}"));
            assert_eq!(
                line["total"].as_u64(),
                Some(searched),
                "tag {tag} {filters:?}"
            );
            // A `--tag` takes every spelling of the tag (`Nvidia`, `NVIDIA`), while facets count
            // each spelling as written: the search count lies between this spelling's facet and
            // the facets of all its spellings added up (a document may carry two of them).
            let tag_facets = facet_map(&filtered, "tag");
            let faceted = tag_facets.get(*tag).copied().unwrap_or(0);
            let spellings: u64 = tag_facets
                .iter()
                .filter(|(value, _)| value.to_lowercase() == tag.to_lowercase())
                .map(|(_, count)| *count)
                .sum();
            assert!(
                faceted <= searched && searched <= spellings,
                "tag {tag} facet {faceted}, spellings {spellings}, searched {searched} {filters:?}"
            );
        }
        let searched = search_total(&ws, "nvidia OR huawei", filters);
        assert!(searched > 0);
        assert_eq!(
            series(&line_json, "nvidia OR huawei")["total"].as_u64(),
            Some(searched)
        );
    }
}

/// Months from `from` to `to` (inclusive), counted from the two dates.
fn months_between(from: NaiveDate, to: NaiveDate) -> usize {
    let index = |d: NaiveDate| d.year() as i64 * 12 + d.month0() as i64;
    (index(to) - index(from) + 1) as usize
}

fn date(text: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(text.as_str().expect("a date"), "%Y-%m-%d").expect("YYYY-MM-DD")
}

/// Whether a period label has the shape of its interval.
type LabelCheck = fn(&str) -> bool;

#[test]
fn every_period_is_present_with_zeros_and_labelled_by_interval() {
    let ws = sample();
    let stats = ws.json(&["stats", "--json"]);
    let (first, last) = (date(&stats["first_date"]), date(&stats["last_date"]));
    let monthly = timeline(&ws, &["tariffs-trade", "--by", "month"]);
    assert_eq!(monthly["interval"], "month");
    // The default range is the index's date range.
    assert_eq!(
        (date(&monthly["from"]), date(&monthly["to"])),
        (first, last)
    );
    let line = series(&monthly, "tariffs-trade");
    let got = labels(line);
    assert_eq!(got.len(), months_between(first, last));
    assert_eq!(got[0], first.format("%Y-%m").to_string());
    assert_eq!(got[got.len() - 1], last.format("%Y-%m").to_string());
    let zeros = points(line).iter().filter(|p| p["count"] == 0).count();
    assert!(
        zeros > got.len() / 2,
        "a rare topic leaves most months at zero"
    );
    // Consecutive months, no gaps, no repeats.
    for pair in got.windows(2) {
        let a = NaiveDate::parse_from_str(&format!("{}-01", pair[0]), "%Y-%m-%d").expect("month");
        let b = NaiveDate::parse_from_str(&format!("{}-01", pair[1]), "%Y-%m-%d").expect("month");
        assert_eq!(months_between(a, b), 2, "{pair:?}");
    }

    // An explicit range covers exactly its periods, even those past the index's dates.
    let ranged = timeline(&ws, &["--all", "--from", "2021-11", "--to", "2022-02"]);
    let all = series(&ranged, "all documents");
    assert_eq!(labels(all), ["2021-11", "2021-12", "2022-01", "2022-02"]);
    assert_eq!(point_sum(all), 0);

    let patterns: [(&str, LabelCheck); 5] = [
        ("day", |l| NaiveDate::parse_from_str(l, "%Y-%m-%d").is_ok()),
        ("week", |l| {
            l.len() == 8
                && &l[4..6] == "-W"
                && l[6..].parse::<u32>().is_ok_and(|w| (1..=53).contains(&w))
        }),
        ("month", |l| {
            l.len() == 7 && l[5..].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        }),
        ("quarter", |l| {
            l.len() == 7
                && &l[4..6] == "-Q"
                && l[6..].parse::<u32>().is_ok_and(|q| (1..=4).contains(&q))
        }),
        ("year", |l| l.len() == 4 && l.parse::<u32>().is_ok()),
    ];
    let all_docs = search_total(&ws, "*", &[]);
    for (by, valid) in patterns {
        let json = timeline(&ws, &["--all", "--by", by]);
        assert_eq!(json["interval"], by);
        let line = series(&json, "all documents");
        let got = labels(line);
        assert!(got.iter().all(|l| valid(l)), "{by}: {got:?}");
        let mut sorted = got.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, got, "{by}: labels ascend without repeats");
        assert_eq!(line["total"].as_u64(), Some(all_docs), "{by}");
        let years: Vec<i32> = (first.year()..=last.year()).collect();
        if by == "year" {
            let want: Vec<String> = years.iter().map(|y| y.to_string()).collect();
            assert_eq!(got, want);
        }
        if by == "quarter" {
            let quarter = |d: NaiveDate| d.year() as usize * 4 + d.month0() as usize / 3;
            assert_eq!(got.len(), quarter(last) - quarter(first) + 1);
        }
        if by == "day" {
            assert_eq!(got.len() as i64, (last - first).num_days() + 1);
        }
    }
}

/// A corpus with known dates around ISO-week and quarter boundaries, and two undated documents.
fn boundary_corpus() -> Workspace {
    let ws = Workspace::new();
    let dated = [
        ("sun-2024-12-29", "2024-12-29"),
        ("mon-2024-12-30", "2024-12-30"),
        ("wed-2025-01-01", "2025-01-01"),
        ("sun-2025-01-05", "2025-01-05"),
        ("mon-2025-01-06", "2025-01-06"),
        ("mon-2025-03-31", "2025-03-31"),
        ("tue-2025-04-01", "2025-04-01"),
    ];
    for (name, day) in dated {
        ws.write(
            &format!("{name}.md"),
            article(name, day, "en", "Nvidia chips and export controls."),
        );
    }
    for name in ["first-undated", "second-undated"] {
        ws.write(
            &format!("{name}.md"),
            format!("---\ntitle: {name}\nlang: en\n---\n\nNvidia chips without any date at all.\n"),
        );
    }
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    let stats = ws.json(&["stats", "--json"]);
    assert_eq!(
        stats["undated"], 2,
        "the two documents without a date stay undated"
    );
    ws
}

fn counts_by_label(line: &Value) -> Vec<(String, u64)> {
    points(line)
        .iter()
        .map(|p| {
            (
                p["period"].as_str().expect("period").to_string(),
                p["count"].as_u64().expect("count"),
            )
        })
        .collect()
}

fn pairs(items: &[(&str, u64)]) -> Vec<(String, u64)> {
    items.iter().map(|(l, c)| (l.to_string(), *c)).collect()
}

#[test]
fn iso_weeks_and_quarters_cut_at_the_right_days() {
    let ws = boundary_corpus();
    let weeks = timeline(&ws, &["--all", "--by", "week", "--to", "2025-01-12"]);
    let line = series(&weeks, "all documents");
    // 2024-12-30 (a Monday) opens 2025-W01; 2025-01-05 (a Sunday) closes it.
    assert_eq!(
        counts_by_label(line),
        pairs(&[("2024-W52", 1), ("2025-W01", 3), ("2025-W02", 1)])
    );
    let quarters = timeline(&ws, &["--all", "--by", "quarter"]);
    assert_eq!(
        counts_by_label(series(&quarters, "all documents")),
        pairs(&[("2024-Q4", 2), ("2025-Q1", 4), ("2025-Q2", 1)])
    );
    let years = timeline(&ws, &["--all", "--by", "year"]);
    assert_eq!(
        counts_by_label(series(&years, "all documents")),
        pairs(&[("2024", 2), ("2025", 5)])
    );
    let days = timeline(
        &ws,
        &[
            "--all",
            "--by",
            "day",
            "--from",
            "2024-12-29",
            "--to",
            "2025-01-02",
        ],
    );
    assert_eq!(
        counts_by_label(series(&days, "all documents")),
        pairs(&[
            ("2024-12-29", 1),
            ("2024-12-30", 1),
            ("2024-12-31", 0),
            ("2025-01-01", 1),
            ("2025-01-02", 0)
        ])
    );
    // The data start on 2024-12-29 and end on 2025-04-01: both quarters are partly covered.
    assert_eq!(quarters["partial_first"], true);
    assert_eq!(quarters["partial_last"], true);
    let text = ws.run(&["timeline", "--all", "--by", "quarter"]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("2024-Q4 and 2025-Q2 only partly inside"),
        "{stdout}"
    );
    // `--to` by month covers the whole month: 2025-03 ends on the 31st.
    let months = timeline(&ws, &["--all", "--from", "2025-03", "--to", "2025-03"]);
    assert_eq!(
        counts_by_label(series(&months, "all documents")),
        pairs(&[("2025-03", 1)])
    );
    assert_eq!(months["partial_first"], false);
    assert_eq!(months["partial_last"], false);
}

#[test]
fn undated_documents_are_reported_never_dropped() {
    let ws = boundary_corpus();
    let json = timeline(&ws, &["--query", "nvidia", "--all"]);
    let all = series(&json, "all documents");
    assert_eq!(all["undated"], 2);
    assert_eq!(all["total"].as_u64(), Some(point_sum(all) + 2));
    assert_eq!(all["total"].as_u64(), Some(search_total(&ws, "*", &[])));
    assert_eq!(json["undated"], 2);
    // Within a date range they are still reported, though not in the total.
    let ranged = timeline(&ws, &["--all", "--from", "2025"]);
    let line = series(&ranged, "all documents");
    assert_eq!(line["undated"], 2);
    assert_eq!(line["total"].as_u64(), Some(point_sum(line)));

    let text = ws.run(&["timeline", "--all"]);
    assert!(text.status.success());
    let stdout = String::from_utf8_lossy(&text.stdout);
    let undated_row = stdout
        .lines()
        .find(|l| l.starts_with("undated"))
        .unwrap_or_else(|| panic!("no undated row in:\n{stdout}"));
    assert!(undated_row.contains('2'), "{undated_row}");

    let csv = ws.run(&["timeline", "--all", "--csv"]);
    assert!(csv.status.success());
    assert!(
        stderr(&csv).contains("2 undated"),
        "CSV runs say so on stderr: {}",
        stderr(&csv)
    );

    let facets = ws.json(&["facets", "--json"]);
    let years: u64 = facet_map(&facets, "year").values().sum();
    assert_eq!(facets["total"].as_u64(), Some(years + 2));
}

#[test]
fn shares_are_counts_over_all_documents_of_the_period() {
    let ws = sample();
    let json = timeline(
        &ws,
        &["ai-chips", "export-controls", "--all", "--by", "quarter"],
    );
    let all = counts_by_label(series(&json, "all documents"));
    for name in ["ai-chips", "export-controls", "all documents"] {
        let line = series(&json, name);
        for (point, (label, denominator)) in points(line).iter().zip(&all) {
            assert_eq!(point["period"].as_str(), Some(label.as_str()));
            let count = point["count"].as_u64().expect("count") as f64;
            let share = point["share"].as_f64().expect("share is always present");
            let want = if *denominator == 0 {
                0.0
            } else {
                count / *denominator as f64
            };
            assert!(
                (share - want).abs() < 1e-9,
                "{name} {label}: {share} vs {want}"
            );
        }
    }
    // Filters narrow the series, never the denominator.
    let es = timeline(&ws, &["ai-chips", "--by", "quarter", "--lang", "es"]);
    for (point, (_, denominator)) in points(series(&es, "ai-chips")).iter().zip(&all) {
        let count = point["count"].as_u64().expect("count") as f64;
        if *denominator > 0 {
            let share = point["share"].as_f64().expect("share");
            assert!((share - count / *denominator as f64).abs() < 1e-9);
        }
    }
    // `--normalize` prints percentages in the table and shares in the CSV.
    let csv = ws.run(&[
        "timeline",
        "ai-chips",
        "--by",
        "year",
        "--normalize",
        "--csv",
    ]);
    let text = String::from_utf8_lossy(&csv.stdout);
    let yearly = timeline(&ws, &["ai-chips", "--by", "year"]);
    for (row, point) in text
        .lines()
        .skip(1)
        .zip(points(series(&yearly, "ai-chips")))
    {
        let value: f64 = row
            .split(',')
            .nth(1)
            .expect("a share column")
            .parse()
            .expect("a number");
        let share = point["share"].as_f64().expect("share");
        assert!((value - share).abs() < 1e-5, "{row} vs {share}");
    }
    let table = ws.run(&["timeline", "ai-chips", "--by", "year", "--normalize"]);
    assert!(String::from_utf8_lossy(&table.stdout).contains('%'));
}

#[test]
fn smoothing_is_a_trailing_moving_average() {
    let ws = sample();
    let json = timeline(&ws, &["ai-chips", "--by", "quarter", "--smooth", "3"]);
    let pts = points(series(&json, "ai-chips"));
    let counts: Vec<f64> = pts
        .iter()
        .map(|p| p["count"].as_f64().expect("count"))
        .collect();
    for (i, point) in pts.iter().enumerate() {
        let window = &counts[i.saturating_sub(2)..=i];
        let mean = window.iter().sum::<f64>() / window.len() as f64;
        let got = point["smoothed"].as_f64().expect("smoothed value");
        assert!((got - mean).abs() < 1e-9, "period {i}: {got} vs {mean}");
    }
    let bad = ws.run(&["timeline", "ai-chips", "--smooth", "0"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--smooth"), "{}", stderr(&bad));
}

#[test]
fn csv_has_one_row_per_period_and_one_column_per_series() {
    let ws = sample();
    let args = [
        "ai-chips", "--entity", "Huawei", "--tag", "China", "--by", "quarter",
    ];
    let json = timeline(&ws, &args);
    let output = ws.run(&[&["timeline"][..], &args[..], &["--csv"][..]].concat());
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("period,ai-chips,Huawei,tag:China"));
    let rows: Vec<&str> = lines.collect();
    let want = labels(series(&json, "ai-chips"));
    assert_eq!(rows.len(), want.len());
    for (row, label) in rows.iter().zip(&want) {
        assert!(row.starts_with(&format!("{label},")), "{row}");
        assert_eq!(row.split(',').count(), 4, "{row}");
    }
    let huawei: u64 = rows
        .iter()
        .map(|row| {
            row.split(',')
                .nth(2)
                .expect("column")
                .parse::<u64>()
                .expect("count")
        })
        .sum();
    assert_eq!(huawei, point_sum(series(&json, "Huawei")));

    let facets = ws.run(&["facets", "--csv", "--top", "3"]);
    let text = String::from_utf8_lossy(&facets.stdout);
    assert_eq!(text.lines().next(), Some("group,value,count"));
    let topic_rows = text.lines().filter(|l| l.starts_with("topic,")).count();
    assert_eq!(topic_rows, 3);
}

#[test]
fn facets_json_follows_the_spec_and_top_limits_each_group() {
    let ws = sample();
    let facets = ws.json(&["facets", "--json", "--top", "2"]);
    let groups = facets["facets"].as_object().expect("facets object");
    for group in ["topic", "entity", "tag", "lang", "source", "year"] {
        let list = groups[group]
            .as_array()
            .unwrap_or_else(|| panic!("{group} missing"));
        let counts: Vec<u64> = list
            .iter()
            .map(|v| v["count"].as_u64().expect("count"))
            .collect();
        assert!(
            counts.windows(2).all(|w| w[0] >= w[1]),
            "{group} by count: {counts:?}"
        );
        assert!(list.iter().all(|v| v["value"].is_string()));
        if group != "entity" {
            assert!(list.len() <= 2, "{group}: {list:?}");
        }
    }
    // Entities keep the top N of each type.
    let entities = strings(&Value::Array(
        groups["entity"]
            .as_array()
            .expect("entities")
            .iter()
            .map(|v| v["value"].clone())
            .collect(),
    ));
    for kind in ["org/", "person/", "place/"] {
        let n = entities.iter().filter(|e| e.starts_with(kind)).count();
        assert!((1..=2).contains(&n), "{kind}: {entities:?}");
    }
    // A query and filters narrow the counts to what search finds.
    let filtered = ws.json(&[
        "facets", "nvidia", "--from", "2025", "--json", "--top", "100",
    ]);
    let searched = search_total(&ws, "nvidia", &["--from", "2025"]);
    assert_eq!(filtered["total"].as_u64(), Some(searched));
    let years = facet_map(&filtered, "year");
    assert!(years.keys().all(|y| y.as_str() >= "2025"), "{years:?}");
    assert_eq!(years.values().sum::<u64>(), searched);
    let langs = facet_map(&filtered, "lang");
    for (lang, count) in &langs {
        assert_eq!(
            *count,
            search_total(&ws, "nvidia", &["--from", "2025", "--lang", lang])
        );
    }
    let text = ws.run(&["facets", "--top", "3"]);
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(out.contains("Topics") && out.contains("Years"), "{out}");
}

#[test]
fn svg_chart_has_title_axes_series_and_legend() {
    let ws = sample();
    let file = ws.dir.path().join("chips.svg");
    let output = ws.run(&[
        "timeline",
        "ai-chips",
        "export-controls",
        "--entity",
        "Huawei",
        "--by",
        "quarter",
        "--svg",
        path_str(&file),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let svg = std::fs::read_to_string(&file).expect("the chart was written");
    assert!(svg.trim_start().starts_with("<svg") || svg.trim_start().starts_with("<?xml"));
    assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));
    assert_eq!(
        svg.matches('<').count(),
        svg.matches('>').count(),
        "balanced tags"
    );
    for name in ["ai-chips", "export-controls", "Huawei"] {
        assert!(svg.contains(name), "legend names {name}");
    }
    let json = timeline(&ws, &["ai-chips", "--by", "quarter"]);
    let periods = labels(series(&json, "ai-chips"));
    assert!(svg.contains(&periods[0]) && svg.contains(&periods[periods.len() - 1]));
    assert!(svg.contains("<title") || svg.contains("per quarter"));
    assert!(svg.contains("documents"), "y axis label");
    assert!(svg.contains("<polyline") || svg.contains("<path") || svg.contains("<rect"));
}

#[test]
fn bad_timeline_arguments_are_clear_usage_errors() {
    let ws = sample();
    let swapped = ws.run(&["timeline", "--all", "--from", "2025", "--to", "2024"]);
    assert_eq!(swapped.status.code(), Some(2));
    assert!(stderr(&swapped).contains("swap"), "{}", stderr(&swapped));
    let unknown = ws.run(&["timeline", "ai-chipz"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("ai-chips"),
        "suggests: {}",
        stderr(&unknown)
    );
    let too_many = ws.run(&[
        "timeline", "--all", "--by", "day", "--from", "1000", "--to", "2025",
    ]);
    assert_eq!(too_many.status.code(), Some(2), "{}", stderr(&too_many));
    assert!(
        stderr(&too_many).contains("coarser"),
        "{}",
        stderr(&too_many)
    );
}

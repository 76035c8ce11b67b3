//! Real public corpora from the shared folder's `corpora/` (`TOPICTRACK_SHARED`, default `../shared`
//! next to the crate); each test says it is skipped, and why, when its corpus is absent.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};

use crate::support::{shared_file, Workspace};

const RECORDS: usize = 3000;

#[test]
fn reuters_tags_and_months_match_the_labels_in_the_file() {
    let Some(path) = shared_file(
        "reuters_tags_and_months_match_the_labels_in_the_file",
        "corpora/reuters21578/reuters21578.jsonl",
    ) else {
        return;
    };
    let file = std::fs::File::open(path).expect("corpus readable");
    let lines: Vec<String> = BufReader::new(file)
        .lines()
        .take(RECORDS)
        .map(|line| line.expect("line"))
        .collect();
    let mut tag_counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut month_counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut with_text = 0;
    for line in &lines {
        let record: serde_json::Value = serde_json::from_str(line).expect("valid record");
        let has_text = ["title", "body"].iter().any(|key| {
            record[key]
                .as_str()
                .is_some_and(|text| !text.trim().is_empty())
        });
        if !has_text {
            continue;
        }
        with_text += 1;
        for tag in record["tags"].as_array().into_iter().flatten() {
            *tag_counts
                .entry(tag.as_str().unwrap_or_default().to_string())
                .or_default() += 1;
        }
        if let Some(date) = record["date"].as_str() {
            *month_counts.entry(date[..7].to_string()).or_default() += 1;
        }
    }

    let ws = Workspace::new();
    ws.write("reuters.jsonl", lines.join("\n"));
    let (report, _) = ws.index_corpus();
    assert_eq!(
        report["added"].as_u64(),
        Some(with_text),
        "{}",
        report["skipped"]
    );

    for (tag, expected) in tag_counts.iter().filter(|(_, count)| **count >= 20) {
        let found = ws.search("*", &["--tag", tag])["total"].as_u64();
        assert_eq!(found, Some(*expected), "tag {tag}");
    }
    let timeline = ws.json(&["timeline", "--all", "--by", "month", "--json"]);
    let points = timeline["series"][0]["points"].as_array().expect("points");
    for (month, expected) in &month_counts {
        let point = points
            .iter()
            .find(|point| point["period"] == month.as_str())
            .unwrap_or_else(|| panic!("month {month} missing"));
        assert_eq!(point["count"].as_u64(), Some(*expected), "month {month}");
    }
    let english = ws.search("*", &["--lang", "en"])["total"]
        .as_u64()
        .unwrap_or(0);
    assert!(
        english * 10 >= with_text * 9,
        "only {english} of {with_text} detected as English"
    );
}

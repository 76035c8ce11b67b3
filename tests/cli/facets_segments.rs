//! Facets of an index made of several segments (one per `index` run): the top values of each group
//! are exactly those of a brute-force count, ties at the cut-off included, whatever `--top` is.

use std::collections::HashMap;

use crate::support::{path_str, Workspace};
use serde_json::{json, Value};

const ORGS: [&str; 6] = ["Nvidia", "AMD", "Intel", "TSMC", "SMIC", "Huawei"];
const PLACES: [&str; 4] = ["Taiwan", "Chile", "Mexico", "Japan"];

/// A tiny xorshift generator: varied data, the same at every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

/// Writes `docs` JSON Lines records into folder `part`, each with tags, returning the tags of every
/// record. Each part has favourite tags of its own, shared tags and a long tail of one-off tags,
/// so the best tags of one segment are not those of the others.
fn write_part(ws: &Workspace, part: usize, docs: usize, rng: &mut Rng) -> Vec<Vec<String>> {
    let mut lines = String::new();
    let mut all_tags = Vec::new();
    for i in 0..docs {
        let mut tags: Vec<String> = (0..3).map(|n| format!("once{n}-{part}-{i}")).collect();
        // Each part's favourites lead its segment, while the shared tags, second everywhere,
        // lead overall: the first candidates of each segment are not enough.
        if rng.next(2) == 0 {
            tags.push(format!("fav{}-{}", part, rng.next(8)));
        }
        tags.push(format!("shared{}", rng.next(30)));
        tags.sort();
        tags.dedup();
        let org = ORGS[(rng.next(ORGS.len() as u64) as usize + part) % ORGS.len()];
        let place = PLACES[rng.next(PLACES.len() as u64) as usize];
        let text = format!(
            "{org} said on Monday that chip exports to {place} would grow. Export controls on \
             semiconductors were discussed."
        );
        let record = json!({
            "title": format!("Report {part}-{i}"),
            "text": text,
            "date": format!("20{:02}-03-0{}", 10 + part, 1 + i % 9),
            "lang": "en",
            "tags": tags,
        });
        lines.push_str(&record.to_string());
        lines.push('\n');
        all_tags.push(tags);
    }
    ws.write(&format!("part{part}/news.jsonl"), lines);
    all_tags
}

/// `(value, count)` pairs of one facet group, in output order.
fn group(facets: &Value, name: &str) -> Vec<(String, u64)> {
    facets["facets"][name]
        .as_array()
        .unwrap_or_else(|| panic!("facet group {name} missing: {facets}"))
        .iter()
        .map(|v| {
            (
                v["value"].as_str().expect("value").to_string(),
                v["count"].as_u64().expect("count"),
            )
        })
        .collect()
}

/// Count descending then value ascending, first `top` kept.
fn ranked(mut values: Vec<(String, u64)>, top: usize) -> Vec<(String, u64)> {
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    values.truncate(top);
    values
}

/// `ranked` within each entity kind, then merged and ranked again.
fn ranked_per_kind(values: Vec<(String, u64)>, top: usize) -> Vec<(String, u64)> {
    let mut kinds: HashMap<String, Vec<(String, u64)>> = HashMap::new();
    for (value, count) in values {
        let kind = value.split_once('/').map_or("", |(k, _)| k).to_string();
        kinds.entry(kind).or_default().push((value, count));
    }
    let merged: Vec<(String, u64)> = kinds
        .into_values()
        .flat_map(|group| ranked(group, top))
        .collect();
    ranked(merged, usize::MAX)
}

fn segments(ws: &Workspace) -> usize {
    let index = tantivy::Index::open_in_dir(ws.index_dir()).expect("index opens");
    index.searchable_segment_ids().expect("segments").len()
}

fn search_total(ws: &Workspace, extra: &[&str]) -> u64 {
    let mut args = vec!["search", "*", "--json", "--limit", "1"];
    args.extend_from_slice(extra);
    ws.json(&args)["total"].as_u64().expect("total")
}

#[test]
fn facets_over_several_segments_equal_a_brute_force_count() {
    let ws = Workspace::new();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut tags_per_doc = Vec::new();
    for part in 0..3 {
        // Enough one-off values that candidates per segment beat reading every value.
        tags_per_doc.extend(write_part(&ws, part, 700, &mut rng));
        let folder = ws.corpus().join(format!("part{part}"));
        let output = ws.run(&["index", path_str(&folder), "--json"]);
        assert!(
            output.status.success(),
            "indexing: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(segments(&ws) >= 2, "the index must have several segments");

    let mut tag_counts: HashMap<String, u64> = HashMap::new();
    for tag in tags_per_doc.iter().flatten() {
        *tag_counts.entry(tag.clone()).or_default() += 1;
    }
    let all = ws.json(&["facets", "--json", "--top", "0"]);
    assert_eq!(
        ranked(group(&all, "tag"), usize::MAX),
        ranked(tag_counts.clone().into_iter().collect(), usize::MAX)
    );
    for top in [1usize, 2, 3, 5, 7] {
        let facets = ws.json(&["facets", "--json", "--top", &top.to_string()]);
        let top_arg = top.to_string();
        let context = format!("--top {top_arg}");
        assert_eq!(
            group(&facets, "tag"),
            ranked(tag_counts.clone().into_iter().collect(), top),
            "{context}"
        );
        assert_eq!(
            group(&facets, "entity"),
            ranked_per_kind(group(&all, "entity"), top),
            "{context}"
        );
        assert_eq!(
            group(&facets, "topic"),
            ranked(group(&all, "topic"), top),
            "{context}"
        );
        for name in ["lang", "source", "year"] {
            assert_eq!(group(&facets, name), ranked(group(&all, name), top));
        }
    }
    // The counts themselves, value by value, against search.
    let facets = ws.json(&["facets", "--json", "--top", "2"]);
    for (entity, count) in group(&facets, "entity") {
        let name = entity.split_once('/').map_or(entity.as_str(), |(_, n)| n);
        assert_eq!(search_total(&ws, &["--entity", name]), count, "{entity}");
    }
    for (topic, count) in group(&facets, "topic") {
        assert_eq!(search_total(&ws, &["--topic", &topic]), count, "{topic}");
    }
    for (tag, count) in group(&facets, "tag") {
        assert_eq!(search_total(&ws, &["--tag", &tag]), count, "{tag}");
    }
}

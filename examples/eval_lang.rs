//! Language detection accuracy and speed by sample size, on the first 2,000 records of Reuters
//! (all English, `body`) and of the Spanish fake-news corpus (all Spanish, `text`).
//!
//! `cargo run --release --example eval_lang [SHARED_DIR]`

use std::io::BufRead;
use std::time::Instant;

use topictrack::enrich::lang::{detect_language_sampled, Lang};

fn records(path: &std::path::Path, key: &str, limit: usize) -> Vec<(Option<String>, String)> {
    let Ok(file) = std::fs::File::open(path) else {
        println!("skipped: {} is absent", path.display());
        return Vec::new();
    };
    std::io::BufReader::new(file)
        .lines()
        .map_while(|line| line.ok())
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(&line).ok())
        .filter_map(|value| {
            let body = value.get(key)?.as_str()?.to_string();
            let title = ["title", "headline"]
                .iter()
                .find_map(|k| value.get(*k).and_then(|t| t.as_str()).map(str::to_string));
            Some((title, body))
        })
        .take(limit)
        .collect()
}

fn main() {
    let shared = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/work/shared".to_string());
    let root = std::path::Path::new(&shared).join("corpora");
    let sets = [
        (
            "reuters (en)",
            records(&root.join("reuters21578/reuters21578.jsonl"), "body", 2000),
            Lang::En,
        ),
        (
            "fakenews_es (es)",
            records(&root.join("fakenews_es/train.jsonl"), "text", 2000),
            Lang::Es,
        ),
    ];
    for bytes in [1024, 768, 512, 384, 256] {
        for (name, docs, want) in &sets {
            let start = Instant::now();
            let right = docs
                .iter()
                .filter(|(title, body)| {
                    detect_language_sampled(title.as_deref(), body, None, bytes) == *want
                })
                .count();
            println!(
                "{bytes:>5} B  {name:<17} {right}/{} = {:.2} %  {:.1} ms",
                docs.len(),
                100.0 * right as f64 / docs.len().max(1) as f64,
                start.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

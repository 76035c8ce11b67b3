//! Language detection accuracy and speed by sample size, on up to 5,000 records each of English
//! corpora (Reuters `body`, BBC `text`) and Spanish ones (fake news and Bolivian news, `text`).
//!
//! `cargo run --release --example eval_lang [SHARED_DIR]` (default: `TOPICTRACK_SHARED`, or `../shared`
//! next to the crate). A corpus that is absent is skipped with a message.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::Instant;

use topictrack::enrich::{detect_language_sampled, Lang};

/// (title, body) pairs from a JSON Lines file, or none (with a message) when it is absent.
fn records(path: &Path, key: &str, limit: usize) -> Vec<(Option<String>, String)> {
    let Ok(file) = std::fs::File::open(path) else {
        println!(
            "skipped: {} is absent (pass SHARED_DIR or set TOPICTRACK_SHARED)",
            path.display()
        );
        return Vec::new();
    };
    std::io::BufReader::new(file)
        .lines()
        .map_while(|line| line.ok())
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(&line).ok())
        .filter_map(|value| {
            let body = value.get(key)?.as_str()?.to_string();
            let title = value
                .get("title")
                .and_then(|title| title.as_str())
                .map(str::to_string);
            Some((title, body))
        })
        .take(limit)
        .collect()
}

/// The shared folder with `corpora/`: `TOPICTRACK_SHARED`, or `../shared` next to the crate (as
/// bench/bench.py and the tests find it).
fn shared_dir() -> PathBuf {
    match std::env::var_os("TOPICTRACK_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")),
    }
}

fn main() {
    let shared = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(shared_dir);
    let root = shared.join("corpora");
    let sets = [
        (
            "reuters",
            "reuters21578/reuters21578.jsonl",
            "body",
            Lang::En,
        ),
        ("bbc", "bbc/bbc_news.jsonl", "text", Lang::En),
        ("fakenews_es", "fakenews_es/train.jsonl", "text", Lang::Es),
        (
            "bolivia_2020",
            "noticias_bolivia_2020/noticias_bolivia_2020.jsonl",
            "text",
            Lang::Es,
        ),
    ]
    .map(|(name, file, key, want)| (name, records(&root.join(file), key, 5000), want));
    for bytes in [256, 512, 1024, 4096] {
        for (name, docs, want) in &sets {
            if docs.is_empty() {
                continue;
            }
            let start = Instant::now();
            let right = docs
                .iter()
                .filter(|(title, body)| {
                    detect_language_sampled(title.as_deref(), body, None, bytes) == *want
                })
                .count();
            println!(
                "{bytes:>5} B  {name:<13} {right}/{} = {:.2} %  {:.1} µs per document",
                docs.len(),
                100.0 * right as f64 / docs.len() as f64,
                start.elapsed().as_secs_f64() * 1e6 / docs.len() as f64
            );
        }
    }
}

//! Time of each enrichment stage per document, on one thread, over the Reuters records (or any
//! JSON Lines file with `title` and `body` or `text`): where indexing's enrichment time goes.
//!
//! `cargo run --release --example profile_enrich [FILE.jsonl]` (default
//! `corpora/reuters21578/reuters21578.jsonl` in the shared folder: `TOPICTRACK_SHARED`, or `../shared`
//! next to the crate).

use std::io::BufRead;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use topictrack::document::SourceDoc;
use topictrack::enrich::Enricher;
use topictrack::taxonomy::Taxonomy;

/// The shared folder with `corpora/`: `TOPICTRACK_SHARED`, or `../shared` next to the crate (as
/// bench/bench.py and the tests find it).
fn shared_dir() -> PathBuf {
    match std::env::var_os("TOPICTRACK_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")),
    }
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| shared_dir().join("corpora/reuters21578/reuters21578.jsonl"));
    let Ok(file) = std::fs::File::open(&path) else {
        println!(
            "skipped: {} is absent; pass a JSON Lines file or set TOPICTRACK_SHARED",
            path.display()
        );
        return;
    };
    let docs: Vec<SourceDoc> = std::io::BufReader::new(file)
        .lines()
        .map_while(|line| line.ok())
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(&line).ok())
        .map(|value| {
            let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_string);
            SourceDoc {
                title: text("title"),
                body: text("body").or_else(|| text("text")).unwrap_or_default(),
                date_raw: text("date"),
                ..SourceDoc::default()
            }
        })
        .collect();
    let enricher = Enricher::new(&Taxonomy::embedded(), true).expect("built-in taxonomy compiles");

    let mut spent = [Duration::ZERO; 5];
    let mut found = [0usize; 4];
    for doc in &docs {
        let mut clock = Instant::now();
        let mut lap = |slot: usize, spent: &mut [Duration; 5]| {
            spent[slot] += clock.elapsed();
            clock = Instant::now();
        };
        let language = enricher.language(doc);
        lap(0, &mut spent);
        let published = enricher.publication_date(doc);
        lap(1, &mut spent);
        let mentioned = enricher.mentioned_dates(doc, published.map(|(when, _)| when.date()));
        lap(2, &mut spent);
        let hits = enricher.entities(doc, language);
        lap(3, &mut spent);
        let matched = enricher.topics(doc, language);
        lap(4, &mut spent);
        found[0] += usize::from(published.is_some());
        found[1] += mentioned.len();
        found[2] += hits.len();
        found[3] += matched.len();
    }
    let names = [
        "language",
        "publication date",
        "mentioned dates",
        "entities",
        "topics",
    ];
    let total: Duration = spent.iter().sum();
    println!("{} documents from {}", docs.len(), path.display());
    for (name, time) in names.iter().zip(spent) {
        println!(
            "{name:<17} {:>8.1} ms  {:>5.1} µs/doc  {:>4.1} %",
            time.as_secs_f64() * 1e3,
            time.as_secs_f64() * 1e6 / docs.len().max(1) as f64,
            100.0 * time.as_secs_f64() / total.as_secs_f64()
        );
    }
    println!(
        "total             {:>8.1} ms; dated {}, mentioned dates {}, entity hits {}, topic matches {}",
        total.as_secs_f64() * 1e3,
        found[0],
        found[1],
        found[2],
        found[3]
    );
}

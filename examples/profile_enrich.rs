//! Time of each enrichment stage per document, on one thread, over the Reuters records (or any
//! JSON Lines file with `title` and `body` or `text`): where indexing's enrichment time goes.
//!
//! `cargo run --release --example profile_enrich [FILE.jsonl]`

use std::io::BufRead;
use std::time::{Duration, Instant};

use topictrack::document::SourceDoc;
use topictrack::enrich::entities::EntityMatcher;
use topictrack::enrich::topics::TopicMatcher;
use topictrack::enrich::{boilerplate, dates, lang};
use topictrack::taxonomy::Taxonomy;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/work/shared/corpora/reuters21578/reuters21578.jsonl".to_string());
    let Ok(file) = std::fs::File::open(&path) else {
        println!("skipped: {path} is absent");
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
    let taxonomy = Taxonomy::embedded();
    let topics = TopicMatcher::new(&taxonomy).expect("built-in topics compile");
    let entities = EntityMatcher::new(&taxonomy.entities).expect("built-in entities compile");

    let mut spent = [Duration::ZERO; 5];
    let mut found = [0usize; 4];
    for doc in &docs {
        let title = doc.title.as_deref();
        let mut clock = Instant::now();
        let mut lap = |slot: usize, spent: &mut [Duration; 5]| {
            spent[slot] += clock.elapsed();
            clock = Instant::now();
        };
        let language = lang::detect_language(title, &doc.body, None);
        lap(0, &mut spent);
        let published = dates::publication_date(doc);
        lap(1, &mut spent);
        let body = boilerplate::without_trailing_boilerplate(&doc.body);
        let mentioned = dates::mentioned_dates(body, published.map(|(when, _)| when.date()));
        lap(2, &mut spent);
        let hits = entities.find(title, body);
        lap(3, &mut spent);
        let matched = topics.classify(title, body, language.code());
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
    println!("{} documents from {path}", docs.len());
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

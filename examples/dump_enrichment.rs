//! Prints what enrichment finds in every record of a JSON Lines file, one line per record, so that
//! two builds can be compared with `diff` (a speed change must not change what is found).
//!
//! `cargo run --release --example dump_enrichment FILE.jsonl > before.txt`

use std::io::{BufRead, Write};

use topictrack::document::SourceDoc;
use topictrack::enrich::Enricher;
use topictrack::taxonomy::Taxonomy;

fn main() -> anyhow::Result<()> {
    let Some(path) = std::env::args().nth(1) else {
        anyhow::bail!("usage: dump_enrichment FILE.jsonl");
    };
    let enricher = Enricher::new(&Taxonomy::embedded(), true)?;
    let file = std::fs::File::open(&path)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in std::io::BufReader::new(file).lines() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&line?) else {
            continue;
        };
        let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_string);
        let doc = SourceDoc {
            title: text("title"),
            body: ["body", "text", "summary"]
                .iter()
                .find_map(|key| text(key))
                .unwrap_or_default(),
            date_raw: text("date"),
            ..SourceDoc::default()
        };
        writeln!(out, "{:?}", enricher.enrich(&doc))?;
    }
    Ok(())
}

//! Near-duplicate figures for BENCHMARKS.md ("Near-duplicates").
//!
//! `cargo run --release --example near_duplicates -- INDEX_DIR [CLUSTERS]` lists the copy groups of
//! an index built by `topictrack index` (the same signatures and threshold as `show`'s "also in"),
//! counts them, and prints CLUSTERS groups (default 20, spread evenly over the list) with each
//! member's title and first line, to be read by hand.
//!
//! `cargo run --release --example near_duplicates -- --pairs FILE.jsonl` prints how many pairs of
//! records are at each Hamming distance 0–12 (signatures of the `body` key, every pair compared),
//! with a few example titles per distance: what the threshold was chosen from.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use topictrack::index::open_existing;
use topictrack::query::copies::{all_groups, MAX_DISTANCE};
use topictrack::query::{show, ShowRequest};
use topictrack::text::simhash::{distance, simhash};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, file] if flag == "--pairs" => pairs(&PathBuf::from(file)),
        [index] => clusters(&PathBuf::from(index), 20),
        [index, count] => clusters(&PathBuf::from(index), count.parse()?),
        _ => anyhow::bail!("usage: near_duplicates INDEX_DIR [CLUSTERS] | --pairs FILE.jsonl"),
    }
}

/// The opening of a body, white space collapsed (Reuters wraps its lines at 40 characters).
fn first_line(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").chars().take(100).collect()
}

fn clusters(index: &Path, shown: usize) -> anyhow::Result<()> {
    let opened = open_existing(index)?;
    let started = std::time::Instant::now();
    let groups = all_groups(&opened)?;
    let elapsed = started.elapsed();
    let documents: usize = groups.iter().map(|group| group.members.len() + 1).sum();
    let largest = groups.first().map_or(0, |group| group.members.len() + 1);
    let pairs = groups
        .iter()
        .filter(|group| group.members.len() == 1)
        .count();
    println!(
        "{} copy groups (threshold: at most {MAX_DISTANCE} bits), {documents} documents in them, \
         {pairs} of two, largest {largest}; listed in {:.2} s",
        groups.len(),
        elapsed.as_secs_f64()
    );
    if groups.is_empty() {
        return Ok(());
    }
    let step = (groups.len() / shown.max(1)).max(1);
    for (n, group) in groups.iter().step_by(step).take(shown).enumerate() {
        println!("\n#{} ({} documents)", n + 1, group.members.len() + 1);
        for member in std::iter::once(&group.representative).chain(&group.members) {
            let doc = show(
                &opened,
                &ShowRequest {
                    id: member.id.clone(),
                },
            )?;
            println!(
                "  {:<14} {} | {}",
                member.id,
                member.title.as_deref().unwrap_or("(untitled)"),
                first_line(&doc.body)
            );
        }
    }
    Ok(())
}

fn pairs(file: &Path) -> anyhow::Result<()> {
    let reader = std::io::BufReader::new(std::fs::File::open(file)?);
    let mut signed: Vec<(u64, String)> = Vec::new();
    let mut records = 0;
    for line in reader.lines() {
        let value: serde_json::Value = serde_json::from_str(&line?)?;
        records += 1;
        let body = value["body"].as_str().unwrap_or("");
        if let Some(signature) = simhash(body) {
            let title = value["title"].as_str().unwrap_or("").to_owned();
            signed.push((signature, title));
        }
    }
    println!("{records} records, {} with a signature", signed.len());
    let mut counts = [0u64; 13];
    let mut examples: Vec<Vec<(String, String)>> = vec![Vec::new(); 13];
    for (i, (a, title_a)) in signed.iter().enumerate() {
        for (b, title_b) in &signed[i + 1..] {
            let d = distance(*a, *b) as usize;
            if d < counts.len() {
                counts[d] += 1;
                if examples[d].len() < 6 && (counts[d] % 7 == 1) {
                    examples[d].push((title_a.clone(), title_b.clone()));
                }
            }
        }
    }
    for (d, count) in counts.iter().enumerate() {
        println!("distance {d:>2}: {count} pairs");
        for (a, b) in &examples[d] {
            println!("    {a}  ||  {b}");
        }
    }
    Ok(())
}

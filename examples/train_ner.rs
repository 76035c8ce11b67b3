//! Trains the shipped entity taggers from the CoNLL train sets, picks the number of epochs on test A,
//! prints test A scores (per-document typed F1 per type and conlleval mention F1) and writes
//! `models/ner-en.bin` and `models/ner-es.bin`.
//!
//! Run: `cargo run --release --example train_ner [-- OPTIONS]`
//!   --lang en|es      one language only (default: both)
//!   --bits N          rows of the hashed feature table, as a power of two (default 18)
//!   --epochs N        most epochs to try (default 20); the best on test A is written
//!   --min-weight N    drop rows whose largest weight is below N (i16 units, default 0)
//!   --out DIR         where to write the models (default `models/` of the crate)
//!   --dry-run         train and score, write nothing
//!   --time            only time the shipped models on test A text (median of 7 runs)
//!   --running-text yes|no  also train on each document as running text, split again by the
//!                     tagger's tokenizer as indexing splits text (default: yes for English, where
//!                     it raises test A as running text from 0.907 to 0.913; no for Spanish, where it
//!                     lowers it from 0.793 to 0.784)
//! The corpus is found in `corpora/conll` of the shared folder (`TOPICTRACK_SHARED`, or `../shared`).
//! Test B is never read.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use topictrack::enrich::tagger::clusters::WordClusters;
use topictrack::enrich::tagger::model::{label_kind, Kind, Model};
use topictrack::enrich::tagger::train::{TrainDoc, Trainer};
use topictrack::enrich::tagger::{self, spans};
use topictrack::enrich::Lang;

struct Options {
    langs: Vec<Lang>,
    bits: u32,
    epochs: usize,
    min_weight: i16,
    out: PathBuf,
    dry_run: bool,
    time: bool,
    /// Whether to train on each document twice: as CoNLL's tokens and as running text.
    running_text: Option<bool>,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        langs: vec![Lang::En, Lang::Es],
        bits: 18,
        epochs: 20,
        min_weight: 0,
        out: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/models")),
        dry_run: false,
        time: false,
        running_text: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--lang" => {
                o.langs = match value()?.as_str() {
                    "en" => vec![Lang::En],
                    "es" => vec![Lang::Es],
                    other => return Err(format!("unknown language {other}")),
                }
            }
            "--bits" => o.bits = value()?.parse().map_err(|e| format!("--bits: {e}"))?,
            "--epochs" => o.epochs = value()?.parse().map_err(|e| format!("--epochs: {e}"))?,
            "--min-weight" => {
                o.min_weight = value()?.parse().map_err(|e| format!("--min-weight: {e}"))?
            }
            "--out" => o.out = PathBuf::from(value()?),
            "--dry-run" => o.dry_run = true,
            "--time" => o.time = true,
            "--running-text" => {
                o.running_text = match value()?.as_str() {
                    "yes" => Some(true),
                    "no" => Some(false),
                    other => return Err(format!("--running-text: {other} is not yes or no")),
                }
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

fn shared_dir() -> PathBuf {
    match std::env::var_os("TOPICTRACK_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")),
    }
}

/// A CoNLL document: words, sentences and IOB2 labels.
struct Doc {
    words: Vec<String>,
    sentences: Vec<Range<usize>>,
    labels: Vec<u8>,
}

fn label_of(tag: &str) -> u8 {
    match tag.split_once('-') {
        Some((prefix, kind)) => match Kind::from_conll(kind) {
            Some(kind) => kind.begin() + u8::from(prefix == "I"),
            None => 0,
        },
        None => 0,
    }
}

/// Reads a CoNLL file into documents: English at `-DOCSTART-` (IOB1 turned into IOB2), Spanish at
/// each EFE dateline sentence.
fn read(path: &Path, spanish: bool) -> Result<Vec<Doc>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    // encoding_rs: Spanish CoNLL is ISO-8859-1, decoded as its superset windows-1252.
    let text = if spanish {
        encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned()
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let mut sentences: Vec<Vec<(String, String)>> = Vec::new();
    let mut breaks = vec![0usize];
    let mut current: Vec<(String, String)> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        let columns: Vec<&str> = line.split_whitespace().collect();
        match (columns.first(), columns.last()) {
            (Some(&"-DOCSTART-"), _) => {
                breaks.push(sentences.len() + usize::from(!current.is_empty()))
            }
            (Some(token), Some(tag)) if columns.len() >= 2 => {
                current.push((token.to_string(), tag.to_string()))
            }
            _ => {
                if !current.is_empty() {
                    let dateline = current.len() <= 16
                        && current.iter().any(|(t, _)| t == "EFE" || t == "EFECOM");
                    if spanish && dateline {
                        breaks.push(sentences.len());
                    }
                    sentences.push(std::mem::take(&mut current));
                }
            }
        }
    }
    breaks.push(sentences.len());
    breaks.sort_unstable();
    breaks.dedup();
    let mut docs = Vec::new();
    for pair in breaks.windows(2) {
        let Some(group) = sentences.get(pair[0]..pair[1]) else {
            continue;
        };
        if group.is_empty() {
            continue;
        }
        let mut doc = Doc {
            words: Vec::new(),
            sentences: Vec::new(),
            labels: Vec::new(),
        };
        for sentence in group {
            let start = doc.words.len();
            let mut previous = 0u8;
            for (word, tag) in sentence {
                let mut label = label_of(tag);
                // IOB1: I-X starts an entity unless it follows X.
                if let Some((kind, false)) = label_kind(label) {
                    let continues = label_kind(previous).is_some_and(|(k, _)| k == kind);
                    if !continues {
                        label = kind.begin();
                    }
                }
                doc.words.push(word.clone());
                doc.labels.push(label);
                previous = label;
            }
            doc.sentences.push(start..doc.words.len());
        }
        docs.push(doc);
    }
    Ok(docs)
}

#[derive(Default, Clone, Copy)]
struct Count {
    predicted: usize,
    gold: usize,
    correct: usize,
}

impl Count {
    fn f1(&self) -> (f64, f64, f64) {
        let p = if self.predicted > 0 {
            self.correct as f64 / self.predicted as f64
        } else {
            0.0
        };
        let r = if self.gold > 0 {
            self.correct as f64 / self.gold as f64
        } else {
            0.0
        };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
}

/// Scores: per-document (type, name) sets and conlleval mentions, by type.
#[derive(Default)]
struct Scores {
    doc: BTreeMap<Kind, Count>,
    mention: BTreeMap<Kind, Count>,
}

const MAIN: [Kind; 3] = [Kind::Per, Kind::Org, Kind::Loc];

impl Scores {
    fn total(map: &BTreeMap<Kind, Count>, kinds: &[Kind]) -> Count {
        let mut all = Count::default();
        for kind in kinds {
            if let Some(c) = map.get(kind) {
                all.predicted += c.predicted;
                all.gold += c.gold;
                all.correct += c.correct;
            }
        }
        all
    }

    fn doc_f1(&self) -> f64 {
        Scores::total(&self.doc, &MAIN).f1().2
    }

    fn print(&self) {
        for (title, map) in [
            ("per-document (type, name), PER/ORG/LOC", &self.doc),
            ("mentions (conlleval, exact span and type)", &self.mention),
        ] {
            println!("  {title}:");
            for kind in Kind::ALL {
                let (p, r, f) = map.get(&kind).copied().unwrap_or_default().f1();
                println!("    {:<5} P {p:.3}  R {r:.3}  F1 {f:.3}", kind.conll());
            }
            let (p, r, f) = Scores::total(map, &MAIN).f1();
            println!("    P+O+L P {p:.3}  R {r:.3}  F1 {f:.3}");
            let (p, r, f) = Scores::total(map, &Kind::ALL).f1();
            println!("    all   P {p:.3}  R {r:.3}  F1 {f:.3}");
        }
    }
}

fn entities(doc: &Doc, labels: &[u8]) -> Vec<(Range<usize>, Kind)> {
    spans(labels, &doc.sentences)
}

fn score(model: &Model, docs: &[Doc]) -> Scores {
    let mut scores = Scores::default();
    for doc in docs {
        let words: Vec<&str> = doc.words.iter().map(String::as_str).collect();
        let predicted = tagger::tag_words(model, &words, &doc.sentences);
        let gold = entities(doc, &doc.labels);
        let found = entities(doc, &predicted);
        let gold_set: HashSet<&(Range<usize>, Kind)> = gold.iter().collect();
        for (range, kind) in &gold {
            scores.mention.entry(*kind).or_default().gold += 1;
            let _ = range;
        }
        for item in &found {
            let c = scores.mention.entry(item.1).or_default();
            c.predicted += 1;
            if gold_set.contains(item) {
                c.correct += 1;
            }
        }
        let name = |range: &Range<usize>| words.get(range.clone()).unwrap_or(&[]).join(" ");
        let gold_names: HashSet<(Kind, String)> = gold.iter().map(|(r, k)| (*k, name(r))).collect();
        let found_names: HashSet<(Kind, String)> =
            found.iter().map(|(r, k)| (*k, name(r))).collect();
        for (kind, _) in &gold_names {
            scores.doc.entry(*kind).or_default().gold += 1;
        }
        for item in &found_names {
            let c = scores.doc.entry(item.0).or_default();
            c.predicted += 1;
            if gold_names.contains(item) {
                c.correct += 1;
            }
        }
    }
    scores
}

fn train_one(o: &Options, lang: Lang, dir: &Path) -> Result<(), String> {
    let (code, train, testa, spanish) = match lang {
        Lang::En => ("en", "conll2003/eng.train", "conll2003/eng.testa", false),
        _ => ("es", "conll2002/esp.train", "conll2002/esp.testa", true),
    };
    let train = read(&dir.join(train), spanish)?;
    let testa = read(&dir.join(testa), spanish)?;
    // Test A as indexing sees it: running text split by the tagger's tokenizer.
    let testa_running: Vec<Doc> = testa
        .iter()
        .map(|d| {
            let doc = TrainDoc {
                words: d.words.clone(),
                sentences: d.sentences.clone(),
                labels: d.labels.clone(),
            }
            .as_running_text();
            Doc {
                words: doc.words,
                sentences: doc.sentences,
                labels: doc.labels,
            }
        })
        .collect();
    let started = Instant::now();
    let docs: Vec<TrainDoc> = train
        .iter()
        .flat_map(|d| {
            let doc = TrainDoc {
                words: d.words.clone(),
                sentences: d.sentences.clone(),
                labels: d.labels.clone(),
            };
            let running = o
                .running_text
                .unwrap_or(lang == Lang::En)
                .then(|| doc.as_running_text());
            std::iter::once(doc).chain(running)
        })
        .collect();
    let clusters_path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/models"))
        .join(format!("clusters-{code}.bin"));
    let clusters = std::fs::read(&clusters_path)
        .ok()
        .and_then(|bytes| WordClusters::from_file_bytes(&bytes))
        .ok_or(format!(
            "{}: missing or damaged; learn it first with `cargo run --release --example word_clusters`",
            clusters_path.display()
        ))?;
    let mut trainer = Trainer::new(&docs, o.bits, clusters, 0x007a_99e4_2024);
    println!(
        "[{code}] {} train documents, {} test A documents, bits {}",
        train.len(),
        testa.len(),
        o.bits
    );
    let mut best: Option<(f64, usize, Model)> = None;
    for epoch in 1..=o.epochs {
        let wrong = trainer.epoch();
        let model = trainer.model(o.min_weight);
        let f1 = score(&model, &testa_running).doc_f1();
        println!(
            "[{code}] epoch {epoch:>2}: {wrong} sentences wrong; test A per-document F1 {f1:.4} as running text, {:.4} on CoNLL tokens ({:.0} s)",
            score(&model, &testa).doc_f1(),
            started.elapsed().as_secs_f64()
        );
        if best.as_ref().is_none_or(|(b, _, _)| f1 > *b) {
            best = Some((f1, epoch, model));
        }
    }
    let Some((_, epoch, model)) = best else {
        return Err("no epoch trained".into());
    };
    let bytes = model.to_bytes();
    println!(
        "[{code}] best epoch {epoch} (by test A as running text); model {:.2} MB; test A scores as running text:",
        bytes.len() as f64 / 1e6
    );
    score(&model, &testa_running).print();
    println!("[{code}] test A scores on CoNLL's own tokens and sentences:");
    score(&model, &testa).print();
    if !o.dry_run {
        let path = o.out.join(format!("ner-{code}.bin"));
        std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("[{code}] wrote {}", path.display());
    }
    Ok(())
}

/// Tagging speed of the shipped model on test A rebuilt as running text: tokenising, features and
/// decoding, median of 7 runs.
fn time_one(lang: Lang, dir: &Path) -> Result<(), String> {
    let (code, testa, spanish) = match lang {
        Lang::En => ("en", "conll2003/eng.testa", false),
        _ => ("es", "conll2002/esp.testa", true),
    };
    let docs = read(&dir.join(testa), spanish)?;
    let texts: Vec<String> = docs
        .iter()
        .map(|d| {
            d.sentences
                .iter()
                .map(|s| d.words.get(s.clone()).unwrap_or(&[]).join(" "))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    let load = Instant::now();
    let model = tagger::load_shipped(lang).map_err(|e| e.to_string())?;
    let load = load.elapsed();
    let tokens: usize = docs.iter().map(|d| d.words.len()).sum();
    let mut runs = Vec::new();
    let mut found = 0;
    for _ in 0..7 {
        let started = Instant::now();
        found = 0;
        for text in &texts {
            found += tagger::tag(&model, text).len();
        }
        runs.push(started.elapsed().as_secs_f64());
    }
    runs.sort_by(f64::total_cmp);
    let median = runs[runs.len() / 2];
    println!(
        "[{code}] model load {:.1} ms; {tokens} tokens, {found} entities; median {:.1} ms = {:.2} M tokens/s (runs: {})",
        load.as_secs_f64() * 1e3,
        median * 1e3,
        tokens as f64 / median / 1e6,
        runs.iter().map(|r| format!("{:.1}", r * 1e3)).collect::<Vec<_>>().join(" ")
    );
    Ok(())
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let dir = shared_dir().join("corpora/conll");
    if !dir.is_dir() {
        println!(
            "CoNLL corpus folder {} not found; nothing to do.",
            dir.display()
        );
        return ExitCode::SUCCESS;
    }
    for &lang in &o.langs {
        let result = if o.time {
            time_one(lang, &dir)
        } else {
            train_one(&o, lang, &dir)
        };
        if let Err(e) = result {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

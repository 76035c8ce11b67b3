//! Evaluates entity finding as indexing does it (tagger, gazetteer, short forms) on the CoNLL-2002
//! (Spanish) and CoNLL-2003 (English) NER files: per-document typed F1 (the set of (type, name) of each
//! document against gold), mention-level typed F1 (exact span and type), and untyped spans.
//! `EVAL_LANG=other` scores the untagged path (gazetteer and discovery) instead.
//!
//! Run: `cargo run --release --example eval_entities [-- CORPUS_DIR]` (default `corpora/conll` in the
//! shared folder: `TOPICTRACK_SHARED`, or `../shared` next to the crate). Without the corpus it says
//! so and exits with 0.

#[path = "support/conll.rs"]
mod conll;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use topictrack::enrich::tagger::spans;
use topictrack::enrich::{Enricher, Lang};
use topictrack::keys::EntityKind;
use topictrack::taxonomy::Taxonomy;

const TYPES: [&str; 3] = ["PER", "LOC", "ORG"];

/// A document rebuilt from tokens: its text and gold spans (byte start, byte end, type).
struct Doc {
    text: String,
    gold: Vec<(usize, usize, String)>,
}

#[derive(Default, Clone, Copy)]
struct Score {
    predicted: usize,
    gold: usize,
    correct: usize,
}

impl Score {
    fn line(&self, label: &str) -> String {
        let p = ratio(self.correct, self.predicted);
        let r = ratio(self.correct, self.gold);
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        format!(
            "  {label:<22} P {p:.3}  R {r:.3}  F1 {f:.3}   (predicted {}, gold {}, correct {})",
            self.predicted, self.gold, self.correct
        )
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn main() -> ExitCode {
    let dir = match std::env::args().nth(1) {
        Some(arg) => PathBuf::from(arg),
        None => conll::corpus_dir(),
    };
    if !dir.is_dir() {
        println!(
            "CoNLL corpus folder {} not found (pass CORPUS_DIR or set TOPICTRACK_SHARED); nothing to evaluate.",
            dir.display()
        );
        return ExitCode::SUCCESS;
    }
    let matcher = match Enricher::new(&Taxonomy::embedded(), true) {
        Ok(matcher) => matcher,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let other = std::env::var("EVAL_LANG").as_deref() == Ok("other");
    for lang in [Lang::En, Lang::Es] {
        let files = conll::files(lang);
        for name in [files.train, files.testa] {
            let path = dir.join(name);
            let docs = match conll::read(&path, lang) {
                Ok(docs) => docs,
                Err(error) => {
                    println!("{}: skipped ({error})", path.display());
                    continue;
                }
            };
            let docs: Vec<Doc> = docs.iter().map(rebuild).collect();
            evaluate(
                &matcher,
                if other { Lang::Other } else { lang },
                name,
                &docs,
            );
        }
    }
    ExitCode::SUCCESS
}

/// Joins a document's words into text (spaces, and newlines between sentences) with its gold spans
/// in byte offsets.
fn rebuild(doc: &conll::Doc) -> Doc {
    let (text, at) = doc.text();
    let gold = spans(&doc.labels, &doc.sentences)
        .into_iter()
        .filter_map(|(range, kind)| {
            let start = at.get(range.start)?.start;
            let end = at.get(range.end.checked_sub(1)?)?.end;
            Some((start, end, kind.conll().to_string()))
        })
        .collect();
    Doc { text, gold }
}

fn conll_type(kind: EntityKind) -> Option<&'static str> {
    match kind {
        EntityKind::Person => Some("PER"),
        EntityKind::Place => Some("LOC"),
        EntityKind::Org => Some("ORG"),
        EntityKind::Other => None,
    }
}

fn evaluate(matcher: &Enricher, lang: Lang, name: &str, docs: &[Doc]) {
    let mut typed: HashMap<&str, Score> = HashMap::new();
    let mut per_doc: HashMap<&str, Score> = HashMap::new();
    let mut untyped = Score::default();
    let mut gold_counts: HashMap<String, usize> = HashMap::new();
    let mut misses: HashMap<String, usize> = HashMap::new();
    let started = Instant::now();
    let mut bytes = 0;
    for doc in docs {
        bytes += doc.text.len();
        let spans = matcher.entity_spans(lang, &doc.text);
        let surface = |start: usize, end: usize| doc.text.get(start..end).unwrap_or("").to_string();
        let gold_names: HashSet<(&str, String)> = doc
            .gold
            .iter()
            .filter_map(|g| Some((*TYPES.iter().find(|t| **t == g.2)?, surface(g.0, g.1))))
            .collect();
        let found_names: HashSet<(&str, String)> = spans
            .iter()
            .filter_map(|s| Some((conll_type(s.kind)?, surface(s.start, s.end))))
            .collect();
        for (kind, _) in &gold_names {
            per_doc.entry(kind).or_default().gold += 1;
        }
        for item in &found_names {
            let score = per_doc.entry(item.0).or_default();
            score.predicted += 1;
            score.correct += usize::from(gold_names.contains(item));
        }
        let gold_typed: HashSet<(usize, usize, &str)> =
            doc.gold.iter().map(|g| (g.0, g.1, g.2.as_str())).collect();
        let gold_any: HashSet<(usize, usize)> = doc.gold.iter().map(|g| (g.0, g.1)).collect();
        for g in &doc.gold {
            *gold_counts.entry(g.2.clone()).or_default() += 1;
            if let Some(score) = TYPES
                .iter()
                .find(|t| **t == g.2)
                .map(|t| typed.entry(t).or_default())
            {
                score.gold += 1;
            }
        }
        let mut predicted_any: HashSet<(usize, usize)> = HashSet::new();
        for span in &spans {
            predicted_any.insert((span.start, span.end));
            if let Some(kind) = conll_type(span.kind) {
                let score = typed.entry(kind).or_default();
                score.predicted += 1;
                if gold_typed.contains(&(span.start, span.end, kind)) {
                    score.correct += 1;
                } else {
                    let surface = doc.text.get(span.start..span.end).unwrap_or("");
                    let truth = doc
                        .gold
                        .iter()
                        .find(|g| g.0 == span.start && g.1 == span.end);
                    let truth = truth.map_or("none", |g| g.2.as_str());
                    *misses
                        .entry(format!("{kind} {surface:?} (gold {truth})"))
                        .or_default() += 1;
                }
            }
        }
        untyped.gold += gold_any.len();
        untyped.predicted += predicted_any.len();
        untyped.correct += predicted_any.intersection(&gold_any).count();
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut counts: Vec<String> = gold_counts
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    counts.sort();
    println!(
        "\n{name}: {} documents, {:.1} MB in {:.2} s; gold spans: {}",
        docs.len(),
        bytes as f64 / 1e6,
        seconds,
        counts.join(", ")
    );
    println!(" per document, (type, surface) sets:");
    let mut all = Score::default();
    for kind in TYPES {
        let score = per_doc.get(kind).copied().unwrap_or_default();
        println!("{}", score.line(kind));
        all.predicted += score.predicted;
        all.gold += score.gold;
        all.correct += score.correct;
    }
    println!("{}", all.line("PER+LOC+ORG"));
    println!(" mentions, typed (gold MISC left out):");
    let mut all = Score::default();
    for kind in TYPES {
        let score = typed.get(kind).copied().unwrap_or_default();
        println!("{}", score.line(kind));
        all.predicted += score.predicted;
        all.gold += score.gold;
        all.correct += score.correct;
    }
    println!("{}", all.line("PER+LOC+ORG"));
    println!(" all spans, untyped (all gold types, MISC included):");
    println!("{}", untyped.line("all"));
    // EVAL_ERRORS=N lists the N most frequent wrong typed predictions.
    let shown: usize = std::env::var("EVAL_ERRORS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut misses: Vec<(String, usize)> = misses.into_iter().collect();
    misses.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (what, times) in misses.iter().take(shown) {
        println!("    {times:>5}  {what}");
    }
}

//! Scores entity finding (as indexing does it) on MEANTIME, English and Spanish news the tagger never
//! saw in training, per document and per type (PER, ORG, LOC).
//!
//! MEANTIME marks named and nominal mentions ("the company") and, in Spanish, often only a name's head
//! ("Grumman"); so a gold entity is an annotated instance with at least one capitalised mention, known
//! by all its surfaces and its canonical name. A found (type, name) is right when it is one of those
//! names of a gold instance of that type in the document; a gold instance is found when one of its
//! names was found with its type. Names are compared folded (case and accents ignored).
//!
//! Run: `cargo run --release --example eval_meantime [-- FILE]` (default
//! `corpora/meantime/meantime_en_es.jsonl` in the shared folder). `EVAL_LANG=other` scores the untagged
//! path.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;

use topictrack::enrich::{Enricher, Lang};
use topictrack::keys::EntityKind;
use topictrack::taxonomy::Taxonomy;
use topictrack::text::fold;

fn shared_dir() -> PathBuf {
    match std::env::var_os("TOPICTRACK_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")),
    }
}

fn conll_type(kind: EntityKind) -> Option<&'static str> {
    match kind {
        EntityKind::Person => Some("PER"),
        EntityKind::Place => Some("LOC"),
        EntityKind::Org => Some("ORG"),
        EntityKind::Other => None,
    }
}

#[derive(Default, Clone, Copy)]
struct Count {
    predicted: usize,
    right: usize,
    gold: usize,
    found: usize,
}

fn line(label: &str, c: &Count) -> String {
    let p = if c.predicted > 0 {
        c.right as f64 / c.predicted as f64
    } else {
        0.0
    };
    let r = if c.gold > 0 {
        c.found as f64 / c.gold as f64
    } else {
        0.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    format!(
        "  {label:<12} P {p:.3}  R {r:.3}  F1 {f:.3}   (found {}, gold entities {})",
        c.predicted, c.gold
    )
}

fn main() -> ExitCode {
    let path = match std::env::args().nth(1) {
        Some(arg) => PathBuf::from(arg),
        None => shared_dir().join("corpora/meantime/meantime_en_es.jsonl"),
    };
    let Ok(raw) = std::fs::read_to_string(&path) else {
        println!("{} not found; nothing to evaluate.", path.display());
        return ExitCode::SUCCESS;
    };
    let enricher = match Enricher::new(&Taxonomy::embedded(), true) {
        Ok(enricher) => enricher,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let untagged = std::env::var("EVAL_LANG").as_deref() == Ok("other");
    let mut scores: BTreeMap<(String, &str), Count> = BTreeMap::new();
    for (number, text) in raw.lines().enumerate() {
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
            eprintln!("line {}: not JSON, skipped", number + 1);
            continue;
        };
        let field = |name: &str| doc.get(name).and_then(|v| v.as_str()).unwrap_or("");
        let lang_code = field("lang").to_string();
        let lang = match (untagged, lang_code.as_str()) {
            (true, _) => Lang::Other,
            (_, "es") => Lang::Es,
            _ => Lang::En,
        };
        // Gold instances: (type, instance id) → folded names.
        let mut gold: HashMap<(&str, String), HashSet<String>> = HashMap::new();
        let mut named: HashSet<(&str, String)> = HashSet::new();
        for mention in doc
            .get("entity_mentions")
            .and_then(|m| m.as_array())
            .into_iter()
            .flatten()
        {
            let get = |name: &str| mention.get(name).and_then(|v| v.as_str()).unwrap_or("");
            let Some(kind) = ["PER", "ORG", "LOC"]
                .into_iter()
                .find(|k| *k == get("type"))
            else {
                continue;
            };
            let id = (kind, get("instance_id").to_string());
            let names = gold.entry(id.clone()).or_default();
            names.insert(fold(get("surface")));
            if !get("canonical").is_empty() {
                names.insert(fold(get("canonical")));
            }
            if get("surface")
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
            {
                named.insert(id);
            }
        }
        gold.retain(|id, _| named.contains(id));
        // (type, folded surface, folded name): a curated name and its surface are one finding.
        let mut found: HashSet<(&str, String, String)> = HashSet::new();
        for part in [field("title"), field("text")] {
            for span in enricher.entity_spans(lang, part) {
                let Some(kind) = conll_type(span.kind) else {
                    continue;
                };
                let surface = fold(part.get(span.start..span.end).unwrap_or(""));
                found.insert((kind, surface, fold(&span.name)));
            }
        }
        let mut predicted: HashMap<&str, (usize, usize)> = HashMap::new();
        for (kind, surface, name) in &found {
            let right = gold.iter().any(|((k, _), names)| {
                k == kind && (names.contains(surface) || names.contains(name))
            });
            let slot = predicted.entry(kind).or_default();
            slot.0 += 1;
            slot.1 += usize::from(right);
        }
        for ((kind, _), names) in &gold {
            let c = scores.entry((lang_code.clone(), kind)).or_default();
            c.gold += 1;
            let hit = found
                .iter()
                .any(|(k, s, n)| k == kind && (names.contains(s) || names.contains(n)));
            if hit {
                c.found += 1;
            }
        }
        for (kind, (all, right)) in predicted {
            let c = scores.entry((lang_code.clone(), kind)).or_default();
            c.predicted += all;
            c.right += right;
        }
    }
    let mut totals: BTreeMap<String, Count> = BTreeMap::new();
    for ((lang, kind), c) in &scores {
        println!("{}", line(&format!("{lang} {kind}"), c));
        let t = totals.entry(lang.clone()).or_default();
        t.predicted += c.predicted;
        t.right += c.right;
        t.gold += c.gold;
        t.found += c.found;
    }
    for (lang, c) in &totals {
        println!("{}", line(&format!("{lang} P+O+L"), c));
    }
    ExitCode::SUCCESS
}

//! Test A scores of a tagger's labels on CoNLL documents, as `train_ner` prints them: per-document
//! typed F1 (the set of (type, name) of each document against gold) and conlleval mention F1 (exact
//! span and type), by type. Shared so that another tagger is scored exactly the same way; an example
//! includes it with `#[path = "support/scores.rs"] mod scores;` next to its `conll` module.

// Each example uses only part of this module.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use topictrack::enrich::tagger::{spans, Kind};

use crate::conll::Doc;

/// Predicted, gold and correct items of one type.
#[derive(Default, Clone, Copy)]
pub struct Count {
    pub predicted: usize,
    pub gold: usize,
    pub correct: usize,
}

impl Count {
    /// Precision, recall and F1.
    pub fn f1(&self) -> (f64, f64, f64) {
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
pub struct Scores {
    pub doc: BTreeMap<Kind, Count>,
    pub mention: BTreeMap<Kind, Count>,
}

/// The types of the per-document score.
pub const MAIN: [Kind; 3] = [Kind::Per, Kind::Org, Kind::Loc];

impl Scores {
    /// The sum of the counts of `kinds`.
    pub fn total(map: &BTreeMap<Kind, Count>, kinds: &[Kind]) -> Count {
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

    /// Per-document F1 over PER, ORG and LOC.
    pub fn doc_f1(&self) -> f64 {
        Scores::total(&self.doc, &MAIN).f1().2
    }

    /// Mention F1 over all four types (conlleval's overall figure).
    pub fn mention_f1(&self) -> f64 {
        Scores::total(&self.mention, &Kind::ALL).f1().2
    }

    /// Adds a document tagged with `predicted` labels.
    pub fn add(&mut self, doc: &Doc, predicted: &[u8]) {
        let gold = spans(&doc.labels, &doc.sentences);
        let found = spans(predicted, &doc.sentences);
        let gold_set: HashSet<&(Range<usize>, Kind)> = gold.iter().collect();
        for (_, kind) in &gold {
            self.mention.entry(*kind).or_default().gold += 1;
        }
        for item in &found {
            let c = self.mention.entry(item.1).or_default();
            c.predicted += 1;
            if gold_set.contains(item) {
                c.correct += 1;
            }
        }
        let name = |range: &Range<usize>| doc.words.get(range.clone()).unwrap_or(&[]).join(" ");
        let gold_names: HashSet<(Kind, String)> = gold.iter().map(|(r, k)| (*k, name(r))).collect();
        let found_names: HashSet<(Kind, String)> =
            found.iter().map(|(r, k)| (*k, name(r))).collect();
        for (kind, _) in &gold_names {
            self.doc.entry(*kind).or_default().gold += 1;
        }
        for item in &found_names {
            let c = self.doc.entry(item.0).or_default();
            c.predicted += 1;
            if gold_names.contains(item) {
                c.correct += 1;
            }
        }
    }

    pub fn print(&self) {
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

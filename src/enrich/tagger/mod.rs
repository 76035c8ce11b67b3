//! The trained named-entity tagger: one linear-chain model per language (English from CoNLL-2003,
//! Spanish from CoNLL-2002, trained by `examples/train_ner.rs`), shipped inside the binary and loaded
//! once on first use. It turns a text into typed spans (PER, ORG, LOC, MISC).

pub mod clusters;
pub mod exchange;
pub mod features;
pub mod model;
pub mod tokens;
pub mod train;

use std::cell::RefCell;
use std::ops::Range;
use std::sync::OnceLock;

use super::lang::Lang;
use features::{Extractor, Features};
use model::{label_kind, Scratch};
pub use model::{Kind, Model, ModelError};
use tokens::{tokenize_into, Tokenized};

static ENGLISH: &[u8] = include_bytes!("../../../models/ner-en.bin");
static SPANISH: &[u8] = include_bytes!("../../../models/ner-es.bin");

/// The shipped model for a language, read on first use; `None` for other languages (and for a
/// build whose model file is missing or stale, which the tagger tests catch).
pub fn shipped(lang: Lang) -> Option<&'static Model> {
    static EN: OnceLock<Option<Model>> = OnceLock::new();
    static ES: OnceLock<Option<Model>> = OnceLock::new();
    let (cell, bytes) = match lang {
        Lang::En => (&EN, ENGLISH),
        Lang::Es => (&ES, SPANISH),
        Lang::Other => return None,
    };
    cell.get_or_init(|| Model::from_bytes(bytes).ok()).as_ref()
}

/// Reads the shipped model of a language, with the reason when it cannot be used.
pub fn load_shipped(lang: Lang) -> Result<Model, ModelError> {
    match lang {
        Lang::En => Model::from_bytes(ENGLISH),
        Lang::Es => Model::from_bytes(SPANISH),
        Lang::Other => Err(ModelError::Magic),
    }
}

/// One tagged entity, in byte offsets of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tagged {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// Buffers reused from one document to the next on each thread.
#[derive(Default)]
struct Buffers {
    tokenized: Tokenized,
    extractor: Extractor,
    features: Features,
    scratch: Scratch,
    labels: Vec<u8>,
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::new(Buffers::default());
}

/// Tags `text` with `model`: tokens, features, Viterbi, and the BIO labels turned into spans.
pub fn tag(model: &Model, text: &str) -> Vec<Tagged> {
    BUFFERS.with(|cell| {
        let Ok(mut buffers) = cell.try_borrow_mut() else {
            return tag_with(model, text, &mut Buffers::default());
        };
        tag_with(model, text, &mut buffers)
    })
}

fn tag_with(model: &Model, text: &str, b: &mut Buffers) -> Vec<Tagged> {
    tokenize_into(text, &mut b.tokenized);
    let words: Vec<&str> = b
        .tokenized
        .tokens
        .iter()
        .map(|t| text.get(t.start..t.end).unwrap_or(""))
        .collect();
    b.extractor.document(
        &words,
        &b.tokenized.sentences,
        model.bits(),
        model.clusters(),
        &mut b.features,
    );
    model.decode(
        &b.features,
        &b.tokenized.sentences,
        &mut b.scratch,
        &mut b.labels,
    );
    let tokens = &b.tokenized.tokens;
    spans(&b.labels, &b.tokenized.sentences)
        .into_iter()
        .filter_map(|(range, kind)| {
            // Punctuation at the edges of a span (a quote before a headline word) is not the name.
            let named = |at: &usize| {
                tokens.get(*at).is_some_and(|t| {
                    text.get(t.start..t.end)
                        .is_some_and(|w| w.chars().any(char::is_alphanumeric))
                })
            };
            let first_at = range.clone().find(named)?;
            let last_at = range.clone().rev().find(named)?;
            let first = tokens.get(first_at)?;
            let last = tokens.get(last_at)?;
            Some(Tagged {
                start: first.start,
                end: last.end,
                kind,
            })
        })
        .collect()
}

/// Labels for already tokenised words (evaluation and training use CoNLL's own tokens).
pub fn tag_words(model: &Model, words: &[&str], sentences: &[Range<usize>]) -> Vec<u8> {
    let mut b = Buffers::default();
    b.extractor.document(
        words,
        sentences,
        model.bits(),
        model.clusters(),
        &mut b.features,
    );
    model.decode(&b.features, sentences, &mut b.scratch, &mut b.labels);
    b.labels
}

/// Entity spans (ranges of token indices) of BIO labels; an I- label without its B- (which
/// decoding never produces) opens an entity, and no entity crosses a sentence end.
pub fn spans(labels: &[u8], sentences: &[Range<usize>]) -> Vec<(Range<usize>, Kind)> {
    let mut out = Vec::new();
    for sentence in sentences {
        let mut open: Option<(usize, Kind)> = None;
        for at in sentence.clone() {
            let label = labels.get(at).and_then(|&l| label_kind(l));
            match (label, open) {
                (Some((kind, false)), Some((_, current))) if current == kind => {}
                _ => {
                    if let Some((start, kind)) = open.take() {
                        out.push((start..at, kind));
                    }
                    if let Some((kind, _)) = label {
                        open = Some((at, kind));
                    }
                }
            }
        }
        if let Some((start, kind)) = open {
            out.push((start..sentence.end, kind));
        }
    }
    out
}

#[cfg(test)]
mod tests;

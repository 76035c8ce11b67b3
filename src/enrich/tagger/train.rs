//! Training a [`Model`] with the averaged structured perceptron: decode each sentence with the current
//! weights, move the weights of the gold labels up and of the wrong ones down, and ship the average of
//! the weights over all steps (which generalises far better than the last ones). Deterministic: the
//! sentence order of each epoch comes from a fixed-seed generator.

use std::ops::Range;

use super::clusters::WordClusters;
use super::features::{Extractor, Features};
use super::model::{label_kind, viterbi, Model, LABELS};
use super::spans;
use super::tokens::tokenize;

/// One training document: its words, sentences (ranges of word indices) and one label per word.
#[derive(Debug, Clone, Default)]
pub struct TrainDoc {
    pub words: Vec<String>,
    pub sentences: Vec<Range<usize>>,
    pub labels: Vec<u8>,
}

impl TrainDoc {
    /// The document as text: words joined by spaces, sentences by line breaks; with the byte range
    /// of each word in it.
    pub fn text(&self) -> (String, Vec<Range<usize>>) {
        let mut text = String::new();
        let mut ranges = Vec::with_capacity(self.words.len());
        for sentence in &self.sentences {
            if !text.is_empty() {
                text.push('\n');
            }
            let words = self.words.get(sentence.clone()).unwrap_or(&[]);
            for (i, word) in words.iter().enumerate() {
                if i > 0 {
                    text.push(' ');
                }
                let start = text.len();
                text.push_str(word);
                ranges.push(start..text.len());
            }
        }
        (text, ranges)
    }

    /// The document as the tagger sees it at indexing time: its words joined by spaces and its
    /// sentences by line breaks, split again by [`tokenize`], with each entity's label moved onto
    /// the new tokens it covers (the first one `B-`, the rest `I-`). Training on this keeps the
    /// model's idea of sentences and tokens the same as the pipeline's (a headline line without a
    /// full stop runs on into the next line, as it does in real text).
    pub fn as_running_text(&self) -> TrainDoc {
        let (text, ranges) = self.text();
        // Entities as byte ranges.
        let entities: Vec<(Range<usize>, u8)> = spans(&self.labels, &self.sentences)
            .into_iter()
            .filter_map(|(words, kind)| {
                let first = ranges.get(words.start)?;
                let last = ranges.get(words.end.checked_sub(1)?)?;
                Some((first.start..last.end, kind.begin()))
            })
            .collect();
        let tokenized = tokenize(&text);
        let mut labels = Vec::with_capacity(tokenized.tokens.len());
        let mut entity = entities.iter().peekable();
        let mut open: Option<usize> = None;
        for token in &tokenized.tokens {
            while entity
                .peek()
                .is_some_and(|(range, _)| range.end <= token.start)
            {
                entity.next();
                open = None;
            }
            let label = match entity.peek() {
                Some((range, begin)) if range.start <= token.start => {
                    let inside = open == Some(range.start);
                    open = Some(range.start);
                    begin + u8::from(inside)
                }
                _ => 0,
            };
            labels.push(label);
        }
        // An entity that a sentence break cuts in two starts again after the break.
        for sentence in &tokenized.sentences {
            if let Some(first) = labels.get_mut(sentence.start) {
                if let Some((kind, false)) = label_kind(*first) {
                    *first = kind.begin();
                }
            }
        }
        TrainDoc {
            words: tokenized
                .tokens
                .iter()
                .map(|t| text.get(t.start..t.end).unwrap_or("").to_string())
                .collect(),
            sentences: tokenized.sentences,
            labels,
        }
    }
}

/// A document with its features computed once.
struct Prepared {
    features: Features,
    sentences: Vec<Range<usize>>,
    labels: Vec<u8>,
}

/// The perceptron's state between epochs.
pub struct Trainer {
    bits: u32,
    clusters: WordClusters,
    docs: Vec<Prepared>,
    weights: Vec<f32>,
    /// Sum of `step × update`, from which the average is recovered (Daumé's trick).
    totals: Vec<f32>,
    transitions: [f32; LABELS * LABELS],
    transition_totals: [f32; LABELS * LABELS],
    start: [f32; LABELS],
    start_totals: [f32; LABELS],
    step: f32,
    seed: u64,
}

impl Trainer {
    /// A trainer over `docs` with a feature table of `2^bits` rows and the language's word clusters.
    pub fn new(docs: &[TrainDoc], bits: u32, clusters: WordClusters, seed: u64) -> Trainer {
        let mut extractor = Extractor::default();
        let prepared = docs
            .iter()
            .map(|doc| {
                let words: Vec<&str> = doc.words.iter().map(String::as_str).collect();
                let mut features = Features::default();
                extractor.document(&words, &doc.sentences, bits, &clusters, &mut features);
                Prepared {
                    features,
                    sentences: doc.sentences.clone(),
                    labels: doc.labels.clone(),
                }
            })
            .collect();
        let table = (1usize << bits) * LABELS;
        Trainer {
            bits,
            clusters,
            docs: prepared,
            weights: vec![0.0; table],
            totals: vec![0.0; table],
            transitions: [0.0; LABELS * LABELS],
            transition_totals: [0.0; LABELS * LABELS],
            start: [0.0; LABELS],
            start_totals: [0.0; LABELS],
            step: 1.0,
            seed: seed | 1,
        }
    }

    /// One pass over every sentence in a shuffled order; returns the number of sentences decoded wrong.
    pub fn epoch(&mut self) -> usize {
        let mut order: Vec<(usize, usize)> = self
            .docs
            .iter()
            .enumerate()
            .flat_map(|(d, doc)| (0..doc.sentences.len()).map(move |s| (d, s)))
            .collect();
        // Fisher–Yates with xorshift64*.
        for i in (1..order.len()).rev() {
            self.seed ^= self.seed >> 12;
            self.seed ^= self.seed << 25;
            self.seed ^= self.seed >> 27;
            let r = self.seed.wrapping_mul(0x2545_f491_4f6c_dd1d);
            order.swap(i, (r % (i as u64 + 1)) as usize);
        }
        let mut emissions: Vec<[f32; LABELS]> = Vec::new();
        let mut back = Vec::new();
        let mut predicted = Vec::new();
        let mut wrong = 0;
        for (d, s) in order {
            let Some(doc) = self.docs.get(d) else {
                continue;
            };
            let Some(range) = doc.sentences.get(s).cloned() else {
                continue;
            };
            emissions.clear();
            for token in range.clone() {
                let mut sum = [0f32; LABELS];
                for &row in doc.features.of(token) {
                    let at = row as usize * LABELS;
                    for (slot, w) in sum.iter_mut().zip(&self.weights[at..at + LABELS]) {
                        *slot += w;
                    }
                }
                emissions.push(sum);
            }
            viterbi(
                &emissions,
                &self.transitions,
                &self.start,
                &mut back,
                &mut predicted,
            );
            let gold = &doc.labels[range.clone()];
            if predicted.as_slice() != gold {
                wrong += 1;
                let step = self.step;
                for (offset, (&g, &p)) in gold.iter().zip(&predicted).enumerate() {
                    let token = range.start + offset;
                    if g != p {
                        for &row in doc.features.of(token) {
                            let at = row as usize * LABELS;
                            let (gi, pi) = (at + usize::from(g), at + usize::from(p));
                            self.weights[gi] += 1.0;
                            self.totals[gi] += step;
                            self.weights[pi] -= 1.0;
                            self.totals[pi] -= step;
                        }
                    }
                    let (gp, pp) = match offset.checked_sub(1) {
                        Some(prev) => (Some(gold[prev]), Some(predicted[prev])),
                        None => (None, None),
                    };
                    if (gp, g) != (pp, p) {
                        update_pair(
                            &mut self.transitions,
                            &mut self.transition_totals,
                            &mut self.start,
                            &mut self.start_totals,
                            gp,
                            g,
                            1.0,
                            step,
                        );
                        update_pair(
                            &mut self.transitions,
                            &mut self.transition_totals,
                            &mut self.start,
                            &mut self.start_totals,
                            pp,
                            p,
                            -1.0,
                            step,
                        );
                    }
                }
            }
            self.step += 1.0;
        }
        wrong
    }

    /// The averaged weights as a shippable model: scaled to `i16`, rows whose largest weight rounds
    /// below `min_weight` (in `i16` units) dropped.
    pub fn model(&self, min_weight: i16) -> Model {
        let average = |w: f32, total: f32| w - total / self.step;
        let emission: Vec<f32> = self
            .weights
            .iter()
            .zip(&self.totals)
            .map(|(&w, &t)| average(w, t))
            .collect();
        let transitions: Vec<f32> = self
            .transitions
            .iter()
            .zip(&self.transition_totals)
            .map(|(&w, &t)| average(w, t))
            .collect();
        let start: Vec<f32> = self
            .start
            .iter()
            .zip(&self.start_totals)
            .map(|(&w, &t)| average(w, t))
            .collect();
        let largest = emission
            .iter()
            .chain(&transitions)
            .chain(&start)
            .fold(0f32, |m, w| m.max(w.abs()));
        let scale = if largest > 0.0 {
            32000.0 / largest
        } else {
            1.0
        };
        let mut weights: Vec<i16> = emission
            .iter()
            .map(|w| (w * scale).round() as i16)
            .collect();
        for row in weights.chunks_mut(LABELS) {
            if row
                .iter()
                .all(|w| w.unsigned_abs() < min_weight.unsigned_abs())
            {
                row.fill(0);
            }
        }
        let mut t = [0i32; LABELS * LABELS];
        for (slot, w) in t.iter_mut().zip(&transitions) {
            *slot = (w * scale).round() as i32;
        }
        let mut s = [0i32; LABELS];
        for (slot, w) in s.iter_mut().zip(&start) {
            *slot = (w * scale).round() as i32;
        }
        Model::new(self.bits, weights, t, s, self.clusters.clone())
    }
}

#[allow(clippy::too_many_arguments)]
fn update_pair(
    transitions: &mut [f32; LABELS * LABELS],
    transition_totals: &mut [f32; LABELS * LABELS],
    start: &mut [f32; LABELS],
    start_totals: &mut [f32; LABELS],
    from: Option<u8>,
    to: u8,
    delta: f32,
    step: f32,
) {
    let to = usize::from(to);
    match from {
        Some(from) => {
            let at = usize::from(from) * LABELS + to;
            transitions[at] += delta;
            transition_totals[at] += delta * step;
        }
        None => {
            start[to] += delta;
            start_totals[to] += delta * step;
        }
    }
}

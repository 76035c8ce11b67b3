//! Term weights of a profile: Rocchio over saturated term frequencies, with an idf from the
//! index, so that a term weighs by how typical it is of the examples and how rare it is
//! elsewhere; counter-examples pull their terms down.

use std::collections::HashMap;

use tantivy::schema::Field;

use super::examples::Example;
use super::scoring::saturate;
use super::LearnOptions;

/// A weighted term before it is given its display form.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Weighted {
    pub field: Field,
    pub term: String,
    pub weight: f32,
}

/// What the index says about terms: its size and each term's document frequency.
pub(super) struct Background<'a> {
    pub docs: u64,
    pub doc_freq: &'a HashMap<(Field, String), u64>,
    pub avg_len: &'a HashMap<Field, f32>,
    /// The title field, whose terms are weighed by `LearnOptions::title_weight`.
    pub title: Field,
}

impl Background<'_> {
    fn idf(&self, field: Field, term: &str) -> f32 {
        let df = self
            .doc_freq
            .get(&(field, term.to_string()))
            .copied()
            .unwrap_or(0) as f32;
        let n = self.docs as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    fn df(&self, field: Field, term: &str) -> u64 {
        self.doc_freq
            .get(&(field, term.to_string()))
            .copied()
            .unwrap_or(0)
    }

    /// An example's saturated frequency of `term`.
    pub fn saturated(&self, example: &Example, term: &str, options: &LearnOptions) -> f32 {
        let tf = example.tf.get(term).copied().unwrap_or(0);
        let avg = self.avg_len.get(&example.field).copied().unwrap_or(1.0);
        saturate(tf, example.len, avg, options.k1, options.b)
    }
}

fn is_number(term: &str) -> bool {
    term.chars().all(|c| c.is_ascii_digit())
}

/// The profile's terms learned from `like` and `unlike`: per field, the `options.terms`
/// heaviest positive terms, scaled so that each field's weights have unit length (the title
/// field's a share of `options.title_weight` that grows with the number of examples).
pub(super) fn weigh(
    like: &[&Example],
    pseudo: &[&Example],
    unlike: &[&Example],
    background: &Background,
    options: &LearnOptions,
) -> Vec<Weighted> {
    let mut by_field: HashMap<Field, Vec<(&Example, f32)>> = HashMap::new();
    for example in like {
        by_field
            .entry(example.field)
            .or_default()
            .push((example, 1.0));
    }
    for example in pseudo {
        if let Some(positives) = by_field.get_mut(&example.field) {
            positives.push((example, options.pseudo_weight));
        }
    }
    let mut fields: Vec<_> = by_field.into_iter().collect();
    fields.sort_by_key(|(field, _)| field.field_id());
    let mut out = Vec::new();
    for (field, positives) in fields {
        let negatives: Vec<&Example> = unlike
            .iter()
            .copied()
            .filter(|example| example.field == field)
            .collect();
        let mut candidates: Vec<&String> =
            positives.iter().flat_map(|(e, _)| e.tf.keys()).collect();
        candidates.sort();
        candidates.dedup();
        let mut weighted: Vec<Weighted> = Vec::new();
        for term in candidates {
            if options.skip_numbers && is_number(term) {
                continue;
            }
            let containing = positives
                .iter()
                .filter(|(e, _)| e.tf.contains_key(term))
                .count() as u64;
            // A term no document but the examples has cannot find anything new. The
            // pseudo-relevant documents do not count here: a term the examples share only with
            // their nearest neighbours is the kind they were brought in to confirm.
            let in_examples = like
                .iter()
                .filter(|e| e.field == field && e.tf.contains_key(term))
                .count() as u64;
            if background.df(field, term) <= in_examples {
                continue;
            }
            // A word of one neighbour alone is that story's, not the topic's.
            if in_examples == 0 && containing < 2 {
                continue;
            }
            let mean = |examples: &[&Example]| {
                if examples.is_empty() {
                    return 0.0;
                }
                let sum: f32 = examples
                    .iter()
                    .map(|e| background.saturated(e, term, options))
                    .sum();
                sum / examples.len() as f32
            };
            let total: f32 = positives.iter().map(|(_, w)| w).sum();
            let centroid = positives
                .iter()
                .map(|(e, w)| w * background.saturated(e, term, options))
                .sum::<f32>()
                / total.max(f32::MIN_POSITIVE);
            let share = containing as f32 / positives.len() as f32;
            let weight = background.idf(field, term).powf(options.idf_power)
                * share.powf(options.consistency)
                * (centroid - options.beta * mean(&negatives));
            if weight > 0.0 {
                weighted.push(Weighted {
                    field,
                    term: term.clone(),
                    weight,
                });
            }
        }
        weighted.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
        weighted.truncate(options.terms);
        let norm = weighted
            .iter()
            .map(|w| w.weight * w.weight)
            .sum::<f32>()
            .sqrt();
        let length = if field == background.title {
            // One headline's words are thin evidence of what its topic is: title terms weigh
            // in as more examples agree, nothing from a single example, nearly the full
            // `title_weight` from many.
            let titles = like.iter().filter(|e| e.field == field).count() as f32;
            options.title_weight * (titles - 1.0).max(0.0) / titles.max(1.0)
        } else {
            1.0
        };
        if norm > 0.0 && length > 0.0 {
            for w in &mut weighted {
                w.weight *= length / norm;
            }
        } else {
            weighted.clear();
        }
        out.extend(weighted);
    }
    out
}

/// The score `weights` give an example, computed from its analysed text exactly as the index
/// scoring computes it from postings.
pub(super) fn score_example(
    example: &Example,
    weights: &[Weighted],
    background: &Background,
    options: &LearnOptions,
) -> f32 {
    weights
        .iter()
        .filter(|w| w.field == example.field)
        .map(|w| w.weight * background.saturated(example, &w.term, options))
        .sum()
}

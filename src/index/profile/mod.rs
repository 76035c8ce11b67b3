//! Topics learned from example documents: a profile of weighted terms per analysed text field
//! (so Spanish and English examples each bring the stemmed terms of their own field) and a
//! decision threshold, both chosen from the examples and the rest of the index without labels.
//!
//! [`learn`] builds a profile from example ids (and counter-examples), [`refine`] adds relevance
//! feedback, [`members`] lists the documents that reach the threshold with the terms that made
//! them join. A document's score depends only on it and the profile (see [`scoring`]), so the
//! same decision is made in the full index and in the small batch index of an indexing run.

mod examples;
mod scoring;
mod threshold;
mod weights;

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::index::store::OpenIndex;
use crate::index::stored::first_text;
use examples::Example;
pub use scoring::{members, Member};
pub use threshold::{ThresholdRule, FALSE_ALARM_COST};
use weights::{score_example, weigh, Background, Weighted};

/// One weighted term of a profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileTerm {
    /// The searchable text field the term belongs to (`text_en`, `text_es`, `text_other`).
    pub field: String,
    /// The analysed (stemmed, folded) form, as the index holds it.
    pub term: String,
    /// A surface form of the examples, to show users.
    pub display: String,
    pub weight: f32,
}

/// The average length of a field when the profile was learned (fixed, so scores do not move as
/// the index grows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldLength {
    pub field: String,
    pub avg_len: f32,
}

/// How a profile is learned; the defaults are what `topic add --like` uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnOptions {
    /// Terms kept per field.
    pub terms: usize,
    /// BM25 term-frequency saturation.
    pub k1: f32,
    /// BM25 length normalisation.
    pub b: f32,
    /// Rocchio's weight of counter-examples.
    pub beta: f32,
    /// Leave out terms made of digits only (amounts and dates say little about a topic).
    pub skip_numbers: bool,
    pub threshold: ThresholdRule,
}

impl Default for LearnOptions {
    fn default() -> Self {
        LearnOptions {
            terms: 40,
            k1: 1.2,
            b: 0.75,
            beta: 0.5,
            skip_numbers: true,
            threshold: ThresholdRule::default(),
        }
    }
}

/// A learned topic: weighted terms and the score a document needs to join.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub terms: Vec<ProfileTerm>,
    pub threshold: f32,
    pub lengths: Vec<FieldLength>,
    pub k1: f32,
    pub b: f32,
    /// The judged documents it was learned from, so feedback can learn again from all of them.
    pub like: Vec<String>,
    pub unlike: Vec<String>,
    pub options: LearnOptions,
}

impl Profile {
    /// The average length of `field` at learn time (1 when unknown).
    pub fn avg_len(&self, field: &str) -> f32 {
        self.lengths
            .iter()
            .find(|length| length.field == field)
            .map_or(1.0, |length| length.avg_len)
    }
}

/// Learns a profile from the documents with ids `like`, against those with ids `unlike`.
pub fn learn(index: &OpenIndex, like: &[String], unlike: &[String]) -> Result<Profile> {
    learn_with(index, like, unlike, &LearnOptions::default())
}

/// [`learn`] with chosen options (the evaluation harness compares them).
pub fn learn_with(
    index: &OpenIndex,
    like: &[String],
    unlike: &[String],
    options: &LearnOptions,
) -> Result<Profile> {
    if like.is_empty() {
        return Err(Error::InvalidRequest {
            detail: "a learned topic needs at least one example document".into(),
        });
    }
    let searcher = index.reader()?.searcher();
    let positives = examples::load(index, &searcher, like)?;
    let negatives = examples::load(index, &searcher, unlike)?;
    let fields = &index.fields;

    let mut avg_len = HashMap::new();
    for example in positives.iter().chain(&negatives) {
        if let std::collections::hash_map::Entry::Vacant(slot) = avg_len.entry(example.field) {
            slot.insert(average_length(&searcher, example.field)?);
        }
    }
    let mut doc_freq = HashMap::new();
    for example in &positives {
        for term in example.tf.keys() {
            let key = (example.field, term.clone());
            if let std::collections::hash_map::Entry::Vacant(slot) = doc_freq.entry(key) {
                slot.insert(searcher.doc_freq(&Term::from_field_text(example.field, term))?);
            }
        }
    }
    let background = Background {
        docs: searcher.num_docs(),
        doc_freq: &doc_freq,
        avg_len: &avg_len,
    };
    let like_refs: Vec<&Example> = positives.iter().collect();
    let unlike_refs: Vec<&Example> = negatives.iter().collect();
    let weighted = weigh(&like_refs, &unlike_refs, &background, options);

    let mut profile = Profile {
        terms: display(&weighted, &positives, fields),
        threshold: f32::MAX,
        lengths: avg_len
            .iter()
            .map(|(field, avg)| FieldLength {
                field: fields.schema.get_field_name(*field).to_string(),
                avg_len: *avg,
            })
            .collect(),
        k1: options.k1,
        b: options.b,
        like: like.to_vec(),
        unlike: unlike.to_vec(),
        options: options.clone(),
    };
    profile.lengths.sort_by(|a, b| a.field.cmp(&b.field));

    // Each example as a profile learned without it scores it (itself when it is the only one).
    let example_scores: Vec<f32> = (0..positives.len())
        .map(|left_out| {
            if positives.len() < 2 {
                return score_example(&positives[left_out], &weighted, &background, options);
            }
            let others: Vec<&Example> = positives
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != left_out)
                .map(|(_, e)| e)
                .collect();
            let without = weigh(&others, &unlike_refs, &background, options);
            score_example(&positives[left_out], &without, &background, options)
        })
        .collect();
    let judged: HashSet<DocAddress> = positives
        .iter()
        .chain(&negatives)
        .map(|example| example.address)
        .collect();
    let scores = scoring::score_all(&searcher, fields, &profile)?;
    let mut others = Vec::with_capacity(searcher.num_docs() as usize);
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let alive = segment.alive_bitset();
        for (doc, &score) in scores[ord].iter().enumerate() {
            let doc = doc as u32;
            if alive.is_some_and(|alive| alive.is_deleted(doc))
                || judged.contains(&DocAddress::new(ord as u32, doc))
            {
                continue;
            }
            others.push(score);
        }
    }
    profile.threshold = threshold::choose(options.threshold, &example_scores, &others);
    Ok(profile)
}

/// Relevance feedback: learns `profile` again from all documents judged so far, `yes` joining
/// the examples and `no` the counter-examples (a later judgement replaces an earlier one), with
/// a threshold chosen again.
pub fn refine(
    index: &OpenIndex,
    profile: &Profile,
    yes: &[String],
    no: &[String],
) -> Result<Profile> {
    let mut like: Vec<String> = profile
        .like
        .iter()
        .filter(|id| !no.contains(id))
        .cloned()
        .collect();
    let mut unlike: Vec<String> = profile
        .unlike
        .iter()
        .filter(|id| !yes.contains(id))
        .cloned()
        .collect();
    for id in yes {
        if !like.contains(id) {
            like.push(id.clone());
        }
    }
    for id in no {
        if !unlike.contains(id) {
            unlike.push(id.clone());
        }
    }
    learn_with(index, &like, &unlike, &profile.options)
}

/// The members of a profile in an opened index, with the searcher they were found with.
pub struct Applied {
    pub searcher: Searcher,
    pub members: Vec<Member>,
    id_field: tantivy::schema::Field,
}

impl Applied {
    /// The id of the document at `address` (empty when it has none).
    pub fn id(&self, address: DocAddress) -> Result<String> {
        let stored: TantivyDocument = self.searcher.doc(address)?;
        Ok(first_text(&stored, self.id_field).unwrap_or_default())
    }
}

/// Applies `profile` to every document of `index`.
pub fn apply(index: &OpenIndex, profile: &Profile) -> Result<Applied> {
    let searcher = index.reader()?.searcher();
    let members = members(&searcher, &index.fields, profile)?;
    Ok(Applied {
        searcher,
        members,
        id_field: index.fields.id,
    })
}

/// The average length of a text field over the documents that have it.
fn average_length(searcher: &Searcher, field: tantivy::schema::Field) -> Result<f32> {
    let (mut tokens, mut docs) = (0u64, 0u64);
    for segment in searcher.segment_readers() {
        tokens += segment.inverted_index(field)?.total_num_tokens();
        if let Some(norms) = segment.fieldnorms_readers().get_field(field)? {
            docs += (0..segment.max_doc())
                .filter(|&doc| norms.fieldnorm_id(doc) > 0)
                .count() as u64;
        }
    }
    Ok(if docs == 0 {
        1.0
    } else {
        tokens as f32 / docs as f32
    })
}

/// The profile terms with their field names and most frequent surface form in the examples.
fn display(
    weighted: &[Weighted],
    positives: &[Example],
    fields: &crate::index::schema::Fields,
) -> Vec<ProfileTerm> {
    weighted
        .iter()
        .map(|w| {
            let mut counts: HashMap<&str, u32> = HashMap::new();
            for example in positives.iter().filter(|e| e.field == w.field) {
                for (surface, count) in example.surfaces.get(&w.term).into_iter().flatten() {
                    *counts.entry(surface).or_default() += count;
                }
            }
            let display = counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                .map_or_else(|| w.term.clone(), |(surface, _)| surface.to_string());
            ProfileTerm {
                field: fields.schema.get_field_name(w.field).to_string(),
                term: w.term.clone(),
                display,
                weight: w.weight,
            }
        })
        .collect()
}

/// A searcher on the last commit of `index`, for callers outside the crate that read members.
pub fn searcher(index: &OpenIndex) -> Result<Searcher> {
    Ok(index.reader()?.searcher())
}

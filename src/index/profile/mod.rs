//! Topics learned from example documents: a profile of weighted terms per analysed text field
//! (so Spanish and English examples each bring the stemmed terms of their own field) and a
//! decision threshold, both chosen from the examples and the rest of the index without labels.
//!
//! [`learn`] builds a profile from example ids (and counter-examples), [`refine`] adds relevance
//! feedback, [`members`] lists the documents that reach the threshold with the terms that made
//! them join. A document's score depends only on it and the profile (see [`scoring`]), so the
//! same decision is made in the full index and in the small batch index of an indexing run.

mod examples;
mod learning;
mod scoring;
mod threshold;
mod weights;

use serde::{Deserialize, Serialize};
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::error::{Error, Result};
use crate::index::store::OpenIndex;
use crate::index::stored::first_text;
pub use scoring::{members, Member};
pub(crate) use scoring::{score_document, segment_members};
pub use threshold::{ThresholdRule, FALSE_ALARM_COST};

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
    /// Pseudo-relevance feedback: the best-scoring documents of a first profile taken as
    /// examples too, at most this many and never more than half the TDT prior's share of the
    /// index (1 %), so that a small index lends few or none. A few examples, often of one
    /// event, name only part of a topic; the stories closest to them bring its other words.
    pub pseudo_docs: usize,
    /// Their weight in the centroid, relative to a real example's: together they weigh about
    /// as much as a handful of examples, and each much less than one.
    pub pseudo_weight: f32,
    /// The idf is raised to this power.
    pub idf_power: f32,
    /// Weights are multiplied by the share of examples holding the term, to this power.
    pub consistency: f32,
    /// The weight of terms of the title field (a second set of terms, from the examples' titles
    /// alone) relative to the terms of the text fields, reached as examples accumulate (with
    /// n examples, (n − 1)/n of it); 0 learns no title terms. Profiles saved
    /// before title terms existed read as 0 and so keep scoring as they did.
    #[serde(default)]
    pub title_weight: f32,
    /// The threshold never rises above the weakest example whose own score reaches this
    /// fraction of the examples' median score: stories scoring like a typical example join.
    /// An example scoring below that is atypical; it belongs by fiat and does not drag the
    /// threshold down. 0 caps at the weakest example, infinity never caps.
    #[serde(default = "default_example_floor")]
    pub example_floor: f32,
}

fn default_example_floor() -> f32 {
    0.5
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
            pseudo_docs: 50,
            pseudo_weight: 0.1,
            idf_power: 2.0,
            consistency: 0.0,
            title_weight: 0.6,
            example_floor: default_example_floor(),
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
    learning::learn(index, like, unlike, options)
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

/// The live documents the profile was learned from (its `like` ids) still in the index.
pub(crate) fn example_addresses(
    searcher: &Searcher,
    fields: &crate::index::schema::Fields,
    profile: &Profile,
) -> Result<std::collections::HashSet<DocAddress>> {
    examples::present(searcher, fields, &profile.like)
}

/// A searcher on the last commit of `index`, for callers outside the crate that read members.
pub fn searcher(index: &OpenIndex) -> Result<Searcher> {
    Ok(index.reader()?.searcher())
}

#[cfg(test)]
mod tests;

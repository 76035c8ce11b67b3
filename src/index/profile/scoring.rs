//! How a profile scores documents: a saturated, length-normalised term frequency (BM25's shape)
//! times the weight each term got at learn time, summed over the profile's terms.
//!
//! The score of a document depends only on that document and the profile: the weights, the
//! saturation constants and the average field lengths are fixed in the profile when it is
//! learned, and the document's length is its fieldnorm (the same byte in any index that holds
//! the document). Scoring a new document alone in an indexing batch therefore gives exactly the
//! score it gets in the full index. Scores are summed per document in the profile's term order,
//! so even the float rounding is the same.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, InvertedIndexReader, Searcher, SegmentReader, Term};

use super::{examples, Profile, ProfileTerm};
use crate::error::Result;
use crate::index::schema::Fields;

/// The saturated, length-normalised frequency of a term that occurs `tf` times in a field of
/// `len` tokens, for fields whose average length is `avg_len`.
pub(super) fn saturate(tf: u32, len: u32, avg_len: f32, k1: f32, b: f32) -> f32 {
    if tf == 0 {
        return 0.0;
    }
    let tf = tf as f32;
    let relative = if avg_len > 0.0 {
        len as f32 / avg_len
    } else {
        1.0
    };
    tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * relative))
}

/// A profile term resolved against a schema.
struct Resolved<'a> {
    term: &'a ProfileTerm,
    field: Field,
    avg_len: f32,
}

impl Resolved<'_> {
    /// What `tf` occurrences in a field of `len` tokens add to a document's score.
    fn contribution(&self, profile: &Profile, tf: u32, len: u32) -> f32 {
        self.term.weight * saturate(tf, len, self.avg_len, profile.k1, profile.b)
    }

    /// The segment's field norms and inverted index for this term's field, and the term itself;
    /// `None` when the segment has no such field.
    fn open_in(
        &self,
        segment: &SegmentReader,
    ) -> Result<Option<(FieldNormReader, Arc<InvertedIndexReader>, Term)>> {
        let Some(norms) = segment.fieldnorms_readers().get_field(self.field)? else {
            return Ok(None);
        };
        let inverted = segment.inverted_index(self.field)?;
        let key = Term::from_field_text(self.field, &self.term.term);
        Ok(Some((norms, inverted, key)))
    }
}

fn resolve<'a>(fields: &Fields, profile: &'a Profile) -> Vec<Resolved<'a>> {
    profile
        .terms
        .iter()
        .filter_map(|term| {
            let field = fields.schema.get_field(&term.field).ok()?;
            Some(Resolved {
                term,
                field,
                avg_len: profile.avg_len(&term.field),
            })
        })
        .collect()
}

/// The score of every document of every segment (`scores[segment][doc]`); deleted documents
/// score 0.
pub(crate) fn score_all(
    searcher: &Searcher,
    fields: &Fields,
    profile: &Profile,
) -> Result<Vec<Vec<f32>>> {
    let resolved = resolve(fields, profile);
    searcher
        .segment_readers()
        .iter()
        .map(|segment| score_segment(segment, &resolved, profile))
        .collect()
}

/// The score of every document of one segment; deleted documents score 0.
fn score_segment(
    segment: &SegmentReader,
    resolved: &[Resolved],
    profile: &Profile,
) -> Result<Vec<f32>> {
    let mut scores = vec![0f32; segment.max_doc() as usize];
    for_each_contribution(segment, resolved, profile, |doc, _, contribution| {
        scores[doc as usize] += contribution;
    })?;
    if let Some(alive) = segment.alive_bitset() {
        for (doc, score) in scores.iter_mut().enumerate() {
            if alive.is_deleted(doc as DocId) {
                *score = 0.0;
            }
        }
    }
    Ok(scores)
}

/// Whether a document scoring `score` reaches the profile's threshold (a document with none of
/// its terms never does, whatever the threshold).
fn reaches(profile: &Profile, score: f32) -> bool {
    score > 0.0 && score >= profile.threshold
}

/// The live documents of one segment that belong to the profile, ascending: those that reach the
/// threshold, and `examples` (the segment's documents the profile was learned from).
pub(crate) fn segment_members(
    segment: &SegmentReader,
    fields: &Fields,
    profile: &Profile,
    examples: &HashSet<DocId>,
) -> Result<Vec<DocId>> {
    let resolved = resolve(fields, profile);
    let scores = score_segment(segment, &resolved, profile)?;
    let alive = segment.alive_bitset();
    Ok(scores
        .iter()
        .enumerate()
        .filter(|&(doc, &score)| {
            let doc = doc as DocId;
            reaches(profile, score)
                || (examples.contains(&doc) && alive.is_none_or(|alive| alive.is_alive(doc)))
        })
        .map(|(doc, _)| doc as DocId)
        .collect())
}

/// The score of one document and the terms that contributed most, looked up term by term (a
/// skip in each posting list, not a pass over it): what `show` and `track` say of a member.
pub(crate) fn score_document(
    segment: &SegmentReader,
    fields: &Fields,
    profile: &Profile,
    doc: DocId,
) -> Result<(f32, Vec<(String, f32)>)> {
    let resolved = resolve(fields, profile);
    let mut score = 0f32;
    let mut terms = Vec::new();
    for term in &resolved {
        let Some((norms, inverted, key)) = term.open_in(segment)? else {
            continue;
        };
        let postings = inverted
            .read_postings(&key, IndexRecordOption::WithFreqs)
            .map_err(tantivy::TantivyError::from)?;
        let Some(mut postings) = postings else {
            continue;
        };
        // A fresh posting list stands on its first document, and may only seek forward.
        let at = if postings.doc() >= doc {
            postings.doc()
        } else {
            postings.seek(doc)
        };
        if at != doc {
            continue;
        }
        let contribution = term.contribution(profile, postings.term_freq(), norms.fieldnorm(doc));
        score += contribution;
        terms.push((term.term.display.clone(), contribution));
    }
    terms.sort_by(|a, b| b.1.total_cmp(&a.1));
    terms.truncate(EVIDENCE_TERMS);
    Ok((score, terms))
}

/// Calls `visit(doc, term index, contribution)` for every posting of every profile term in one
/// segment, term by term in the profile's order.
fn for_each_contribution(
    segment: &SegmentReader,
    resolved: &[Resolved],
    profile: &Profile,
    mut visit: impl FnMut(DocId, usize, f32),
) -> Result<()> {
    for (position, term) in resolved.iter().enumerate() {
        let Some((norms, inverted, key)) = term.open_in(segment)? else {
            continue;
        };
        let postings = inverted
            .read_block_postings(&key, IndexRecordOption::WithFreqs)
            .map_err(tantivy::TantivyError::from)?;
        let Some(mut postings) = postings else {
            continue;
        };
        while !postings.docs().is_empty() {
            for (&doc, &tf) in postings.docs().iter().zip(postings.freqs()) {
                visit(
                    doc,
                    position,
                    term.contribution(profile, tf, norms.fieldnorm(doc)),
                );
            }
            postings.advance();
        }
    }
    Ok(())
}

/// A member of a profile: a document whose score reached the threshold, or one of the examples
/// it was learned from (they belong whatever they score), with the terms that contributed most.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub address: DocAddress,
    pub score: f32,
    /// One of the profile's examples (`like`): a member even below the threshold.
    pub example: bool,
    /// The largest contributions, largest first, as (display form, contribution).
    pub top_terms: Vec<(String, f32)>,
}

/// How many terms a member's evidence names.
const EVIDENCE_TERMS: usize = 5;

/// Every live document whose score is at least the profile's threshold, and every example of the
/// profile still in the index, by segment and doc id.
pub fn members(searcher: &Searcher, fields: &Fields, profile: &Profile) -> Result<Vec<Member>> {
    let resolved = resolve(fields, profile);
    let scores = score_all(searcher, fields, profile)?;
    let examples = examples::present(searcher, fields, &profile.like)?;
    let mut out = Vec::new();
    for (ord, (segment, scores)) in searcher.segment_readers().iter().zip(&scores).enumerate() {
        let mut slot: HashMap<DocId, usize> = HashMap::new();
        let mut evidence: Vec<Vec<(usize, f32)>> = Vec::new();
        for (doc, &score) in scores.iter().enumerate() {
            let address = DocAddress::new(ord as u32, doc as DocId);
            let example = examples.contains(&address);
            if example || reaches(profile, score) {
                slot.insert(doc as DocId, evidence.len());
                evidence.push(Vec::new());
                out.push(Member {
                    address,
                    score,
                    example,
                    top_terms: Vec::new(),
                });
            }
        }
        if slot.is_empty() {
            continue;
        }
        for_each_contribution(segment, &resolved, profile, |doc, term, contribution| {
            if let Some(&at) = slot.get(&doc) {
                evidence[at].push((term, contribution));
            }
        })?;
        let first = out.len() - evidence.len();
        for (member, mut terms) in out[first..].iter_mut().zip(evidence) {
            terms.sort_by(|a, b| b.1.total_cmp(&a.1));
            terms.truncate(EVIDENCE_TERMS);
            member.top_terms = terms
                .into_iter()
                .map(|(term, contribution)| (resolved[term].term.display.clone(), contribution))
                .collect();
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturation_grows_with_frequency_and_shrinks_with_length() {
        let at = |tf, len| saturate(tf, len, 100.0, 1.2, 0.75);
        assert_eq!(at(0, 100), 0.0);
        assert!(at(2, 100) > at(1, 100));
        assert!(at(1, 50) > at(1, 100));
        assert!(at(1000, 100) < 2.2 + 1e-3, "saturates below k1 + 1");
    }
}

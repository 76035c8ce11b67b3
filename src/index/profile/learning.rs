//! Learning a profile: the examples' terms weighed against the index, widened by the
//! best-scoring documents of a first pass (pseudo-relevance feedback, at a small weight and only
//! in an index large enough to lend them), then a threshold chosen from leave-one-out scores of
//! the examples and the scores of every other document.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use tantivy::schema::{Field, IndexRecordOption};
use tantivy::DocSet;
use tantivy::{DocAddress, Searcher, TantivyError, Term};

use super::examples::{self, Example};
use super::weights::{score_example, weigh, Background, Weighted};
use super::{scoring, threshold, FieldLength, LearnOptions, Profile, ProfileTerm};
use crate::error::Result;
use crate::index::schema::Fields;
use crate::index::store::OpenIndex;

/// Index statistics gathered for the terms of the documents learned from.
struct Stats {
    docs: u64,
    title: Field,
    doc_freq: HashMap<(Field, String), u64>,
    avg_len: HashMap<Field, f32>,
}

impl Stats {
    fn add(&mut self, searcher: &Searcher, documents: &[Example]) -> Result<()> {
        for example in documents {
            if let Entry::Vacant(slot) = self.avg_len.entry(example.field) {
                slot.insert(average_length(searcher, example.field)?);
            }
            for term in example.tf.keys() {
                if let Entry::Vacant(slot) = self.doc_freq.entry((example.field, term.clone())) {
                    let term = Term::from_field_text(example.field, term);
                    slot.insert(live_doc_freq(searcher, &term)?);
                }
            }
        }
        Ok(())
    }

    fn background(&self) -> Background<'_> {
        Background {
            docs: self.docs,
            doc_freq: &self.doc_freq,
            avg_len: &self.avg_len,
            title: self.title,
        }
    }
}

pub(super) fn learn(
    index: &OpenIndex,
    like: &[String],
    unlike: &[String],
    options: &LearnOptions,
) -> Result<Profile> {
    let searcher = index.reader()?.searcher();
    let fields = &index.fields;
    let with_title = options.title_weight > 0.0;
    let positives = examples::load(index, &searcher, like, with_title)?;
    let negatives = examples::load(index, &searcher, unlike, with_title)?;
    let mut stats = Stats {
        docs: searcher.num_docs(),
        title: fields.title,
        doc_freq: HashMap::new(),
        avg_len: HashMap::new(),
    };
    stats.add(&searcher, &positives)?;
    stats.add(&searcher, &negatives)?;
    let like_refs: Vec<&Example> = positives.iter().collect();
    let unlike_refs: Vec<&Example> = negatives.iter().collect();
    let judged: HashSet<DocAddress> = positives
        .iter()
        .chain(&negatives)
        .map(|example| example.address)
        .collect();

    let mut weighted = weigh(&like_refs, &[], &unlike_refs, &stats.background(), options);
    let mut pseudo = Vec::new();
    let lent = pseudo_count(stats.docs, options);
    if lent > 0 {
        let first = profile_of(
            &weighted,
            [positives.as_slice(), &[]],
            fields,
            &stats,
            like,
            unlike,
            options,
        );
        let scores = scoring::score_all(&searcher, fields, &first)?;
        let best = best_others(&scores, &judged, lent);
        pseudo = examples::analyse(index, &searcher, &best, with_title)?;
        stats.add(&searcher, &pseudo)?;
        let pseudo_refs: Vec<&Example> = pseudo.iter().collect();
        weighted = weigh(
            &like_refs,
            &pseudo_refs,
            &unlike_refs,
            &stats.background(),
            options,
        );
    }
    let pseudo_refs: Vec<&Example> = pseudo.iter().collect();
    let background = stats.background();

    // Each example document as a profile learned without it scores it (itself when it is the
    // only one); a document brings one example per field it has terms in.
    let mut documents: Vec<DocAddress> = positives.iter().map(|e| e.address).collect();
    documents.dedup();
    let example_scores: Vec<f32> = documents
        .iter()
        .map(|&left_out| {
            let own = positives.iter().filter(|e| e.address == left_out);
            if documents.len() < 2 {
                return own
                    .map(|e| score_example(e, &weighted, &background, options))
                    .sum();
            }
            let others: Vec<&Example> =
                positives.iter().filter(|e| e.address != left_out).collect();
            let without = weigh(&others, &pseudo_refs, &unlike_refs, &background, options);
            own.map(|e| score_example(e, &without, &background, options))
                .sum()
        })
        .collect();

    let sources = [positives.as_slice(), pseudo.as_slice()];
    let mut profile = profile_of(&weighted, sources, fields, &stats, like, unlike, options);
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
    // The examples belong by fiat (see `scoring::members`). The threshold comes down to the
    // weakest typical example, so that a later story scoring like the examples joins however
    // the cost model judged the index; an atypical example (far below the others) does not
    // drag it to where a single common word lets a story in. Only when the chosen cut is worse
    // than letting nothing join does it rise to where the examples themselves score.
    let mut own_scores: Vec<f32> = documents
        .iter()
        .filter_map(|&address| {
            scores
                .get(address.segment_ord as usize)?
                .get(address.doc_id as usize)
                .copied()
        })
        .filter(|&score| score > 0.0)
        .collect();
    own_scores.sort_by(f32::total_cmp);
    let lowest_example = own_scores.first().copied().unwrap_or(f32::MAX);
    let median_example = own_scores
        .get(own_scores.len() / 2)
        .copied()
        .unwrap_or(f32::MAX);
    let lowest_typical = own_scores
        .iter()
        .copied()
        .find(|&score| score >= options.example_floor * median_example)
        .unwrap_or(f32::MAX);
    let chosen = threshold::choose(options.threshold, &example_scores, &others);
    profile.threshold = if threshold::worse_than_nothing(chosen, &example_scores, &others) {
        chosen.max(lowest_example)
    } else {
        chosen.min(lowest_typical)
    };
    Ok(profile)
}

/// How many pseudo-relevant documents an index of `docs` documents lends: `options.pseudo_docs`,
/// but no more than half the share of documents TDT expects on a topic (the share the second
/// threshold pass takes to be on topic), so that a small index, where the examples' nearest
/// neighbours soon run out of on-topic stories, lends few or none.
fn pseudo_count(docs: u64, options: &LearnOptions) -> usize {
    let on_topic = 0.5 * f64::from(threshold::TARGET_PRIOR) * docs as f64;
    options.pseudo_docs.min(on_topic as usize)
}

/// The `count` best-scoring documents that were not judged, best first.
fn best_others(scores: &[Vec<f32>], judged: &HashSet<DocAddress>, count: usize) -> Vec<DocAddress> {
    let mut scored: Vec<(f32, DocAddress)> = scores
        .iter()
        .enumerate()
        .flat_map(|(ord, segment)| {
            segment
                .iter()
                .enumerate()
                .filter(|(_, &score)| score > 0.0)
                .map(move |(doc, &score)| (score, DocAddress::new(ord as u32, doc as u32)))
        })
        .filter(|(_, address)| !judged.contains(address))
        .collect();
    let count = count.min(scored.len());
    if count == 0 {
        return Vec::new();
    }
    scored.select_nth_unstable_by(count - 1, |a, b| b.0.total_cmp(&a.0));
    scored.truncate(count);
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, address)| address).collect()
}

/// A profile with `weighted` terms and no threshold yet; `sources` (the examples, then the
/// pseudo-relevant documents) give the terms their surface forms.
fn profile_of(
    weighted: &[Weighted],
    sources: Sources,
    fields: &Fields,
    stats: &Stats,
    like: &[String],
    unlike: &[String],
    options: &LearnOptions,
) -> Profile {
    let mut lengths: Vec<FieldLength> = stats
        .avg_len
        .iter()
        .map(|(field, avg)| FieldLength {
            field: fields.schema.get_field_name(*field).to_string(),
            avg_len: *avg,
        })
        .collect();
    lengths.sort_by(|a, b| a.field.cmp(&b.field));
    Profile {
        terms: display(weighted, sources, fields),
        threshold: f32::MAX,
        lengths,
        k1: options.k1,
        b: options.b,
        like: like.to_vec(),
        unlike: unlike.to_vec(),
        options: options.clone(),
    }
}

/// How many live documents hold `term`. Tantivy's own document frequency still counts deleted
/// documents until their segment is merged, and topic changes delete and re-add exactly the
/// documents of a topic, so its own terms would look common right after a rewrite.
fn live_doc_freq(searcher: &Searcher, term: &Term) -> Result<u64> {
    let mut count = 0u64;
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(term.field())?;
        count += match segment.alive_bitset() {
            None => u64::from(inverted.doc_freq(term).map_err(TantivyError::from)?),
            Some(alive) => match inverted
                .read_postings(term, IndexRecordOption::Basic)
                .map_err(TantivyError::from)?
            {
                Some(mut postings) => u64::from(postings.count(alive)),
                None => 0,
            },
        };
    }
    Ok(count)
}

/// The average length of a text field over the live documents that have it (from the field
/// norms, so that deleted documents waiting for a merge do not count).
fn average_length(searcher: &Searcher, field: Field) -> Result<f32> {
    let (mut tokens, mut docs) = (0u64, 0u64);
    for segment in searcher.segment_readers() {
        let Some(norms) = segment.fieldnorms_readers().get_field(field)? else {
            continue;
        };
        for doc in segment.doc_ids_alive() {
            let length = norms.fieldnorm(doc);
            if length > 0 {
                tokens += u64::from(length);
                docs += 1;
            }
        }
    }
    Ok(if docs == 0 {
        1.0
    } else {
        tokens as f32 / docs as f32
    })
}

/// The documents a profile's words are shown from, in order of preference: the examples, then
/// the pseudo-relevant documents (whose words only they hold would otherwise show stemmed).
type Sources<'a> = [&'a [Example]; 2];

/// The profile terms with their field names and most frequent surface form in the first of
/// `sources` that holds them.
fn display(weighted: &[Weighted], sources: Sources, fields: &Fields) -> Vec<ProfileTerm> {
    weighted
        .iter()
        .map(|w| {
            let surface = sources
                .iter()
                .find_map(|documents| commonest_surface(documents, w))
                .unwrap_or_else(|| w.term.clone());
            // The same word can count twice, in the text and in the title: say which.
            let display = if w.field == fields.title {
                format!("{surface} (title)")
            } else {
                surface
            };
            ProfileTerm {
                field: fields.schema.get_field_name(w.field).to_string(),
                term: w.term.clone(),
                display,
                weight: w.weight,
            }
        })
        .collect()
}

/// The most frequent surface form of `w`'s term in `documents` (ties: the smallest), if any of
/// them holds it.
fn commonest_surface(documents: &[Example], w: &Weighted) -> Option<String> {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for example in documents.iter().filter(|e| e.field == w.field) {
        for (surface, count) in example.surfaces.get(&w.term).into_iter().flatten() {
            *counts.entry(surface).or_default() += count;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(surface, _)| surface.to_string())
}

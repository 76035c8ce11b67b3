//! Who belongs to each user topic, kept beside the segments instead of in the documents.
//!
//! A user topic's rule (a saved query, or a profile learned from examples) decides every document
//! on its own, and a segment never changes once written (deletions are left out by every
//! collector). So the members a rule has in a segment are found once and saved in a small file
//! keyed by the rule and the segment id (see [`files`]). Defining, refining or removing a topic
//! writes those files and the topic's record, and no document: at a million documents that is the
//! difference between seconds and a quarter of a minute of writing documents again. An indexing
//! run saves the lists of the segments it made, new or merged, after its commit.
//!
//! Readers never depend on the files: a segment without its file (a run killed between its
//! commit and its files) has its members decided again in memory, as the writer would, so that
//! nothing is lost or counted twice whatever is killed when; the next writer saves the file.
//!
//! Every command reaches the members through [`Members`]: `topic:` in queries and `--topic` turn
//! a user topic into a [`ListedDocs`] query; facets, `topics`, search hits, `show` and `track`
//! read who belongs, and why, from here.

mod decide;
mod files;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Searcher};

use super::listed::ListedDocs;
use super::profile::Member;
use super::schema::SCHEMA_VERSION;
use super::state::{IndexState, TopicRule, UserTopic};
use super::store::OpenIndex;
use crate::enrich::topics::{Evidence, TopicMatch};
use crate::error::{Error, Result};
use crate::taxonomy::Taxonomy;

/// Bumped whenever a rule would decide other members than before (a change to how queries or
/// profiles are run), so that no saved list of the old decision is read again.
const MEMBERS_VERSION: u32 = 1;

/// Names one version of one user topic's rule: a hash of its id and its rule, so that a refined
/// or redefined topic never reads the lists of its earlier rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct RuleKey(u64);

impl RuleKey {
    fn of(topic: &UserTopic) -> RuleKey {
        let canonical = serde_json::json!({
            "members": MEMBERS_VERSION,
            "schema": SCHEMA_VERSION,
            "id": topic.id,
            "rule": topic.rule,
        });
        RuleKey(xxhash_rust::xxh3::xxh3_64(canonical.to_string().as_bytes()))
    }
}

impl fmt::Display for RuleKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// The members of one user topic in the segments of one searcher.
#[derive(Debug, Clone)]
pub(crate) struct TopicMembers {
    pub topic: UserTopic,
    key: RuleKey,
    docs: ListedDocs,
}

impl TopicMembers {
    /// The topic's members as a query, to combine with others.
    pub(crate) fn query(&self) -> Box<dyn Query> {
        Box::new(self.docs.clone())
    }

    /// Whether document `doc` of `segment` belongs to the topic.
    pub(crate) fn contains(&self, segment: SegmentId, doc: DocId) -> bool {
        self.docs.contains(segment, doc)
    }

    /// Why the document at `address` of `searcher` belongs to the topic, as `show` and `track`
    /// say it: the query, or its learned score against the threshold and the terms that made it.
    pub(crate) fn evidence(
        &self,
        opened: &OpenIndex,
        searcher: &Searcher,
        address: DocAddress,
    ) -> Result<TopicMatch> {
        let facet = opened.taxonomy().facet_path(&self.topic.id);
        match &self.topic.rule {
            TopicRule::Query { query } => Ok(query_match(&self.topic.id, &facet, query)),
            TopicRule::Learned { profile } => {
                let segment = searcher.segment_reader(address.segment_ord);
                let (score, top_terms) = super::profile::score_document(
                    segment,
                    &opened.fields,
                    profile,
                    address.doc_id,
                )?;
                let id = super::stored::document_id(searcher, &opened.fields, address)?;
                let member = Member {
                    address,
                    score,
                    example: profile.like.contains(&id),
                    top_terms,
                };
                Ok(learned_match(
                    &self.topic.id,
                    &facet,
                    &member,
                    profile.threshold,
                ))
            }
        }
    }
}

/// The members of every user topic of an index, in the order the topics were added.
#[derive(Debug, Clone, Default)]
pub struct Members {
    topics: Vec<TopicMembers>,
}

impl Members {
    /// The members of the user topic `id`, if it is one.
    pub(crate) fn get(&self, id: &str) -> Option<&TopicMembers> {
        self.topics.iter().find(|topic| topic.topic.id == id)
    }

    /// Every user topic with its members.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &TopicMembers> {
        self.topics.iter()
    }

    /// The user topics the document `doc` of `segment` belongs to.
    pub(crate) fn topics_of(
        &self,
        segment: SegmentId,
        doc: DocId,
    ) -> impl Iterator<Item = &TopicMembers> {
        self.topics
            .iter()
            .filter(move |topic| topic.contains(segment, doc))
    }

    /// The members of the index's user topics in the segments of `searcher`: read from their
    /// files, or decided in memory for segments that have none. Nothing is written.
    pub(crate) fn load(opened: &OpenIndex, searcher: &Searcher) -> Result<Members> {
        if !may_have_user_topics(opened.taxonomy()) {
            return Ok(Members::default());
        }
        let topics = IndexState::load(&opened.path).user_topics;
        current(opened, searcher, opened.taxonomy(), &topics)
    }
}

/// The members of `topics` in the segments of `searcher`, read from their files or decided in
/// memory; nothing is written.
pub(crate) fn current(
    opened: &OpenIndex,
    searcher: &Searcher,
    taxonomy: &Taxonomy,
    topics: &[UserTopic],
) -> Result<Members> {
    Ok(gather(opened, searcher, taxonomy, topics)?.members)
}

/// How a topic's membership changed from `before` to `after` (`None`: no such topic then):
/// live documents that joined, that left, and the members after.
pub(crate) fn difference(
    searcher: &Searcher,
    before: Option<&TopicMembers>,
    after: Option<&TopicMembers>,
) -> (u64, u64, u64) {
    let (mut joined, mut left, mut count) = (0, 0, 0);
    for segment in searcher.segment_readers() {
        let id = segment.segment_id();
        let alive = |doc: &&DocId| {
            segment
                .alive_bitset()
                .is_none_or(|bits| bits.is_alive(**doc))
        };
        let old = before
            .map(|topic| topic.docs.in_segment(id))
            .unwrap_or_default();
        let new = after
            .map(|topic| topic.docs.in_segment(id))
            .unwrap_or_default();
        count += new.iter().filter(alive).count() as u64;
        joined += new
            .iter()
            .filter(alive)
            .filter(|doc| old.binary_search(doc).is_err())
            .count() as u64;
        left += old
            .iter()
            .filter(alive)
            .filter(|doc| new.binary_search(doc).is_err())
            .count() as u64;
    }
    (joined, left, count)
}

/// Whether `taxonomy` may hold user topics: they are saved in it as topics with a query or a
/// learned profile, so an index without such topics has none and its state need not be read.
fn may_have_user_topics(taxonomy: &Taxonomy) -> bool {
    taxonomy
        .topics
        .iter()
        .any(|topic| topic.learned || topic.query.is_some())
}

/// Members gathered for a searcher, and the lists that were decided because no file held them.
struct Gathered {
    members: Members,
    decided: Vec<(RuleKey, SegmentId, DocId, Arc<[DocId]>)>,
}

/// The members of `topics` in every segment of `searcher`, each topic seeing the topics added
/// before it (a query may name an earlier user topic). A saved query that no longer parses
/// against the index (it names something every document naming it has left) has no members
/// until it parses again; nothing is saved for it.
fn gather(
    opened: &OpenIndex,
    searcher: &Searcher,
    taxonomy: &Taxonomy,
    topics: &[UserTopic],
) -> Result<Gathered> {
    let mut members = Members::default();
    let mut decided = Vec::new();
    for topic in topics {
        let key = RuleKey::of(topic);
        let mut by_segment = HashMap::new();
        let mut missing = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let id = segment.segment_id();
            match files::read(&opened.path, key, id, segment.max_doc()) {
                Some(docs) => {
                    by_segment.insert(id, docs.into());
                }
                None => missing.push(ord),
            }
        }
        if !missing.is_empty() {
            let found = match decide::decide(opened, searcher, taxonomy, &members, topic, &missing)
            {
                Err(Error::BadQuery { .. }) => Vec::new(),
                other => other?,
            };
            for (ord, docs) in found {
                let segment = searcher.segment_reader(ord as u32);
                let docs: Arc<[DocId]> = docs.into();
                decided.push((key, segment.segment_id(), segment.max_doc(), docs.clone()));
                by_segment.insert(segment.segment_id(), docs);
            }
        }
        members.topics.push(TopicMembers {
            topic: topic.clone(),
            key,
            docs: ListedDocs::from_sorted(by_segment),
        });
    }
    Ok(Gathered { members, decided })
}

/// Brings the member files of an index up to date with its last commit and its user topics
/// `topics`: the lists of segments without one are decided and saved, and files of other rules
/// or segments are deleted. Called by writers (an indexing run, a topic change) after they commit.
pub(crate) fn refresh(
    opened: &OpenIndex,
    taxonomy: &Taxonomy,
    topics: &[UserTopic],
) -> Result<Members> {
    let searcher = opened.reader()?.searcher();
    let gathered = gather(opened, &searcher, taxonomy, topics)?;
    for (key, segment, max_doc, docs) in &gathered.decided {
        files::write(&opened.path, *key, *segment, *max_doc, docs)?;
    }
    let keep: HashSet<(RuleKey, SegmentId)> = gathered
        .members
        .topics
        .iter()
        .flat_map(|topic| {
            searcher
                .segment_readers()
                .iter()
                .map(move |segment| (topic.key, segment.segment_id()))
        })
        .collect();
    files::remove_others(&opened.path, &keep);
    Ok(gathered.members)
}

/// The evidence of a member of a query topic: the query itself.
fn query_match(id: &str, facet: &str, query: &str) -> TopicMatch {
    TopicMatch {
        id: id.to_owned(),
        facet: facet.to_owned(),
        hits: 1,
        evidence: vec![Evidence {
            phrase: format!("query: {query}"),
            hits: 1,
        }],
    }
}

/// The topic match of a document a learned profile let in: its score against the threshold (or
/// that it is an example below it) first, then the terms that contributed most, as `show` prints them.
pub(crate) fn learned_match(id: &str, facet: &str, member: &Member, threshold: f32) -> TopicMatch {
    // An example belongs whatever it scores; say so rather than claim it reached the threshold.
    let phrase = if member.score >= threshold && member.score > 0.0 {
        format!(
            "learned: score {:.3} ≥ threshold {:.3}",
            member.score, threshold
        )
    } else {
        format!(
            "learned: example, score {:.3} < threshold {:.3}",
            member.score, threshold
        )
    };
    let mut evidence = vec![Evidence { phrase, hits: 1 }];
    evidence.extend(
        member
            .top_terms
            .iter()
            .map(|(term, contribution)| Evidence {
                phrase: format!("{term} +{contribution:.3}"),
                hits: 1,
            }),
    );
    TopicMatch {
        id: id.to_owned(),
        facet: facet.to_owned(),
        hits: 1,
        evidence,
    }
}

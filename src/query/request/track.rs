//! `track`: what came in on each topic since the last look, copies of one story shown once.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tantivy::collector::sort_key::SortByStaticFastValue;
use tantivy::collector::{Count, TopDocs};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument};

use super::search::{hits_at, Hit};
use super::Matching;
use crate::error::{Error, Result};
use crate::index::stored::first_text;
use crate::index::{user_topics, Checkpoints, OpenIndex, StoredDetails};
use crate::query::copies::{group_positions, member};
use crate::query::filters::Filters;

/// The most new documents of one topic grouped into stories per run; more are counted, not
/// listed.
const MOST_READ: usize = 10_000;

/// `track [TOPIC...] [--since D]`: the topics to look at (none: every user topic) and, with
/// `since`, a look back that ignores the checkpoints.
#[derive(Debug, Clone, Default)]
pub struct TrackRequest {
    pub topics: Vec<String>,
    pub since: Option<DateTime<Utc>>,
    /// Stories listed per topic.
    pub limit: usize,
}

/// What is new on each topic.
#[derive(Debug, Serialize)]
pub struct TrackReport {
    pub topics: Vec<TopicNews>,
    /// Documents new on any topic (each copy counted).
    pub new_documents: u64,
    /// The checkpoints to save if the run moves them.
    #[serde(skip)]
    pub checkpoints: Checkpoints,
}

/// The new documents of one topic, copies of one story together.
#[derive(Debug, Serialize)]
pub struct TopicNews {
    pub id: String,
    /// Documents new since the checkpoint (or since `--since`).
    pub new: u64,
    /// Stories: a document with its copies.
    pub stories: Vec<Story>,
    /// When the previous look ended (RFC 3339), if there was one.
    pub since: Option<String>,
}

/// One new document, newest first, with why it belongs and where else it appeared.
#[derive(Debug, Serialize)]
pub struct Story {
    #[serde(flatten)]
    pub hit: Hit,
    /// The evidence of the topic: phrases, the query, or a learned score and its terms.
    pub why: Vec<String>,
    /// Other new documents that are copies of this one (same story, other outlets or titles).
    pub also_in: Vec<AlsoIn>,
}

#[derive(Debug, Serialize)]
pub struct AlsoIn {
    pub id: String,
    pub source: Option<String>,
    pub title: Option<String>,
}

/// Answers `track`; the checkpoints in the report are what the caller saves unless it peeks.
pub fn track(opened: &OpenIndex, request: &TrackRequest) -> Result<TrackReport> {
    let topics = if request.topics.is_empty() {
        let mine: Vec<String> = user_topics(opened)
            .into_iter()
            .map(|topic| topic.id)
            .collect();
        if mine.is_empty() {
            return Err(Error::InvalidRequest {
                detail: "no topics of your own to track; define one with `topictrack topic add ID --query QUERY`, or name topics: `topictrack track TOPIC...`".to_owned(),
            });
        }
        mine
    } else {
        request.topics.clone()
    };
    let mut checkpoints = Checkpoints::load(opened.path());
    let mut report = TrackReport {
        topics: Vec::new(),
        new_documents: 0,
        checkpoints: Checkpoints::default(),
    };
    for topic in topics {
        let checkpoint = checkpoints.topics.get(&topic).copied();
        let since = match request.since {
            Some(since) => Some(since),
            // Stamps are whole seconds: new means after the newest one already shown.
            None => checkpoint.and_then(|seconds| DateTime::from_timestamp(seconds + 1, 0)),
        };
        let filters = Filters {
            topics: vec![topic.clone()],
            indexed_since: since,
            ..Filters::default()
        };
        let matching = Matching::new(opened, "*", &filters)?;
        let (total, newest_first) = newest(opened, &matching)?;
        // The newest stamp read moves the checkpoint; the first hit has it.
        if let Some(&((Some(stamp), _, _), _)) = newest_first.first() {
            let newest = i64::try_from(stamp).unwrap_or(i64::MAX);
            let entry = checkpoints.topics.entry(topic.clone()).or_insert(newest);
            *entry = (*entry).max(newest);
        }
        let addresses: Vec<DocAddress> = newest_first
            .into_iter()
            .map(|(_, address)| address)
            .collect();
        let stories = stories(opened, &matching, &topic, &addresses, request.limit)?;
        report.new_documents += total as u64;
        report.topics.push(TopicNews {
            id: topic,
            new: total as u64,
            stories,
            since: since.map(|when| when.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        });
    }
    report.checkpoints = checkpoints;
    Ok(report)
}

/// The sort key of [`newest`]: when the document entered the index, then its publication day and
/// time.
type NewestKey = (Option<u64>, Option<u64>, Option<tantivy::DateTime>);

/// How many documents match, and the first [`MOST_READ`] of them: newest in the index first,
/// then newest published. Only fast columns are read.
fn newest(
    opened: &OpenIndex,
    matching: &Matching,
) -> Result<(usize, Vec<(NewestKey, DocAddress)>)> {
    let fields = &opened.fields;
    let name = |field| fields.schema.get_field_name(field).to_string();
    let order = (
        (
            SortByStaticFastValue::<u64>::for_field(name(fields.indexed)),
            Order::Desc,
        ),
        (
            SortByStaticFastValue::<u64>::for_field(name(fields.day)),
            Order::Desc,
        ),
        (
            SortByStaticFastValue::<tantivy::DateTime>::for_field(name(fields.date)),
            Order::Desc,
        ),
    );
    let held = usize::try_from(matching.searcher.num_docs()).unwrap_or(usize::MAX);
    let top = TopDocs::with_limit(MOST_READ.min(held).max(1)).order_by(order);
    matching
        .searcher
        .search(&*matching.query, &(Count, top))
        .map_err(|err| opened.explain(err))
}

/// The first `limit` stories of `addresses` (newest first): copies of one story under its newest
/// document. Only the documents shown are read.
fn stories(
    opened: &OpenIndex,
    matching: &Matching,
    topic: &str,
    addresses: &[DocAddress],
    limit: usize,
) -> Result<Vec<Story>> {
    let searcher = &matching.searcher;
    let mut stories = Vec::new();
    for positions in group_positions(opened, searcher, addresses)?
        .into_iter()
        .take(limit)
    {
        let mut copies = positions
            .into_iter()
            .filter_map(|at| addresses.get(at).copied());
        let Some(first) = copies.next() else {
            continue;
        };
        let Some(hit) = hits_at(opened, searcher, &*matching.user_query, [(0.0, first)])?
            .into_iter()
            .next()
        else {
            continue;
        };
        let why = evidence(opened, searcher, first, topic)?;
        let also_in = copies
            .map(|address| {
                member(opened, searcher, address).map(|copy| AlsoIn {
                    id: copy.id,
                    source: copy.source,
                    title: copy.title,
                })
            })
            .collect::<Result<_>>()?;
        stories.push(Story { hit, why, also_in });
    }
    Ok(stories)
}

/// Why the document at `address` belongs to `topic`: for a user topic, its query or its learned
/// score and the terms that made it; for a taxonomy topic, the evidence stored with the document
/// at tagging time.
fn evidence(
    opened: &OpenIndex,
    searcher: &Searcher,
    address: DocAddress,
    topic: &str,
) -> Result<Vec<String>> {
    if let Some(members) = opened.members(searcher)?.get(topic) {
        let matched = members.evidence(opened, searcher, address)?;
        return Ok(matched
            .evidence
            .into_iter()
            .map(|item| item.phrase)
            .collect());
    }
    let doc: TantivyDocument = searcher.doc(address).map_err(|err| opened.explain(err))?;
    let details = first_text(&doc, opened.fields.details)
        .map(|text| StoredDetails::from_json(&text))
        .unwrap_or_default();
    Ok(details
        .topics
        .iter()
        .filter(|matched| matched.id == topic)
        .flat_map(|matched| matched.evidence.iter().map(|item| item.phrase.clone()))
        .collect())
}

//! `track`: what came in on each topic since the last look, copies of one story shown once.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::search::{search, Hit, SearchRequest, SortOrder};
use super::show::{show, ShowRequest};
use crate::error::{Error, Result};
use crate::index::{user_topics, Checkpoints, OpenIndex};
use crate::query::copies::group;
use crate::query::filters::Filters;

/// The most new documents one topic reads per run; more are counted, not listed.
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
    let searcher = opened.reader()?.searcher();
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
        let results = search(
            opened,
            &SearchRequest {
                query: "*".to_owned(),
                filters,
                limit: MOST_READ,
                offset: 0,
                sort: SortOrder::Date,
                facets: None,
            },
        )?;
        let mut hits = results.hits;
        // Newest in the index first, then newest published.
        hits.sort_by(|a, b| b.indexed.cmp(&a.indexed));
        let newest = hits
            .iter()
            .filter_map(|hit| hit.indexed.as_deref())
            .filter_map(|text| DateTime::parse_from_rfc3339(text).ok())
            .map(|when| when.timestamp())
            .max();
        if let Some(newest) = newest {
            let entry = checkpoints.topics.entry(topic.clone()).or_insert(newest);
            *entry = (*entry).max(newest);
        }
        let stories = stories(opened, &searcher, &topic, hits, request.limit)?;
        report.new_documents += results.total as u64;
        report.topics.push(TopicNews {
            id: topic,
            new: results.total as u64,
            stories,
            since: since.map(|when| when.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        });
    }
    report.checkpoints = checkpoints;
    Ok(report)
}

/// The hits as stories: copies of one story under its newest document, at most `limit`.
fn stories(
    opened: &OpenIndex,
    searcher: &tantivy::Searcher,
    topic: &str,
    hits: Vec<Hit>,
    limit: usize,
) -> Result<Vec<Story>> {
    let mut addresses = Vec::with_capacity(hits.len());
    for hit in &hits {
        let query = TermQuery::new(
            Term::from_field_text(opened.fields.id, &hit.id),
            IndexRecordOption::Basic,
        );
        let found = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .map_err(|err| opened.explain(err))?;
        if let Some((_, address)) = found.first() {
            addresses.push(*address);
        }
    }
    let groups = group(opened, searcher, &addresses)?;
    let mut by_id: HashMap<String, Hit> =
        hits.into_iter().map(|hit| (hit.id.clone(), hit)).collect();
    let mut stories = Vec::new();
    for copy_group in groups.into_iter().take(limit) {
        let Some(hit) = by_id.remove(&copy_group.representative.id) else {
            continue;
        };
        let shown = show(opened, &ShowRequest { id: hit.id.clone() })?;
        let why = shown
            .topics
            .iter()
            .filter(|evidence| evidence.id == topic)
            .flat_map(|evidence| evidence.evidence.iter().map(|item| item.phrase.clone()))
            .collect();
        stories.push(Story {
            hit,
            why,
            also_in: copy_group
                .members
                .into_iter()
                .map(|member| AlsoIn {
                    id: member.id,
                    source: member.source,
                    title: member.title,
                })
                .collect(),
        });
    }
    Ok(stories)
}

//! `topic list` and `topic show`: the user topics of an index with their rules and counts.

use serde::Serialize;

use super::listing::{topics, TopicsRequest};
use crate::error::Result;
use crate::index::{not_a_user_topic, user_topics, OpenIndex, TopicRule};

/// One user topic as `topic list` and `topic show` print it.
#[derive(Debug, Serialize)]
pub struct UserTopicRow {
    pub id: String,
    pub label: String,
    pub parent: Option<String>,
    /// `query`: the rule is a query in the tool's syntax.
    pub kind: &'static str,
    pub query: Option<String>,
    /// For a learned topic: the score a document needs, the heaviest terms of its profile with
    /// their weights, and the documents it was learned from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learned: Option<LearnedSummary>,
    pub added: String,
    pub count: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

/// What a learned topic's profile holds, as `topic show` prints it.
#[derive(Debug, Serialize)]
pub struct LearnedSummary {
    pub threshold: f32,
    /// The heaviest terms, as people write them, with their weights.
    pub terms: Vec<(String, f32)>,
    pub examples: Vec<String>,
    pub counter_examples: Vec<String>,
}

/// How many profile terms `topic show` lists.
const SHOWN_TERMS: usize = 12;

/// Every user topic, in the order they were added, with its documents counted.
pub fn user_topic_rows(opened: &OpenIndex) -> Result<Vec<UserTopicRow>> {
    let counted = topics(opened, &TopicsRequest::default())?;
    Ok(user_topics(opened)
        .into_iter()
        .map(|topic| {
            let row = counted.iter().find(|row| row.id == topic.id);
            let (kind, query, learned) = match topic.rule {
                TopicRule::Query { query } => ("query", Some(query), None),
                TopicRule::Learned { profile } => {
                    let mut terms: Vec<(String, f32)> = profile
                        .terms
                        .iter()
                        .map(|term| (term.display.clone(), term.weight))
                        .collect();
                    terms.sort_by(|a, b| b.1.total_cmp(&a.1));
                    terms.truncate(SHOWN_TERMS);
                    let summary = LearnedSummary {
                        threshold: profile.threshold,
                        terms,
                        examples: profile.like.clone(),
                        counter_examples: profile.unlike.clone(),
                    };
                    ("learned", None, Some(summary))
                }
            };
            UserTopicRow {
                count: row.map_or(0, |row| row.count),
                first: row.and_then(|row| row.first.clone()),
                last: row.and_then(|row| row.last.clone()),
                id: topic.id,
                label: topic.label,
                parent: topic.parent,
                kind,
                query,
                learned,
                added: topic.added,
            }
        })
        .collect())
}

/// One user topic by id; an unknown id is an error that lists the user topics.
pub fn user_topic_row(opened: &OpenIndex, id: &str) -> Result<UserTopicRow> {
    let rows = user_topic_rows(opened)?;
    let known: Vec<String> = rows.iter().map(|row| row.id.clone()).collect();
    rows.into_iter()
        .find(|row| row.id == id.trim())
        .ok_or_else(|| not_a_user_topic(id.trim(), known.iter().map(String::as_str)))
}

//! `show ID`: one document with everything topictrack knows about it, and why each topic matched.

use serde::Serialize;
use serde_json::Value;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use super::search::{all_texts, first_date, first_text};
use crate::error::{Error, Result};
use crate::index::{rules, OpenIndex};

#[derive(Debug, Serialize)]
pub struct TopicEvidence {
    pub id: String,
    pub label: Option<String>,
    pub facet: String,
    pub hits: u64,
    /// The phrases that matched and how often.
    pub evidence: Value,
}

#[derive(Debug, Serialize)]
pub struct ShownDocument {
    pub id: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub date_source: Option<String>,
    pub lang: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub path: Option<String>,
    pub tags: Vec<String>,
    pub topics: Vec<TopicEvidence>,
    /// Each entity with its type, canonical name, mention count and spellings seen.
    pub entities: Value,
    pub mentioned_dates: Value,
    /// Other metadata the input carried (line number, raw date string, extra fields).
    pub metadata: Value,
    pub body: String,
}

pub fn show(opened: &OpenIndex, id: &str) -> Result<ShownDocument> {
    let fields = &opened.fields;
    let searcher = opened.reader()?.searcher();
    let query = TermQuery::new(
        Term::from_field_text(fields.id, id),
        IndexRecordOption::Basic,
    );
    let found = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())
        .map_err(|err| opened.damaged(err))?;
    let Some((_, address)) = found.first() else {
        return Err(Error::UnknownDocument { id: id.to_string() });
    };
    let doc: TantivyDocument = searcher.doc(*address).map_err(|err| opened.damaged(err))?;
    let parse = |field| {
        first_text(&doc, field)
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .unwrap_or(Value::Null)
    };
    let details = parse(fields.details);
    let taxonomy = rules::load(&opened.path);
    let topics = details
        .get("topics")
        .and_then(Value::as_array)
        .map(|topics| {
            topics
                .iter()
                .map(|topic| {
                    let id = topic.get("id").and_then(Value::as_str).unwrap_or_default();
                    TopicEvidence {
                        id: id.to_string(),
                        label: taxonomy.topic(id).map(|def| def.label.clone()),
                        facet: topic
                            .get("facet")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        hits: topic.get("hits").and_then(Value::as_u64).unwrap_or(0),
                        evidence: topic.get("evidence").cloned().unwrap_or(Value::Null),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(ShownDocument {
        id: id.to_string(),
        title: first_text(&doc, fields.title),
        date: first_date(&doc, fields.date).map(|day| day.format("%Y-%m-%d").to_string()),
        date_source: first_text(&doc, fields.date_source),
        lang: first_text(&doc, fields.lang),
        source: first_text(&doc, fields.source),
        url: first_text(&doc, fields.url),
        path: first_text(&doc, fields.path),
        tags: all_texts(&doc, fields.tag),
        topics,
        entities: details.get("entities").cloned().unwrap_or(Value::Null),
        mentioned_dates: details
            .get("mentioned_dates")
            .cloned()
            .unwrap_or(Value::Null),
        metadata: parse(fields.metadata),
        body: first_text(&doc, fields.body).unwrap_or_default(),
    })
}

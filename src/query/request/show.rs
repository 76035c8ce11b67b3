//! `show ID`: one document with everything topictrack knows about it, and why each topic matched.

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use crate::enrich::dates::MentionedDate;
use crate::enrich::topics::Evidence;
use crate::error::{Error, Result};
use crate::index::stored::{all_texts, first_date, first_text};
use crate::index::{OpenIndex, StoredDetails, StoredEntity, StoredMetadata};

/// `show`: the document with this id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShowRequest {
    pub id: String,
}

/// One topic of the document, with its label from the index's taxonomy and its evidence.
#[derive(Debug, Serialize)]
pub struct TopicEvidence {
    pub id: String,
    pub label: Option<String>,
    pub facet: String,
    pub hits: u32,
    /// The phrases (or the query) that matched and how often.
    pub evidence: Vec<Evidence>,
}

/// The `show --json` contract.
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
    pub entities: Vec<StoredEntity<'static>>,
    pub mentioned_dates: Vec<MentionedDate>,
    /// Other metadata the input carried (line number, raw date string, extra fields).
    pub metadata: StoredMetadata,
    pub body: String,
}

/// Looks the document up by its exact id.
pub fn show(opened: &OpenIndex, request: &ShowRequest) -> Result<ShownDocument> {
    let id = request.id.as_str();
    let fields = &opened.fields;
    let searcher = opened.reader()?.searcher();
    let query = TermQuery::new(
        Term::from_field_text(fields.id, id),
        IndexRecordOption::Basic,
    );
    let found = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())
        .map_err(|err| opened.explain(err))?;
    let Some((_, address)) = found.first() else {
        return Err(Error::UnknownDocument { id: id.to_string() });
    };
    let doc: TantivyDocument = searcher.doc(*address).map_err(|err| opened.explain(err))?;
    let details = first_text(&doc, fields.details)
        .map(|text| StoredDetails::from_json(&text))
        .unwrap_or_default();
    let taxonomy = opened.taxonomy();
    let topics = details
        .topics
        .into_owned()
        .into_iter()
        .map(|topic| TopicEvidence {
            label: taxonomy.topic(&topic.id).map(|def| def.label.clone()),
            id: topic.id,
            facet: topic.facet,
            hits: topic.hits,
            evidence: topic.evidence,
        })
        .collect();
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
        entities: details.entities,
        mentioned_dates: details.mentioned_dates.into_owned(),
        metadata: first_text(&doc, fields.metadata)
            .map(|text| StoredMetadata::from_json(&text))
            .unwrap_or_default(),
        body: first_text(&doc, fields.body).unwrap_or_default(),
    })
}

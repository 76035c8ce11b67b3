//! `show ID`: one document with everything topictrack knows about it, and why each topic matched.

use serde::Serialize;
use std::collections::BTreeSet;

use tantivy::collector::TopDocs;
use tantivy::query::{RegexQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::enrich::dates::MentionedDate;
use crate::enrich::topics::Evidence;
use crate::error::{Error, Result};
use crate::index::stored::{all_texts, first_text, indexed_time, published_day};
use crate::index::{OpenIndex, StoredDetails, StoredEntity, StoredMetadata};
use crate::query::copies::{copies_of, CopyMember};

/// `show`: the document with this id, or with the one id that starts with it (as git takes a
/// short hash). An exact id always wins over longer ids it is the start of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShowRequest {
    pub id: String,
}

/// How many candidate ids an ambiguous prefix lists.
const CANDIDATES_LISTED: usize = 10;

/// Documents read to tell the candidates of a prefix apart (the count in the error covers these);
/// an ambiguous prefix needs only two, this keeps the "and N more" honest for short prefixes.
const PREFIX_SCAN: usize = 1_000;

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
    /// When the document entered the index (RFC 3339, UTC).
    pub indexed: Option<String>,
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
    /// Copies of this story anywhere in the index (same body text, near enough: see
    /// [`crate::query::copies`]), with their sources and titles.
    pub copies: Vec<CopyMember>,
    pub body: String,
}

/// Looks the document up by its exact id, else by the one id that starts with it.
pub fn show(opened: &OpenIndex, request: &ShowRequest) -> Result<ShownDocument> {
    let fields = &opened.fields;
    let searcher = opened.reader()?.searcher();
    let (id, address) = find(opened, &searcher, &request.id)?;
    let id = id.as_str();
    let doc: TantivyDocument = searcher.doc(address).map_err(|err| opened.explain(err))?;
    let day = published_day(&searcher, fields, address).map_err(|err| opened.explain(err))?;
    let details = first_text(&doc, fields.details)
        .map(|text| StoredDetails::from_json(&text))
        .unwrap_or_default();
    let taxonomy = opened.taxonomy();
    let segment = searcher.segment_reader(address.segment_ord).segment_id();
    let mut matched = details.topics.into_owned();
    for topic in opened
        .members(&searcher)?
        .topics_of(segment, address.doc_id)
    {
        matched.push(topic.evidence(opened, &searcher, address)?);
    }
    let topics = matched
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
        date: day.map(|day| day.format("%Y-%m-%d").to_string()),
        date_source: first_text(&doc, fields.date_source),
        indexed: indexed_time(fields, &doc),
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
        copies: copies_of(opened, &searcher, address)?,
        body: first_text(&doc, fields.body).unwrap_or_default(),
    })
}

/// The id and address of the document `wanted` names: its exact id, else the only id it starts with.
fn find(opened: &OpenIndex, searcher: &Searcher, wanted: &str) -> Result<(String, DocAddress)> {
    let fields = &opened.fields;
    let unknown = || Error::UnknownDocument {
        id: wanted.to_string(),
    };
    let exact = TermQuery::new(
        Term::from_field_text(fields.id, wanted),
        IndexRecordOption::Basic,
    );
    let found = searcher
        .search(&exact, &TopDocs::with_limit(1).order_by_score())
        .map_err(|err| opened.explain(err))?;
    if let Some((_, address)) = found.first() {
        return Ok((wanted.to_string(), *address));
    }
    if wanted.is_empty() {
        return Err(unknown());
    }
    // Ids are indexed raw, so "starts with" is a regex over the id terms; the prefix is escaped
    // so that it is matched literally whatever characters an explicit id holds.
    let pattern = format!("{}.*", regex::escape(wanted));
    let by_prefix =
        RegexQuery::from_pattern(&pattern, fields.id).map_err(|err| opened.explain(err))?;
    let hits = searcher
        .search(
            &by_prefix,
            &TopDocs::with_limit(PREFIX_SCAN).order_by_score(),
        )
        .map_err(|err| opened.explain(err))?;
    let mut ids: BTreeSet<String> = BTreeSet::new();
    let mut first = None;
    for (_, address) in &hits {
        let doc: TantivyDocument = searcher.doc(*address).map_err(|err| opened.explain(err))?;
        if let Some(id) = first_text(&doc, fields.id) {
            if ids.insert(id.clone()) && first.is_none() {
                first = Some((id, *address));
            }
        }
    }
    match (ids.len(), first) {
        (1, Some(only)) => Ok(only),
        (0, _) | (_, None) => Err(unknown()),
        (matches, _) => Err(Error::AmbiguousDocument {
            prefix: wanted.to_string(),
            candidates: ids.into_iter().take(CANDIDATES_LISTED).collect(),
            matches,
        }),
    }
}

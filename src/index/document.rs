//! Turns a read and enriched document into the tantivy document stored in the index.

use chrono::Datelike;
use serde::Serialize;
use serde_json::{json, Value};
use tantivy::{DateTime, TantivyDocument};

use super::schema::Fields;
use crate::document::SourceDoc;
use crate::enrich::dates::MentionedDate;
use crate::enrich::topics::TopicMatch;
use crate::enrich::Enrichment;

/// The key a file's documents are stored under, so they can be replaced or removed together.
pub fn path_key(path: &std::path::Path) -> String {
    path.to_string_lossy().into_owned()
}

/// `yyyymmdd` as a number, the value of the `day` fast column.
pub fn day_number(date: chrono::NaiveDate) -> u64 {
    let year = u64::try_from(date.year()).unwrap_or(0);
    year * 10_000 + u64::from(date.month()) * 100 + u64::from(date.day())
}

fn tantivy_date(when: chrono::NaiveDateTime) -> DateTime {
    DateTime::from_timestamp_secs(when.and_utc().timestamp())
}

pub fn build(fields: &Fields, doc: &SourceDoc, enrichment: &Enrichment) -> TantivyDocument {
    let mut out = TantivyDocument::default();
    out.add_text(fields.id, &doc.id);
    out.add_text(fields.path, path_key(&doc.path));
    let text_field = fields.text_field_for(enrichment.lang.code());
    if let Some(title) = doc.title.as_deref() {
        out.add_text(fields.title, title);
        out.add_text(text_field, title);
    }
    out.add_text(fields.body, &doc.body);
    out.add_text(text_field, &doc.body);
    out.add_text(fields.lang, enrichment.lang.code());
    if let Some(source) = doc
        .source
        .as_deref()
        .filter(|source| !source.trim().is_empty())
    {
        out.add_text(fields.source, source.trim());
    }
    if let Some(url) = doc.url.as_deref() {
        out.add_text(fields.url, url);
    }
    if let Some((when, source)) = enrichment.published {
        out.add_date(fields.date, tantivy_date(when));
        out.add_u64(fields.day, day_number(when.date()));
        out.add_text(fields.date_source, source.as_str());
    }
    for mention in &enrichment.mentioned {
        out.add_date(
            fields.mentioned,
            tantivy_date(mention.date.and_time(chrono::NaiveTime::MIN)),
        );
    }
    for tag in &doc.tags {
        let tag = tag.trim();
        if tag.is_empty() {
            continue;
        }
        out.add_text(fields.tag, tag);
    }
    for topic in &enrichment.topics {
        out.add_text(fields.topic, &topic.id);
    }
    for entity in &enrichment.entities {
        let key = format!("{}/{}", entity.kind.as_str(), entity.name);
        for surface in &entity.surfaces {
            out.add_text(fields.alias, format!("{key}\t{surface}"));
        }
        out.add_text(fields.entity, key);
    }
    out.add_text(fields.details, details_json(enrichment));
    out.add_text(fields.metadata, metadata_json(doc).to_string());
    out
}

/// What `show` reads back: topics with their evidence, entities with their spellings, mentioned
/// dates. Serialised straight from the enrichment, without building a JSON tree first.
#[derive(Serialize)]
struct Details<'a> {
    topics: &'a [TopicMatch],
    entities: Vec<EntityDetails<'a>>,
    mentioned_dates: &'a [MentionedDate],
}

#[derive(Serialize)]
struct EntityDetails<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
    count: u32,
    surfaces: &'a [String],
}

fn details_json(enrichment: &Enrichment) -> String {
    let details = Details {
        topics: &enrichment.topics,
        entities: enrichment
            .entities
            .iter()
            .map(|entity| EntityDetails {
                kind: entity.kind.as_str(),
                name: &entity.name,
                count: entity.count,
                surfaces: &entity.surfaces,
            })
            .collect(),
        mentioned_dates: &enrichment.mentioned,
    };
    // Plain structs of strings and numbers always serialise.
    serde_json::to_string(&details).unwrap_or_default()
}

fn metadata_json(doc: &SourceDoc) -> Value {
    let mut map = serde_json::Map::new();
    if let Some(line) = doc.line {
        map.insert("line".into(), json!(line));
    }
    if let Some(raw) = doc.date_raw.as_deref() {
        map.insert("date_raw".into(), json!(raw));
    }
    let extra: serde_json::Map<String, Value> = doc
        .metadata
        .iter()
        .map(|(key, value)| (key.clone(), json!(value)))
        .collect();
    if !extra.is_empty() {
        map.insert("fields".into(), Value::Object(extra));
    }
    Value::Object(map)
}

//! Turns a read and enriched document into the tantivy document stored in the index.

use chrono::Datelike;
use serde_json::{json, Value};
use tantivy::schema::Facet;
use tantivy::{DateTime, TantivyDocument};

use super::schema::Fields;
use crate::document::SourceDoc;
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
        out.add_facet(fields.facets, Facet::from_path(["tag", tag]));
    }
    for topic in &enrichment.topics {
        out.add_text(fields.topic, &topic.id);
        if let Ok(facet) = Facet::from_text(&topic.facet) {
            out.add_facet(fields.facets, facet);
        }
    }
    for entity in &enrichment.entities {
        let key = format!("{}/{}", entity.kind.as_str(), entity.name);
        out.add_facet(
            fields.facets,
            Facet::from_path(["entity", entity.kind.as_str(), entity.name.as_str()]),
        );
        for surface in &entity.surfaces {
            out.add_text(fields.alias, format!("{key}\t{surface}"));
        }
        out.add_text(fields.entity, key);
    }
    out.add_text(fields.details, details_json(enrichment).to_string());
    out.add_text(fields.metadata, metadata_json(doc).to_string());
    out
}

fn details_json(enrichment: &Enrichment) -> Value {
    let topics: Vec<Value> = enrichment
        .topics
        .iter()
        .map(|topic| {
            json!({
                "id": topic.id,
                "facet": topic.facet,
                "hits": topic.hits,
                "evidence": topic.evidence.iter().map(|evidence| json!({"phrase": evidence.phrase, "hits": evidence.hits})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let entities: Vec<Value> = enrichment
        .entities
        .iter()
        .map(|entity| {
            json!({
                "type": entity.kind.as_str(),
                "name": entity.name,
                "count": entity.count,
                "surfaces": entity.surfaces,
            })
        })
        .collect();
    let mentioned: Vec<Value> = enrichment
        .mentioned
        .iter()
        .map(|mention| {
            json!({
                "date": mention.date.format("%Y-%m-%d").to_string(),
                "precision": format!("{:?}", mention.precision).to_lowercase(),
                "text": mention.text,
            })
        })
        .collect();
    json!({"topics": topics, "entities": entities, "mentioned_dates": mentioned})
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

//! What the index stores for each document: the tantivy document written from a read and enriched
//! document, and the stored details (`show`'s evidence) in one type shared by writer and reader.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use tantivy::schema::{Field, Value};
use tantivy::{DateTime, DocAddress, Searcher, TantivyDocument};

use super::schema::Fields;
use crate::document::SourceDoc;
use crate::enrich::dates::MentionedDate;
use crate::enrich::topics::TopicMatch;
use crate::enrich::Enrichment;
use crate::keys::{DayKey, EntityKey, EntityKind};

/// The key a file's documents are stored under, so they can be replaced or removed together.
pub fn path_key(path: &std::path::Path) -> String {
    path.to_string_lossy().into_owned()
}

/// `when` as a tantivy date, to the second; `None` outside the years about 1677 to 2262 that its
/// nanosecond timestamps can hold (the `day` key holds every year from 0 to 9999).
fn tantivy_date(when: chrono::NaiveDateTime) -> Option<DateTime> {
    let nanos = when.and_utc().timestamp().checked_mul(1_000_000_000)?;
    Some(DateTime::from_timestamp_nanos(nanos))
}

/// What a document is written with beside its text and enrichment, which only the caller knows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocStamps {
    /// When the document first entered the index (UTC seconds: see [`super::build`]'s stamps).
    pub indexed: u64,
    /// Its near-duplicate signature ([`super::signature::signature_of`]); `None` for a text too
    /// short to compare, or where no copy is ever looked for.
    pub signature: Option<u64>,
}

/// The tantivy document for `doc`, what enrichment found in it, and its stamps.
pub fn tantivy_document(
    fields: &Fields,
    doc: &SourceDoc,
    enrichment: &Enrichment,
    stamps: DocStamps,
) -> TantivyDocument {
    let mut out = TantivyDocument::default();
    out.add_text(fields.id, &doc.id);
    out.add_u64(fields.indexed, stamps.indexed);
    super::signature::add_signature(fields, stamps.signature, &mut out);
    out.add_text(fields.path, path_key(&doc.path));
    // A member of an archive is shown under its own path and removed with its archive: the
    // archive's path is a second value, which the run deletes by (see [`file_key`]).
    if let Some(archive) = crate::corpus::container_of(&doc.path) {
        out.add_text(fields.path, path_key(&archive));
    }
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
    // The `day` key is what filters, sorts, counts and shows publication dates; the exact time
    // goes beside it where tantivy can hold it, to order documents of one day.
    // Enrichment only gives dates in the years 0–9999 that a day key holds.
    if let Some((when, source)) = enrichment.published {
        if let Some(day) = DayKey::from_date(when.date()) {
            out.add_u64(fields.day, day.raw());
            if let Some(date) = tantivy_date(when) {
                out.add_date(fields.date, date);
            }
            out.add_text(fields.date_source, source.as_str());
        }
    }
    for mention in &enrichment.mentioned {
        if let Some(date) = tantivy_date(mention.date.and_time(NaiveTime::MIN)) {
            out.add_date(fields.mentioned, date);
        }
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
        let key = EntityKey::new(entity.kind, &entity.name);
        for surface in &entity.surfaces {
            out.add_text(fields.alias, key.alias(surface));
        }
        out.add_text(fields.entity, key.to_string());
    }
    for term in &enrichment.terms {
        out.add_text(fields.term, term);
    }
    out.add_text(fields.details, StoredDetails::of(enrichment).to_json());
    out.add_text(fields.metadata, StoredMetadata::of(doc).to_json());
    out
}

/// What `show` reads back: topics with their evidence, entities with their spellings, mentioned
/// dates. The writer borrows from the enrichment (no copy per document); the reader owns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredDetails<'a> {
    #[serde(default)]
    pub topics: Cow<'a, [TopicMatch]>,
    #[serde(default)]
    pub entities: Vec<StoredEntity<'a>>,
    #[serde(default)]
    pub mentioned_dates: Cow<'a, [MentionedDate]>,
}

/// One entity of a document: its kind, canonical name, mentions and spellings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredEntity<'a> {
    #[serde(rename = "type")]
    pub kind: EntityKind,
    pub name: Cow<'a, str>,
    pub count: u32,
    pub surfaces: Cow<'a, [String]>,
}

impl<'a> StoredDetails<'a> {
    fn of(enrichment: &'a Enrichment) -> StoredDetails<'a> {
        StoredDetails {
            topics: Cow::Borrowed(&enrichment.topics),
            entities: enrichment
                .entities
                .iter()
                .map(|entity| StoredEntity {
                    kind: entity.kind,
                    name: Cow::Borrowed(&entity.name),
                    count: entity.count,
                    surfaces: Cow::Borrowed(&entity.surfaces),
                })
                .collect(),
            mentioned_dates: Cow::Borrowed(&enrichment.mentioned),
        }
    }

    fn to_json(&self) -> String {
        // Plain structs of strings and numbers always serialise.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads the stored JSON back; an unreadable value gives empty details.
    pub fn from_json(text: &str) -> StoredDetails<'static> {
        serde_json::from_str(text).unwrap_or_default()
    }
}

/// Other metadata the input carried: the record's line, the raw date string, any other fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_raw: Option<String>,
    /// The metadata key `date_raw` was found under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_key: Option<String>,
    /// The language the input declared, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_lang: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// The document is a mail or news message (see [`SourceDoc::mail`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mail: bool,
}

impl StoredMetadata {
    fn of(doc: &SourceDoc) -> StoredMetadata {
        StoredMetadata {
            line: doc.line,
            date_raw: doc.date_raw.clone(),
            date_key: doc.date_key.clone(),
            declared_lang: doc.lang.clone(),
            fields: doc.metadata.iter().cloned().collect(),
            mail: doc.mail,
        }
    }

    fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads the stored JSON back; an unreadable value gives empty metadata.
    pub fn from_json(text: &str) -> StoredMetadata {
        serde_json::from_str(text).unwrap_or_default()
    }
}

/// The document as it was read, rebuilt from what the index stores of it, so that it can be
/// enriched again without its file: everything enrichment reads (title, body, path, the raw date
/// and its key, the declared language) is stored. The order of `metadata` is by key.
pub(crate) fn source_doc(fields: &Fields, stored: &TantivyDocument) -> SourceDoc {
    let text = |field| first_text(stored, field);
    let metadata = text(fields.metadata)
        .map(|json| StoredMetadata::from_json(&json))
        .unwrap_or_default();
    SourceDoc {
        id: text(fields.id).unwrap_or_default(),
        path: text(fields.path).unwrap_or_default().into(),
        line: metadata.line,
        title: text(fields.title),
        body: text(fields.body).unwrap_or_default(),
        date_raw: metadata.date_raw,
        date_key: metadata.date_key,
        source: text(fields.source),
        url: text(fields.url),
        lang: metadata.declared_lang,
        tags: all_texts(stored, fields.tag),
        metadata: metadata.fields.into_iter().collect(),
        mail: metadata.mail,
    }
}

/// When a stored document entered the index, as RFC 3339 UTC (`2026-12-01T08:00:00Z`).
pub(crate) fn indexed_time(fields: &Fields, stored: &TantivyDocument) -> Option<String> {
    let seconds = stored.get_first(fields.indexed)?.as_u64()?;
    let when = chrono::DateTime::from_timestamp(i64::try_from(seconds).ok()?, 0)?;
    Some(when.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// The id of the document at `address` (empty when it has none).
pub(crate) fn document_id(
    searcher: &Searcher,
    fields: &Fields,
    address: DocAddress,
) -> crate::error::Result<String> {
    let stored: TantivyDocument = searcher.doc(address)?;
    Ok(first_text(&stored, fields.id).unwrap_or_default())
}

/// The first text value of `field` in a stored document.
pub(crate) fn first_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|value| value.as_str())
        .map(String::from)
}

/// The key of the file a stored document came from: its path, or for an archive member the
/// archive's path, stored after the member's.
pub(crate) fn file_key(doc: &TantivyDocument, fields: &Fields) -> Option<String> {
    doc.get_all(fields.path)
        .filter_map(|value| value.as_str())
        .last()
        .map(String::from)
}

/// Every text value of `field` in a stored document.
pub(crate) fn all_texts(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|value| value.as_str().map(String::from))
        .collect()
}

/// The publication day of the document at `address`, read from its `day` key (which every dated
/// document has, whatever its year).
pub(crate) fn published_day(
    searcher: &Searcher,
    fields: &Fields,
    address: DocAddress,
) -> tantivy::Result<Option<chrono::NaiveDate>> {
    let name = searcher.schema().get_field_name(fields.day);
    let days = searcher
        .segment_reader(address.segment_ord)
        .fast_fields()
        .column_opt::<u64>(name)?;
    Ok(days
        .and_then(|days| days.first(address.doc_id))
        .and_then(|raw| DayKey::from_raw(raw).date()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::dates::Precision;
    use crate::enrich::entities::EntityHit;
    use crate::enrich::lang::Lang;
    use crate::enrich::topics::Evidence;

    #[test]
    fn details_read_back_as_they_were_written() {
        let enrichment = Enrichment {
            lang: Lang::Es,
            published: None,
            mentioned: vec![MentionedDate {
                date: chrono::NaiveDate::from_ymd_opt(2025, 4, 1).expect("valid"),
                precision: Precision::Month,
                text: "en abril".into(),
            }],
            entities: vec![EntityHit {
                kind: EntityKind::Org,
                name: "Nvidia".into(),
                count: 3,
                surfaces: vec!["NVIDIA".into(), "Nvidia".into()],
            }],
            topics: vec![TopicMatch {
                id: "ai-chips".into(),
                facet: "/topic/technology/ai-chips".into(),
                hits: 2,
                evidence: vec![Evidence {
                    phrase: "GPU".into(),
                    hits: 2,
                }],
            }],
            terms: Vec::new(),
            warnings: Vec::new(),
        };
        let written = StoredDetails::of(&enrichment).to_json();
        let read = StoredDetails::from_json(&written);
        assert_eq!(read, StoredDetails::of(&enrichment));
        assert_eq!(read.entities[0].name, "Nvidia");
        assert_eq!(
            StoredDetails::from_json("not json"),
            StoredDetails::default()
        );
    }

    #[test]
    fn tantivy_dates_only_where_nanoseconds_hold_them() {
        let at = |y, m, d| {
            chrono::NaiveDate::from_ymd_opt(y, m, d)
                .map(|day| day.and_time(NaiveTime::MIN))
                .unwrap_or_default()
        };
        assert!(tantivy_date(at(2025, 5, 15)).is_some());
        assert!(tantivy_date(at(1700, 1, 1)).is_some());
        assert_eq!(tantivy_date(at(1500, 6, 1)), None);
        assert_eq!(tantivy_date(at(9999, 12, 31)), None);
    }

    #[test]
    fn metadata_keeps_line_raw_date_and_fields() {
        let doc = SourceDoc {
            line: Some(7),
            date_raw: Some("15/05/2025".into()),
            metadata: vec![("author".into(), "Ana".into())],
            ..SourceDoc::default()
        };
        let read = StoredMetadata::from_json(&StoredMetadata::of(&doc).to_json());
        assert_eq!(read.line, Some(7));
        assert_eq!(read.date_raw.as_deref(), Some("15/05/2025"));
        assert_eq!(read.fields["author"], "Ana");
    }
}

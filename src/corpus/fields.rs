//! Which keys of a JSON record (or of Markdown front matter) feed which document field,
//! with sensible defaults and user overrides such as `body=text,summary`.

use serde_json::{Map, Value};
use thiserror::Error;

/// A document field that keys can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    Title,
    Body,
    Date,
    Source,
    Url,
    Lang,
    Tags,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Id,
        Field::Title,
        Field::Body,
        Field::Date,
        Field::Source,
        Field::Url,
        Field::Lang,
        Field::Tags,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Title => "title",
            Field::Body => "body",
            Field::Date => "date",
            Field::Source => "source",
            Field::Url => "url",
            Field::Lang => "lang",
            Field::Tags => "tags",
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|field| field.name().eq_ignore_ascii_case(name))
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A `--field` value that could not be understood.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FieldMapError {
    #[error("field mapping `{0}` has no `=`; write it as FIELD=KEY, for example body=text")]
    MissingEquals(String),
    #[error("unknown field `{name}` in `{spec}`; valid fields are {valid}")]
    UnknownField {
        name: String,
        spec: String,
        valid: String,
    },
    #[error("field mapping `{0}` names no key; write it as FIELD=KEY, for example body=text")]
    NoKeys(String),
}

/// For each document field, the record keys tried in order (first present wins; for
/// tags every listed key is merged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMap {
    keys: [Vec<String>; 8],
}

fn owned(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|key| (*key).to_owned()).collect()
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap {
            keys: [
                owned(&["id", "_id"]),
                owned(&["title", "headline"]),
                owned(&[
                    "body",
                    "text",
                    "content",
                    "article",
                    "summary",
                    "description",
                ]),
                owned(&[
                    "date",
                    "published",
                    "published_at",
                    "publishedAt",
                    "pubdate",
                    "datetime",
                    "timestamp",
                    "publish_date",
                ]),
                owned(&["source", "publisher", "site", "media_name"]),
                owned(&["url", "link"]),
                owned(&["lang", "language"]),
                owned(&["tags", "category", "categories", "section", "topic"]),
            ],
        }
    }
}

impl FieldMap {
    /// The fixed mapping used for Markdown front matter: the body comes from the text
    /// after the front matter, and ids from the path.
    pub fn front_matter() -> Self {
        FieldMap {
            keys: [
                Vec::new(),
                owned(&["title"]),
                Vec::new(),
                owned(&["date", "published", "published_at", "pubdate"]),
                owned(&["source"]),
                owned(&["url"]),
                owned(&["lang"]),
                owned(&["tags", "categories", "category"]),
            ],
        }
    }

    /// The keys tried for `field`, in order.
    pub fn keys(&self, field: Field) -> &[String] {
        self.keys.get(field.index()).map_or(&[], Vec::as_slice)
    }

    /// Applies a user override such as `body=text`, `body=text,summary` or `tags=places`,
    /// replacing the keys tried for that field.
    pub fn set_override(&mut self, spec: &str) -> Result<(), FieldMapError> {
        let (name, keys) = spec
            .split_once('=')
            .ok_or_else(|| FieldMapError::MissingEquals(spec.to_owned()))?;
        let field = Field::from_name(name.trim()).ok_or_else(|| FieldMapError::UnknownField {
            name: name.trim().to_owned(),
            spec: spec.to_owned(),
            valid: Field::ALL.map(Field::name).join(", "),
        })?;
        let keys: Vec<String> = keys
            .split(',')
            .map(str::trim)
            .filter(|key| !key.is_empty())
            .map(str::to_owned)
            .collect();
        if keys.is_empty() {
            return Err(FieldMapError::NoKeys(spec.to_owned()));
        }
        if let Some(slot) = self.keys.get_mut(field.index()) {
            *slot = keys;
        }
        Ok(())
    }

    fn is_mapped(&self, key: &str) -> bool {
        self.keys.iter().flatten().any(|known| known == key)
    }
}

/// The fields found in one record, before they are placed into a `SourceDoc`.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Mapped {
    pub id: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub date_raw: Option<String>,
    /// The key `date_raw` came from.
    pub date_key: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
    pub tags: Vec<String>,
    pub metadata: Vec<(String, String)>,
}

/// How tag values written as one string are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TagStrings {
    /// `"a, b"` is one tag (JSON categories such as "Economy, Business" stay whole).
    Whole,
    /// `"a, b"` is two tags (front matter `tags: a, b`).
    CommaSeparated,
}

/// Text of a scalar value; `None` for null, arrays, objects and blank strings.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(text) => text.trim().to_owned(),
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::Null | Value::Array(_) | Value::Object(_) => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// Runs of whitespace (line breaks included) become one space; titles are one line.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text of a value meant as prose: a scalar as [`scalar_text`] reads it, or an array of
/// them (paragraphs) joined with a blank line; `None` when nothing in it is text.
pub(crate) fn prose_text(value: &Value) -> Option<String> {
    let Value::Array(items) = value else {
        return scalar_text(value);
    };
    let paragraphs: Vec<String> = items.iter().filter_map(scalar_text).collect();
    (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
}

fn first_text(record: &Map<String, Value>, keys: &[String]) -> Option<String> {
    keys.iter()
        .filter_map(|key| record.get(key))
        .find_map(scalar_text)
}

/// As [`first_text`], with the key the text was found under.
fn first_keyed_text(record: &Map<String, Value>, keys: &[String]) -> Option<(String, String)> {
    keys.iter().find_map(|key| {
        record
            .get(key)
            .and_then(scalar_text)
            .map(|text| (key.clone(), text))
    })
}

fn first_prose(record: &Map<String, Value>, keys: &[String]) -> Option<String> {
    keys.iter()
        .filter_map(|key| record.get(key))
        .find_map(prose_text)
}

/// Strings at least this long (in characters) under a key the map does not name are taken
/// for the body of a record whose mapped body is empty: that long, a value is text, not a label.
pub(crate) const LONG_TEXT_CHARS: usize = 200;

/// The longest text under a key no field is mapped to, when it has at least
/// [`LONG_TEXT_CHARS`] characters: the body of a record whose body keys hold nothing (the
/// `abstract` of Federal Register records). Returns the key and the text; on a tie in length
/// the key that sorts first wins, so the choice does not depend on the order of the keys.
pub(crate) fn unmapped_long_text(
    record: &Map<String, Value>,
    fields: &FieldMap,
) -> Option<(String, String)> {
    let mut best: Option<(usize, &String, String)> = None;
    for (key, value) in record.iter().filter(|(key, _)| !fields.is_mapped(key)) {
        let Some(text) = prose_text(value) else {
            continue;
        };
        let chars = text.chars().count();
        let longer = best
            .as_ref()
            .is_none_or(|(most, best_key, _)| chars > *most || (chars == *most && key < *best_key));
        if chars >= LONG_TEXT_CHARS && longer {
            best = Some((chars, key, text));
        }
    }
    best.map(|(_, key, text)| (key.clone(), text))
}

fn push_tag(tags: &mut Vec<String>, tag: &str) {
    let tag = tag.trim();
    if !tag.is_empty() && !tags.iter().any(|known| known == tag) {
        tags.push(tag.to_owned());
    }
}

fn collect_tags(value: &Value, strings: TagStrings, tags: &mut Vec<String>) {
    match value {
        Value::String(text) => match strings {
            TagStrings::Whole => push_tag(tags, text),
            TagStrings::CommaSeparated => text.split(',').for_each(|tag| push_tag(tags, tag)),
        },
        Value::Array(items) => {
            for item in items {
                if let Some(text) = scalar_text(item) {
                    push_tag(tags, &text);
                }
            }
        }
        Value::Number(_) | Value::Bool(_) => {
            if let Some(text) = scalar_text(value) {
                push_tag(tags, &text);
            }
        }
        Value::Null | Value::Object(_) => {}
    }
}

/// Reads one record through the field map. Title and body may be strings or arrays of them
/// (paragraphs, joined with a blank line). Keys the map names never land in metadata; other
/// scalar keys do, as strings; nested objects and arrays are ignored.
pub(crate) fn map_record(
    record: &Map<String, Value>,
    fields: &FieldMap,
    tag_strings: TagStrings,
) -> Mapped {
    let mut tags = Vec::new();
    for key in fields.keys(Field::Tags) {
        if let Some(value) = record.get(key) {
            collect_tags(value, tag_strings, &mut tags);
        }
    }
    let metadata = record
        .iter()
        .filter(|(key, _)| !fields.is_mapped(key))
        .filter_map(|(key, value)| scalar_text(value).map(|text| (key.clone(), text)))
        .collect();
    let title =
        first_prose(record, fields.keys(Field::Title)).map(|title| collapse_whitespace(&title));
    let body = first_prose(record, fields.keys(Field::Body)).filter(|body| {
        // Only a body of about the title's length can repeat it; skip the work otherwise.
        title.as_ref().is_none_or(|title| {
            body.len() > 2 * title.len() + 16 || collapse_whitespace(body) != *title
        })
    });
    let (date_key, date_raw) = first_keyed_text(record, fields.keys(Field::Date)).unzip();
    Mapped {
        id: first_text(record, fields.keys(Field::Id)),
        title,
        body,
        date_raw,
        date_key,
        source: first_text(record, fields.keys(Field::Source)),
        url: first_text(record, fields.keys(Field::Url)),
        lang: first_text(record, fields.keys(Field::Lang)),
        tags,
        metadata,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn defaults_pick_first_present_key_and_merge_tags() {
        let record = object(json!({
            "_id": 42, "headline": "Chips", "text": "Body text", "summary": "short",
            "publishedAt": "2025-05-15", "publisher": "Diario", "link": "https://x.test/a",
            "language": "es", "tags": ["ai", "chips"], "section": "Economía", "category": "ai",
            "author": "Ana", "views": 10, "nested": {"a": 1}, "empty": null
        }));
        let mapped = map_record(&record, &FieldMap::default(), TagStrings::Whole);
        assert_eq!(mapped.id.as_deref(), Some("42"));
        assert_eq!(mapped.title.as_deref(), Some("Chips"));
        assert_eq!(mapped.body.as_deref(), Some("Body text"));
        assert_eq!(mapped.date_raw.as_deref(), Some("2025-05-15"));
        assert_eq!(mapped.source.as_deref(), Some("Diario"));
        assert_eq!(mapped.url.as_deref(), Some("https://x.test/a"));
        assert_eq!(mapped.lang.as_deref(), Some("es"));
        assert_eq!(mapped.tags, vec!["ai", "chips", "Economía"]);
        assert_eq!(
            mapped.metadata,
            vec![
                ("author".to_owned(), "Ana".to_owned()),
                ("views".to_owned(), "10".to_owned())
            ]
        );
    }

    #[test]
    fn title_is_not_repeated_as_body() {
        let record = object(json!({"title": "Same  title\n", "body": "Same  title"}));
        let mapped = map_record(&record, &FieldMap::default(), TagStrings::Whole);
        assert_eq!(mapped.title.as_deref(), Some("Same title"));
        assert_eq!(mapped.body, None);
    }

    #[test]
    fn string_arrays_are_paragraphs_of_title_and_body() {
        let record = object(json!({
            "title": ["Two", " parts "], "body": ["one", 2, "", null, {"x": 1}, "three"]
        }));
        let mapped = map_record(&record, &FieldMap::default(), TagStrings::Whole);
        assert_eq!(mapped.title.as_deref(), Some("Two parts"));
        assert_eq!(mapped.body.as_deref(), Some("one\n\n2\n\nthree"));
        let empty = object(json!({"title": "T", "body": [null, " "]}));
        let mapped = map_record(&empty, &FieldMap::default(), TagStrings::Whole);
        assert_eq!(mapped.body, None);
    }

    #[test]
    fn long_unmapped_text_is_found_and_short_or_mapped_text_is_not() {
        let long = "x".repeat(LONG_TEXT_CHARS);
        let longer = "y".repeat(LONG_TEXT_CHARS + 1);
        let record = object(json!({
            "title": "z".repeat(500), "note": "short", "abstract": long, "summary_long": longer
        }));
        let fields = FieldMap::default();
        assert_eq!(
            unmapped_long_text(&record, &fields),
            Some(("summary_long".to_owned(), longer))
        );
        let short = object(json!({"title": "z".repeat(500), "abstract": "x".repeat(199)}));
        assert_eq!(unmapped_long_text(&short, &fields), None);
        let tie = object(json!({"b": "x".repeat(300), "a": "y".repeat(300)}));
        assert_eq!(
            unmapped_long_text(&tie, &fields).map(|(key, _)| key),
            Some("a".to_owned())
        );
    }

    #[test]
    fn override_replaces_keys() {
        let mut map = FieldMap::default();
        map.set_override("body=texto, resumen").unwrap();
        map.set_override("TAGS=places").unwrap();
        assert_eq!(map.keys(Field::Body), ["texto", "resumen"]);
        let record = object(json!({"resumen": "R", "tags": ["x"], "places": "Taiwan"}));
        let mapped = map_record(&record, &map, TagStrings::Whole);
        assert_eq!(mapped.body.as_deref(), Some("R"));
        assert_eq!(mapped.tags, vec!["Taiwan"]);
        // `tags` is no longer mapped, but it is a list, so it stays out of metadata too.
        assert!(mapped.metadata.is_empty());
    }

    #[test]
    fn bad_overrides_are_explained() {
        let mut map = FieldMap::default();
        let err = map.set_override("cuerpo=text").unwrap_err();
        assert!(
            err.to_string().contains("valid fields are id, title, body"),
            "{err}"
        );
        assert!(matches!(
            map.set_override("body"),
            Err(FieldMapError::MissingEquals(_))
        ));
        assert!(matches!(
            map.set_override("body= ,"),
            Err(FieldMapError::NoKeys(_))
        ));
        assert_eq!(map, FieldMap::default());
    }

    #[test]
    fn comma_separated_tags_split_only_when_asked() {
        let record = object(json!({"tags": "a, b,,a"}));
        let split = map_record(&record, &FieldMap::default(), TagStrings::CommaSeparated);
        assert_eq!(split.tags, vec!["a", "b"]);
        let whole = map_record(&record, &FieldMap::default(), TagStrings::Whole);
        assert_eq!(whole.tags, vec!["a, b,,a"]);
    }
}

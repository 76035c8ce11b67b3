//! What the document readers (PDF, DOCX, ODT) share: the metadata a file keeps about itself
//! (title, dates, author, keywords, language) and how it becomes a `SourceDoc`, and a small reader
//! that pulls named fields out of a metadata XML part (`docProps/core.xml`, ODT `meta.xml`, XMP).

use std::path::Path;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::document::SourceDoc;

use super::fields::collapse_whitespace;
use super::new_doc;

/// A first line longer than this (in characters) is a paragraph, not a title.
const MAX_TITLE_CHARS: usize = 200;

/// What a document file says about itself.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct FileMeta {
    pub title: Option<String>,
    /// Candidate publication dates as (key named in messages and `show`, value), most trusted
    /// first; the first becomes the document's metadata date, the others are kept as metadata.
    pub dates: Vec<(String, String)>,
    pub author: Option<String>,
    pub keywords: Vec<String>,
    /// The declared language (`es-ES`), as written.
    pub lang: Option<String>,
}

impl FileMeta {
    /// Adds a date candidate unless its value is blank or the key is already known.
    pub fn push_date(&mut self, key: &str, value: Option<String>) {
        let Some(value) = value.map(|value| value.trim().to_owned()) else {
            return;
        };
        if !value.is_empty() && !self.dates.iter().any(|(known, _)| known == key) {
            self.dates.push((key.to_owned(), value));
        }
    }

    /// Adds keywords from a list separated by commas or semicolons.
    pub fn push_keywords(&mut self, list: &str) {
        for keyword in list.split([',', ';']) {
            let keyword = collapse_whitespace(keyword);
            if !keyword.is_empty() && !self.keywords.contains(&keyword) {
                self.keywords.push(keyword);
            }
        }
    }

    /// The document: the metadata title, else the first line of the text when it is short
    /// (taken out of the body, as for `.txt`); the first date as the metadata date.
    pub fn into_doc(self, path: &Path, body: String) -> SourceDoc {
        let title = self.title.map(|title| collapse_whitespace(&title));
        let (title, body) = match title.filter(|title| !title.is_empty()) {
            Some(title) => (Some(title), body),
            None => first_line_title(&body),
        };
        let mut dates = self.dates.into_iter();
        let (date_key, date_raw) = dates.next().unzip();
        let mut metadata: Vec<(String, String)> = dates.collect();
        if let Some(author) = self.author.map(|author| collapse_whitespace(&author)) {
            if !author.is_empty() {
                metadata.push(("author".to_owned(), author));
            }
        }
        SourceDoc {
            title,
            body,
            date_raw,
            date_key,
            lang: self.lang.and_then(|lang| primary_language(&lang)),
            tags: self.keywords,
            metadata,
            ..new_doc(path)
        }
    }
}

/// The first non-empty line as a title when it is short, and the text after it (else no title
/// and the whole text), trimmed.
pub(crate) fn first_line_title(text: &str) -> (Option<String>, String) {
    let start = text.trim_start();
    let (first, rest) = start.split_once('\n').unwrap_or((start, ""));
    let first = first.trim();
    if first.is_empty() || first.chars().count() >= MAX_TITLE_CHARS {
        return (None, start.trim_end().to_owned());
    }
    (Some(collapse_whitespace(first)), rest.trim().to_owned())
}

/// "es-ES" → "es"; the primary language subtag, lower-cased.
pub(crate) fn primary_language(lang: &str) -> Option<String> {
    let primary = lang.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (!primary.is_empty()).then_some(primary)
}

/// The text of an XML entity reference: a character reference or one of the five predefined ones.
pub(crate) fn reference_text(reference: &BytesRef<'_>) -> Option<String> {
    if let Ok(Some(ch)) = reference.resolve_char_ref() {
        return Some(ch.to_string());
    }
    quick_xml::escape::resolve_xml_entity(&reference.xml_content(XmlVersion::Implicit1_0))
        .map(str::to_owned)
}

/// The local part of an element or attribute name: `dc:title` → `title`.
pub(crate) fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// Every element or attribute of `xml` whose local name is in `wanted`, as (local name, text), in
/// document order. An element's text is all the text inside it, nested elements separated by a
/// space (XMP wraps a title in `rdf:Alt`/`rdf:li`). An XML error ends the reading: what was read
/// before it is kept, since metadata is a bonus and the body is what matters.
pub(crate) fn xml_fields(xml: &str, wanted: &[&str]) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    // The wanted elements open around the reader, innermost last, with their text so far.
    let mut open: Vec<(String, String, usize)> = Vec::new();
    let mut depth = 0usize;
    let attributes = |start: &BytesStart<'_>, found: &mut Vec<(String, String)>| {
        for attribute in start.attributes().flatten() {
            let key = local(attribute.key.as_ref());
            if wanted.contains(&key) {
                if let Ok(value) = attribute.normalized_value(XmlVersion::Implicit1_0) {
                    found.push((key.to_owned(), value.into_owned()));
                }
            }
        }
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(start)) => {
                depth += 1;
                attributes(&start, &mut found);
                let name = local(start.name().as_ref()).to_owned();
                if wanted.contains(&name.as_str()) {
                    open.push((name, String::new(), depth));
                }
            }
            Ok(Event::Empty(start)) => attributes(&start, &mut found),
            Ok(Event::End(_)) => {
                if open.last().is_some_and(|(_, _, at)| *at == depth) {
                    if let Some((name, text, _)) = open.pop() {
                        found.push((name, collapse_whitespace(&text)));
                    }
                } else if let Some((_, text, _)) = open.last_mut() {
                    text.push(' ');
                }
                depth = depth.saturating_sub(1);
            }
            Ok(Event::Text(text)) => {
                if let Some((_, buffer, _)) = open.last_mut() {
                    buffer.push_str(&text.xml_content(XmlVersion::Implicit1_0));
                }
            }
            Ok(Event::CData(text)) => {
                if let Some((_, buffer, _)) = open.last_mut() {
                    buffer.push_str(&text.xml_content(XmlVersion::Implicit1_0));
                }
            }
            Ok(Event::GeneralRef(reference)) => {
                if let (Some((_, buffer, _)), Some(text)) =
                    (open.last_mut(), reference_text(&reference))
                {
                    buffer.push_str(&text);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    found
}

/// The text of the first field named `name` in `fields` that is not blank.
pub(crate) fn first_field(fields: &[(String, String)], name: &str) -> Option<String> {
    fields
        .iter()
        .find(|(key, value)| key == name && !value.trim().is_empty())
        .map(|(_, value)| value.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_by_local_name_from_elements_and_attributes() {
        let xml = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="c" xmlns:dc="d">
            <dc:title>Chips &amp; <b>export</b>&#x20;rules</dc:title>
            <rdf:Description xmp:CreateDate="2025-05-15T10:00:00Z"/>
            <dc:title>  </dc:title></cp:coreProperties>"#;
        let fields = xml_fields(xml, &["title", "CreateDate"]);
        assert_eq!(
            fields[0],
            ("title".to_owned(), "Chips & export rules".to_owned())
        );
        assert_eq!(
            fields[1],
            ("CreateDate".to_owned(), "2025-05-15T10:00:00Z".to_owned())
        );
        assert_eq!(
            first_field(&fields, "title").as_deref(),
            Some("Chips & export rules")
        );
    }

    #[test]
    fn broken_xml_keeps_what_came_before() {
        let fields = xml_fields("<a><title>Uno</title><title>dos</a", &["title"]);
        assert_eq!(fields, vec![("title".to_owned(), "Uno".to_owned())]);
    }

    #[test]
    fn title_falls_back_to_a_short_first_line() {
        let doc = FileMeta::default().into_doc(
            Path::new("/x/a.pdf"),
            "\n Informe anual \nTexto.\n\nMás.".to_owned(),
        );
        assert_eq!(doc.title.as_deref(), Some("Informe anual"));
        assert_eq!(doc.body, "Texto.\n\nMás.");
        let long = "palabra ".repeat(40);
        let doc = FileMeta::default().into_doc(Path::new("/x/a.pdf"), long.clone());
        assert_eq!(doc.title, None);
        assert_eq!(doc.body, long.trim_end());
    }

    #[test]
    fn first_date_is_the_metadata_date_and_the_rest_are_kept() {
        let mut meta = FileMeta {
            author: Some(" Ana  Ruiz ".to_owned()),
            lang: Some("es-ES".to_owned()),
            ..FileMeta::default()
        };
        meta.push_date("created", Some("2025-05-15".to_owned()));
        meta.push_date("modified", Some(" ".to_owned()));
        meta.push_date("modified", Some("2025-06-01".to_owned()));
        meta.push_keywords("chips; export controls, chips");
        let doc = meta.into_doc(Path::new("/x/a.docx"), "Body".to_owned());
        assert_eq!(doc.date_key.as_deref(), Some("created"));
        assert_eq!(doc.date_raw.as_deref(), Some("2025-05-15"));
        assert_eq!(doc.lang.as_deref(), Some("es"));
        assert_eq!(doc.tags, vec!["chips", "export controls"]);
        assert_eq!(
            doc.metadata,
            vec![
                ("modified".to_owned(), "2025-06-01".to_owned()),
                ("author".to_owned(), "Ana Ruiz".to_owned())
            ]
        );
    }
}

//! Readers for the two plain-text formats: Markdown (with optional front matter, its syntax turned
//! into plain text) and `.txt`.

use std::path::Path;

use crate::document::SourceDoc;

use super::docmeta::first_line_title;
use super::fields::{map_record, FieldMap, TagStrings};
use super::frontmatter;
use super::markdown_text;
use super::{new_doc, Problem};

/// Reads a Markdown document; `text` is decoded with LF line endings.
pub(crate) fn read_markdown(path: &Path, text: &str) -> Result<SourceDoc, Problem> {
    let split = frontmatter::split(text)
        .map_err(|err| Problem::new(path, Some(err.line()), err.to_string()))?;
    let mapped = map_record(
        &split.data,
        &FieldMap::front_matter(),
        TagStrings::CommaSeparated,
    );
    let plain = markdown_text::plain(split.body);
    let (title, body) = match (mapped.title, plain.heading) {
        // The body's own heading repeats the front-matter title: drop it.
        (Some(title), Some(heading)) if heading == title => (Some(title), plain.rest),
        (Some(title), Some(heading)) if plain.rest.is_empty() => (Some(title), heading),
        (Some(title), Some(heading)) => (Some(title), format!("{heading}\n\n{}", plain.rest)),
        (title, heading) => (title.or(heading), plain.rest),
    };
    let doc = SourceDoc {
        title,
        body,
        date_raw: mapped.date_raw,
        date_key: mapped.date_key,
        source: mapped.source,
        url: mapped.url,
        lang: mapped.lang,
        tags: mapped.tags,
        metadata: mapped.metadata,
        ..new_doc(path)
    };
    non_empty(path, doc)
}

/// Reads a plain-text document: the first non-empty line is the title when it is short.
pub(crate) fn read_text(path: &Path, text: &str) -> Result<SourceDoc, Problem> {
    let (title, body) = first_line_title(text);
    let doc = SourceDoc {
        title,
        body,
        ..new_doc(path)
    };
    non_empty(path, doc)
}

/// Refuses documents with neither a title nor any text.
fn non_empty(path: &Path, doc: SourceDoc) -> Result<SourceDoc, Problem> {
    if doc.title.is_none() && doc.body.is_empty() {
        Err(Problem::new(path, None, "document has no title or text"))
    } else {
        Ok(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::read_one;

    #[test]
    fn markdown_with_yaml_front_matter() {
        let text = "---\r\ntitle: \"Controles\"\r\npublished_at: 2025-05-15\r\nsource: Diario\r\nurl: https://x.test/1\r\nlang: es\r\ntags: chips, export\r\nauthor: Ana\r\n---\r\n# Controles\r\n\r\nTexto **uno**.\r\n";
        let sink = read_one("nota.md", text.as_bytes());
        assert!(sink.skipped.is_empty(), "{:?}", sink.skipped);
        let doc = &sink.docs[0];
        assert_eq!(doc.title.as_deref(), Some("Controles"));
        assert_eq!(doc.body, "Texto uno.");
        assert_eq!(doc.date_raw.as_deref(), Some("2025-05-15"));
        assert_eq!(doc.source.as_deref(), Some("Diario"));
        assert_eq!(doc.url.as_deref(), Some("https://x.test/1"));
        assert_eq!(doc.lang.as_deref(), Some("es"));
        assert_eq!(doc.tags, vec!["chips", "export"]);
        assert_eq!(doc.metadata, vec![("author".to_owned(), "Ana".to_owned())]);
        assert_eq!(doc.line, None);
        assert!(doc.path.is_absolute());
    }

    #[test]
    fn markdown_with_toml_front_matter() {
        let text = "+++\ntitle = \"Chips\"\ndate = 2025-06-01\ntags = [\"ai\"]\n+++\nBody here.";
        let sink = read_one("a.markdown", text.as_bytes());
        let doc = &sink.docs[0];
        assert_eq!(doc.title.as_deref(), Some("Chips"));
        assert_eq!(doc.date_raw.as_deref(), Some("2025-06-01"));
        assert_eq!(doc.tags, vec!["ai"]);
        assert_eq!(doc.body, "Body here.");
    }

    #[test]
    fn markdown_without_front_matter_takes_heading() {
        let sink = read_one("a.md", b"\n# Export rules #\n\nParagraph one.\n\nTwo.");
        let doc = &sink.docs[0];
        assert_eq!(doc.title.as_deref(), Some("Export rules"));
        assert_eq!(doc.body, "Paragraph one.\n\nTwo.");
        let plain = read_one("b.md", b"Intro line\n# Later heading\n");
        assert_eq!(plain.docs[0].title, None);
        assert_eq!(plain.docs[0].body, "Intro line\n\nLater heading");
    }

    #[test]
    fn broken_front_matter_skips_the_file() {
        let open = read_one("a.md", b"---\ntitle: x\n\nBody without end");
        assert!(open.docs.is_empty());
        assert_eq!(
            open.skipped[0].reason,
            "front matter opened on line 1 never closes; add a closing `---` line"
        );
        assert_eq!(open.skipped[0].line, Some(1));
        let bad = read_one("b.md", b"---\ntitle: x\n  bad: - [\n---\nBody");
        assert!(bad.docs.is_empty());
        assert!(bad.skipped[0]
            .reason
            .starts_with("front matter is not valid YAML"));
        assert!(bad.skipped[0].line.is_some());
    }

    #[test]
    fn text_title_is_first_non_empty_line() {
        let sink = read_one(
            "a.txt",
            b"\n\n  Titular de prueba  \nPrimer p\xC3\xA1rrafo.\n\nSegundo.\n",
        );
        let doc = &sink.docs[0];
        assert_eq!(doc.title.as_deref(), Some("Titular de prueba"));
        assert_eq!(doc.body, "Primer párrafo.\n\nSegundo.");
    }

    #[test]
    fn long_first_line_is_not_a_title() {
        let long = "palabra ".repeat(40);
        let sink = read_one("a.txt", format!("{long}\nmore").as_bytes());
        let doc = &sink.docs[0];
        assert_eq!(doc.title, None);
        assert!(doc.body.starts_with("palabra") && doc.body.ends_with("more"));
    }

    #[test]
    fn reading_twice_gives_the_same_id() {
        let dir = tempfile::tempdir().unwrap();
        let options = super::super::ReadOptions::default();
        let first = super::super::testutil::read_bytes(&dir, "a.md", b"# T\nx", &options);
        let second = super::super::testutil::read_bytes(&dir, "a.md", b"# T\ny", &options);
        assert_eq!(first.docs[0].id, second.docs[0].id);
        assert_eq!(first.docs[0].id.len(), 16);
    }
}

//! Reads word-processor files: DOCX (Office Open XML) and ODT (OpenDocument). Both are zip
//! archives of XML parts: the body text comes from `word/document.xml` or `content.xml`
//! (paragraphs and headings, tables row by row), the title, dates, author, keywords and language
//! from the core properties (`docProps/core.xml`) or `meta.xml`.
//!
//! The zip crate reads the archive and quick-xml the parts, both streaming and pure Rust; every
//! part is read through a size limit, so a small file that unpacks to gigabytes is refused.

use std::io::{Cursor, Read};
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use thiserror::Error;
use zip::result::ZipError;
use zip::ZipArchive;

use crate::document::SourceDoc;

use super::docmeta::{first_field, local, reference_text, xml_fields, FileMeta};
use super::plain::TextBuilder;
use super::{human_size, DocSink, Problem, ReadOptions};

/// Why a DOCX or ODT file gives no document.
#[derive(Debug, Error, PartialEq, Eq)]
enum OfficeError {
    #[error(
        "damaged {kind} file: not a readable zip archive ({detail}); save it again from its editor"
    )]
    NotZip { kind: &'static str, detail: String },
    #[error("damaged {kind} file: it has no {part}; save it again from its editor")]
    MissingPart {
        kind: &'static str,
        part: &'static str,
    },
    #[error(
        "damaged {kind} file: {part} cannot be read ({detail}); save it again from its editor"
    )]
    BadPart {
        kind: &'static str,
        part: &'static str,
        detail: String,
    },
    #[error("{kind} file: {part} unpacks to more than {limit} (raise it with --max-file-size)")]
    TooLarge {
        kind: &'static str,
        part: &'static str,
        limit: String,
    },
    #[error("{kind} file has no title or text")]
    Empty { kind: &'static str },
}

/// One of the two formats: where its parts are and how its XML names things.
struct Flavour {
    kind: &'static str,
    body_part: &'static str,
    meta_part: &'static str,
    /// Local names of elements that end a paragraph.
    paragraphs: &'static [&'static str],
    /// Local names of elements holding text (DOCX `w:t`); empty when all text counts (ODT).
    text_elements: &'static [&'static str],
    tabs: &'static [&'static str],
    line_breaks: &'static [&'static str],
    table: &'static str,
    cell: &'static str,
    row: &'static str,
    /// Elements skipped with all they hold: alternative renderings, deleted text, notes, comments.
    skipped: &'static [&'static str],
}

const DOCX: Flavour = Flavour {
    kind: "DOCX",
    body_part: "word/document.xml",
    meta_part: "docProps/core.xml",
    paragraphs: &["p"],
    text_elements: &["t"],
    tabs: &["tab"],
    line_breaks: &["br", "cr"],
    table: "tbl",
    cell: "tc",
    row: "tr",
    skipped: &["Fallback", "instrText", "delText", "del"],
};

const ODT: Flavour = Flavour {
    kind: "ODT",
    body_part: "content.xml",
    meta_part: "meta.xml",
    paragraphs: &["p", "h"],
    text_elements: &[],
    tabs: &["tab", "s"],
    line_breaks: &["line-break"],
    table: "table",
    cell: "table-cell",
    row: "table-row",
    skipped: &[
        "automatic-styles",
        "font-face-decls",
        "tracked-changes",
        "annotation",
        "note",
        "sequence-decls",
    ],
};

/// Reads one DOCX file from its bytes; `path` is only reported.
pub(crate) fn read_docx(path: &Path, bytes: &[u8], options: &ReadOptions, sink: &mut dyn DocSink) {
    report(path, read_office(path, bytes, options, &DOCX), sink);
}

/// Reads one ODT file from its bytes; `path` is only reported.
pub(crate) fn read_odt(path: &Path, bytes: &[u8], options: &ReadOptions, sink: &mut dyn DocSink) {
    report(path, read_office(path, bytes, options, &ODT), sink);
}

fn report(path: &Path, read: Result<SourceDoc, OfficeError>, sink: &mut dyn DocSink) {
    match read {
        Ok(doc) => sink.document(doc),
        Err(err) => sink.skipped(Problem::new(path, None, err.to_string())),
    }
}

fn read_office(
    path: &Path,
    bytes: &[u8],
    options: &ReadOptions,
    flavour: &Flavour,
) -> Result<SourceDoc, OfficeError> {
    let kind = flavour.kind;
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|err| OfficeError::NotZip {
        kind,
        detail: err.to_string(),
    })?;
    let body_xml = read_part(&mut archive, flavour.body_part, options.max_bytes, kind)?.ok_or(
        OfficeError::MissingPart {
            kind,
            part: flavour.body_part,
        },
    )?;
    let body = body_text(&body_xml, flavour).map_err(|detail| OfficeError::BadPart {
        kind,
        part: flavour.body_part,
        detail,
    })?;
    // The metadata part is optional: a file without it is read without a title or dates.
    let meta = match read_part(&mut archive, flavour.meta_part, options.max_bytes, kind) {
        Ok(Some(xml)) => file_meta(&xml, flavour),
        Ok(None) | Err(OfficeError::BadPart { .. }) => FileMeta::default(),
        Err(err) => return Err(err),
    };
    let doc = meta.into_doc(path, body);
    if doc.title.is_none() && doc.body.is_empty() {
        return Err(OfficeError::Empty { kind });
    }
    Ok(doc)
}

/// The text of one part of the archive, `None` when it has no such part.
fn read_part(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    name: &'static str,
    limit: u64,
    kind: &'static str,
) -> Result<Option<String>, OfficeError> {
    let bad = |detail: String| OfficeError::BadPart {
        kind,
        part: name,
        detail,
    };
    let entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(err) => return Err(bad(err.to_string())),
    };
    let mut bytes = Vec::new();
    // The declared size may lie; never unpack more than the limit.
    entry
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| bad(err.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(OfficeError::TooLarge {
            kind,
            part: name,
            limit: human_size(limit),
        });
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| bad("not UTF-8".to_owned()))
}

/// The body text of a document part: paragraphs a blank line apart, the cells of a table row
/// on one line.
fn body_text(xml: &str, flavour: &Flavour) -> Result<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = TextBuilder::default();
    let mut depth = 0usize;
    // The depth of the skipped element the reader is inside, if any.
    let mut skipping: Option<usize> = None;
    let mut in_text = 0usize;
    let mut tables = 0usize;
    let all_text = flavour.text_elements.is_empty();
    loop {
        let event = reader
            .read_event()
            .map_err(|err| format!("{err} at byte {}", reader.error_position()))?;
        match event {
            Event::Start(start) => {
                depth += 1;
                if skipping.is_some() {
                    continue;
                }
                let name = start.name();
                let name = local(name.as_ref());
                if flavour.skipped.contains(&name) {
                    skipping = Some(depth);
                } else if flavour.text_elements.contains(&name) {
                    in_text += 1;
                } else if name == flavour.table {
                    tables += 1;
                }
            }
            Event::Empty(start) if skipping.is_none() => {
                let name = start.name();
                let name = local(name.as_ref());
                if flavour.tabs.contains(&name) {
                    out.space();
                } else if flavour.line_breaks.contains(&name) {
                    out.line_break();
                } else {
                    end_of(name, flavour, tables, &mut out);
                }
            }
            Event::End(end) => {
                let closing = depth;
                depth = depth.saturating_sub(1);
                if let Some(at) = skipping {
                    if at == closing {
                        skipping = None;
                    }
                    continue;
                }
                let name = end.name();
                let name = local(name.as_ref());
                if flavour.text_elements.contains(&name) {
                    in_text = in_text.saturating_sub(1);
                } else if name == flavour.table {
                    tables = tables.saturating_sub(1);
                    out.paragraph_break();
                } else {
                    end_of(name, flavour, tables, &mut out);
                }
            }
            Event::Text(text) if skipping.is_none() && (all_text || in_text > 0) => {
                out.push_text(&text.xml_content(XmlVersion::Implicit1_0));
            }
            Event::GeneralRef(reference) if skipping.is_none() && (all_text || in_text > 0) => {
                if let Some(text) = reference_text(&reference) {
                    out.push_text(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out.finish())
}

/// What the end of a paragraph, cell or row puts in the text: inside a table a paragraph or a
/// cell ends with a space and a row with a paragraph break; elsewhere a paragraph ends one.
fn end_of(name: &str, flavour: &Flavour, tables: usize, out: &mut TextBuilder) {
    if flavour.paragraphs.contains(&name) {
        if tables > 0 {
            out.space();
        } else {
            out.paragraph_break();
        }
    } else if name == flavour.cell {
        out.space();
    } else if name == flavour.row {
        out.paragraph_break();
    }
}

/// Title, dates, author, keywords and language from the core properties or `meta.xml`.
fn file_meta(xml: &str, flavour: &Flavour) -> FileMeta {
    const FIELDS: &[&str] = &[
        "title",
        "created",
        "modified",
        "creator",
        "keywords",
        "language",
        "creation-date",
        "date",
        "initial-creator",
        "keyword",
    ];
    let fields = xml_fields(xml, FIELDS);
    let field = |name| first_field(&fields, name);
    let mut meta = FileMeta {
        title: field("title"),
        lang: field("language"),
        ..FileMeta::default()
    };
    if flavour.kind == DOCX.kind {
        meta.author = field("creator");
        meta.push_date("dcterms:created", field("created"));
        meta.push_date("dcterms:modified", field("modified"));
        if let Some(keywords) = field("keywords") {
            meta.push_keywords(&keywords);
        }
    } else {
        meta.author = field("initial-creator").or_else(|| field("creator"));
        meta.push_date("meta:creation-date", field("creation-date"));
        // In ODT, `dc:date` is when the file was last saved.
        meta.push_date("dc:date", field("date"));
        for (name, keyword) in &fields {
            if name == "keyword" {
                meta.push_keywords(keyword);
            }
        }
    }
    meta
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::testutil::read_one;

    #[test]
    fn docx_body_keeps_paragraphs_and_table_rows() {
        let xml = r#"<w:document xmlns:w="w" xmlns:mc="mc"><w:body>
            <w:p><w:r><w:t>Controles</w:t></w:r><w:r><w:t xml:space="preserve"> a la </w:t></w:r><w:r><w:t>exportación</w:t></w:r></w:p>
            <w:p><w:r><w:t>Uno</w:t><w:tab/><w:t>dos</w:t><w:br/><w:t>tres &amp; más</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Empresa</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Chips</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:p><w:r><w:t>Tencent</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>H20</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:instrText>PAGE</w:instrText><w:delText>borrado</w:delText></w:r>
            <mc:AlternateContent><mc:Choice><w:t>caja</w:t></mc:Choice><mc:Fallback><w:t>caja</w:t></mc:Fallback></mc:AlternateContent></w:p>
            </w:body></w:document>"#;
        assert_eq!(
            body_text(xml, &DOCX).as_deref(),
            Ok("Controles a la exportación\n\nUno dos\ntres & más\n\nEmpresa Chips\n\nTencent H20\n\ncaja")
        );
    }

    #[test]
    fn odt_body_reads_headings_spaces_and_skips_notes() {
        let xml = r#"<office:document-content xmlns:office="o" xmlns:text="t" xmlns:table="tb">
            <office:automatic-styles><style:style>no</style:style></office:automatic-styles>
            <office:body><office:text><text:h>Informe</text:h>
            <text:p>Primera<text:s/>línea<text:line-break/>segunda<text:note><text:note-body><text:p>nota</text:p></text:note-body></text:note>.</text:p>
            <table:table><table:table-row><table:table-cell><text:p>a</text:p></table:table-cell><table:table-cell><text:p>b</text:p></table:table-cell></table:table-row></table:table>
            </office:text></office:body></office:document-content>"#;
        assert_eq!(
            body_text(xml, &ODT).as_deref(),
            Ok("Informe\n\nPrimera línea\nsegunda.\n\na b")
        );
    }

    #[test]
    fn broken_xml_is_an_error_with_a_position() {
        let err = body_text("<w:document><w:p><w:t>x</w:p>", &DOCX).unwrap_err();
        assert!(err.contains("at byte"), "{err}");
    }

    #[test]
    fn core_properties_give_title_dates_and_keywords() {
        let xml = r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d" xmlns:dcterms="t">
            <dc:title>Informe de chips</dc:title><dc:creator>Ana Ruiz</dc:creator>
            <cp:keywords>chips, exportación</cp:keywords><dc:language>es-ES</dc:language>
            <dcterms:created xsi:type="dcterms:W3CDTF">2025-05-15T09:00:00Z</dcterms:created>
            <dcterms:modified xsi:type="dcterms:W3CDTF">2025-05-20T09:00:00Z</dcterms:modified>
            </cp:coreProperties>"#;
        let meta = file_meta(xml, &DOCX);
        assert_eq!(meta.title.as_deref(), Some("Informe de chips"));
        assert_eq!(meta.author.as_deref(), Some("Ana Ruiz"));
        assert_eq!(meta.lang.as_deref(), Some("es-ES"));
        assert_eq!(meta.keywords, vec!["chips", "exportación"]);
        assert_eq!(
            meta.dates,
            vec![
                (
                    "dcterms:created".to_owned(),
                    "2025-05-15T09:00:00Z".to_owned()
                ),
                (
                    "dcterms:modified".to_owned(),
                    "2025-05-20T09:00:00Z".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn damaged_files_are_one_line() {
        let not_zip = read_one("a.docx", b"PK\x03\x04 truncated");
        assert!(not_zip.docs.is_empty());
        assert!(
            not_zip.skipped[0]
                .reason
                .starts_with("damaged DOCX file: not a readable zip archive"),
            "{}",
            not_zip.skipped[0].reason
        );
        let whole = include_bytes!("../../tests/fixtures/documents/nota-exportacion.docx");
        assert_eq!(read_one("a.docx", whole).docs.len(), 1);
        for cut in (0..whole.len()).step_by(41) {
            let sink = read_one("cut.docx", &whole[..cut]);
            assert_eq!(sink.docs.len() + sink.skipped.len(), 1, "cut at {cut}");
        }
    }
}

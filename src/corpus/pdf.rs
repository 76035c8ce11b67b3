//! Reads PDF files: the text layer of every page, and the title and dates the file keeps about
//! itself — the document information dictionary (`Title`, `CreationDate`, `ModDate`) first, then
//! its XMP metadata. A scanned PDF (pages but no text), an encrypted one and a damaged one are each
//! reported in one line.
//!
//! lopdf parses the file: it is pure Rust, kept up (bounded decompression against PDF bombs,
//! repair of damaged cross-reference tables, the standard security handlers), and returns errors
//! instead of panicking, which is what a reader of files from anywhere needs.

use std::path::Path;

use chrono::{DateTime, FixedOffset, SecondsFormat};
use lopdf::{Document, LoadOptions, Object};
use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

use super::docmeta::{first_field, xml_fields, FileMeta};
use super::{DocSink, Problem, ReadOptions};

/// The XMP fields read, by local name: the title and the creation and modification dates.
const XMP_FIELDS: &[&str] = &["title", "CreateDate", "ModifyDate"];

/// Why a PDF gives no document.
#[derive(Debug, Error, PartialEq, Eq)]
enum PdfError {
    #[error("not a PDF file (no %PDF header); check the file or its extension")]
    NotPdf,
    #[error(
        "encrypted PDF: topictrack cannot read password-protected files; index an unprotected copy"
    )]
    Encrypted,
    #[error("damaged PDF ({0}); repair it or export it again")]
    Damaged(String),
    #[error("no text layer (scanned?): {pages} with no text to index; run it through OCR first")]
    NoTextLayer { pages: String },
}

/// Reads one PDF from its bytes; `path` is only reported.
pub(crate) fn read_pdf(path: &Path, bytes: &[u8], options: &ReadOptions, sink: &mut dyn DocSink) {
    match pdf_doc(path, bytes, options) {
        Ok(doc) => sink.document(doc),
        Err(err) => sink.skipped(Problem::new(path, None, err.to_string())),
    }
}

fn pdf_doc(
    path: &Path,
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<crate::document::SourceDoc, PdfError> {
    // The header may follow a little junk, as readers allow; a file without it is no PDF at all.
    let head = bytes.get(..1024).unwrap_or(bytes);
    if !head.windows(5).any(|window| window == b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    // No stream may unpack to more than the file-size limit: a few KiB that inflate to
    // gigabytes are refused like a file that large.
    let limit = usize::try_from(options.max_bytes).unwrap_or(usize::MAX);
    let load = LoadOptions {
        max_decompressed_size: Some(limit),
        ..LoadOptions::default()
    };
    let document = match Document::load_mem_with_options(bytes, load) {
        Ok(document) => document,
        Err(lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_)) => {
            return Err(PdfError::Encrypted)
        }
        Err(err) => return Err(PdfError::Damaged(err.to_string())),
    };
    // With an empty user password lopdf decrypts the file itself; otherwise it stays encrypted.
    if document.is_encrypted() && !document.was_encrypted() {
        return Err(PdfError::Encrypted);
    }
    let pages = document.get_pages();
    if pages.is_empty() {
        return Err(PdfError::Damaged("no pages found".to_owned()));
    }
    let body = page_texts(&document, &pages, limit);
    if !body.chars().any(char::is_alphanumeric) {
        let pages = match pages.len() {
            1 => "1 page".to_owned(),
            n => format!("{n} pages"),
        };
        return Err(PdfError::NoTextLayer { pages });
    }
    Ok(file_meta(&document).into_doc(path, body))
}

/// The text of every page, pages apart by a blank line, lines as the PDF set them. A page whose
/// content cannot be read gives what could be read of it.
fn page_texts(
    document: &Document,
    pages: &std::collections::BTreeMap<u32, lopdf::ObjectId>,
    limit: usize,
) -> String {
    let mut texts = Vec::new();
    for number in pages.keys() {
        let chunks = document.extract_text_chunks_with_limit(&[*number], limit);
        let raw: String = chunks.into_iter().filter_map(Result::ok).collect();
        let lines: Vec<String> = raw
            .lines()
            .map(|line| unligature(&line.split_whitespace().collect::<Vec<_>>().join(" ")))
            .filter(|line| !line.is_empty())
            .collect();
        if !lines.is_empty() {
            texts.push(lines.join("\n"));
        }
    }
    texts.join("\n\n")
}

/// The text with typographic ligatures (`ﬁ`, `ﬂ`, `ﬀ`…, U+FB00–U+FB06) spelt out, as PDF fonts
/// often map them to one character: "speciﬁcation" must be found by "specification".
fn unligature(line: &str) -> String {
    if !line.chars().any(is_ligature) {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + 8);
    for ch in line.chars() {
        if is_ligature(ch) {
            out.extend(std::iter::once(ch).nfkc());
        } else {
            out.push(ch);
        }
    }
    out
}

fn is_ligature(ch: char) -> bool {
    ('\u{FB00}'..='\u{FB06}').contains(&ch)
}

/// Title, dates, author and keywords from the information dictionary, then from XMP.
fn file_meta(document: &Document) -> FileMeta {
    let info = document
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|info| document.dereference(info).ok())
        .and_then(|(_, info)| info.as_dict().ok());
    let text = |key: &[u8]| {
        let value = info?.get(key).ok()?;
        let (_, value) = document.dereference(value).ok()?;
        lopdf::decode_text_string(value).ok()
    };
    let date = |key: &[u8]| {
        let value = info?.get(key).ok()?;
        let (_, value) = document.dereference(value).ok()?;
        pdf_date(value)
    };
    let xmp = xmp_fields(document);
    let mut meta = FileMeta {
        title: text(b"Title")
            .filter(|title| !title.trim().is_empty())
            .or_else(|| first_field(&xmp, "title")),
        author: text(b"Author"),
        ..FileMeta::default()
    };
    meta.push_date("CreationDate", date(b"CreationDate"));
    meta.push_date("xmp:CreateDate", first_field(&xmp, "CreateDate"));
    meta.push_date("ModDate", date(b"ModDate"));
    meta.push_date("xmp:ModifyDate", first_field(&xmp, "ModifyDate"));
    if let Some(keywords) = text(b"Keywords") {
        meta.push_keywords(&keywords);
    }
    meta
}

/// The fields of the catalog's XMP metadata stream, when it has one that reads.
fn xmp_fields(document: &Document) -> Vec<(String, String)> {
    let stream = document
        .catalog()
        .ok()
        .and_then(|catalog| catalog.get(b"Metadata").ok())
        .and_then(|metadata| document.dereference(metadata).ok())
        .and_then(|(_, metadata)| metadata.as_stream().ok());
    let Some(stream) = stream else {
        return Vec::new();
    };
    let content = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    match String::from_utf8(content) {
        Ok(xml) => xml_fields(&xml, XMP_FIELDS),
        Err(_) => Vec::new(),
    }
}

/// A PDF date (`D:YYYYMMDDHHmmSSOHH'mm'`, ISO 32000-1 §7.9.4) as RFC 3339 for the date reader:
/// the offset kept, a missing offset read as UTC. A date of only a year or a year and month
/// stays that short (`2025`, `2025-05`), so that it is dated as such; anything else is passed on
/// as written, to be reported as not a date.
fn pdf_date(value: &Object) -> Option<String> {
    let raw = value.as_datetime()?;
    if let Ok(date) = DateTime::<FixedOffset>::try_from(raw.clone()) {
        return Some(date.to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    let digits = raw.as_str().trim_end_matches('Z');
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        match digits.len() {
            4 => return Some(digits.to_owned()),
            6 => return Some(format!("{}-{}", &digits[..4], &digits[4..])),
            // Second-less or zone-less forms lopdf does not read: read the day at least.
            8.. => {
                return Some(format!(
                    "{}-{}-{}",
                    &digits[..4],
                    &digits[4..6],
                    &digits[6..8]
                ))
            }
            _ => {}
        }
    }
    Some(raw.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::testutil::read_one;

    fn date_of(text: &str) -> Option<String> {
        pdf_date(&Object::string_literal(text))
    }

    #[test]
    fn pdf_dates_become_rfc3339() {
        for (written, read) in [
            ("D:20250515103000+02'00'", "2025-05-15T10:30:00+02:00"),
            ("D:20250515103000Z", "2025-05-15T10:30:00Z"),
            ("D:20250515103000", "2025-05-15T10:30:00Z"),
            ("D:20250515", "2025-05-15T00:00:00Z"),
            ("D:202505", "2025-05"),
            ("D:2025", "2025"),
            ("yesterday", "yesterday"),
        ] {
            assert_eq!(date_of(written).as_deref(), Some(read), "{written}");
        }
        assert_eq!(pdf_date(&Object::Integer(2025)), None);
    }

    #[test]
    fn ligatures_are_spelt_out() {
        assert_eq!(
            unligature("speci\u{FB01}cation, \u{FB02}ow"),
            "specification, flow"
        );
        assert_eq!(unligature("plain"), "plain");
    }

    #[test]
    fn not_a_pdf_is_one_line() {
        let sink = read_one("a.pdf", b"PK\x03\x04 this is a zip");
        assert!(sink.docs.is_empty());
        assert_eq!(
            sink.skipped[0].reason,
            "not a PDF file (no %PDF header); check the file or its extension"
        );
    }

    #[test]
    fn a_page_tree_that_loops_is_reported_not_followed_forever() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
            2 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >> endobj\n\
            3 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >> endobj\n\
            trailer << /Root 1 0 R >>\n%%EOF\n";
        let sink = read_one("loop.pdf", pdf);
        assert!(sink.docs.is_empty());
        assert_eq!(sink.skipped.len(), 1);
        assert!(
            sink.skipped[0].reason.starts_with("damaged PDF"),
            "{}",
            sink.skipped[0].reason
        );
    }

    #[test]
    fn every_truncation_of_a_pdf_is_reported_not_panicking() {
        let whole = include_bytes!("../../tests/fixtures/documents/informe-chips.pdf");
        let whole_read = read_one("a.pdf", whole);
        assert_eq!(whole_read.docs.len(), 1, "{:?}", whole_read.skipped);
        for cut in (0..whole.len()).step_by(37) {
            let sink = read_one("cut.pdf", &whole[..cut]);
            assert_eq!(
                sink.docs.len() + sink.skipped.len(),
                1,
                "cut at {cut}: {:?}",
                sink.skipped
            );
            for problem in &sink.skipped {
                assert!(
                    !problem.reason.starts_with("internal error"),
                    "cut at {cut}: {}",
                    problem.reason
                );
            }
        }
    }
}

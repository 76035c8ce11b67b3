//! Reads mail and news messages: `.eml` files, each message of an `.mbox`, and `.txt` files that
//! begin with RFC 5322 headers (saved newsgroup posts, mail saved as text). `mail-parser` does the
//! MIME work (multipart, quoted-printable, base64, declared charsets, encoded words); this module
//! maps a message onto a document: Subject → title, `Date` → the date, From → `author`,
//! Newsgroups and List-Id → tags, Message-ID → id, attachments listed by name and never indexed.
//!
//! Like every reader it never opens a path: it is handed the bytes (or, for an mbox, a stream) and
//! the path to report.

mod mbox;

use std::path::Path;

use mail_parser::{Message, MessageParser, MimeHeaders, PartType};
use xxhash_rust::xxh3::xxh3_64;

use super::fields::collapse_whitespace;
use super::{html, new_doc, DocSink, Problem};
use crate::document::SourceDoc;

pub(crate) use mbox::read_mbox;

/// Headers that mark the start of a message saved as text; two of them, one naming the sender or
/// the message, make a `.txt` file a message.
const MESSAGE_HEADERS: &[&str] = &[
    "from",
    "subject",
    "date",
    "newsgroups",
    "message-id",
    "path",
    "to",
    "received",
    "return-path",
    "mime-version",
    "content-type",
    "organization",
    "lines",
    "references",
    "x-mailer",
];
const IDENTIFYING_HEADERS: &[&str] = &["from", "newsgroups", "message-id"];

/// How many leading lines of a `.txt` file are looked at to tell a message from a text.
const SNIFF_LINES: usize = 40;

/// Whether `bytes` begin with a block of RFC 5322 header fields (after an optional mbox `From `
/// line): every line up to the first blank one a field or its continuation, with at least two
/// message headers, one of them From, Newsgroups or Message-ID.
pub(crate) fn looks_like_message(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(16 * 1024)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines().peekable();
    if lines.peek().is_some_and(|line| line.starts_with("From ")) {
        lines.next();
    }
    let (mut known, mut identifying, mut fields) = (0, false, 0);
    for (at, line) in lines.enumerate() {
        if line.trim().is_empty() {
            break;
        }
        if at >= SNIFF_LINES {
            return false;
        }
        if line.starts_with([' ', '\t']) {
            if fields == 0 {
                return false;
            }
            continue;
        }
        let Some((name, _)) = line.split_once(':') else {
            return false;
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return false;
        }
        fields += 1;
        let name = name.to_ascii_lowercase();
        if MESSAGE_HEADERS.contains(&name.as_str()) {
            known += 1;
        }
        identifying |= IDENTIFYING_HEADERS.contains(&name.as_str());
    }
    known >= 2 && identifying
}

/// Reads one message that is a whole file (`.eml`, or `.txt` with headers).
pub(crate) fn read_message(path: &Path, bytes: &[u8], sink: &mut dyn DocSink) {
    match message_doc(path, bytes, None) {
        Ok(doc) => sink.document(doc),
        Err(problem) => sink.skipped(problem),
    }
}

/// Where a message sits: a whole file, or the message of an mbox whose `From ` line is `line`.
type MboxLine = Option<u64>;

/// The document of one message, or why it cannot be one.
fn message_doc(path: &Path, bytes: &[u8], line: MboxLine) -> Result<SourceDoc, Problem> {
    let problem = |reason: String| Problem::new(path, line, reason);
    let message = MessageParser::default()
        .parse(bytes)
        .filter(|message| !message.headers().is_empty())
        .ok_or_else(|| problem("not a mail message: it has no header fields".to_owned()))?;
    if let Some(boundary) = missing_boundary(&message, bytes) {
        return Err(problem(format!(
            "damaged MIME message: the boundary {boundary:?} named in its Content-Type never \
             appears, so its parts cannot be told apart; repair or re-export the message"
        )));
    }
    let title = message
        .subject()
        .map(collapse_whitespace)
        .filter(|subject| !subject.is_empty());
    let body = body_text(path, &message);
    if title.is_none() && body.is_empty() {
        return Err(problem("message has no subject or text".to_owned()));
    }
    let mut doc = SourceDoc {
        line,
        title,
        body,
        mail: true,
        ..new_doc(path)
    };
    let id = message
        .message_id()
        .map(str::to_owned)
        .or_else(|| raw_message_id(bytes));
    if let Some(id) = id.as_deref().map(str::trim).filter(|id| !id.is_empty()) {
        doc.id = id.to_owned();
    } else if line.is_some() {
        // A message of an mbox without a Message-ID: its headers, wherever it sits in the file.
        let headers = bytes
            .get(..message.root_part().offset_body as usize)
            .unwrap_or(bytes);
        doc.id = format!("mail-{:016x}", xxh3_64(headers));
    }
    if let Some(date) = message
        .header_raw("Date")
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        doc.date_raw = Some(collapse_whitespace(date));
        doc.date_key = Some("Date".to_owned());
    }
    doc.tags = tags(&message);
    if let Some(author) = author(&message) {
        doc.metadata.push(("author".to_owned(), author));
    }
    let attachments = attachment_names(&message);
    if !attachments.is_empty() {
        doc.metadata
            .push(("attachments".to_owned(), attachments.join("; ")));
    }
    if let Some(parent) = message.in_reply_to().as_text() {
        doc.metadata
            .push(("in_reply_to".to_owned(), parent.to_owned()));
    }
    Ok(doc)
}

/// The Message-ID read from the header block itself: `mail-parser` can lose it when the field
/// before it ends in a one-letter military zone (`Date: … Z`), whose reading runs into the next line.
fn raw_message_id(bytes: &[u8]) -> Option<String> {
    let end = memchr::memmem::find(bytes, b"\n\n")
        .or_else(|| memchr::memmem::find(bytes, b"\r\n\r\n"))
        .unwrap_or(bytes.len());
    let head = String::from_utf8_lossy(bytes.get(..end)?);
    head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        if !name.trim().eq_ignore_ascii_case("message-id") {
            return None;
        }
        let value = value.trim().trim_start_matches('<').trim_end_matches('>');
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// The boundary of a multipart part that never appears as `--boundary` in the message.
fn missing_boundary(message: &Message, bytes: &[u8]) -> Option<String> {
    message.parts.iter().find_map(|part| {
        let content_type = part.content_type()?;
        if !content_type.ctype().eq_ignore_ascii_case("multipart") {
            return None;
        }
        let boundary = content_type.attribute("boundary")?;
        let marker = format!("--{boundary}");
        memchr::memmem::find(bytes, marker.as_bytes())
            .is_none()
            .then(|| boundary.to_owned())
    })
}

/// The message's text: its text/plain parts, HTML parts turned into visible text where a message
/// has no plain alternative.
fn body_text(path: &Path, message: &Message) -> String {
    let mut texts: Vec<String> = Vec::new();
    for part in message.text_bodies() {
        let text = match &part.body {
            PartType::Text(text) => text.trim().to_owned(),
            PartType::Html(markup) => html::read_html(path, markup)
                .map(|doc| doc.body)
                .unwrap_or_default(),
            _ => continue,
        };
        if !text.is_empty() {
            texts.push(text.replace("\r\n", "\n"));
        }
    }
    texts.join("\n\n")
}

/// Newsgroups, and the list a message came through (the id inside List-Id's angle brackets).
fn tags(message: &Message) -> Vec<String> {
    let mut tags: Vec<String> = message
        .header_raw("Newsgroups")
        .map(|groups| {
            groups
                .split([',', ' ', '\t', '\r', '\n'])
                .map(str::trim)
                .filter(|group| !group.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if let Some(list) = message.header_raw("List-Id") {
        let list = list.trim();
        let id = list
            .rsplit_once('<')
            .and_then(|(_, rest)| rest.split_once('>'))
            .map_or(list, |(id, _)| id)
            .trim();
        if !id.is_empty() && !tags.iter().any(|tag| tag == id) {
            tags.push(id.to_owned());
        }
    }
    tags
}

/// The sender as written: `Name <address>`, or the address alone.
fn author(message: &Message) -> Option<String> {
    let first = message.from()?.first()?;
    let name = first
        .name()
        .map(collapse_whitespace)
        .filter(|n| !n.is_empty());
    match (name, first.address()) {
        (Some(name), Some(address)) => Some(format!("{name} <{address}>")),
        (Some(name), None) => Some(name),
        (None, Some(address)) => Some(address.to_owned()),
        (None, None) => None,
    }
}

/// Each attachment by file name (an attached message by its subject, an unnamed part by its type).
fn attachment_names(message: &Message) -> Vec<String> {
    message
        .attachments()
        .map(|part| {
            if let Some(name) = part.attachment_name() {
                return collapse_whitespace(name);
            }
            if let PartType::Message(inner) = &part.body {
                if let Some(subject) = inner.subject() {
                    return format!("message: {}", collapse_whitespace(subject));
                }
            }
            let kind = part.content_type().map_or_else(
                || "application/octet-stream".to_owned(),
                |ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("*")),
            );
            format!("(unnamed {kind})")
        })
        .collect()
}

#[cfg(test)]
mod tests;

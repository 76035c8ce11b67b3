//! Reads feeds — RSS 2.0 (and RSS 0.9x / 1.0), Atom and JSON Feed — from their bytes: every item
//! is a document with its title, link, date, text and categories, and an id that stays the same
//! when the feed gains items, so a feed read again adds only what is new.
//!
//! feed-rs does the parsing (XML through quick-xml, JSON through serde_json) and copes with the
//! date spellings and namespaces feeds use in the wild. It reads a feed whole, so a feed it
//! refuses is read a second time item by item: one broken item is then reported and the others
//! are kept.

use std::ops::Range;
use std::path::Path;

use chrono::SecondsFormat;
use feed_rs::model::{Entry, Feed, Link, Text};
use feed_rs::parser::Builder;
use serde_json::Value;
use xxhash_rust::xxh3::xxh3_64;

use super::docmeta::primary_language;
use super::html::fragment_text;
use super::{path_id, DocSink, Problem};
use crate::document::SourceDoc;

/// What the reader was told about the bytes before it looks at them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// A feed by its name (`.rss`, `.atom`, a JSON Feed, a feed URL): anything else is an error.
    Feed,
    /// An `.xml` file, which may hold any XML: one that is no feed is unsupported, not wrong.
    AnyXml,
}

/// The kinds of feed, told by the first element (or the first character, for JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FeedKind {
    /// `<rss>` or RSS 1.0's `<rdf:RDF>`: items are `<item>`.
    Rss,
    /// `<feed>`: items are `<entry>`.
    Atom,
    Json,
}

/// How far into the bytes the root element is looked for.
const SNIFF_BYTES: usize = 4096;

/// How far into a `.json` file the JSON Feed `version` key is looked for.
const JSON_FEED_SNIFF_BYTES: usize = 64 * 1024;

/// What a JSON Feed's `version` starts with.
const JSON_FEED_VERSION: &[u8] = b"\"https://jsonfeed.org/version/";

/// The kind of feed `bytes` hold, or the root element's name (if any) when they hold none.
pub(crate) fn sniff(bytes: &[u8]) -> Result<FeedKind, Option<String>> {
    let head = bytes.get(..SNIFF_BYTES).unwrap_or(bytes);
    let head = match encoding_rs::Encoding::for_bom(head) {
        Some((encoding, bom)) => encoding
            .decode_without_bom_handling(head.get(bom..).unwrap_or_default())
            .0
            .into_owned(),
        None => String::from_utf8_lossy(head).into_owned(),
    };
    let mut rest = head.trim_start();
    loop {
        let end = if rest.starts_with("<?") {
            "?>"
        } else if rest.starts_with("<!--") {
            "-->"
        } else if rest.starts_with("<!") {
            ">"
        } else {
            break;
        };
        match rest.find(end) {
            Some(at) => rest = rest[at + end.len()..].trim_start(),
            None => return Err(None),
        }
    }
    if rest.starts_with('{') {
        return Ok(FeedKind::Json);
    }
    let Some(tag) = rest.strip_prefix('<') else {
        return Err(None);
    };
    let name: String = tag
        .chars()
        .take_while(|ch| !ch.is_whitespace() && !matches!(ch, '>' | '/'))
        .collect();
    let local = name.rsplit(':').next().unwrap_or_default();
    match local {
        "rss" | "RDF" => Ok(FeedKind::Rss),
        "feed" => Ok(FeedKind::Atom),
        _ => Err((!name.is_empty()).then_some(name)),
    }
}

/// Whether the text of a `.json` file is a JSON Feed: an object whose `version` is a
/// `https://jsonfeed.org/version/…` address, found among its first 64 KiB without parsing them.
pub(crate) fn is_json_feed(text: &str) -> bool {
    let bytes = text.as_bytes();
    let head = bytes.get(..JSON_FEED_SNIFF_BYTES).unwrap_or(bytes);
    if head.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return false;
    }
    head.windows(JSON_FEED_VERSION.len())
        .enumerate()
        .filter(|(_, window)| *window == JSON_FEED_VERSION)
        .any(|(at, _)| {
            let before = head[..at].trim_ascii_end();
            before
                .strip_suffix(b":")
                .is_some_and(|key| key.trim_ascii_end().ends_with(b"\"version\""))
        })
}

/// Reads the feed in `bytes`, reported as `path`, streaming one document per item into the sink.
pub(crate) fn read_feed(path: &Path, bytes: &[u8], expect: Expect, sink: &mut dyn DocSink) {
    let kind = match sniff(bytes) {
        Ok(kind) => kind,
        Err(root) => return not_a_feed(path, root, expect, sink),
    };
    match parse(bytes, kind) {
        Ok(feed) => emit_items(path, &feed, 1, sink),
        Err(err) => match kind {
            FeedKind::Json => recover_json(path, bytes, &err, sink),
            FeedKind::Rss | FeedKind::Atom => recover_xml(path, bytes, kind, &err, sink),
        },
    }
}

/// Checks that XML is well formed before feed-rs sees it: feed-rs passes over some errors inside
/// an item and can then trip over its own state and panic, so it is given well-formed XML only.
/// quick-xml (feed-rs's own XML reader) checks, at a small fraction of the cost of parsing.
fn well_formed(bytes: &[u8], kind: FeedKind) -> Result<(), String> {
    use quick_xml::events::Event;
    if kind == FeedKind::Json
        || encoding_rs::Encoding::for_bom(bytes).is_some_and(|(enc, _)| enc != encoding_rs::UTF_8)
    {
        return Ok(());
    }
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) if depth == 0 => return Ok(()),
            Ok(Event::Eof) => return Err("the XML ends before its elements are closed".to_owned()),
            Ok(_) => {}
            Err(err) => return Err(format!("not well-formed XML: {err}")),
        }
    }
}

/// Parses with feed-rs what [`well_formed`] passed, ids left empty where the feed gives none so
/// that this reader chooses them. A parser is made for every parse: one that failed keeps state
/// that breaks the next.
fn parse(bytes: &[u8], kind: FeedKind) -> Result<Feed, String> {
    well_formed(bytes, kind)?;
    Builder::new()
        .id_generator(|_, _, _| String::new())
        .build()
        .parse(bytes)
        .map_err(|err| err.to_string())
}

fn not_a_feed(path: &Path, root: Option<String>, expect: Expect, sink: &mut dyn DocSink) {
    let found = match &root {
        Some(name) => format!("its root element is <{name}>"),
        None => "it does not start with an XML element".to_owned(),
    };
    match expect {
        Expect::AnyXml => sink.warning(Problem::new(
            path,
            None,
            format!(
                "unsupported XML file ({found}); only RSS and Atom feeds are read from .xml files"
            ),
        )),
        Expect::Feed => sink.skipped(Problem::new(
            path,
            None,
            format!("not an RSS, Atom or JSON feed ({found}); check that it is a feed"),
        )),
    }
}

/// Sends a document for every item of `feed`, numbering them from `first` in messages.
fn emit_items(path: &Path, feed: &Feed, first: usize, sink: &mut dyn DocSink) {
    if feed.entries.is_empty() && first == 1 {
        sink.warning(Problem::new(path, None, "the feed has no items"));
    }
    for (at, entry) in feed.entries.iter().enumerate() {
        match item_doc(path, feed, entry) {
            Some(doc) => sink.document(doc),
            None => sink.skipped(Problem::new(
                path,
                None,
                format!(
                    "item {} has no title or text, so it was left out",
                    first + at
                ),
            )),
        }
    }
}

/// The visible text of a feed text (HTML or plain), or `None` when it is blank.
fn text_of(text: &Text) -> Option<String> {
    non_empty(fragment_text(&text.content))
}

fn non_empty(text: String) -> Option<String> {
    (!text.trim().is_empty()).then_some(text)
}

/// The item's own page: its first link with no `rel` or `rel="alternate"`, else its first link.
fn page_link(links: &[Link]) -> Option<String> {
    links
        .iter()
        .find(|link| link.rel.as_deref().is_none_or(|rel| rel == "alternate"))
        .or(links.first())
        .map(|link| link.href.trim().to_owned())
        .filter(|href| !href.is_empty())
}

/// One item as a document, or `None` when it has neither title nor text.
fn item_doc(path: &Path, feed: &Feed, entry: &Entry) -> Option<SourceDoc> {
    let title = entry.title.as_ref().and_then(text_of);
    let body = entry
        .content
        .as_ref()
        .and_then(|content| content.body.as_deref())
        .and_then(|body| non_empty(fragment_text(body)))
        .or_else(|| entry.summary.as_ref().and_then(text_of));
    if title.is_none() && body.is_none() {
        return None;
    }
    let body = body.unwrap_or_default();
    let url = page_link(&entry.links);
    let (date_key, date_raw) = entry
        .published
        .map(|when| ("published", when))
        .or(entry.updated.map(|when| ("updated", when)))
        .map(|(key, when)| {
            (
                key.to_owned(),
                when.to_rfc3339_opts(SecondsFormat::Secs, true),
            )
        })
        .unzip();
    let id = non_empty(entry.id.trim().to_owned())
        .or_else(|| url.clone())
        .unwrap_or_else(|| {
            // Neither guid nor link: the title and date name the item, else its text does.
            let named = match &title {
                Some(title) => format!("{title}\u{0}{}", date_raw.as_deref().unwrap_or("")),
                None => body.clone(),
            };
            format!("{}#{:016x}", path_id(path), xxh3_64(named.as_bytes()))
        });
    let mut tags: Vec<String> = Vec::new();
    for category in &entry.categories {
        let tag = category.label.as_deref().unwrap_or(&category.term).trim();
        if !tag.is_empty() && !tags.iter().any(|known| known == tag) {
            tags.push(tag.to_owned());
        }
    }
    let authors: Vec<&str> = entry
        .authors
        .iter()
        .filter_map(|person| {
            let name = person.name.as_deref().unwrap_or_default().trim();
            (!name.is_empty()).then_some(name)
        })
        .collect();
    let mut metadata = Vec::new();
    if !authors.is_empty() {
        metadata.push(("author".to_owned(), authors.join(", ")));
    }
    Some(SourceDoc {
        id,
        path: path.to_path_buf(),
        line: None,
        title,
        body,
        date_raw,
        date_key,
        source: feed.title.as_ref().and_then(text_of),
        url,
        lang: entry
            .language
            .as_deref()
            .or(feed.language.as_deref())
            .and_then(primary_language),
        tags,
        metadata,
        mail: false,
    })
}

/// The 1-based line of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> u64 {
    let before = bytes.get(..at).unwrap_or(bytes);
    before.iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// The byte ranges of the items (`<item>…</item>` or `<entry>…</entry>`, with any namespace
/// prefix) of an XML feed.
fn item_ranges(bytes: &[u8], kind: FeedKind) -> Vec<Range<usize>> {
    let tag = if kind == FeedKind::Atom {
        "entry"
    } else {
        "item"
    };
    let pattern =
        format!(r"(?s)<(?:[A-Za-z_][\w.-]*:)?{tag}[\s>].*?</(?:[A-Za-z_][\w.-]*:)?{tag}\s*>");
    match regex::bytes::Regex::new(&pattern) {
        Ok(items) => items.find_iter(bytes).map(|found| found.range()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Reads an XML feed that feed-rs refused whole one item at a time: each item with the feed's
/// head and tail around it. An item that fails alone is reported with its line; when every item
/// fails the fault is the feed's, and it is reported once.
fn recover_xml(path: &Path, bytes: &[u8], kind: FeedKind, err: &str, sink: &mut dyn DocSink) {
    let items = item_ranges(bytes, kind);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return whole_feed_broken(path, err, sink);
    };
    let (head, tail) = (&bytes[..first.start], &bytes[last.end..]);
    let mut read = Vec::new();
    let mut broken = Vec::new();
    for (at, range) in items.iter().enumerate() {
        let mut alone = Vec::with_capacity(head.len() + range.len() + tail.len());
        alone.extend_from_slice(head);
        alone.extend_from_slice(&bytes[range.clone()]);
        alone.extend_from_slice(tail);
        match parse(&alone, kind) {
            Ok(feed) => read.push((at + 1, feed)),
            Err(item_err) => broken.push(Problem::new(
                path,
                Some(line_of(bytes, range.start)),
                format!(
                    "item {} is not valid ({item_err}), so it was left out; the other items were read",
                    at + 1
                ),
            )),
        }
    }
    settle_recovered(path, read, broken, err, sink);
}

/// Reads a JSON Feed that feed-rs refused whole one item at a time, each with the feed's other
/// keys around it.
fn recover_json(path: &Path, bytes: &[u8], err: &str, sink: &mut dyn DocSink) {
    let Ok(Value::Object(mut top)) = serde_json::from_slice::<Value>(bytes) else {
        return whole_feed_broken(path, err, sink);
    };
    let Some(Value::Array(items)) = top.remove("items") else {
        return whole_feed_broken(path, err, sink);
    };
    let mut read = Vec::new();
    let mut broken = Vec::new();
    for (at, item) in items.into_iter().enumerate() {
        let mut alone = top.clone();
        alone.insert("items".to_owned(), Value::Array(vec![item]));
        let parsed = serde_json::to_vec(&Value::Object(alone))
            .map_err(|err| err.to_string())
            .and_then(|json| parse(&json, FeedKind::Json));
        match parsed {
            Ok(feed) => read.push((at + 1, feed)),
            Err(item_err) => broken.push(Problem::new(
                path,
                None,
                format!(
                    "item {} is not valid ({item_err}), so it was left out; the other items were read",
                    at + 1
                ),
            )),
        }
    }
    settle_recovered(path, read, broken, err, sink);
}

/// Sends the items read one at a time, numbered as in the feed, then reports those that failed;
/// when none could be read the fault is the feed's, and `err` says it once.
fn settle_recovered(
    path: &Path,
    read: Vec<(usize, Feed)>,
    broken: Vec<Problem>,
    err: &str,
    sink: &mut dyn DocSink,
) {
    if read.is_empty() {
        return whole_feed_broken(path, err, sink);
    }
    for (number, feed) in read {
        emit_items(path, &feed, number, sink);
    }
    for problem in broken {
        sink.skipped(problem);
    }
}

fn whole_feed_broken(path: &Path, err: &str, sink: &mut dyn DocSink) {
    sink.skipped(Problem::new(
        path,
        None,
        format!("not a readable feed: {err}"),
    ));
}

#[cfg(test)]
mod tests;

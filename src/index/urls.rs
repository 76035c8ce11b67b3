//! The URLs an index is given (`index https://…`, `index --urls FILE`). Unlike a folder, a URL is
//! not the whole truth about its documents: a feed keeps only its newest items, so an item that
//! drops out of it stays in the index, and an item read again unchanged is not written again.
//! The index keeps, for each URL, what the server said of the version it read (ETag,
//! Last-Modified), so the next run asks conditionally and a 304 costs nothing, and the id of every
//! item it gave with a hash of what was read of it.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::state::IndexState;
use crate::corpus::{Body, FetchOptions, Fetched, Fetcher, Format, FoundFile, Problem, Validators};
use crate::document::SourceDoc;

/// URLs fetched at once: a few, so that one slow server does not hold up the others, and few
/// enough to be polite and leave the cores to enrichment.
const PARALLEL_FETCHES: usize = 4;

/// What the index keeps about one URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrlRecord {
    /// When a run last had an answer from it (a body or a 304), RFC 3339 in UTC.
    pub fetched: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Every document it gave, by id, with the [`content_hash`] of what was read of it.
    #[serde(default)]
    pub items: BTreeMap<String, u64>,
}

impl UrlRecord {
    fn validators(&self) -> Validators {
        Validators {
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }
}

/// A URL whose body this run reads, as the reading side sees it.
pub(super) struct FetchedUrl {
    /// The URL as a file: its path is the URL, its size the body's.
    pub(super) found: FoundFile,
    pub(super) body: Body,
    /// The items it gave before, by id, with their hashes.
    pub(super) known: BTreeMap<String, u64>,
    /// Write every item, changed or not (the enrichment or the reading options changed).
    pub(super) rewrite: bool,
}

/// What fetching the run's URLs gave: bodies to read, and what to report and record.
#[derive(Default)]
pub(super) struct Fetches {
    pub(super) bodies: Vec<FetchedUrl>,
    /// URLs that answered 304, with the documents they keep.
    pub(super) not_modified: Vec<(String, u64)>,
    pub(super) problems: Vec<Problem>,
}

/// Fetches every URL, a few at a time, conditionally unless `rewrite` (then every body is read
/// and every item written again).
pub(super) fn fetch_all(
    urls: &[String],
    state: &IndexState,
    options: FetchOptions,
    max_bytes: u64,
    rewrite: bool,
) -> Fetches {
    let fetcher = Fetcher::new(options, max_bytes);
    let next = AtomicUsize::new(0);
    let answers = Mutex::new(HashMap::new());
    let known = |url: &str| state.urls.get(url).cloned().unwrap_or_default();
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL_FETCHES.min(urls.len()) {
            scope.spawn(|| loop {
                let at = next.fetch_add(1, Ordering::Relaxed);
                let Some(url) = urls.get(at) else { break };
                let validators = if rewrite {
                    Validators::default()
                } else {
                    known(url).validators()
                };
                let answer = fetcher.fetch(url, &validators);
                if let Ok(mut answers) = answers.lock() {
                    answers.insert(at, answer);
                }
            });
        }
    });
    let mut answers = answers.into_inner().unwrap_or_default();
    let mut fetches = Fetches::default();
    for (at, url) in urls.iter().enumerate() {
        match answers.remove(&at) {
            Some(Ok(Fetched::NotModified)) => {
                let items = known(url).items.len() as u64;
                fetches.not_modified.push((url.clone(), items));
            }
            Some(Ok(Fetched::Body(body))) => fetches.bodies.push(FetchedUrl {
                found: FoundFile {
                    path: PathBuf::from(url),
                    size: body.bytes.len() as u64,
                    modified: None,
                    format: Format::Feed,
                },
                body,
                known: known(url).items,
                rewrite,
            }),
            Some(Err(problem)) => fetches.problems.push(problem),
            None => fetches.problems.push(Problem::new(
                std::path::Path::new(url),
                None,
                "internal error while fetching this URL; please report it",
            )),
        }
    }
    fetches
}

/// A hash of everything read of a document, to tell an item read again unchanged.
pub(super) fn content_hash(doc: &SourceDoc) -> u64 {
    let mut hasher = Xxh3::new();
    let mut part = |text: &str| {
        hasher.update(text.as_bytes());
        hasher.update(&[0]);
    };
    part(doc.title.as_deref().unwrap_or_default());
    part(&doc.body);
    part(doc.date_raw.as_deref().unwrap_or_default());
    part(doc.source.as_deref().unwrap_or_default());
    part(doc.url.as_deref().unwrap_or_default());
    part(doc.lang.as_deref().unwrap_or_default());
    for tag in &doc.tags {
        part(tag);
    }
    for (key, value) in &doc.metadata {
        part(key);
        part(value);
    }
    hasher.digest()
}

/// Records what reading `url` gave: the items written (added to those it gave before, never
/// taking any away) and, when it was read whole, the validators to ask with next time. A body
/// that gave problems keeps no validators, so the next run reads it again and says them again.
pub(super) fn record_read(
    state: &mut IndexState,
    fetched: &FetchedUrl,
    url: &str,
    written: Vec<(String, u64)>,
    clean: bool,
) {
    let record = state.urls.entry(url.to_owned()).or_default();
    record.fetched = now();
    let validators = if clean {
        fetched.body.validators.clone()
    } else {
        Validators::default()
    };
    record.etag = validators.etag;
    record.last_modified = validators.last_modified;
    record.items.extend(written);
}

/// Records a 304 from `url`.
pub(super) fn record_not_modified(state: &mut IndexState, url: &str) {
    if let Some(record) = state.urls.get_mut(url) {
        record.fetched = now();
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_sees_every_field() {
        let doc = SourceDoc {
            title: Some("T".into()),
            body: "b".into(),
            ..SourceDoc::default()
        };
        let same = doc.clone();
        assert_eq!(content_hash(&doc), content_hash(&same));
        let mut tagged = doc.clone();
        tagged.tags.push("x".into());
        assert_ne!(content_hash(&doc), content_hash(&tagged));
        let mut moved = doc.clone();
        moved.body = String::new();
        moved.title = Some("Tb".into());
        assert_ne!(content_hash(&doc), content_hash(&moved));
    }

    #[test]
    fn records_keep_old_items_and_drop_validators_after_problems() {
        let mut state = IndexState::default();
        let fetched = FetchedUrl {
            found: FoundFile {
                path: PathBuf::from("https://x.test/f"),
                size: 0,
                modified: None,
                format: Format::Feed,
            },
            body: Body {
                bytes: Vec::new(),
                content_type: None,
                validators: Validators {
                    etag: Some("\"v1\"".into()),
                    last_modified: None,
                },
            },
            known: BTreeMap::new(),
            rewrite: false,
        };
        let url = "https://x.test/f";
        record_read(&mut state, &fetched, url, vec![("a".into(), 1)], true);
        record_read(&mut state, &fetched, url, vec![("b".into(), 2)], false);
        let record = &state.urls[url];
        assert_eq!(record.items.len(), 2);
        assert_eq!(record.etag, None);
    }
}

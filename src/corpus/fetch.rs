//! Fetches feeds and pages named by URL (`topictrack index https://…`), and reads what came back
//! as a feed or as one HTML page.
//!
//! ureq is the client: blocking (nothing here needs an async runtime), small, and with rustls for
//! TLS, so no system OpenSSL is needed to build or run. Every request has a deadline, a size cap,
//! a bounded number of redirects and a User-Agent naming the tool; a URL fetched before is asked
//! for again with the ETag and Last-Modified it answered with, so an unchanged feed costs a 304.
//! Every failure is a [`Problem`] naming the URL and what to do, never the end of the run.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ureq::http::header::{
    CONTENT_LENGTH, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use ureq::Agent;

use super::decode::{self, Hint};
use super::feed::{self, Expect, FeedKind};
use super::{guarded, html, human_size, DocSink, Problem, ReadOptions};

/// The User-Agent every request sends: the tool and its version.
pub const USER_AGENT: &str = concat!("topictrack/", env!("CARGO_PKG_VERSION"));

/// How URLs are fetched; the size cap is the reading limit (`ReadOptions::max_bytes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchOptions {
    /// The whole exchange with one URL, redirects and body included.
    pub timeout: Duration,
    /// Redirects followed before a URL is given up.
    pub max_redirects: u32,
}

impl FetchOptions {
    /// The default deadline, in seconds: long enough for a slow news site, short enough for cron.
    pub const DEFAULT_TIMEOUT_SECONDS: u64 = 30;
    pub const DEFAULT_MAX_REDIRECTS: u32 = 5;
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(Self::DEFAULT_TIMEOUT_SECONDS),
            max_redirects: Self::DEFAULT_MAX_REDIRECTS,
        }
    }
}

/// Whether a command-line argument names a URL rather than a path.
pub fn is_url(arg: &str) -> bool {
    let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The URLs of a `--urls` file: one a line, blank lines and `#` comments ignored, each kept once.
/// A line that is no http(s) URL is an error naming the file and the line.
pub fn read_url_list(path: &Path) -> crate::error::Result<Vec<String>> {
    let bad = |detail: String| crate::error::Error::BadConfig {
        path: path.to_path_buf(),
        detail,
    };
    let text = std::fs::read_to_string(path)
        .map_err(|err| bad(format!("the list of URLs could not be read ({err})")))?;
    let mut urls: Vec<String> = Vec::new();
    for (at, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !is_url(line) || line.contains(char::is_whitespace) {
            return Err(bad(format!(
                "line {}: {line:?} is not an http:// or https:// URL; write one URL a line \
                 (# starts a comment)",
                at + 1
            )));
        }
        if !urls.iter().any(|known| known == line) {
            urls.push(line.to_owned());
        }
    }
    Ok(urls)
}

/// What a server said about a version of a URL, sent back to ask whether it changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A fetched response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub bytes: Vec<u8>,
    /// The `Content-Type` header, as sent.
    pub content_type: Option<String>,
    pub validators: Validators,
}

/// What fetching one URL gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 304: the version read last time is still the current one.
    NotModified,
    Body(Body),
}

/// Fetches URLs with one connection pool and one set of limits.
pub struct Fetcher {
    agent: Agent,
    options: FetchOptions,
    max_bytes: u64,
}

impl Fetcher {
    pub fn new(options: FetchOptions, max_bytes: u64) -> Fetcher {
        let agent: Agent = Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .max_redirects(options.max_redirects)
            .max_redirects_will_error(true)
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .build()
            .into();
        Fetcher {
            agent,
            options,
            max_bytes,
        }
    }

    /// Fetches `url`, conditionally when `known` holds what the server said last time.
    pub fn fetch(&self, url: &str, known: &Validators) -> Result<Fetched, Problem> {
        let problem = |reason: String| Problem::new(Path::new(url), None, reason);
        let mut request = self.agent.get(url);
        if let Some(etag) = &known.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(when) = &known.last_modified {
            request = request.header(IF_MODIFIED_SINCE, when);
        }
        let mut response = request.call().map_err(|err| problem(self.explain(&err)))?;
        let status = response.status();
        if status.as_u16() == 304 {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(problem(status_reason(
                status.as_u16(),
                status.canonical_reason(),
            )));
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|value: &ureq::http::HeaderValue| value.to_str().ok())
                .map(str::to_owned)
        };
        let too_large = |size: u64| {
            format!(
                "response is {}, over the limit of {} (raise it with --max-file-size)",
                human_size(size),
                human_size(self.max_bytes)
            )
        };
        let claimed = header(CONTENT_LENGTH).and_then(|length| length.trim().parse::<u64>().ok());
        if let Some(size) = claimed.filter(|size| *size > self.max_bytes) {
            return Err(problem(too_large(size)));
        }
        let content_type = header(CONTENT_TYPE);
        let validators = Validators {
            etag: header(ETAG),
            last_modified: header(LAST_MODIFIED),
        };
        let bytes = response
            .body_mut()
            .with_config()
            .limit(self.max_bytes)
            .read_to_vec()
            .map_err(|err| match err {
                ureq::Error::BodyExceedsLimit(_) => problem(format!(
                    "response is over the limit of {}, so it was cut there and not read \
                     (raise it with --max-file-size)",
                    human_size(self.max_bytes)
                )),
                other => problem(self.explain(&other)),
            })?;
        Ok(Fetched::Body(Body {
            bytes,
            content_type,
            validators,
        }))
    }

    /// One sentence for a failed exchange, saying what to do.
    fn explain(&self, err: &ureq::Error) -> String {
        match err {
            ureq::Error::HostNotFound => {
                "host not found (DNS lookup failed); check the address".to_owned()
            }
            ureq::Error::ConnectionFailed => {
                "connection failed; check the address and that the server is up".to_owned()
            }
            ureq::Error::Io(io) if io.kind() == ErrorKind::ConnectionRefused => {
                "connection refused; check the address and that the server is up".to_owned()
            }
            ureq::Error::Timeout(_) => format!(
                "no complete answer within {} s (raise it with --timeout)",
                self.options.timeout.as_secs_f64()
            ),
            ureq::Error::TooManyRedirects => format!(
                "more than {} redirects (a redirect loop?); give the address they end at",
                self.options.max_redirects
            ),
            ureq::Error::BadUri(detail) => format!("not a valid URL ({detail}); check it"),
            ureq::Error::Tls(_) | ureq::Error::Rustls(_) => {
                format!("TLS failed ({err}); check the address and the server's certificate")
            }
            other => format!("could not be fetched ({other}); check the address and try again"),
        }
    }
}

/// One sentence for an HTTP status that is no success.
fn status_reason(code: u16, reason: Option<&str>) -> String {
    let status = match reason {
        Some(reason) => format!("HTTP {code} {reason}"),
        None => format!("HTTP {code}"),
    };
    match code {
        404 | 410 => format!("{status}: the server has nothing at this address; check it"),
        400..=499 => format!("{status}: the server refused the request; check the address"),
        _ => format!("{status}: the server failed; try again later"),
    }
}

/// The media type of a `Content-Type` header, lower-cased and without parameters.
fn essence(content_type: Option<&str>) -> String {
    content_type
        .and_then(|value| value.split(';').next())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// How a fetched body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Feed,
    Page,
}

/// Feed or page, from the Content-Type and the body's first bytes; a feed's own bytes win over a
/// server that calls every XML `text/html`, and JSON is a feed only when it says it is one.
fn body_kind(body: &Body) -> Option<BodyKind> {
    let media = essence(body.content_type.as_deref());
    match feed::sniff(&body.bytes) {
        Ok(FeedKind::Json) => {
            let text = String::from_utf8_lossy(body.bytes.get(..64 * 1024).unwrap_or(&body.bytes));
            (media == "application/feed+json" || feed::is_json_feed(&text))
                .then_some(BodyKind::Feed)
        }
        Ok(FeedKind::Rss | FeedKind::Atom) => Some(BodyKind::Feed),
        Err(Some(root)) if root.eq_ignore_ascii_case("html") => Some(BodyKind::Page),
        Err(_) if media == "text/html" || media == "application/xhtml+xml" => Some(BodyKind::Page),
        Err(_) => None,
    }
}

/// Reads a fetched body as a feed (each item a document) or as one HTML page, reported as `url`.
/// Never panics; what cannot be read becomes `sink.skipped`.
pub fn read_fetched(url: &str, body: &Body, _options: &ReadOptions, sink: &mut dyn DocSink) {
    let path = PathBuf::from(url);
    guarded(&path, sink, |sink| match body_kind(body) {
        Some(BodyKind::Feed) => feed::read_feed(&path, &body.bytes, Expect::Feed, sink),
        Some(BodyKind::Page) => match decode::decode(&body.bytes, Hint::Html) {
            Ok(text) => match html::read_html(&path, &text.text) {
                Ok(mut doc) => {
                    doc.url.get_or_insert_with(|| url.to_owned());
                    sink.document(doc);
                }
                Err(problem) => sink.skipped(problem),
            },
            Err(err) => sink.skipped(Problem::new(&path, None, err.to_string())),
        },
        None => sink.skipped(Problem::new(
            &path,
            None,
            format!(
                "neither a feed nor an HTML page (Content-Type {}); check the address",
                body.content_type.as_deref().unwrap_or("not given")
            ),
        )),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::testutil::Collect;

    fn body(content_type: &str, text: &str) -> Body {
        Body {
            bytes: text.as_bytes().to_vec(),
            content_type: Some(content_type.to_owned()),
            validators: Validators::default(),
        }
    }

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("https://x.test/feed.xml"));
        assert!(is_url("HTTP://x.test/"));
        assert!(!is_url("http_archive/feed.xml"));
        assert!(!is_url("./https:/x"));
    }

    #[test]
    fn bodies_are_read_as_feed_or_page_by_type_and_content() {
        let rss = "<rss version=\"2.0\"><channel><title>T</title><item><title>A</title></item></channel></rss>";
        assert_eq!(body_kind(&body("text/html", rss)), Some(BodyKind::Feed));
        let page = "<!DOCTYPE html><html><head><title>P</title></head><body>x</body></html>";
        assert_eq!(body_kind(&body("text/plain", page)), Some(BodyKind::Page));
        assert_eq!(
            body_kind(&body("text/html; charset=utf-8", "<p>x</p>")),
            Some(BodyKind::Page)
        );
        assert_eq!(body_kind(&body("application/json", "{\"a\":1}")), None);
        assert_eq!(
            body_kind(&body("application/feed+json", "{\"items\":[]}")),
            Some(BodyKind::Feed)
        );
    }

    #[test]
    fn a_fetched_page_is_one_document_with_its_url() {
        let mut sink = Collect::default();
        let page = body(
            "text/html",
            "<html><head><title>Página</title></head><body><p>Texto</p></body></html>",
        );
        read_fetched(
            "https://x.test/a",
            &page,
            &ReadOptions::default(),
            &mut sink,
        );
        assert_eq!(sink.docs.len(), 1);
        assert_eq!(sink.docs[0].url.as_deref(), Some("https://x.test/a"));
        assert_eq!(sink.docs[0].path, PathBuf::from("https://x.test/a"));
        let mut sink = Collect::default();
        read_fetched(
            "https://x.test/b",
            &body("image/png", "PNG"),
            &ReadOptions::default(),
            &mut sink,
        );
        assert_eq!(
            sink.skipped[0].reason,
            "neither a feed nor an HTML page (Content-Type image/png); check the address"
        );
    }

    #[test]
    fn url_lists_skip_comments_and_name_bad_lines() {
        let dir = tempfile::tempdir().expect("temp dir");
        let list = dir.path().join("feeds.txt");
        std::fs::write(
            &list,
            "# mis feeds\n\nhttps://a.test/rss\n  http://b.test/atom  \nhttps://a.test/rss\n",
        )
        .expect("written");
        assert_eq!(
            read_url_list(&list).expect("read"),
            ["https://a.test/rss", "http://b.test/atom"]
        );
        std::fs::write(&list, "https://a.test/rss\nftp://c.test/x\n").expect("written");
        let err = read_url_list(&list).expect_err("bad line").to_string();
        assert!(err.ends_with("feeds.txt: line 2: \"ftp://c.test/x\" is not an http:// or https:// URL; write one URL a line (# starts a comment)"), "{err}");
    }

    #[test]
    fn statuses_say_what_to_do() {
        assert_eq!(
            status_reason(404, Some("Not Found")),
            "HTTP 404 Not Found: the server has nothing at this address; check it"
        );
        assert_eq!(
            status_reason(503, None),
            "HTTP 503: the server failed; try again later"
        );
    }
}

//! The HTML around every page and the pieces pages share. Markup is built with maud, which escapes
//! every value spliced into it: a document's `<script>` title reaches the browser as text. Nothing
//! here uses `PreEscaped`, so escaping holds by construction.

use maud::{html, Markup, DOCTYPE};

use super::params::SearchParams;
use crate::query::Snippet;

/// Which page the navigation marks as current.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Search,
    Timeline,
    Topics,
    Trends,
    New,
    Entities,
    Stats,
    Document,
}

/// A whole page: head, navigation (each link keeping the search state) and `body`.
pub fn page(title: &str, nav: Nav, state: &SearchParams, body: Markup) -> Markup {
    let keep = SearchParams {
        offset: None,
        ..state.clone()
    };
    let item = |which: Nav, path: &str, label: &str| {
        html! {
            a href=(href(path, &keep)) aria-current=[(nav == which).then_some("page")] { (label) }
        }
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · topictrack" }
                link rel="stylesheet" href="/style.css";
            }
            body {
                header {
                    strong.brand { "topictrack" }
                    nav {
                        (item(Nav::Search, "/", "Search"))
                        (item(Nav::Timeline, "/timeline", "Timeline"))
                        a href="/topics" aria-current=[(nav == Nav::Topics).then_some("page")] { "Topics" }
                        a href="/trends" aria-current=[(nav == Nav::Trends).then_some("page")] { "Trends" }
                        a href="/new" aria-current=[(nav == Nav::New).then_some("page")] { "What's new" }
                        a href="/entities" aria-current=[(nav == Nav::Entities).then_some("page")] { "Entities" }
                        a href="/stats" aria-current=[(nav == Nav::Stats).then_some("page")] { "Stats" }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// An error shown where the results would be, in the CLI's words.
pub fn error(message: &str) -> Markup {
    html! { p.error role="alert" { (message) } }
}

/// `path?state`, the state's parameters URL-encoded (`path` alone when there are none).
pub fn href(path: &str, state: &SearchParams) -> String {
    match serde_html_form::to_string(state) {
        Ok(query) if !query.is_empty() => format!("{path}?{query}"),
        _ => path.to_string(),
    }
}

/// The document page of `id`, the id encoded as one path segment.
pub fn document_href(id: &str) -> String {
    format!("/doc/{}", path_segment(id))
}

/// `text` percent-encoded so that it stays one path segment.
pub fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A snippet with its matched words in `<mark>`.
pub fn snippet(snippet: &Snippet) -> Markup {
    let text = &snippet.text;
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut last = 0;
    for &(start, end) in &snippet.highlights {
        let (Some(plain), Some(word)) = (text.get(last..start), text.get(start..end)) else {
            continue;
        };
        parts.push((false, plain));
        parts.push((true, word));
        last = end;
    }
    parts.push((false, text.get(last..).unwrap_or_default()));
    html! {
        @for (marked, part) in parts {
            @if marked { mark { (part) } } @else { (part) }
        }
    }
}

/// A link to an outside address, only for http(s): anything else (`javascript:`, `data:`) is
/// shown as text and never followed.
pub fn outside_link(url: &str) -> Markup {
    let lower = url.trim_start().to_ascii_lowercase();
    let web = lower.starts_with("http://") || lower.starts_with("https://");
    html! {
        @if web {
            a href=(url) rel="noreferrer noopener nofollow" { (url) }
        } @else {
            code { (url) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_escaped() {
        let shown = snippet(&Snippet {
            text: "<script>alert(1)</script> chips".into(),
            highlights: vec![(26, 31)],
        })
        .into_string();
        assert_eq!(
            shown,
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>chips</mark>"
        );
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert!(outside_link("javascript:alert(1)")
            .into_string()
            .starts_with("<code>"));
        assert!(outside_link(" JavaScript:alert(1)")
            .into_string()
            .starts_with("<code>"));
        assert!(outside_link("https://example.org/a?b=1&c=2")
            .into_string()
            .contains("href=\"https://example.org/a?b=1&amp;c=2\""));
    }

    #[test]
    fn ids_stay_one_path_segment() {
        assert_eq!(document_href("stdin:a/b c"), "/doc/stdin%3Aa%2Fb%20c");
    }

    #[test]
    fn bad_highlight_ranges_are_skipped() {
        let shown = snippet(&Snippet {
            text: "año".into(),
            highlights: vec![(1, 2)],
        })
        .into_string();
        assert_eq!(shown, "año");
    }
}

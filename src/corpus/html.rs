//! Reads HTML pages: metadata from `<title>`, Open Graph and similar meta tags, and the
//! visible text of the article, without scripts, styles or page furniture.
//!
//! scraper (html5ever underneath) parses like a browser does, so broken or unclosed tags
//! produce a tree rather than an error. The tree is walked iteratively (ego_tree's
//! `traverse`), so deeply nested pages cannot overflow the stack.

use std::path::Path;

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

use crate::document::SourceDoc;

use super::docmeta::primary_language;
use super::fields::collapse_whitespace;
use super::jsonld;
use super::plain::TextBuilder;
use super::{new_doc, Problem};

/// Never visible text.
const ALWAYS_SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas",
    "select", "button",
];
/// Page furniture, dropped when the whole `<body>` is read.
const BODY_FURNITURE: &[&str] = &["nav", "header", "footer", "aside"];
/// Page furniture dropped even inside `<article>` / `<main>`.
const ARTICLE_FURNITURE: &[&str] = &["nav", "aside"];

/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "figure",
    "figcaption",
    "header",
    "footer",
    "address",
    "hr",
    "body",
    "form",
    "fieldset",
    "details",
    "summary",
];

/// Meta tags holding the publication date, most trusted first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "datepublished",
];

/// The date key a JSON-LD `datePublished` is reported under.
const LD_DATE_KEY: &str = "json-ld datePublished";

/// html5ever's work grows with nesting depth times tag count; real pages stay far below
/// this, while a file of a million unclosed `<div>`s would take hours to parse.
const MAX_NESTING: usize = 512;

/// Elements that never hold children.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// Elements whose end tag is optional: the parser closes them itself, so they do not nest.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "tbody", "thead", "tfoot", "option", "optgroup", "rt",
    "rp", "colgroup", "caption",
];
/// Elements whose content is raw text, where `<` does not start a tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "plaintext"];

pub(crate) fn read_html(path: &Path, text: &str) -> Result<SourceDoc, Problem> {
    if estimated_nesting(text) > MAX_NESTING {
        return Err(Problem::new(
            path,
            None,
            format!("page nests elements more than {MAX_NESTING} deep, which is not an article's shape; skipped to keep indexing fast"),
        ));
    }
    let page = Html::parse_document(text);
    let meta = PageMeta::collect(page.root_element());
    let (roots, furniture) = content_roots(page.root_element());
    let mut out = TextBuilder::default();
    for root in roots {
        visible_text(root, furniture, &mut out);
    }
    let body = out.finish();
    let article = jsonld::article(&meta.ld_scripts).unwrap_or_default();
    let title = article
        .headline
        .or(meta.og_title)
        .or(meta.title)
        .or(meta.first_h1);
    if title.is_none() && body.is_empty() {
        return Err(Problem::new(
            path,
            None,
            "page has no title or visible text",
        ));
    }
    // JSON-LD first, then the meta tags, most trusted first, then the first `<time datetime>`.
    let (date_key, date_raw) = article
        .date_published
        .map(|date| (LD_DATE_KEY.to_owned(), date))
        .or_else(|| {
            DATE_KEYS
                .iter()
                .find_map(|key| meta.dates.iter().find(|(found, _)| found == key))
                .cloned()
        })
        .or_else(|| {
            meta.first_time
                .map(|time| ("<time datetime>".to_owned(), time))
        })
        .unzip();
    let mut tags = meta.tags;
    for tag in &article.tags {
        push_tag(&mut tags, tag);
    }
    let metadata = if article.authors.is_empty() {
        Vec::new()
    } else {
        vec![("author".to_owned(), article.authors.join(", "))]
    };
    Ok(SourceDoc {
        title,
        body,
        date_raw,
        date_key,
        source: meta.site_name.or(article.publisher),
        url: meta.canonical.or(meta.og_url).or(article.url),
        lang: meta.lang,
        tags,
        metadata,
        ..new_doc(path)
    })
}

/// The visible text of an HTML fragment, such as a feed item's content or description, with its
/// paragraphs kept; text without markup or entities is only tidied. A fragment nested deeper than
/// any article would be is read as plain text instead of being parsed.
pub(crate) fn fragment_text(fragment: &str) -> String {
    if !fragment.contains(['<', '&']) {
        return fragment
            .split("\n\n")
            .map(collapse_whitespace)
            .filter(|paragraph| !paragraph.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
    }
    if estimated_nesting(fragment) > MAX_NESTING {
        return collapse_whitespace(fragment);
    }
    let parsed = Html::parse_fragment(fragment);
    let mut out = TextBuilder::default();
    visible_text(parsed.root_element(), ARTICLE_FURNITURE, &mut out);
    out.finish()
}

/// Position of `needle` in `haystack` at or after `from`, ignoring ASCII case.
fn find_ci(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = haystack.get(from..)?;
    rest.windows(needle.len().max(1))
        .position(|window| window.eq_ignore_ascii_case(needle))
        .map(|at| from + at)
}

/// A quick, forgiving estimate of the deepest element nesting, read from the tags alone.
fn estimated_nesting(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    while let Some(open) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b'<'))
    {
        let start = at + open + 1;
        if bytes
            .get(start..)
            .is_some_and(|rest| rest.starts_with(b"!--"))
        {
            at = find_ci(bytes, start, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = start + usize::from(closing);
        let name_len = bytes.get(name_start..).map_or(0, |rest| {
            rest.iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count()
        });
        if name_len == 0 {
            at = start;
            continue;
        }
        let name = bytes
            .get(name_start..name_start + name_len)
            .map(|name| String::from_utf8_lossy(name).to_ascii_lowercase())
            .unwrap_or_default();
        let Some(tag_end) = find_ci(bytes, name_start + name_len, b">") else {
            break;
        };
        at = tag_end + 1;
        let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        if VOID.contains(&name.as_str()) || OPTIONAL_END.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            deepest = deepest.max(depth);
            if RAW_TEXT.contains(&name.as_str()) {
                let end_tag = format!("</{name}");
                at = find_ci(bytes, at, end_tag.as_bytes()).unwrap_or(bytes.len());
            }
        }
    }
    deepest
}

/// What the page says about itself.
#[derive(Debug, Default)]
struct PageMeta {
    title: Option<String>,
    og_title: Option<String>,
    first_h1: Option<String>,
    /// (lower-cased meta key, value) for every date-like key.
    dates: Vec<(String, String)>,
    first_time: Option<String>,
    lang: Option<String>,
    canonical: Option<String>,
    og_url: Option<String>,
    site_name: Option<String>,
    tags: Vec<String>,
    /// The text of every `<script type="application/ld+json">`, in page order.
    ld_scripts: Vec<String>,
}

fn non_blank(value: Option<&str>) -> Option<String> {
    let value = collapse_whitespace(value?);
    (!value.is_empty()).then_some(value)
}

fn set_once(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value;
    }
}

impl PageMeta {
    fn collect(root: ElementRef<'_>) -> PageMeta {
        let mut meta = PageMeta {
            lang: root.attr("lang").and_then(primary_language),
            ..PageMeta::default()
        };
        for element in root.descendent_elements() {
            let el = element.value();
            match el.name() {
                "title" if meta.title.is_none() && !inside(element, "svg") => {
                    meta.title = non_blank(Some(&element.text().collect::<String>()));
                }
                "h1" if meta.first_h1.is_none() => {
                    meta.first_h1 = non_blank(Some(&element.text().collect::<String>()));
                }
                "meta" => meta.meta_tag(element),
                "link" => {
                    let canonical = el.attr("rel").is_some_and(|rel| {
                        rel.split_whitespace()
                            .any(|r| r.eq_ignore_ascii_case("canonical"))
                    });
                    if canonical {
                        set_once(&mut meta.canonical, non_blank(el.attr("href")));
                    }
                }
                "time" => set_once(&mut meta.first_time, non_blank(el.attr("datetime"))),
                "script"
                    if el.attr("type").is_some_and(|kind| {
                        kind.trim().eq_ignore_ascii_case("application/ld+json")
                    }) =>
                {
                    meta.ld_scripts.push(element.text().collect());
                }
                _ => {}
            }
            let published = el
                .attr("itemprop")
                .is_some_and(|prop| prop.eq_ignore_ascii_case("datePublished"));
            if published && el.name() != "meta" {
                if let Some(value) = non_blank(el.attr("datetime").or(el.attr("content"))) {
                    meta.dates.push(("datepublished".to_owned(), value));
                }
            }
        }
        meta
    }

    fn meta_tag(&mut self, element: ElementRef<'_>) {
        let el = element.value();
        let Some(key) = el
            .attr("property")
            .or(el.attr("name"))
            .or(el.attr("itemprop"))
        else {
            return;
        };
        let key = key.trim().to_ascii_lowercase();
        let Some(content) = non_blank(el.attr("content")) else {
            return;
        };
        match key.as_str() {
            "og:title" => set_once(&mut self.og_title, Some(content)),
            "og:url" => set_once(&mut self.og_url, Some(content)),
            "og:site_name" => set_once(&mut self.site_name, Some(content)),
            "article:section" | "article:tag" => push_tag(&mut self.tags, &content),
            "keywords" | "news_keywords" => content
                .split(',')
                .for_each(|tag| push_tag(&mut self.tags, tag)),
            key if DATE_KEYS.contains(&key) => self.dates.push((key.to_owned(), content)),
            _ => {}
        }
    }
}

fn push_tag(tags: &mut Vec<String>, tag: &str) {
    let tag = tag.trim();
    if !tag.is_empty() && !tags.iter().any(|known| known == tag) {
        tags.push(tag.to_owned());
    }
}

fn inside(element: ElementRef<'_>, name: &str) -> bool {
    element.ancestors().any(|node| {
        node.value()
            .as_element()
            .is_some_and(|el| el.name() == name)
    })
}

/// The parts of the page to read: every outermost `<article>`, else `<main>`, else `<body>`.
fn content_roots(root: ElementRef<'_>) -> (Vec<ElementRef<'_>>, &'static [&'static str]) {
    let articles: Vec<_> = root
        .descendent_elements()
        .filter(|el| el.value().name() == "article" && !inside(*el, "article"))
        .collect();
    if !articles.is_empty() {
        return (articles, ARTICLE_FURNITURE);
    }
    if let Some(main) = root
        .descendent_elements()
        .find(|el| el.value().name() == "main")
    {
        return (vec![main], ARTICLE_FURNITURE);
    }
    let body = root
        .descendent_elements()
        .find(|el| el.value().name() == "body");
    (vec![body.unwrap_or(root)], BODY_FURNITURE)
}

/// Appends the visible text under `root` to `out`.
fn visible_text(root: ElementRef<'_>, furniture: &[&str], out: &mut TextBuilder) {
    let mut skipping = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) if skipping.is_none() => match node.value() {
                Node::Text(text) => out.push_text(text),
                Node::Element(el) => {
                    let name = el.name();
                    if ALWAYS_SKIP.contains(&name)
                        || furniture.contains(&name)
                        || el.attr("hidden").is_some()
                    {
                        skipping = Some(node.id());
                    } else if name == "br" {
                        out.line_break();
                    } else if BLOCKS.contains(&name) {
                        out.paragraph_break();
                    } else if matches!(name, "td" | "th" | "img") {
                        out.space();
                    }
                }
                _ => {}
            },
            Edge::Open(_) => {}
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                } else if skipping.is_none() {
                    if let Node::Element(el) = node.value() {
                        if BLOCKS.contains(&el.name()) {
                            out.paragraph_break();
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::read_one;
    use super::estimated_nesting;

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="es-ES"><head>
<title>Controles a la exportación | Diario</title>
<meta property="og:title" content="Controles a la exportación">
<meta property="og:site_name" content="Diario Ejemplo">
<meta property="og:url" content="https://x.test/og">
<link rel="canonical" href="https://x.test/canonical">
<meta name="date" content="2025-05-14">
<meta property="article:published_time" content="2025-05-15T08:00:00Z">
<meta property="article:section" content="Tecnología">
<meta property="article:tag" content="chips">
<meta name="keywords" content="chips, exportación">
<style>p { color: red }</style><script>var x = "no";</script>
</head><body>
<nav>Inicio | Economía</nav>
<header>Cabecera del sitio</header>
<article><h1>Controles   a la
 exportación</h1><p>Primer <b>párrafo</b>
con saltos.</p><script>alert(1)</script><aside>Lea también</aside>
<p>Segundo<br>con línea.</p><time datetime="2020-01-01">antes</time></article>
<footer>Pie</footer>
</body></html>"#;

    #[test]
    fn html_metadata_and_article_text() {
        let sink = read_one("page.html", PAGE.as_bytes());
        assert!(sink.skipped.is_empty(), "{:?}", sink.skipped);
        let doc = &sink.docs[0];
        assert_eq!(doc.title.as_deref(), Some("Controles a la exportación"));
        assert_eq!(doc.date_raw.as_deref(), Some("2025-05-15T08:00:00Z"));
        assert_eq!(doc.lang.as_deref(), Some("es"));
        assert_eq!(doc.url.as_deref(), Some("https://x.test/canonical"));
        assert_eq!(doc.source.as_deref(), Some("Diario Ejemplo"));
        assert_eq!(doc.tags, vec!["Tecnología", "chips", "exportación"]);
        assert_eq!(
            doc.body,
            "Controles a la exportación\n\nPrimer párrafo con saltos.\n\nSegundo\ncon línea.\n\nantes"
        );
    }

    #[test]
    fn body_without_article_drops_furniture_and_uses_fallbacks() {
        let page = "<html><head><title> Solo   título </title></head><body><nav>menu</nav>\
            <header>Site</header><div>Texto <span>visible</span></div><noscript>x</noscript>\
            <p hidden>oculto</p><time datetime='2025-02-03'>3 feb</time><footer>pie</footer></body></html>";
        let sink = read_one("a.htm", page.as_bytes());
        let doc = &sink.docs[0];
        assert_eq!(doc.title.as_deref(), Some("Solo título"));
        assert_eq!(doc.body, "Texto visible\n\n3 feb");
        assert_eq!(doc.date_raw.as_deref(), Some("2025-02-03"));
        assert_eq!(doc.lang, None);
    }

    #[test]
    fn broken_markup_does_not_crash() {
        let page =
            "<html><body><p>Uno<div><b>dos</i></p><table><td>tres<td>cuatro</table><p>cinco <";
        let sink = read_one("a.html", page.as_bytes());
        let doc = &sink.docs[0];
        assert!(doc.body.contains("Uno"), "{}", doc.body);
        assert!(doc.body.contains("tres cuatro"), "{}", doc.body);
        let deep = "<div>".repeat(400) + "hondo";
        let sink = read_one("deep.html", deep.as_bytes());
        assert_eq!(sink.docs[0].body, "hondo");
    }

    #[test]
    fn absurdly_deep_pages_are_refused_quickly() {
        let deep = "<div><span>".repeat(300) + "hondo";
        let sink = read_one("deep.html", deep.as_bytes());
        assert!(sink.docs.is_empty());
        assert!(sink.skipped[0]
            .reason
            .starts_with("page nests elements more than 512 deep"));
    }

    #[test]
    fn nesting_estimate_ignores_void_optional_raw_and_comments() {
        let page = "<html><body><p>a<p>b<br><img src=x><ul><li>1<li>2</ul><!-- <div><div> -->\
            <script>if (a<b) { x = '<div><div><div>'; }</script><div/><div>x</div></body></html>";
        assert_eq!(estimated_nesting(page), 3);
        assert_eq!(estimated_nesting("<div><div></div><div><div>"), 3);
        assert_eq!(estimated_nesting("a < b and <"), 0);
    }

    #[test]
    fn page_without_text_is_skipped() {
        let sink = read_one(
            "a.html",
            b"<html><head><script>x()</script></head><body> </body></html>",
        );
        assert!(sink.docs.is_empty());
        assert_eq!(sink.skipped[0].reason, "page has no title or visible text");
    }

    #[test]
    fn itemprop_date_is_found() {
        let page = r#"<html><body><span itemprop="datePublished" content="2024-12-01">1 dic</span><p>x</p></body></html>"#;
        let sink = read_one("a.html", page.as_bytes());
        assert_eq!(sink.docs[0].date_raw.as_deref(), Some("2024-12-01"));
    }
}

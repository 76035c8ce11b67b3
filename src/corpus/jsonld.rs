//! Reads the schema.org article a web page describes in JSON-LD (`<script type="application/ld+json">`):
//! headline, publication date, authors, keywords, section, publisher and URL. News sites write it for
//! search engines, so it is often the cleanest metadata a page has.
//!
//! The article may be the script's object, one item of an array, or one node of an `@graph`; the
//! first node whose `@type` is an article type wins. A script that is not valid JSON is ignored: a
//! page is still read from its meta tags and text.

use serde_json::Value;

use super::fields::collapse_whitespace;

/// The schema.org types read as an article: `Article` and the subtypes news pages use.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "BackgroundNewsArticle",
    "OpinionNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
    "Report",
    "ScholarlyArticle",
];

/// How deep nested arrays and graphs are searched for the article.
const MAX_DEPTH: usize = 8;

/// What a page's JSON-LD says about its article.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct LdArticle {
    pub headline: Option<String>,
    pub date_published: Option<String>,
    pub authors: Vec<String>,
    /// `keywords` and `articleSection`, in that order, without repeats.
    pub tags: Vec<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
}

/// The article described by the first of `scripts` (the text of each JSON-LD script, in page
/// order) that describes one.
pub(crate) fn article(scripts: &[String]) -> Option<LdArticle> {
    scripts.iter().find_map(|script| {
        let value: Value = serde_json::from_str(script.trim()).ok()?;
        find_article(&value, 0).map(read_article)
    })
}

fn find_article(value: &Value, depth: usize) -> Option<&Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    match value {
        Value::Array(items) => items.iter().find_map(|item| find_article(item, depth + 1)),
        Value::Object(object) => {
            if is_article(object.get("@type")) {
                return Some(value);
            }
            object
                .get("@graph")
                .and_then(|graph| find_article(graph, depth + 1))
        }
        _ => None,
    }
}

/// Whether an `@type` (a name, a URL such as `https://schema.org/NewsArticle`, or a list of
/// them) names an article type.
fn is_article(kind: Option<&Value>) -> bool {
    let named = |name: &str| {
        let name = name.rsplit(['/', ':']).next().unwrap_or(name);
        ARTICLE_TYPES.contains(&name)
    };
    match kind {
        Some(Value::String(name)) => named(name),
        Some(Value::Array(names)) => names.iter().any(|name| name.as_str().is_some_and(named)),
        _ => false,
    }
}

fn read_article(node: &Value) -> LdArticle {
    let text = |key: &str| node.get(key).and_then(text_of);
    let mut tags = Vec::new();
    for key in ["keywords", "articleSection"] {
        for tag in list_of(node.get(key)) {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    }
    LdArticle {
        headline: text("headline").or_else(|| text("name")),
        date_published: text("datePublished").or_else(|| text("dateCreated")),
        authors: match node.get("author") {
            Some(Value::Array(authors)) => authors.iter().filter_map(name_of).collect(),
            Some(author) => name_of(author).into_iter().collect(),
            None => Vec::new(),
        },
        tags,
        publisher: node.get("publisher").and_then(name_of),
        url: text("url"),
    }
}

/// A string value, whitespace collapsed, when it is not blank.
fn text_of(value: &Value) -> Option<String> {
    let text = collapse_whitespace(value.as_str()?);
    (!text.is_empty()).then_some(text)
}

/// A person or organisation: a plain name, or an object with a `name`.
fn name_of(value: &Value) -> Option<String> {
    match value {
        Value::Object(object) => object.get("name").and_then(text_of),
        other => text_of(other),
    }
}

/// Keywords as a list, or as one string separated by commas.
fn list_of(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(text_of).collect(),
        Some(Value::String(list)) => list
            .split(',')
            .map(collapse_whitespace)
            .filter(|item| !item.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_inside_a_graph() {
        let script = r#"{"@context":"https://schema.org","@graph":[
            {"@type":"WebSite","name":"Diario"},
            {"@type":["ReportageNewsArticle"],"headline":" Chips  y aranceles ",
             "datePublished":"2025-05-15T08:00:00+02:00",
             "author":[{"@type":"Person","name":"Ana Ruiz"},"Luis Gil"],
             "keywords":["chips","aranceles"],"articleSection":"Economía",
             "publisher":{"@type":"Organization","name":"Diario Ejemplo"}}]}"#;
        let found = article(&["not json".to_owned(), script.to_owned()]);
        assert_eq!(
            found,
            Some(LdArticle {
                headline: Some("Chips y aranceles".to_owned()),
                date_published: Some("2025-05-15T08:00:00+02:00".to_owned()),
                authors: vec!["Ana Ruiz".to_owned(), "Luis Gil".to_owned()],
                tags: vec![
                    "chips".to_owned(),
                    "aranceles".to_owned(),
                    "Economía".to_owned()
                ],
                publisher: Some("Diario Ejemplo".to_owned()),
                url: None,
            })
        );
    }

    #[test]
    fn article_in_an_array_with_a_url_type_and_comma_keywords() {
        let script = r#"[{"@type":"BreadcrumbList"},{"@type":"https://schema.org/NewsArticle",
            "name":"Title by name","author":{"name":"Redacción"},"keywords":"a, b,, c"}]"#;
        let found = article(&[script.to_owned()]).expect("an article");
        assert_eq!(found.headline.as_deref(), Some("Title by name"));
        assert_eq!(found.authors, vec!["Redacción"]);
        assert_eq!(found.tags, vec!["a", "b", "c"]);
    }

    #[test]
    fn other_types_are_not_articles() {
        let script = r#"{"@type":"Organization","name":"Diario","datePublished":"2020-01-01"}"#;
        assert_eq!(article(&[script.to_owned()]), None);
        assert_eq!(article(&[]), None);
    }
}

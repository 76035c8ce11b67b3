//! Turns the user's query text into a tantivy query, with errors that say what is wrong and where.

use tantivy::query::{AllQuery, Query, QueryParser};

use super::store::OpenIndex;
use crate::error::{Error, Result};

/// Field names a user may write before a colon.
pub const QUERY_FIELDS: &[&str] = &[
    "title",
    "text_es",
    "text_en",
    "text_other",
    "lang",
    "source",
    "tag",
    "topic",
    "entity",
];

/// Longest query accepted, in bytes; longer ones are almost surely a pasted document.
const MAX_QUERY_BYTES: usize = 10_000;

/// Parses a query; `*` or an empty string matches every document. Terms are ANDed by default.
pub fn parse_query(opened: &OpenIndex, text: &str) -> Result<Box<dyn Query>> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "*" {
        return Ok(Box::new(AllQuery));
    }
    let bad = |detail: String| Error::BadQuery {
        query: shorten(trimmed),
        detail,
    };
    if trimmed.len() > MAX_QUERY_BYTES {
        return Err(bad(format!(
            "the query is {} bytes long; the limit is {MAX_QUERY_BYTES}",
            trimmed.len()
        )));
    }
    check_balance(trimmed).map_err(bad)?;
    let mut parser = QueryParser::for_index(&opened.index, opened.fields.default_search_fields());
    parser.set_conjunction_by_default();
    parser.set_field_boost(opened.fields.title, 2.0);
    // `word*` is rewritten into regexes over the terms (see query_prefix.rs).
    parser.allow_regexes();
    let rewritten = super::query_prefix::expand_prefixes(&rewrite_and_not(trimmed));
    parser
        .parse_query(&escape_apostrophes(&rewritten))
        .map_err(|err| {
            let detail = match err {
                tantivy::query::QueryParserError::FieldDoesNotExist(field) => format!(
                    "there is no field {field:?}; fields are {}",
                    QUERY_FIELDS.join(", ")
                ),
                other => {
                    format!("{other}; quote phrases with \"...\" and use AND, OR, NOT, field:value")
                }
            };
            bad(detail)
        })
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= 80 {
        return text.to_string();
    }
    let head: String = text.chars().take(77).collect();
    format!("{head}...")
}

/// tantivy reads `a AND NOT b` as "a, and a clause that only excludes b", which matches nothing;
/// users mean `a NOT b`. Rewrites it outside quoted phrases.
fn rewrite_and_not(text: &str) -> String {
    text.split('"')
        .enumerate()
        .map(|(position, part)| {
            if position % 2 == 1 {
                return part.to_string();
            }
            let words: Vec<&str> = part.split(' ').collect();
            let mut kept: Vec<&str> = Vec::with_capacity(words.len());
            for (index, word) in words.iter().enumerate() {
                let next_is_not = words.get(index + 1) == Some(&"NOT");
                if *word == "AND" && next_is_not {
                    continue;
                }
                kept.push(word);
            }
            kept.join(" ")
        })
        .collect::<Vec<_>>()
        .join("\"")
}

/// tantivy's grammar reads `'` as a quote, so `O'Brien` or `don't` were syntax errors. An
/// apostrophe right after a letter or digit (outside "phrases") is escaped so it stays part of
/// the word; a `'` at the start of a word still opens a single-quoted phrase.
fn escape_apostrophes(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let (mut in_phrase, mut in_single) = (false, false);
    let mut previous: Option<char> = None;
    for ch in text.chars() {
        match ch {
            '"' if !in_single && previous != Some('\\') => in_phrase = !in_phrase,
            '\'' if in_phrase => {}
            '\'' if in_single => in_single = false,
            '\'' if previous.is_some_and(char::is_alphanumeric) => out.push('\\'),
            '\'' => in_single = true,
            _ => {}
        }
        out.push(ch);
        previous = Some(ch);
    }
    out
}

/// Finds an unclosed quote or an unbalanced parenthesis and says at which character.
fn check_balance(text: &str) -> std::result::Result<(), String> {
    let mut open_quote: Option<usize> = None;
    let mut open_parens: Vec<usize> = Vec::new();
    for (position, ch) in text.chars().enumerate() {
        match ch {
            '"' => {
                open_quote = match open_quote {
                    Some(_) => None,
                    None => Some(position + 1),
                }
            }
            '(' if open_quote.is_none() => open_parens.push(position + 1),
            ')' if open_quote.is_none() && open_parens.pop().is_none() => {
                return Err(format!(
                    "the ')' at character {} has no matching '('",
                    position + 1
                ));
            }
            _ => {}
        }
    }
    if let Some(position) = open_quote {
        return Err(format!(
            "the quote opened at character {position} is never closed"
        ));
    }
    if let Some(position) = open_parens.pop() {
        return Err(format!("the '(' at character {position} is never closed"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{check_balance, escape_apostrophes, rewrite_and_not};

    #[test]
    fn apostrophes_inside_words_are_escaped_outside_phrases() {
        assert_eq!(escape_apostrophes("O'Brien"), "O\\'Brien");
        assert_eq!(escape_apostrophes("don't stop"), "don\\'t stop");
        assert_eq!(escape_apostrophes("\"it's\" x's"), "\"it's\" x\\'s");
        assert_eq!(escape_apostrophes("'a b' c's"), "'a b' c\\'s");
    }

    #[test]
    fn and_not_becomes_not_outside_phrases() {
        assert_eq!(rewrite_and_not("chips AND NOT potato"), "chips NOT potato");
        assert_eq!(
            rewrite_and_not("\"rock AND NOT roll\" AND NOT jazz"),
            "\"rock AND NOT roll\" NOT jazz"
        );
        assert_eq!(rewrite_and_not("a AND b"), "a AND b");
    }

    #[test]
    fn unbalanced_quotes_and_parentheses_are_located() {
        assert_eq!(
            check_balance("nvidia \"export control").unwrap_err(),
            "the quote opened at character 8 is never closed"
        );
        assert_eq!(
            check_balance("(a OR b").unwrap_err(),
            "the '(' at character 1 is never closed"
        );
        assert!(check_balance("a) b").unwrap_err().contains("character 2"));
        assert!(check_balance("\"(ok\" AND (x OR y)").is_ok());
    }
}

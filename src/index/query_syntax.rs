//! Turns the user's query text into a tantivy query, with errors that say what is wrong and where.
//!
//! Before tantivy builds the query, `OR` chains are grouped (see `query_or`), and the `entity:`
//! and `topic:` fields are resolved as the `--entity` and `--topic` filters resolve them (see
//! `resolve`): the user writes names, aliases and parent topics, the index holds exact keys.

use std::collections::BTreeSet;

use tantivy::query::{AllQuery, Query, QueryParser, QueryParserError};
use tantivy::query_grammar::{Delimiter, Occur, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::Searcher;

use super::query_or::group_or_chains;
use super::resolve::{entity_keys, indexed_entity_keys, resolve_entity, resolve_topic, Unresolved};
use super::store::OpenIndex;
use crate::error::{Error, Result};
use crate::taxonomy::Taxonomy;

/// What the `entity:` and `topic:` fields of a query are resolved against.
pub(crate) struct Names<'a> {
    pub taxonomy: &'a Taxonomy,
    /// The index whose entity keys a name is looked up in (and refused when absent); `None` —
    /// query topics, parsed before any document is written — resolves names by the taxonomy alone.
    pub searcher: Option<&'a Searcher>,
}

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

/// Parses a query; `*` or an empty string matches every document. Terms are ANDed by default and
/// `OR` joins only its two neighbours.
pub(crate) fn parse_query(opened: &OpenIndex, names: &Names, text: &str) -> Result<Box<dyn Query>> {
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
    let grouped = group_or_chains(trimmed).map_err(bad)?;
    // `word*` becomes the word or regexes over the indexed words (see query_prefix.rs).
    let rewritten = escape_apostrophes(&super::query_prefix::expand_prefixes(&rewrite_and_not(
        &grouped,
    )));
    let mut parser = QueryParser::for_index(&opened.index, opened.fields.default_search_fields());
    parser.set_conjunction_by_default();
    parser.set_field_boost(opened.fields.title, 2.0);
    parser.allow_regexes();
    let explain = |err: QueryParserError| match err {
        QueryParserError::FieldDoesNotExist(field) => format!(
            "there is no field {field:?}; fields are {}",
            QUERY_FIELDS.join(", ")
        ),
        other => format!("{other}; quote phrases with \"...\" and use AND, OR, NOT, field:value"),
    };
    let ast = tantivy::query_grammar::parse_query(&rewritten)
        .map_err(|_| bad(explain(QueryParserError::SyntaxError(rewritten.clone()))))?;
    let mut resolver = Resolver {
        opened,
        names,
        indexed: None,
    };
    let ast = resolver.resolve(ast)?.map_err(bad)?;
    parser
        .build_query_from_user_input_ast(ast)
        .map_err(|err| bad(explain(err)))
}

/// Rewrites `entity:NAME` and `topic:ID` leaves of a parsed query into the exact keys they stand for.
struct Resolver<'a> {
    opened: &'a OpenIndex,
    names: &'a Names<'a>,
    /// The index's entity keys, read at the first `entity:` leaf.
    indexed: Option<BTreeSet<String>>,
}

/// The outer error is the index failing; the inner one is the user's query naming nothing.
type Resolved<T> = Result<std::result::Result<T, String>>;

impl Resolver<'_> {
    fn resolve(&mut self, ast: UserInputAst) -> Resolved<UserInputAst> {
        Ok(Ok(match ast {
            UserInputAst::Clause(clauses) => {
                let mut resolved = Vec::with_capacity(clauses.len());
                for (occur, clause) in clauses {
                    match self.resolve(clause)? {
                        Ok(clause) => resolved.push((occur, clause)),
                        Err(detail) => return Ok(Err(detail)),
                    }
                }
                UserInputAst::Clause(resolved)
            }
            UserInputAst::Boost(inner, boost) => match self.resolve(*inner)? {
                Ok(inner) => UserInputAst::Boost(Box::new(inner), boost),
                Err(detail) => return Ok(Err(detail)),
            },
            UserInputAst::Leaf(leaf) => match *leaf {
                UserInputLeaf::Literal(literal) if !literal.prefix => {
                    let Some(field) = literal.field_name.clone().filter(|name| is_named(name))
                    else {
                        return Ok(Ok(UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(
                            literal,
                        )))));
                    };
                    let keys = match self.keys(&field, &literal.phrase)? {
                        Ok(keys) => keys,
                        Err(detail) => return Ok(Err(detail)),
                    };
                    any_of(&field, keys)
                }
                UserInputLeaf::Set {
                    field: Some(field),
                    elements,
                } if is_named(&field) => {
                    let mut keys = Vec::new();
                    for element in &elements {
                        match self.keys(&field, element)? {
                            Ok(found) => keys.extend(found),
                            Err(detail) => return Ok(Err(detail)),
                        }
                    }
                    UserInputAst::Leaf(Box::new(UserInputLeaf::Set {
                        field: Some(field),
                        elements: keys,
                    }))
                }
                other => UserInputAst::Leaf(Box::new(other)),
            },
        }))
    }

    /// The keys `field:wanted` stands for, or why it stands for nothing.
    fn keys(&mut self, field: &str, wanted: &str) -> Resolved<Vec<String>> {
        let taxonomy = self.names.taxonomy;
        let found = if field == "topic" {
            resolve_topic(taxonomy, wanted)
        } else {
            let Some(searcher) = self.names.searcher else {
                return Ok(Ok(entity_keys(taxonomy, wanted)));
            };
            let indexed = match self.indexed.take() {
                Some(keys) => keys,
                None => indexed_entity_keys(searcher, &self.opened.fields)
                    .map_err(|err| self.opened.explain(err))?,
            };
            let found = resolve_entity(taxonomy, &indexed, wanted);
            self.indexed = Some(indexed);
            found
        };
        Ok(found.map_err(|Unresolved(detail)| format!("in {field}:{wanted}, {detail}")))
    }
}

/// Whether a field's values are names to resolve rather than terms.
fn is_named(field: &str) -> bool {
    field == "entity" || field == "topic"
}

/// A leaf matching any of `keys` in `field`.
fn any_of(field: &str, keys: Vec<String>) -> UserInputAst {
    let mut leaves: Vec<(Option<Occur>, UserInputAst)> = keys
        .into_iter()
        .map(|key| {
            let literal = UserInputLiteral {
                field_name: Some(field.to_string()),
                phrase: key,
                delimiter: Delimiter::None,
                slop: 0,
                prefix: false,
            };
            (
                Some(Occur::Should),
                UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal))),
            )
        })
        .collect();
    match leaves.len() {
        1 => leaves
            .pop()
            .map_or(UserInputAst::Clause(Vec::new()), |(_, leaf)| leaf),
        _ => UserInputAst::Clause(leaves),
    }
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

/// Deepest nesting of parentheses accepted: the parser and the query tree recurse once per level,
/// and a few thousand levels overflow the stack.
const MAX_NESTING: usize = 64;

/// Finds an unclosed quote, an unbalanced parenthesis or nesting past [`MAX_NESTING`], and says at
/// which character.
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
            '(' if open_quote.is_none() => {
                open_parens.push(position + 1);
                if open_parens.len() > MAX_NESTING {
                    return Err(format!(
                        "the '(' at character {} nests parentheses more than {MAX_NESTING} deep; write the query with fewer levels",
                        position + 1
                    ));
                }
            }
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
    use std::path::PathBuf;

    use tantivy::Index;

    use super::{check_balance, escape_apostrophes, parse_query, rewrite_and_not, Names};
    use crate::index::schema::{build_schema, register_analyzers, Fields};
    use crate::index::store::OpenIndex;
    use crate::taxonomy::Taxonomy;

    fn parsed(taxonomy: &Taxonomy, text: &str) -> Result<String, String> {
        let index = Index::create_in_ram(build_schema());
        register_analyzers(&index);
        let fields = Fields::resolve(&index.schema()).map_err(|err| err.to_string())?;
        let opened = OpenIndex::new(PathBuf::from("(test)"), index, fields);
        let names = Names {
            taxonomy,
            searcher: None,
        };
        parse_query(&opened, &names, text)
            .map(|query| format!("{query:?}"))
            .map_err(|err| err.to_string())
    }

    #[test]
    fn entity_and_topic_fields_become_the_keys_they_stand_for() {
        let taxonomy = Taxonomy::embedded();
        let entity = parsed(&taxonomy, "entity:EE.UU.").expect("parsed");
        assert!(entity.contains("place/United States"), "{entity}");
        let topic = parsed(&taxonomy, "topic:geopolitics").expect("parsed");
        for id in ["geopolitics", "export-controls", "taiwan-supply-risk"] {
            assert!(topic.contains(id), "{id} in {topic}");
        }
        let set = parsed(&taxonomy, "topic: IN [technology]").expect("parsed");
        assert!(set.contains("ai-chips"), "{set}");
        let unknown = parsed(&taxonomy, "chips topic:geopolitcs").unwrap_err();
        assert!(
            unknown.contains("did you mean \"geopolitics\""),
            "{unknown}"
        );
    }

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

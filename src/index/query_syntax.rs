//! Turns the user's query text into a tantivy query, with errors that say what is wrong and where.
//!
//! Before tantivy builds the query, `OR` chains are grouped (see `query_or`), and the `entity:`,
//! `topic:`, `tag:`, `source:` and `lang:` fields are resolved as the `--entity`, `--topic`,
//! `--tag`, `--source` and `--lang` filters resolve them (see `resolve`): the user writes names,
//! aliases, parent topics and values in any case, the index holds exact keys. A clause of only
//! negations (`-nvidia`) means every document except those. Errors name the fields a user may
//! write, never the schema's own (`text_es`, `body`).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Query, QueryParser, QueryParserError,
};
use tantivy::query_grammar::{Delimiter, Occur, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::Searcher;

use super::members::Members;
use super::query_or::group_or_chains;
use super::resolve::{
    entity_keys, indexed_entity_keys, indexed_values, language_code, resolve_entity,
    resolve_keyword, resolve_topic, Keyword, Unresolved,
};
use super::store::OpenIndex;
use crate::error::{Error, Result};
use crate::taxonomy::Taxonomy;

/// What the `entity:` and `topic:` fields of a query are resolved against.
pub(crate) struct Names<'a> {
    pub taxonomy: &'a Taxonomy,
    /// The index whose entity keys a name is looked up in (and refused when absent); `None` —
    /// query topics, parsed before any document is written — resolves names by the taxonomy alone.
    pub searcher: Option<&'a Searcher>,
    /// The members of user topics that `topic:` may name; `None` takes the index's own (read
    /// when a query names a topic) when there is a searcher, and none without one.
    pub members: Option<&'a Members>,
}

/// Field names a user may write before a colon; words without a field search the text.
pub const QUERY_FIELDS: &[&str] = &["title", "lang", "source", "tag", "topic", "entity"];

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
    // Fields are checked as the user wrote them: the prefix expansion below adds the schema's own.
    if let Ok(written) = tantivy::query_grammar::parse_query(&rewrite_and_not(&grouped)) {
        check_fields(&written).map_err(bad)?;
    }
    // `word*` becomes the word or regexes over the indexed words (see query_prefix.rs).
    let rewritten = escape_apostrophes(&super::query_prefix::expand_prefixes(&rewrite_and_not(
        &grouped,
    )));
    let mut parser = QueryParser::for_index(&opened.index, opened.fields.default_search_fields());
    parser.set_conjunction_by_default();
    parser.set_field_boost(opened.fields.title, 2.0);
    parser.allow_regexes();
    let explain = |err: QueryParserError| {
        match err {
        QueryParserError::FieldDoesNotExist(field) | QueryParserError::FieldNotIndexed(field) => {
            no_such_field(&field)
        }
        QueryParserError::FieldDoesNotHavePositionsIndexed(field) => format!(
            "{} holds whole values, not text: a phrase there is one value, so drop the quotes or write the phrase without a field",
            user_field(&field)
        ),
        other => format!("{other}; quote phrases with \"...\" and use AND, OR, NOT, field:value"),
    }
    };
    let ast = tantivy::query_grammar::parse_query(&rewritten)
        .map_err(|_| bad(explain(QueryParserError::SyntaxError(rewritten.clone()))))?;
    let mut resolver = Resolver {
        opened,
        names,
        indexed: None,
        values: HashMap::new(),
        loaded: None,
    };
    let ast = resolver.resolve(ast)?.map_err(bad)?;
    let members = resolver.members()?;
    build(&parser, members, ast).map_err(|err| bad(explain(err)))
}

/// The field name that marks a leaf standing for the members of a user topic (its phrase is the
/// topic's id): no user can write it, and tantivy never sees it.
const MEMBERS_MARK: &str = "\u{1}members";

/// Builds the query of a resolved tree: as tantivy's parser does, except that user topics'
/// leaves become their members. Trees without such leaves go to the parser whole.
fn build(
    parser: &QueryParser,
    members: Option<&Members>,
    ast: UserInputAst,
) -> std::result::Result<Box<dyn Query>, QueryParserError> {
    let Some(members) = members.filter(|_| names_members(&ast)) else {
        return parser.build_query_from_user_input_ast(ast);
    };
    match ast {
        UserInputAst::Clause(clauses) => {
            let built = clauses
                .into_iter()
                .map(|(occur, clause)| {
                    // The parser joins terms with AND by default (`set_conjunction_by_default`).
                    let occur = match occur {
                        Some(Occur::Should) => tantivy::query::Occur::Should,
                        Some(Occur::MustNot) => tantivy::query::Occur::MustNot,
                        Some(Occur::Must) | None => tantivy::query::Occur::Must,
                    };
                    Ok::<_, QueryParserError>((occur, build(parser, Some(members), clause)?))
                })
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Ok(Box::new(BooleanQuery::new(built)))
        }
        UserInputAst::Boost(inner, boost) => Ok(Box::new(BoostQuery::new(
            build(parser, Some(members), *inner)?,
            boost.into_inner() as f32,
        ))),
        UserInputAst::Leaf(leaf) => match *leaf {
            UserInputLeaf::Literal(literal)
                if literal.field_name.as_deref() == Some(MEMBERS_MARK) =>
            {
                Ok(members.get(&literal.phrase).map_or_else(
                    || Box::new(EmptyQuery) as Box<dyn Query>,
                    |topic| topic.query(),
                ))
            }
            other => parser.build_query_from_user_input_ast(UserInputAst::Leaf(Box::new(other))),
        },
    }
}

/// Whether a resolved tree has a leaf standing for a user topic's members.
fn names_members(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().any(|(_, clause)| names_members(clause)),
        UserInputAst::Boost(inner, _) => names_members(inner),
        UserInputAst::Leaf(leaf) => matches!(
            leaf.as_ref(),
            UserInputLeaf::Literal(literal) if literal.field_name.as_deref() == Some(MEMBERS_MARK)
        ),
    }
}

/// Rewrites `entity:NAME`, `topic:ID`, `tag:T`, `source:S` and `lang:L` leaves of a parsed query
/// into the exact keys they stand for, and completes clauses of only negations.
struct Resolver<'a> {
    opened: &'a OpenIndex,
    names: &'a Names<'a>,
    /// The index's entity keys, read at the first `entity:` leaf.
    indexed: Option<BTreeSet<String>>,
    /// The index's tags, sources or languages, each read at the first leaf of its field.
    values: HashMap<&'static str, BTreeSet<String>>,
    /// The index's user topics and their members, read at the first `topic:` leaf when the
    /// names bring none.
    loaded: Option<Arc<Members>>,
}

/// The outer error is the index failing; the inner one is the user's query naming nothing.
type Resolved<T> = Result<std::result::Result<T, String>>;

impl Resolver<'_> {
    /// The members of the user topics `topic:` may name (see [`Names::members`]).
    fn members(&mut self) -> Result<Option<&Members>> {
        if let Some(members) = self.names.members {
            return Ok(Some(members));
        }
        let Some(searcher) = self.names.searcher else {
            return Ok(None);
        };
        if self.loaded.is_none() {
            self.loaded = Some(self.opened.members(searcher)?);
        }
        Ok(self.loaded.as_deref())
    }

    /// A leaf matching any of `keys` of `field`: user topics by their members, every other key
    /// in the field itself.
    fn leaf(&mut self, field: &str, keys: Vec<String>) -> Result<UserInputAst> {
        if field != "topic" {
            return Ok(any_of(field, keys));
        }
        let members = self.members()?;
        let (users, stored): (Vec<String>, Vec<String>) = keys
            .into_iter()
            .partition(|key| members.is_some_and(|members| members.get(key).is_some()));
        Ok(match (users.is_empty(), stored.is_empty()) {
            (true, _) => any_of(field, stored),
            (false, true) => any_of(MEMBERS_MARK, users),
            (false, false) => UserInputAst::Clause(vec![
                (Some(Occur::Should), any_of(field, stored)),
                (Some(Occur::Should), any_of(MEMBERS_MARK, users)),
            ]),
        })
    }

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
                // tantivy refuses "only excluding terms"; users mean "everything except".
                if !resolved.is_empty()
                    && resolved
                        .iter()
                        .all(|(occur, _)| *occur == Some(Occur::MustNot))
                {
                    resolved.push((
                        Some(Occur::Must),
                        UserInputAst::Leaf(Box::new(UserInputLeaf::All)),
                    ));
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
                    self.leaf(&field, keys)?
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
                    if field == "topic" {
                        self.leaf(&field, keys)?
                    } else {
                        UserInputAst::Leaf(Box::new(UserInputLeaf::Set {
                            field: Some(field),
                            elements: keys,
                        }))
                    }
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
        } else if let Some(kind) = Keyword::of_query_field(field) {
            let Some(searcher) = self.names.searcher else {
                // Query topics are decided before the batch is written: nothing to look up yet.
                let value = match kind {
                    Keyword::Lang => language_code(wanted).map_or(wanted.to_string(), String::from),
                    Keyword::Tag | Keyword::Source => wanted.to_string(),
                };
                return Ok(Ok(vec![value]));
            };
            let key = match kind {
                Keyword::Tag => "tag",
                Keyword::Source => "source",
                Keyword::Lang => "lang",
            };
            let indexed = match self.values.remove(key) {
                Some(values) => values,
                None => indexed_values(searcher, kind.field(&self.opened.fields))
                    .map_err(|err| self.opened.explain(err))?,
            };
            let found = resolve_keyword(kind, &indexed, wanted);
            self.values.insert(key, indexed);
            found
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
    matches!(field, "entity" | "topic" | "tag" | "source" | "lang")
}

/// Refuses a field the user may not write (the schema's own, such as `body` or `text_es`).
fn check_fields(ast: &UserInputAst) -> std::result::Result<(), String> {
    match ast {
        UserInputAst::Clause(clauses) => clauses
            .iter()
            .try_for_each(|(_, clause)| check_fields(clause)),
        UserInputAst::Boost(inner, _) => check_fields(inner),
        UserInputAst::Leaf(leaf) => {
            let field = match leaf.as_ref() {
                UserInputLeaf::Literal(literal) => literal.field_name.as_deref(),
                UserInputLeaf::Range { field, .. }
                | UserInputLeaf::Set { field, .. }
                | UserInputLeaf::Regex { field, .. } => field.as_deref(),
                UserInputLeaf::Exists { field } => Some(field.as_str()),
                UserInputLeaf::All => None,
            };
            match field {
                Some(field) if !QUERY_FIELDS.contains(&field) => Err(no_such_field(field)),
                _ => Ok(()),
            }
        }
    }
}

fn no_such_field(field: &str) -> String {
    format!(
        "there is no field {field:?}; fields are {}, and words without a field search the text",
        QUERY_FIELDS.join(", ")
    )
}

/// A schema field as the user knows it: the text fields are "the text".
fn user_field(field: &str) -> String {
    if QUERY_FIELDS.contains(&field) {
        format!("{field}:")
    } else {
        "the text".to_string()
    }
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
            members: None,
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
    fn only_the_users_fields_are_accepted_and_negations_alone_keep_everything_else() {
        let taxonomy = Taxonomy::embedded();
        for query in ["body:chips", "text_es:chips", "id:x OR chips"] {
            let refused = parsed(&taxonomy, query).unwrap_err();
            assert!(refused.contains("there is no field"), "{refused}");
            assert!(!refused.contains("text_en"), "{refused}");
        }
        assert!(parsed(&taxonomy, "nvidi*").is_ok());
        assert!(parsed(&taxonomy, "lang:Spanish tag:x").is_ok());
        let negated = parsed(&taxonomy, "-nvidia -huawei").expect("parsed");
        assert!(negated.contains("AllQuery"), "{negated}");
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

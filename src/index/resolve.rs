//! What a topic id, an entity name, a tag, a source or a language written by the user stands for
//! in the index — shared by the `--topic`/`--entity`/`--tag`/`--source`/`--lang` filters and the
//! `topic:`/`entity:`/`tag:`/`source:`/`lang:` fields of the query language, so that both mean the
//! same thing: a parent topic is itself and every topic below it, an entity is found by any of its
//! names or aliases, and every name is matched in any capitalisation and with or without accents.
//! Tags and sources are stored as written (that spelling is what users see) and looked up among
//! the values the index holds; a language is a code or its name in English or Spanish.
//!
//! Failures are plain sentences (`Unresolved`); each caller puts them in its own error, naming a
//! request field or the query.

use std::collections::BTreeSet;

use tantivy::Searcher;

use super::schema::Fields;
use crate::keys::{EntityKey, EntityKind};
use crate::taxonomy::Taxonomy;
use crate::text::fold;

/// Why a topic or entity named by the user stands for nothing, with the closest suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unresolved(pub String);

/// A topic id, or a parent id standing for itself and every topic below it at any depth (documents
/// are tagged with the topics whose phrases or query matched, which are mostly leaves); unknown ids
/// get the closest suggestion.
pub(crate) fn resolve_topic(
    taxonomy: &Taxonomy,
    wanted: &str,
) -> std::result::Result<Vec<String>, Unresolved> {
    let descendants = taxonomy.descendants(wanted);
    if taxonomy.topic(wanted).is_some() || !descendants.is_empty() {
        let mut ids = vec![wanted.to_string()];
        ids.extend(descendants.into_iter().map(String::from));
        return Ok(ids);
    }
    let ids = taxonomy.topics.iter().map(|topic| topic.id.as_str());
    Err(Unresolved(format!(
        "no topic {wanted:?}{}; `topictrack topics` lists them",
        suggestion(wanted, ids)
    )))
}

/// Entity keys an entity name may stand for without looking at the index: a canonical name or
/// alias from the taxonomy (any capitalisation or accents), else the name as given, in its kind
/// (`org/Zhipu`) or in every kind.
pub(crate) fn entity_keys(taxonomy: &Taxonomy, wanted: &str) -> Vec<String> {
    let (kind, name) = match EntityKey::parse(wanted) {
        Some(key) => (Some(key.kind), key.name),
        None => (None, wanted),
    };
    let name = name.trim();
    let folded = fold(name);
    let curated = taxonomy.entities.iter().find(|entity| {
        fold(&entity.name) == folded || entity.aliases.iter().any(|alias| fold(alias) == folded)
    });
    match curated {
        Some(entity) => vec![EntityKey::new(entity.kind, &entity.name).to_string()],
        None => {
            let kinds = match kind {
                Some(kind) => vec![kind],
                None => EntityKind::ALL.to_vec(),
            };
            kinds
                .into_iter()
                .map(|kind| EntityKey::new(kind, name).to_string())
                .collect()
        }
    }
}

/// Every entity key (`<kind>/<name>`) present in the index.
pub(crate) fn indexed_entity_keys(
    searcher: &Searcher,
    fields: &Fields,
) -> tantivy::Result<BTreeSet<String>> {
    indexed_values(searcher, fields.entity)
}

/// Every value of a keyword field (one term per value, as written) present in the index.
pub(crate) fn indexed_values(
    searcher: &Searcher,
    field: tantivy::schema::Field,
) -> tantivy::Result<BTreeSet<String>> {
    let mut keys = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            if let Ok(key) = std::str::from_utf8(stream.key()) {
                keys.insert(key.to_string());
            }
        }
    }
    Ok(keys)
}

/// The exact keys an entity name stands for in an index holding `indexed` — a gazetteer name or
/// alias, or a discovered name in any capitalisation; a name the index has never seen is refused
/// with the closest one.
pub(crate) fn resolve_entity(
    taxonomy: &Taxonomy,
    indexed: &BTreeSet<String>,
    wanted: &str,
) -> std::result::Result<Vec<String>, Unresolved> {
    let exact: Vec<String> = entity_keys(taxonomy, wanted)
        .into_iter()
        .filter(|key| indexed.contains(key))
        .collect();
    if !exact.is_empty() {
        return Ok(exact);
    }
    let folded = fold(wanted.trim());
    let loose: Vec<String> = indexed
        .iter()
        .filter(|key| fold(EntityKey::name_of(key)) == folded || fold(key) == folded)
        .cloned()
        .collect();
    if loose.is_empty() {
        let names = indexed.iter().map(|key| EntityKey::name_of(key));
        return Err(Unresolved(format!(
            "no document names {wanted:?}{}; `topictrack entities` lists the names found",
            suggestion(wanted, names)
        )));
    }
    Ok(loose)
}

/// A keyword field whose values the user names: documents carry them as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keyword {
    Tag,
    Source,
    Lang,
}

impl Keyword {
    /// The keyword field a query field name stands for.
    pub(crate) fn of_query_field(name: &str) -> Option<Keyword> {
        match name {
            "tag" => Some(Keyword::Tag),
            "source" => Some(Keyword::Source),
            "lang" => Some(Keyword::Lang),
            _ => None,
        }
    }

    /// The index field that holds these values.
    pub(crate) fn field(self, fields: &Fields) -> tantivy::schema::Field {
        match self {
            Keyword::Tag => fields.tag,
            Keyword::Source => fields.source,
            Keyword::Lang => fields.lang,
        }
    }
}

/// Language codes the index stores, and the names (English and Spanish, folded) that stand for them.
const LANGUAGES: [(&str, &[&str]); 3] = [
    ("es", &["es", "spanish", "espanol", "castellano", "spa"]),
    ("en", &["en", "english", "ingles", "eng"]),
    ("other", &["other", "otro", "otra"]),
];

/// The language code a code or language name stands for (`ES`, `spanish`, `Español` → `es`).
pub(crate) fn language_code(wanted: &str) -> Option<&'static str> {
    let folded = fold(wanted.trim());
    LANGUAGES
        .iter()
        .find(|(_, names)| names.contains(&folded.as_str()))
        .map(|(code, _)| *code)
}

/// The values of `kind` in an index holding `indexed` that `wanted` names, in any capitalisation
/// and with or without accents (a language also by its name); a value no document holds is
/// refused with the closest one. A known language code is never refused: "no document in
/// English" is an answer, not a typo.
pub(crate) fn resolve_keyword(
    kind: Keyword,
    indexed: &BTreeSet<String>,
    wanted: &str,
) -> std::result::Result<Vec<String>, Unresolved> {
    let folded = fold(wanted.trim());
    let mut found: Vec<String> = indexed
        .iter()
        .filter(|value| fold(value) == folded)
        .cloned()
        .collect();
    if kind == Keyword::Lang {
        if let Some(code) = language_code(wanted) {
            if !found.iter().any(|value| value == code) {
                found.push(code.to_string());
            }
        }
    }
    if !found.is_empty() {
        return Ok(found);
    }
    Err(Unresolved(match kind {
        Keyword::Lang => {
            let names = [
                "es", "en", "other", "spanish", "english", "español", "inglés",
            ];
            let candidates = names.into_iter().chain(indexed.iter().map(String::as_str));
            format!(
                "no language {wanted:?}{}; use es (or spanish, español), en (or english, inglés) or other",
                suggestion(wanted, candidates)
            )
        }
        Keyword::Tag | Keyword::Source => {
            let what = if kind == Keyword::Tag {
                "tag"
            } else {
                "source"
            };
            format!(
                "no document has the {what} {wanted:?}{}; `topictrack facets` lists the {what}s",
                suggestion(wanted, indexed.iter().map(String::as_str))
            )
        }
    }))
}

/// ", did you mean \"x\"?" for the candidate closest to `wanted`, or nothing when none is close.
pub fn suggestion<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    closest(wanted, candidates)
        .map(|candidate| format!(", did you mean {candidate:?}?"))
        .unwrap_or_default()
}

/// The candidate closest to `wanted` (folded, by edit distance), if any is close: at most half
/// its length (counted as at least 4) away.
pub(crate) fn closest<'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted_folded = fold(wanted);
    candidates
        .map(|candidate| (edit_distance(&wanted_folded, &fold(candidate)), candidate))
        .filter(|(distance, candidate)| *distance <= candidate.chars().count().max(4) / 2)
        .min()
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_pick_the_closest_candidate() {
        let candidates = ["export-controls", "ai-chips", "model-training"];
        assert_eq!(
            suggestion("export-control", candidates.into_iter()),
            ", did you mean \"export-controls\"?"
        );
        assert_eq!(suggestion("football", candidates.into_iter()), "");
    }

    #[test]
    fn keywords_resolve_in_any_case_and_languages_by_name() {
        let indexed: BTreeSet<String> = ["Pacific Wire".to_string(), "Crónica".to_string()]
            .into_iter()
            .collect();
        assert_eq!(
            resolve_keyword(Keyword::Source, &indexed, "pacific wire"),
            Ok(vec!["Pacific Wire".to_string()])
        );
        assert_eq!(
            resolve_keyword(Keyword::Source, &indexed, "CRONICA"),
            Ok(vec!["Crónica".to_string()])
        );
        let refused = resolve_keyword(Keyword::Source, &indexed, "pacific wir").unwrap_err();
        assert!(
            refused.0.contains("did you mean \"Pacific Wire\""),
            "{refused:?}"
        );
        let langs = BTreeSet::new();
        for name in ["ES", "spanish", "Español", "castellano"] {
            assert_eq!(
                resolve_keyword(Keyword::Lang, &langs, name),
                Ok(vec!["es".to_string()]),
                "{name}"
            );
        }
        assert_eq!(language_code("Inglés"), Some("en"));
        let refused = resolve_keyword(Keyword::Lang, &langs, "spanich").unwrap_err();
        assert!(
            refused.0.contains("did you mean \"spanish\""),
            "{refused:?}"
        );
    }

    #[test]
    fn discovered_names_resolve_in_any_case_and_unknown_ones_are_refused() {
        let taxonomy = Taxonomy::default();
        let indexed: BTreeSet<String> = ["other/Zhipu AI".to_string()].into_iter().collect();
        assert_eq!(
            resolve_entity(&taxonomy, &indexed, "zhipu ai"),
            Ok(vec!["other/Zhipu AI".to_string()])
        );
        let refused = resolve_entity(&taxonomy, &indexed, "Zhipu A").unwrap_err();
        assert!(
            refused.0.contains("did you mean \"Zhipu AI\""),
            "{refused:?}"
        );
    }
}

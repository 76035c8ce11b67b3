//! What a topic id or an entity name written by the user stands for in the index — shared by the
//! `--topic`/`--entity` filters and the `topic:`/`entity:` fields of the query language, so that
//! both mean the same thing: a parent topic is itself and every topic below it, and an entity is
//! found by any of its names or aliases, in any capitalisation.
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
    let mut keys = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.entity)?;
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

/// ", did you mean \"x\"?" for the candidate closest to `wanted`, or nothing when none is close.
pub fn suggestion<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let wanted_folded = fold(wanted);
    candidates
        .map(|candidate| (edit_distance(&wanted_folded, &fold(candidate)), candidate))
        .filter(|(distance, candidate)| *distance <= candidate.chars().count().max(4) / 2)
        .min()
        .map(|(_, candidate)| format!(", did you mean {candidate:?}?"))
        .unwrap_or_default()
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

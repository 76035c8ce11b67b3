//! The rules a taxonomy must follow before it is compiled: unique ids, known parents without
//! cycles, ids usable in facet paths, and topics that can match something.

use std::collections::{HashMap, HashSet};

use super::{Taxonomy, TaxonomyError, TopicDef, MAX_DEPTH};
use crate::text::{fold, words};

/// Checks `taxonomy` and reports the first problem found, topics before entities.
///
/// A topic without phrases and without a query is accepted only as a grouping parent of other
/// topics (such as `geopolitics`); it is a facet level, never matched by itself.
pub fn validate(taxonomy: &Taxonomy) -> Result<(), TaxonomyError> {
    let mut ids = HashSet::new();
    for topic in &taxonomy.topics {
        if !ids.insert(topic.id.as_str()) {
            return Err(TaxonomyError::DuplicateTopic {
                id: topic.id.clone(),
            });
        }
    }
    let parents: HashSet<&str> = taxonomy
        .topics
        .iter()
        .filter_map(|topic| topic.parent.as_deref())
        .collect();
    for topic in &taxonomy.topics {
        check_topic(topic, &ids, &parents)?;
    }
    check_cycles(taxonomy)?;
    check_entities(taxonomy)
}

fn check_topic(
    topic: &TopicDef,
    ids: &HashSet<&str>,
    parents: &HashSet<&str>,
) -> Result<(), TaxonomyError> {
    let id = &topic.id;
    check_id(id)?;
    if topic.label.trim().is_empty() {
        return Err(TaxonomyError::EmptyLabel { id: id.clone() });
    }
    if topic.min_hits == 0 {
        return Err(TaxonomyError::ZeroMinHits { id: id.clone() });
    }
    if let Some(parent) = &topic.parent {
        if !ids.contains(parent.as_str()) {
            return Err(TaxonomyError::UnknownParent {
                id: id.clone(),
                parent: parent.clone(),
            });
        }
    }
    let has_query = topic.learned || topic.query.as_deref().is_some_and(|q| !q.trim().is_empty());
    if topic.phrases.is_empty() && !has_query && !parents.contains(id.as_str()) {
        return Err(TaxonomyError::NoRules { id: id.clone() });
    }
    let lists = [
        ("phrases", &topic.phrases),
        ("required", &topic.required),
        ("excluded", &topic.excluded),
    ];
    for (field, list) in lists {
        if let Some(text) = list.iter().find(|text| words(text).next().is_none()) {
            return Err(TaxonomyError::EmptyTerm {
                id: id.clone(),
                field,
                text: text.clone(),
            });
        }
    }
    Ok(())
}

/// Ids become facet path segments and CLI arguments, so they stay plain.
fn check_id(id: &str) -> Result<(), TaxonomyError> {
    let reason = if id.is_empty() {
        Some("is empty")
    } else if id.contains('/') {
        Some("contains '/', which separates facet levels")
    } else if id.chars().any(char::is_whitespace) {
        Some("contains white space")
    } else if !id
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        Some("contains a character other than a letter, digit, '-', '_' or '.'")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(TaxonomyError::BadId {
            id: id.to_string(),
            reason,
        }),
        None => Ok(()),
    }
}

fn check_cycles(taxonomy: &Taxonomy) -> Result<(), TaxonomyError> {
    let parent_of: HashMap<&str, &str> = taxonomy
        .topics
        .iter()
        .filter_map(|topic| Some((topic.id.as_str(), topic.parent.as_deref()?)))
        .collect();
    for topic in &taxonomy.topics {
        let mut current = topic.id.as_str();
        let mut depth = 0;
        while let Some(&parent) = parent_of.get(current) {
            depth += 1;
            if parent == topic.id || depth > MAX_DEPTH {
                return Err(TaxonomyError::ParentCycle {
                    id: topic.id.clone(),
                });
            }
            current = parent;
        }
    }
    Ok(())
}

fn check_entities(taxonomy: &Taxonomy) -> Result<(), TaxonomyError> {
    let mut seen = HashSet::new();
    for entity in &taxonomy.entities {
        let blank = |text: &String| text.trim().is_empty();
        if blank(&entity.name)
            || entity.aliases.iter().any(blank)
            || entity.case_sensitive.iter().any(blank)
        {
            return Err(TaxonomyError::EmptyEntityName {
                name: entity.name.clone(),
            });
        }
        if !seen.insert((entity.kind, fold(entity.name.trim()))) {
            return Err(TaxonomyError::DuplicateEntity {
                name: entity.name.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::{EntityDef, EntityKind};

    fn topic(id: &str, parent: Option<&str>, phrases: &[&str]) -> TopicDef {
        TopicDef {
            id: id.to_string(),
            label: format!("Label of {id}"),
            parent: parent.map(str::to_string),
            phrases: phrases.iter().map(|p| p.to_string()).collect(),
            required: Vec::new(),
            excluded: Vec::new(),
            min_hits: 1,
            query: None,
            learned: false,
        }
    }

    fn taxonomy(topics: Vec<TopicDef>) -> Taxonomy {
        Taxonomy {
            topics,
            entities: Vec::new(),
        }
    }

    fn error_text(taxonomy: &Taxonomy) -> String {
        match validate(taxonomy) {
            Ok(()) => String::from("no error"),
            Err(err) => err.to_string(),
        }
    }

    #[test]
    fn a_grouping_parent_needs_no_rules() {
        let ok = taxonomy(vec![
            topic("geopolitics", None, &[]),
            topic("export-controls", Some("geopolitics"), &["export controls"]),
        ]);
        assert!(validate(&ok).is_ok());
    }

    #[test]
    fn duplicate_ids_are_named() {
        let bad = taxonomy(vec![
            topic("gpus", None, &["gpu"]),
            topic("gpus", None, &["gpus"]),
        ]);
        assert_eq!(
            error_text(&bad),
            "topic \"gpus\" is defined twice; give one of them another id"
        );
    }

    #[test]
    fn unknown_parent_is_named_with_the_fix() {
        let bad = taxonomy(vec![topic("gpus", Some("hardware"), &["gpu"])]);
        let text = error_text(&bad);
        assert!(
            text.contains("topic \"gpus\" names parent \"hardware\""),
            "{text}"
        );
        assert!(
            text.contains("add a [[topic]] with id = \"hardware\""),
            "{text}"
        );
    }

    #[test]
    fn cycles_are_rejected() {
        let bad = taxonomy(vec![
            topic("a", Some("b"), &["x"]),
            topic("b", Some("a"), &["y"]),
        ]);
        assert!(matches!(
            validate(&bad),
            Err(TaxonomyError::ParentCycle { .. })
        ));
        let own = taxonomy(vec![topic("a", Some("a"), &["x"])]);
        assert!(matches!(
            validate(&own),
            Err(TaxonomyError::ParentCycle { .. })
        ));
    }

    #[test]
    fn ids_must_fit_in_a_facet_path() {
        for bad_id in ["a/b", "", "two words", "a*b"] {
            let bad = taxonomy(vec![topic(bad_id, None, &["x"])]);
            assert!(
                matches!(validate(&bad), Err(TaxonomyError::BadId { .. })),
                "{bad_id:?} accepted"
            );
        }
        let ok = taxonomy(vec![topic("exportación_2.0", None, &["x"])]);
        assert!(validate(&ok).is_ok());
    }

    #[test]
    fn a_topic_that_cannot_match_is_rejected() {
        let bad = taxonomy(vec![topic("empty", None, &[])]);
        assert!(matches!(validate(&bad), Err(TaxonomyError::NoRules { .. })));

        let mut query_only = topic("query-only", None, &[]);
        query_only.query = Some("nvidia AND h20".to_string());
        assert!(validate(&taxonomy(vec![query_only])).is_ok());

        let blank = taxonomy(vec![topic("blank", None, &["  ,, "])]);
        assert_eq!(
            error_text(&blank),
            "topic \"blank\" has a phrases entry with no words in it: \"  ,, \""
        );

        let mut zero = topic("zero", None, &["x"]);
        zero.min_hits = 0;
        assert!(matches!(
            validate(&taxonomy(vec![zero])),
            Err(TaxonomyError::ZeroMinHits { .. })
        ));
    }

    #[test]
    fn entities_are_unique_per_kind_ignoring_case_and_accents() {
        let entity = |name: &str, kind| EntityDef {
            name: name.to_string(),
            kind,
            aliases: Vec::new(),
            case_sensitive: Vec::new(),
        };
        let mut both = taxonomy(Vec::new());
        both.entities = vec![
            entity("Washington", EntityKind::Place),
            entity("Washington", EntityKind::Person),
        ];
        assert!(validate(&both).is_ok());
        both.entities.push(entity("TAIWÁN", EntityKind::Place));
        both.entities.push(entity("taiwan", EntityKind::Place));
        assert!(matches!(
            validate(&both),
            Err(TaxonomyError::DuplicateEntity { .. })
        ));
    }
}

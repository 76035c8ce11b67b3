//! The taxonomy a run works with: topic and entity definitions, from the embedded defaults and an
//! optional user file, checked once and fingerprinted so the index knows when to re-tag.

pub mod defs;
mod load;
mod validate;

use std::path::PathBuf;

use serde::Serialize;
use thiserror::Error;

pub use defs::{EntityDef, EntityKind, SectionOptions, TaxonomyFile, TopicDef};

/// Topic and entity definitions, merged and ready to compile into matchers.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Taxonomy {
    pub topics: Vec<TopicDef>,
    pub entities: Vec<EntityDef>,
}

/// Why a taxonomy could not be loaded or is not usable, in words that point at the fix.
#[derive(Debug, Error)]
pub enum TaxonomyError {
    #[error("cannot read taxonomy file {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{origin}:{line}:{column}: {message}")]
    Syntax {
        /// The file (or the embedded default) the text came from.
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },

    /// A validation error in a user file: `location` is `path:line` of the definition at fault
    /// (only `path` when its line could not be found).
    #[error("{location}: {error}")]
    InFile {
        location: String,
        error: Box<TaxonomyError>,
    },

    #[error("topic {id:?} is defined twice; give one of them another id")]
    DuplicateTopic { id: String },

    #[error("entity {name:?} is defined twice (names are compared without case and accents); merge their aliases into one [[entity]]")]
    DuplicateEntity { name: String },

    #[error("topic {id:?} names parent {parent:?}, which is not a topic; add a [[topic]] with id = {parent:?} or fix the parent")]
    UnknownParent { id: String, parent: String },

    #[error("topic {id:?} is its own ancestor through its parents; break the cycle")]
    ParentCycle { id: String },

    #[error("topic id {id:?} {reason}; ids may use letters, digits, '-', '_' and '.'")]
    BadId { id: String, reason: &'static str },

    #[error("topic {id:?} has no phrases and no query, and no other topic has it as parent; it could never match")]
    NoRules { id: String },

    #[error("topic {id:?} has a {field} entry with no words in it: {text:?}")]
    EmptyTerm {
        id: String,
        field: &'static str,
        text: String,
    },

    #[error("topic {id:?} has a {field} entry made only of stop words such as \"de\" or \"the\", which matching ignores: {text:?}")]
    StopWordsOnly {
        id: String,
        field: &'static str,
        text: String,
    },

    #[error("the topic rules are too large to compile: {0}")]
    TooLarge(String),

    #[error("topic {id:?} has an empty label")]
    EmptyLabel { id: String },

    #[error("topic {id:?} has min_hits = 0; use 1 or more")]
    ZeroMinHits { id: String },

    #[error("entity {name:?} has an empty name or alias")]
    EmptyEntityName { name: String },
}

impl TaxonomyError {
    /// The id of the topic an error is about, if it is about one topic (used to find its line).
    fn topic_id(&self) -> Option<&str> {
        match self {
            TaxonomyError::DuplicateTopic { id }
            | TaxonomyError::UnknownParent { id, .. }
            | TaxonomyError::ParentCycle { id }
            | TaxonomyError::BadId { id, .. }
            | TaxonomyError::NoRules { id }
            | TaxonomyError::EmptyTerm { id, .. }
            | TaxonomyError::StopWordsOnly { id, .. }
            | TaxonomyError::EmptyLabel { id }
            | TaxonomyError::ZeroMinHits { id } => Some(id),
            _ => None,
        }
    }

    /// The message without the file name, for callers that name the file themselves:
    /// "line 5, column 1: invalid array; expected `]`" or "line 2: topic \"x\" names parent …".
    pub fn detail(&self) -> String {
        match self {
            TaxonomyError::Syntax {
                line,
                column,
                message,
                ..
            } => format!("line {line}, column {column}: {message}"),
            TaxonomyError::InFile { location, error } => {
                match location
                    .rsplit_once(':')
                    .map(|(_, line)| line.parse::<usize>())
                {
                    Some(Ok(line)) => format!("line {line}: {error}"),
                    _ => error.to_string(),
                }
            }
            TaxonomyError::Read { source, .. } => format!("cannot read it: {source}"),
            other => other.to_string(),
        }
    }

    /// The name of the entity an error is about, if it is about one entity.
    fn entity_name(&self) -> Option<&str> {
        match self {
            TaxonomyError::DuplicateEntity { name } | TaxonomyError::EmptyEntityName { name } => {
                Some(name)
            }
            _ => None,
        }
    }
}

/// Bumped whenever what a taxonomy means for matching changes, so fingerprints change with it.
const FINGERPRINT_SALT: &str = "topictrack-taxonomy-v1";

/// How deep parent chains are followed; deeper chains are cut (validation rejects cycles).
const MAX_DEPTH: usize = 16;

impl Taxonomy {
    pub fn topic(&self, id: &str) -> Option<&TopicDef> {
        self.topics.iter().find(|topic| topic.id == id)
    }

    /// Every topic below `id` — its children, their children and so on — each once, nearest
    /// first. A parent topic stands for itself and all of these wherever it is used.
    pub fn descendants(&self, id: &str) -> Vec<&str> {
        let mut found: Vec<&str> = Vec::new();
        let mut next = 0;
        let mut parent = id;
        loop {
            for topic in &self.topics {
                let child = topic.id.as_str();
                if topic.parent.as_deref() == Some(parent) && child != id && !found.contains(&child)
                {
                    found.push(child);
                }
            }
            // Each topic enters `found` once, so the walk ends even on a cycle of parents.
            let Some(&deeper) = found.get(next) else {
                return found;
            };
            parent = deeper;
            next += 1;
        }
    }

    /// Whether some topic names `id` as its parent.
    pub fn has_children(&self, id: &str) -> bool {
        self.topics
            .iter()
            .any(|topic| topic.parent.as_deref() == Some(id))
    }

    /// The facet path of a topic: `/topic/<parent>/<id>`, or `/topic/<id>` for a top-level one.
    ///
    /// Grandparents, if a taxonomy has them, come first: `/topic/<grandparent>/<parent>/<id>`.
    pub fn facet_path(&self, id: &str) -> String {
        let mut chain = vec![id];
        let mut current = id;
        while let Some(parent) = self
            .topic(current)
            .and_then(|topic| topic.parent.as_deref())
        {
            if chain.len() > MAX_DEPTH || chain.contains(&parent) {
                break;
            }
            chain.push(parent);
            current = parent;
        }
        let mut path = String::from("/topic");
        for part in chain.iter().rev() {
            path.push('/');
            path.push_str(part);
        }
        path
    }

    /// A stable hash of everything that decides what documents get tagged with.
    ///
    /// xxh3 of a canonical JSON form: topics sorted by id, entities by name, and a salt that
    /// changes when the matching rules of the program change. The order of definitions in a
    /// file does not matter; any change to a phrase, term, parent or alias does.
    pub fn fingerprint(&self) -> u64 {
        let mut topics: Vec<&TopicDef> = self.topics.iter().collect();
        topics.sort_by(|a, b| a.id.cmp(&b.id));
        let mut entities: Vec<&EntityDef> = self.entities.iter().collect();
        entities.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.kind.cmp(&b.kind)));
        let canonical = serde_json::json!({
            "salt": FINGERPRINT_SALT,
            "topics": topics,
            "entities": entities,
        });
        xxhash_rust::xxh3::xxh3_64(canonical.to_string().as_bytes())
    }

    /// Checks the taxonomy as a whole; see `validate::validate` for the rules.
    pub fn validate(&self) -> Result<(), TaxonomyError> {
        validate::validate(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(id: &str, parent: Option<&str>) -> TopicDef {
        TopicDef {
            id: id.to_string(),
            label: id.to_string(),
            parent: parent.map(str::to_string),
            phrases: vec!["export controls".to_string()],
            required: Vec::new(),
            excluded: Vec::new(),
            min_hits: 1,
            query: None,
            learned: false,
        }
    }

    #[test]
    fn facet_paths_follow_parents() {
        let taxonomy = Taxonomy {
            topics: vec![
                topic("geopolitics", None),
                topic("export-controls", Some("geopolitics")),
                topic("h20", Some("export-controls")),
            ],
            entities: Vec::new(),
        };
        assert_eq!(taxonomy.facet_path("geopolitics"), "/topic/geopolitics");
        assert_eq!(
            taxonomy.facet_path("export-controls"),
            "/topic/geopolitics/export-controls"
        );
        assert_eq!(
            taxonomy.facet_path("h20"),
            "/topic/geopolitics/export-controls/h20"
        );
        assert_eq!(taxonomy.facet_path("unknown"), "/topic/unknown");
    }

    #[test]
    fn descendants_reach_every_level_once() {
        let taxonomy = Taxonomy {
            topics: vec![
                topic("geopolitics", None),
                topic("export-controls", Some("geopolitics")),
                topic("h20", Some("export-controls")),
                topic("h20-licences", Some("h20")),
                topic("rivalry", Some("geopolitics")),
                topic("other", None),
            ],
            entities: Vec::new(),
        };
        assert_eq!(
            taxonomy.descendants("geopolitics"),
            ["export-controls", "rivalry", "h20", "h20-licences"]
        );
        assert_eq!(taxonomy.descendants("h20"), ["h20-licences"]);
        assert!(taxonomy.descendants("other").is_empty());
        assert!(taxonomy.has_children("export-controls"));
        assert!(!taxonomy.has_children("rivalry"));
        let looped = Taxonomy {
            topics: vec![topic("a", Some("b")), topic("b", Some("a"))],
            entities: Vec::new(),
        };
        assert_eq!(looped.descendants("a"), ["b"]);
    }

    #[test]
    fn facet_path_stops_on_a_cycle() {
        let taxonomy = Taxonomy {
            topics: vec![topic("a", Some("b")), topic("b", Some("a"))],
            entities: Vec::new(),
        };
        assert_eq!(taxonomy.facet_path("a"), "/topic/b/a");
    }

    #[test]
    fn fingerprint_changes_with_content_not_order() {
        let base = Taxonomy {
            topics: vec![topic("a", None), topic("b", None)],
            entities: Vec::new(),
        };
        let mut reordered = base.clone();
        reordered.topics.reverse();
        assert_eq!(base.fingerprint(), reordered.fingerprint());

        let mut changed = base.clone();
        changed.topics[1].phrases[0] = "export control regime".to_string();
        assert_ne!(base.fingerprint(), changed.fingerprint());

        let mut excluded = base.clone();
        excluded.topics[0].excluded.push("potato".to_string());
        assert_ne!(base.fingerprint(), excluded.fingerprint());
    }
}

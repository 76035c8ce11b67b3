//! Reading taxonomy TOML: the defaults compiled into the binary and a user's file that extends or
//! replaces them, with errors that name the file and line.

use std::path::Path;

use super::{Taxonomy, TaxonomyError, TaxonomyFile};
use crate::text::fold;

const DEFAULT_TOPICS: &str = include_str!("default_topics.toml");
const DEFAULT_ENTITIES: &str = include_str!("default_entities.toml");
const TOPICS_ORIGIN: &str = "embedded default_topics.toml";
const ENTITIES_ORIGIN: &str = "embedded default_entities.toml";

impl Taxonomy {
    /// The default topics and entities compiled into the binary.
    ///
    /// The embedded files are checked by this module's tests, so the fallback to an empty list
    /// for a file that fails to parse exists only to keep this infallible.
    pub fn embedded() -> Taxonomy {
        Taxonomy::try_embedded().unwrap_or_default()
    }

    /// Like [`Taxonomy::embedded`], but reports a broken embedded file instead of hiding it.
    pub fn try_embedded() -> Result<Taxonomy, TaxonomyError> {
        let topics = parse(DEFAULT_TOPICS, TOPICS_ORIGIN)?;
        let entities = parse(DEFAULT_ENTITIES, ENTITIES_ORIGIN)?;
        Ok(Taxonomy {
            topics: topics.topic,
            entities: entities.entity,
        })
    }

    /// Embedded defaults merged with a user file: user topics/entities with the same id/name override,
    /// others are added; `[topics] replace = true` / `[entities] replace = true` drop the embedded list.
    ///
    /// Entity names are compared without case and accents (and per kind) when overriding. The
    /// result is validated; errors name the file and, where it can be found, the line of the
    /// definition at fault.
    pub fn with_user_file(path: &Path) -> Result<Taxonomy, TaxonomyError> {
        Taxonomy::try_embedded()?.extended_with_file(path)
    }

    /// This taxonomy with a user file applied on top, by the same rules as
    /// [`Taxonomy::with_user_file`]; several files apply one after another.
    pub fn extended_with_file(self, path: &Path) -> Result<Taxonomy, TaxonomyError> {
        let text = std::fs::read_to_string(path).map_err(|source| TaxonomyError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        self.extended_with_text(&text, &path.display().to_string())
    }

    /// This taxonomy with the TOML `text` applied on top (a file's text read earlier, such as the
    /// copy an index keeps); `origin` names it in errors.
    pub fn extended_with_text(self, text: &str, origin: &str) -> Result<Taxonomy, TaxonomyError> {
        let user = parse(text, origin)?;
        let merged = merge(self, user);
        merged.validate().map_err(|err| locate(err, text, origin))?;
        Ok(merged)
    }
}

/// Parses one taxonomy file; `origin` names it in errors.
pub(super) fn parse(text: &str, origin: &str) -> Result<TaxonomyFile, TaxonomyError> {
    let file: TaxonomyFile = toml::from_str(text).map_err(|err: toml::de::Error| {
        let offset = err.span().map_or(0, |span| span.start);
        let (line, column) = line_and_column(text, offset);
        TaxonomyError::Syntax {
            origin: origin.to_string(),
            line,
            column,
            // toml's messages may span lines ("invalid array\nexpected `]`"); errors are one line.
            message: err
                .message()
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join("; "),
        }
    })?;
    // `learned` marks topics of `topic add --like`, whose profile only an index holds.
    if file.topic.iter().any(|topic| topic.learned) {
        let offset = text.find("learned").unwrap_or(0);
        let (line, column) = line_and_column(text, offset);
        return Err(TaxonomyError::Syntax {
            origin: origin.to_string(),
            line,
            column,
            message: "`learned` is set by `topictrack topic add --like`, not in a taxonomy file"
                .to_owned(),
        });
    }
    Ok(file)
}

/// Applies a user file to the defaults (see [`Taxonomy::with_user_file`]).
///
/// A user definition overrides at most one default; a second user definition with the same id
/// is kept so that validation reports the duplicate instead of silently dropping one.
fn merge(defaults: Taxonomy, user: TaxonomyFile) -> Taxonomy {
    let mut topics = if user.topics.replace {
        Vec::new()
    } else {
        defaults.topics
    };
    let mut overridden = vec![false; topics.len()];
    for topic in user.topic {
        let slot = topics
            .iter()
            .zip(&overridden)
            .position(|(old, done)| !done && old.id == topic.id);
        match slot.and_then(|i| Some((topics.get_mut(i)?, overridden.get_mut(i)?))) {
            Some((old, done)) => {
                *old = topic;
                *done = true;
            }
            None => topics.push(topic),
        }
    }

    let mut entities = if user.entities.replace {
        Vec::new()
    } else {
        defaults.entities
    };
    let mut overridden = vec![false; entities.len()];
    for entity in user.entity {
        let key = fold(entity.name.trim());
        let slot = entities.iter().zip(&overridden).position(|(old, done)| {
            !done && old.kind == entity.kind && fold(old.name.trim()) == key
        });
        match slot.and_then(|i| Some((entities.get_mut(i)?, overridden.get_mut(i)?))) {
            Some((old, done)) => {
                *old = entity;
                *done = true;
            }
            None => entities.push(entity),
        }
    }
    Taxonomy { topics, entities }
}

/// 1-based line and column of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// Wraps a validation error with the file and the line of the definition it is about.
fn locate(err: TaxonomyError, text: &str, origin: &str) -> TaxonomyError {
    let found = if let Some(id) = err.topic_id() {
        lines_assigning(text, "id", id)
    } else if let Some(name) = err.entity_name() {
        lines_assigning(text, "name", name)
    } else {
        Vec::new()
    };
    // For a duplicate the second definition is the one to look at.
    let line = match err {
        TaxonomyError::DuplicateTopic { .. } | TaxonomyError::DuplicateEntity { .. } => {
            found.last()
        }
        _ => found.first(),
    };
    let location = match line {
        Some(line) => format!("{origin}:{line}"),
        None => origin.to_string(),
    };
    TaxonomyError::InFile {
        location,
        error: Box::new(err),
    }
}

/// 1-based numbers of the lines that read `key = "value"` (or with single quotes).
fn lines_assigning(text: &str, key: &str, value: &str) -> Vec<usize> {
    let double = format!("\"{value}\"");
    let single = format!("'{value}'");
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            line.trim_start()
                .strip_prefix(key)
                .and_then(|rest| rest.trim_start().strip_prefix('='))
                .map(str::trim_start)
                .is_some_and(|rest| rest.starts_with(&double) || rest.starts_with(&single))
        })
        .map(|(i, _)| i + 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::taxonomy::EntityKind;

    fn user_file(text: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(text.as_bytes()).unwrap();
        file
    }

    #[test]
    fn embedded_taxonomy_parses_and_validates() {
        let taxonomy = Taxonomy::try_embedded().unwrap();
        taxonomy.validate().unwrap();
        assert!(
            taxonomy.topics.len() >= 15,
            "{} topics",
            taxonomy.topics.len()
        );
        assert!(!taxonomy.entities.is_empty());
        assert_eq!(Taxonomy::embedded(), taxonomy);
        assert_eq!(
            taxonomy.facet_path("export-controls"),
            "/topic/geopolitics/export-controls"
        );
    }

    #[test]
    fn user_topics_override_by_id_and_extend() {
        let file = user_file(
            r#"
[[topic]]
id = "export-controls"
label = "Controles"
parent = "geopolitics"
phrases = ["licencia de exportación"]

[[topic]]
id = "rare-earths"
label = "Rare earths"
phrases = ["rare earths", "tierras raras"]

[[entity]]
name = "TENCENT"
type = "org"
aliases = ["Tengxun"]
"#,
        );
        let embedded = Taxonomy::embedded();
        let taxonomy = Taxonomy::with_user_file(file.path()).unwrap();
        assert_eq!(taxonomy.topics.len(), embedded.topics.len() + 1);
        let export = taxonomy.topic("export-controls").unwrap();
        assert_eq!(export.label, "Controles");
        assert_eq!(export.phrases, vec!["licencia de exportación"]);
        assert!(taxonomy.topic("rare-earths").is_some());
        assert!(taxonomy.topic("ai-chips").is_some());
        // "TENCENT" replaced the embedded "Tencent" instead of duplicating it.
        assert_eq!(taxonomy.entities.len(), embedded.entities.len());
        let tencent: Vec<_> = taxonomy
            .entities
            .iter()
            .filter(|e| fold(&e.name) == "tencent" && e.kind == EntityKind::Org)
            .collect();
        assert_eq!(tencent.len(), 1);
        assert_eq!(tencent[0].aliases, vec!["Tengxun"]);
    }

    #[test]
    fn replace_drops_the_embedded_lists() {
        let file = user_file(
            r#"
[topics]
replace = true

[[topic]]
id = "olive-oil"
label = "Olive oil"
phrases = ["aceite de oliva", "olive oil"]

[entities]
replace = true
"#,
        );
        let taxonomy = Taxonomy::with_user_file(file.path()).unwrap();
        assert_eq!(taxonomy.topics.len(), 1);
        assert_eq!(taxonomy.topics[0].id, "olive-oil");
        assert!(taxonomy.entities.is_empty());
    }

    #[test]
    fn syntax_errors_name_file_line_and_column() {
        let file =
            user_file("[[topic]]\nid = \"x\"\nlabel = \"X\"\nphrases = [\"a\"\nmin_hits = 2\n");
        let err = Taxonomy::with_user_file(file.path()).unwrap_err();
        let text = err.to_string();
        let name = file.path().display().to_string();
        assert!(text.starts_with(&format!("{name}:5:")), "{text}");

        let unknown_key = user_file("[[topic]]\nid = \"x\"\nlabel = \"X\"\nphrase = [\"a\"]\n");
        let text = Taxonomy::with_user_file(unknown_key.path())
            .unwrap_err()
            .to_string();
        assert!(text.contains("unknown field `phrase`"), "{text}");
    }

    #[test]
    fn validation_errors_point_at_the_definition() {
        let file = user_file(
            "[[topic]]\nid = \"mine\"\nlabel = \"Mine\"\nphrases = [\"a b\"]\n\n[[topic]]\nid = \"mine\"\nlabel = \"Again\"\nphrases = [\"c\"]\n",
        );
        let text = Taxonomy::with_user_file(file.path())
            .unwrap_err()
            .to_string();
        let name = file.path().display().to_string();
        assert_eq!(
            text,
            format!("{name}:7: topic \"mine\" is defined twice; give one of them another id")
        );

        let orphan = user_file(
            "[[topic]]\nid = \"mine\"\nlabel = \"Mine\"\nparent = \"nowhere\"\nphrases = [\"a\"]\n",
        );
        let text = Taxonomy::with_user_file(orphan.path())
            .unwrap_err()
            .to_string();
        assert!(
            text.starts_with(&format!(
                "{}:2: topic \"mine\" names parent \"nowhere\"",
                orphan.path().display()
            )),
            "{text}"
        );
    }

    #[test]
    fn a_missing_file_is_a_read_error_naming_it() {
        let err = Taxonomy::with_user_file(Path::new("/no/such/topictrack.toml")).unwrap_err();
        assert!(matches!(err, TaxonomyError::Read { .. }));
        assert!(err.to_string().contains("/no/such/topictrack.toml"));
    }

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_and_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_and_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_and_column("ab", 99), (1, 3));
    }
}

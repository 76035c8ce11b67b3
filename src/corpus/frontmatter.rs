//! Splits YAML (`---`) or TOML (`+++`) front matter off a Markdown file and parses it into
//! plain key/value data, reporting front matter that never closes or does not parse.
//!
//! gray_matter was the first choice, but 0.2 turns invalid YAML into "no data" without a
//! word and treats front matter that never closes as body text, which would lose a
//! document's metadata silently. So the delimiters are split here and the two blocks are
//! parsed by `toml` and `yaml-rust2` (the maintained fork of yaml-rust, already in the
//! tree through gray_matter), which report errors with line numbers.

use serde_json::{Map, Number, Value};
use thiserror::Error;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::{Yaml, YamlLoader};

/// More alias uses than this, and a few lines of YAML could expand into gigabytes.
const MAX_YAML_ALIASES: usize = 16;
/// Deeper than this is not metadata; the limit also keeps recursive drops shallow.
const MAX_YAML_DEPTH: usize = 64;

#[derive(Debug, Error, PartialEq, Eq)]
pub(crate) enum FrontMatterError {
    #[error("front matter opened on line 1 never closes; add a closing `{0}` line")]
    NeverCloses(&'static str),
    #[error("front matter is not valid YAML: {message} (line {line})")]
    Yaml { message: String, line: u64 },
    #[error("front matter is not valid TOML: {message} (line {line})")]
    Toml { message: String, line: u64 },
    #[error("front matter is not a list of `key: value` pairs")]
    NotMapping,
    #[error("front matter nests or repeats YAML aliases beyond what metadata needs (line {0})")]
    TooComplex(u64),
}

impl FrontMatterError {
    /// The file line the problem is on.
    pub fn line(&self) -> u64 {
        match self {
            FrontMatterError::NeverCloses(_) | FrontMatterError::NotMapping => 1,
            FrontMatterError::Yaml { line, .. }
            | FrontMatterError::Toml { line, .. }
            | FrontMatterError::TooComplex(line) => *line,
        }
    }
}

/// A Markdown file split into its front-matter data and the text after it.
#[derive(Debug, PartialEq)]
pub(crate) struct Split<'a> {
    pub data: Map<String, Value>,
    pub body: &'a str,
}

#[derive(Clone, Copy)]
enum Kind {
    Yaml,
    Toml,
}

/// Splits and parses front matter; text without front matter comes back whole with no data.
/// `text` must already have LF line endings.
pub(crate) fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let (first, after_first) = text.split_once('\n').unwrap_or((text, ""));
    let kind = match first.trim_end() {
        "---" => Kind::Yaml,
        "+++" => Kind::Toml,
        _ => {
            return Ok(Split {
                data: Map::new(),
                body: text,
            })
        }
    };
    let (block, body) =
        find_close(after_first, kind).ok_or(FrontMatterError::NeverCloses(match kind {
            Kind::Yaml => "---",
            Kind::Toml => "+++",
        }))?;
    let data = match kind {
        Kind::Yaml => parse_yaml(block)?,
        Kind::Toml => parse_toml(block)?,
    };
    Ok(Split { data, body })
}

/// Finds the closing delimiter line; returns the block before it and the text after it.
fn find_close(rest: &str, kind: Kind) -> Option<(&str, &str)> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end();
        let closes = match kind {
            Kind::Yaml => bare == "---" || bare == "...",
            Kind::Toml => bare == "+++",
        };
        if closes {
            let block = rest.get(..offset)?;
            let body = rest.get(offset + line.len()..)?;
            return Some((block, body));
        }
        offset += line.len();
    }
    None
}

fn parse_yaml(block: &str) -> Result<Map<String, Value>, FrontMatterError> {
    // Lines in the block start on file line 2.
    let file_line = |block_line: usize| block_line as u64 + 1;
    check_yaml_shape(block, file_line)?;
    let docs = YamlLoader::load_from_str(block).map_err(|err| FrontMatterError::Yaml {
        message: err.info().to_owned(),
        line: file_line(err.marker().line()),
    })?;
    match docs.into_iter().next() {
        None | Some(Yaml::Null) => Ok(Map::new()),
        Some(Yaml::Hash(hash)) => Ok(hash
            .iter()
            .filter_map(|(key, value)| Some((yaml_key(key)?, yaml_value(value))))
            .collect()),
        Some(_) => Err(FrontMatterError::NotMapping),
    }
}

/// Walks the YAML events once, refusing deep nesting and alias bombs before the loader
/// builds (and clones) a tree.
fn check_yaml_shape(block: &str, file_line: impl Fn(usize) -> u64) -> Result<(), FrontMatterError> {
    let mut parser = Parser::new_from_str(block);
    let (mut depth, mut aliases) = (0usize, 0usize);
    loop {
        let (event, mark) = parser.next_token().map_err(|err| FrontMatterError::Yaml {
            message: err.info().to_owned(),
            line: file_line(err.marker().line()),
        })?;
        match event {
            Event::StreamEnd => return Ok(()),
            Event::SequenceStart(..) | Event::MappingStart(..) => depth += 1,
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            Event::Alias(_) => aliases += 1,
            _ => {}
        }
        if depth > MAX_YAML_DEPTH || aliases > MAX_YAML_ALIASES {
            return Err(FrontMatterError::TooComplex(file_line(mark.line())));
        }
    }
}

fn yaml_key(key: &Yaml) -> Option<String> {
    match key {
        Yaml::String(text) | Yaml::Real(text) => Some(text.clone()),
        Yaml::Integer(number) => Some(number.to_string()),
        Yaml::Boolean(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Scalars and lists of scalars; deeper structure is not document metadata.
fn yaml_value(value: &Yaml) -> Value {
    match value {
        Yaml::Array(items) => Value::Array(items.iter().map(yaml_scalar).collect()),
        Yaml::Hash(_) => Value::Object(Map::new()),
        scalar => yaml_scalar(scalar),
    }
}

fn yaml_scalar(value: &Yaml) -> Value {
    match value {
        // Keep the float as written ("1.50" stays "1.50").
        Yaml::String(text) | Yaml::Real(text) => Value::String(text.clone()),
        Yaml::Integer(number) => Value::Number((*number).into()),
        Yaml::Boolean(flag) => Value::Bool(*flag),
        _ => Value::Null,
    }
}

fn parse_toml(block: &str) -> Result<Map<String, Value>, FrontMatterError> {
    let table: toml::Table = toml::from_str(block).map_err(|err| {
        let before = err
            .span()
            .and_then(|span| block.get(..span.start))
            .unwrap_or_default();
        FrontMatterError::Toml {
            message: err.message().trim().to_owned(),
            line: before.matches('\n').count() as u64 + 2,
        }
    })?;
    Ok(table
        .iter()
        .map(|(key, value)| (key.clone(), toml_value(value)))
        .collect())
}

fn toml_value(value: &toml::Value) -> Value {
    match value {
        toml::Value::Array(items) => Value::Array(items.iter().map(toml_scalar).collect()),
        toml::Value::Table(_) => Value::Object(Map::new()),
        scalar => toml_scalar(scalar),
    }
}

fn toml_scalar(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(text) => Value::String(text.clone()),
        toml::Value::Integer(number) => Value::Number((*number).into()),
        toml::Value::Float(number) => Number::from_f64(*number)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(number.to_string())),
        toml::Value::Boolean(flag) => Value::Bool(*flag),
        toml::Value::Datetime(when) => Value::String(when.to_string()),
        toml::Value::Array(_) | toml::Value::Table(_) => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_front_matter_is_split_and_parsed() {
        let text = "---\ntitle: Hola\ndate: 2025-05-15\ntags: [a, b]\nscore: 1.50\nmeta: {x: 1}\n---\nBody\n";
        let split = split(text).unwrap();
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.data["title"], json!("Hola"));
        assert_eq!(split.data["date"], json!("2025-05-15"));
        assert_eq!(split.data["tags"], json!(["a", "b"]));
        assert_eq!(split.data["score"], json!("1.50"));
        assert_eq!(split.data["meta"], json!({}));
    }

    #[test]
    fn toml_front_matter_is_split_and_parsed() {
        let text = "+++\ntitle = \"Hola\"\ndate = 2025-05-15\ndraft = false\n+++\n\nBody";
        let split = split(text).unwrap();
        assert_eq!(split.body, "\nBody");
        assert_eq!(split.data["title"], json!("Hola"));
        assert_eq!(split.data["date"], json!("2025-05-15"));
        assert_eq!(split.data["draft"], json!(false));
    }

    #[test]
    fn no_front_matter_keeps_text_whole() {
        let split = split("# Title\n---\ntext").unwrap();
        assert!(split.data.is_empty());
        assert_eq!(split.body, "# Title\n---\ntext");
    }

    #[test]
    fn empty_front_matter_is_fine() {
        let split = split("---\n---\nBody").unwrap();
        assert!(split.data.is_empty());
        assert_eq!(split.body, "Body");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = split("---\ntitle: x\nBody").unwrap_err();
        assert_eq!(
            err.to_string(),
            "front matter opened on line 1 never closes; add a closing `---` line"
        );
        assert!(matches!(
            split("+++\na = 1\n"),
            Err(FrontMatterError::NeverCloses("+++"))
        ));
    }

    #[test]
    fn invalid_yaml_names_its_line() {
        let err = split("---\ntitle: ok\ntags: [a, b\n---\nBody").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("front matter is not valid YAML: "),
            "{err}"
        );
        assert!(err.line() >= 3, "line {}", err.line());
    }

    #[test]
    fn invalid_toml_names_its_line() {
        let err = split("+++\ntitle = \"ok\"\ndate = = 3\n+++\nBody").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("front matter is not valid TOML: "),
            "{err}"
        );
        assert_eq!(err.line(), 3);
    }

    #[test]
    fn scalar_front_matter_is_not_a_mapping() {
        assert_eq!(
            split("---\njust text\n---\nB"),
            Err(FrontMatterError::NotMapping)
        );
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("---\na: &a [x, x, x, x, x, x, x, x, x]\n");
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g"])
        {
            bomb.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        bomb.push_str("---\nbody");
        assert!(matches!(split(&bomb), Err(FrontMatterError::TooComplex(_))));
        let deep = format!("---\nx: {}1{}\n---\nbody", "[".repeat(200), "]".repeat(200));
        assert!(split(&deep).is_err());
    }
}

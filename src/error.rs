//! Typed errors of the library, each knowing whether the user can mend it (exit code 2) or not (1).

use std::path::PathBuf;

use chrono::NaiveDate;
use thiserror::Error;

/// What went wrong, in words a user can act on.
#[derive(Debug, Error)]
pub enum Error {
    #[error("no index at {path}; run `topictrack index PATH` first (or point --index / TOPICTRACK_INDEX at one)")]
    NoIndex { path: PathBuf },

    #[error("the index at {path} is in use by another `topictrack index` run; wait for it to finish and try again")]
    IndexInUse { path: PathBuf },

    #[error("the index at {path} was written by an incompatible version of topictrack ({found}); rebuild it with `topictrack index --rebuild PATH...`")]
    IncompatibleIndex { path: PathBuf, found: String },

    #[error("the index at {path} is damaged ({detail}); rebuild it with `topictrack index --rebuild PATH...`")]
    CorruptIndex { path: PathBuf, detail: String },

    #[error("{path}: folder exists but is not a topictrack index; choose another --index folder")]
    NotAnIndex { path: PathBuf },

    #[error("path does not exist: {}", .path.display())]
    PathNotFound { path: PathBuf },

    /// A root given to `index` that no longer exists, while the index still holds its documents.
    #[error("{} is gone, but its documents are still indexed; if it moved, index its new place (a moved folder is recognised); to forget them: `topictrack roots remove {}` (or `topictrack roots prune` for every root that is gone)", .path.display(), shell_word(.path))]
    RootGone { path: PathBuf },

    /// A root given to `index` that no longer exists because it moved to `to`, which is indexed
    /// in its place.
    #[error("{} is gone: it moved to {to}, which is indexed in its place; index that instead (`topictrack roots` lists the roots)", .path.display())]
    RootMoved { path: PathBuf, to: String },

    /// A root to remove that the index does not record; `hint` names the closest recorded root
    /// or lists them.
    #[error("{} is not an indexed root{hint} (`topictrack roots` lists them)", .path.display())]
    UnknownRoot { path: PathBuf, hint: String },

    #[error("bad query {query:?}: {detail}")]
    BadQuery { query: String, detail: String },

    #[error("bad value for {field}: {detail}")]
    BadArgument { field: Field, detail: String },

    /// A date range whose start comes after its end.
    #[error("{} {from} is after {} {to}; swap them", Field::From, Field::To)]
    ReversedRange { from: NaiveDate, to: NaiveDate },

    /// One end of a date range given by the user lies beyond the index's dates, from which the
    /// other end was taken (`field` is `From` or `To`; `index_date` is the index's last date for
    /// `From`, its first for `To`).
    #[error("{}", beyond_index(&Field::name, *.field, *.date, *.index_date))]
    BeyondIndexDates {
        field: Field,
        date: NaiveDate,
        index_date: NaiveDate,
    },

    /// A request the index cannot answer as asked (too many periods, a window too wide...).
    #[error("{detail}")]
    InvalidRequest { detail: String },

    #[error("{path}: {detail}")]
    BadConfig { path: PathBuf, detail: String },

    /// A user topic (`topic add`, `topic remove`...) that cannot be defined or changed as asked.
    #[error("topic {id:?}: {detail}")]
    TopicRefused { id: String, detail: String },

    #[error("no document with id {id:?}; `topictrack search` shows the ids")]
    UnknownDocument { id: String },

    /// An id prefix that more than one document id starts with; `candidates` holds the first few,
    /// sorted, out of `matches` ids in all.
    #[error("{}", ambiguous_prefix(.prefix, .candidates, *.matches))]
    AmbiguousDocument {
        prefix: String,
        candidates: Vec<String>,
        matches: usize,
    },

    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// True when the user can fix the cause (bad input or usage), which maps to exit code 2.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, Error::Tantivy(_) | Error::Io { .. })
    }

    pub fn bad_argument(field: Field, detail: impl Into<String>) -> Error {
        Error::BadArgument {
            field,
            detail: detail.into(),
        }
    }

    /// The message with each request field named as `name` spells it (the binary passes its flag
    /// names); `to_string()` names the fields themselves.
    pub fn message_with(&self, name: impl Fn(Field) -> String) -> String {
        match self {
            Error::BadArgument { field, detail } => {
                format!("bad value for {}: {detail}", name(*field))
            }
            Error::ReversedRange { from, to } => format!(
                "{} {from} is after {} {to}; swap them",
                name(Field::From),
                name(Field::To)
            ),
            Error::BeyondIndexDates {
                field,
                date,
                index_date,
            } => beyond_index(&name, *field, *date, *index_date),
            other => other.to_string(),
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

fn beyond_index<N: Fn(Field) -> S, S: std::fmt::Display>(
    name: &N,
    field: Field,
    date: NaiveDate,
    index_date: NaiveDate,
) -> String {
    let (side, edge, other) = match field {
        Field::To => ("before", "start", "a later"),
        _ => ("after", "end", "an earlier"),
    };
    let flag = name(field);
    format!(
        "{flag} {date} is {side} the index's dates, which {edge} on {index_date} (`topictrack stats` shows them); give {other} {flag}"
    )
}

/// `path` as one shell word: quoted when it holds anything a shell would split or expand.
fn shell_word(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    let plain = |c: char| c.is_alphanumeric() || "/._-+:@%,".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

fn ambiguous_prefix(prefix: &str, candidates: &[String], matches: usize) -> String {
    let more = matches.saturating_sub(candidates.len());
    let tail = if more > 0 {
        format!(", and {more} more")
    } else {
        String::new()
    };
    format!(
        "{prefix:?} is the start of {}: {}{tail}; give more of the id",
        crate::text::counted(matches as u64, "id", "ids"),
        candidates.join(", ")
    )
}

/// A field of a request, named by the errors about it. Library errors say `from`; the binary,
/// which knows its flags, says `--from` (see [`Error::message_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Query,
    From,
    To,
    Lang,
    Source,
    Tag,
    Topic,
    Entity,
    /// The kind of entities listed (`org`, `person`…).
    Kind,
    /// The width of timeline periods.
    Interval,
    Smooth,
    /// An extra query every timeline series must also match.
    Filter,
    /// A reading option `name=KEY` that maps an input key to a document field.
    FieldMap,
    Taxonomy,
    Entities,
    Memory,
    /// The earliest time documents entered the index (`indexed-since`).
    IndexedSince,
    /// How far back `track` looks without moving its checkpoints.
    Since,
    /// The period `trends` looks at, and the one it compares it with.
    Window,
    Baseline,
    /// The kinds of item `trends` ranks (topic, entity, tag).
    TrendKind,
    /// The id prefix of documents read from standard input.
    IdPrefix,
    /// The format standard input is read as.
    Format,
}

impl Field {
    /// The field's own name, as library messages print it.
    pub fn name(self) -> &'static str {
        match self {
            Field::Query => "query",
            Field::From => "from",
            Field::To => "to",
            Field::Lang => "lang",
            Field::Source => "source",
            Field::Tag => "tag",
            Field::Topic => "topic",
            Field::Entity => "entity",
            Field::Kind => "type",
            Field::Interval => "interval",
            Field::Smooth => "smooth",
            Field::Filter => "filter",
            Field::FieldMap => "field",
            Field::Taxonomy => "taxonomy",
            Field::Entities => "entities",
            Field::Memory => "memory",
            Field::IndexedSince => "indexed-since",
            Field::Since => "since",
            Field::Window => "window",
            Field::Baseline => "baseline",
            Field::TrendKind => "kind",
            Field::IdPrefix => "id-prefix",
            Field::Format => "format",
        }
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

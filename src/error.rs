//! Typed errors of the library, each knowing whether the user can mend it (exit code 2) or not (1).

use std::path::PathBuf;

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

    #[error("bad query {query:?}: {detail}")]
    BadQuery { query: String, detail: String },

    #[error("bad value for {argument}: {detail}")]
    BadArgument { argument: String, detail: String },

    /// A request the index cannot answer as asked (too many periods, a window too wide...).
    #[error("{detail}")]
    InvalidRequest { detail: String },

    #[error("{path}: {detail}")]
    BadConfig { path: PathBuf, detail: String },

    #[error("no document with id {id:?}; `topictrack search` shows the ids")]
    UnknownDocument { id: String },

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

    pub fn bad_argument(argument: impl Into<String>, detail: impl Into<String>) -> Error {
        Error::BadArgument {
            argument: argument.into(),
            detail: detail.into(),
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

//! Opening, creating and stamping the index folder: where every command gets its `Index` from.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::index::SegmentId;
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyError};

use super::members::Members;
use super::schema::{build_schema, register_analyzers, Fields, ANALYZER_VERSION, SCHEMA_VERSION};
use crate::corpus::INDEX_META_FILE as META_FILE;
use crate::error::{Error, Result};
use crate::taxonomy::Taxonomy;

/// The file that marks a folder as a topictrack index and records its format versions; the
/// corpus walk knows the name too, to skip index folders inside a corpus.
pub use crate::corpus::INDEX_STAMP_FILE as STAMP_FILE;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub(super) struct Stamp {
    schema_version: u32,
    analyzer_version: u32,
    written_by: String,
}

impl Stamp {
    fn current() -> Stamp {
        Stamp {
            schema_version: SCHEMA_VERSION,
            analyzer_version: ANALYZER_VERSION,
            written_by: format!("topictrack {}", env!("CARGO_PKG_VERSION")),
        }
    }

    fn is_compatible(&self) -> bool {
        self.schema_version == SCHEMA_VERSION && self.analyzer_version == ANALYZER_VERSION
    }
}

/// An opened index: the handle every read request is answered from.
pub struct OpenIndex {
    pub(crate) path: PathBuf,
    pub(crate) index: Index,
    pub(crate) fields: Fields,
    /// The taxonomy the documents were tagged with, read from the index folder when first needed.
    taxonomy: OnceLock<Taxonomy>,
    /// The members of the user topics in the segments of the last searcher they were asked for.
    members: Mutex<Option<(Vec<SegmentId>, Arc<Members>)>>,
}

impl OpenIndex {
    pub(crate) fn new(path: PathBuf, index: Index, fields: Fields) -> OpenIndex {
        OpenIndex {
            path,
            index,
            fields,
            taxonomy: OnceLock::new(),
            members: Mutex::new(None),
        }
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The taxonomy saved with the index (the embedded one when the index has none yet), so that
    /// reads validate and explain topics as the run that tagged them did.
    pub fn taxonomy(&self) -> &Taxonomy {
        self.taxonomy
            .get_or_init(|| super::saved_taxonomy::load(&self.path))
    }

    /// The members of the index's user topics in the segments of `searcher` (see
    /// [`super::members`]): read once for each set of segments, so that every query of a request
    /// finds them in the segments it runs on, even when a commit lands in between.
    pub(crate) fn members(&self, searcher: &Searcher) -> Result<Arc<Members>> {
        let segments: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.segment_id())
            .collect();
        let cached = |slot: &Option<(Vec<SegmentId>, Arc<Members>)>| {
            slot.as_ref()
                .filter(|(seen, _)| *seen == segments)
                .map(|(_, members)| members.clone())
        };
        if let Some(members) = cached(&self.members.lock().unwrap_or_else(|held| held.into_inner()))
        {
            return Ok(members);
        }
        // Decided outside the lock: deciding may parse a saved query, which reads names.
        let members = Arc::new(Members::load(self, searcher)?);
        *self.members.lock().unwrap_or_else(|held| held.into_inner()) =
            Some((segments, members.clone()));
        Ok(members)
    }

    /// A reader on the last commit; the CLI reloads by reopening, so the policy is manual.
    pub(crate) fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|err| self.explain(err))
    }

    /// `err`, with a tantivy error inside it explained as [`OpenIndex::explain`] does.
    pub(crate) fn explained(&self, err: Error) -> Error {
        match err {
            Error::Tantivy(inner) => self.explain(inner),
            other => other,
        }
    }

    /// What a tantivy error met while reading this index means to the user — the one place that
    /// decides it: file and data errors mean "damaged index, rebuild it"; an invalid argument is
    /// the user's request (e.g. a timeline of too many periods), which rebuilding would not mend.
    pub(crate) fn explain(&self, err: TantivyError) -> Error {
        match err {
            TantivyError::InvalidArgument(detail) => Error::InvalidRequest { detail },
            other => Error::CorruptIndex {
                path: self.path.clone(),
                detail: other.to_string(),
            },
        }
    }
}

pub(super) fn read_stamp(path: &Path) -> Result<Option<Stamp>> {
    let stamp_path = path.join(STAMP_FILE);
    let text = match fs::read_to_string(&stamp_path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(Error::io(format!("reading {}", stamp_path.display()), err)),
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|err| Error::CorruptIndex {
            path: path.to_path_buf(),
            detail: format!("{STAMP_FILE} is not valid: {err}"),
        })
}

fn write_stamp(path: &Path) -> Result<()> {
    let text = serde_json::to_string_pretty(&Stamp::current()).unwrap_or_default();
    let stamp_path = path.join(STAMP_FILE);
    fs::write(&stamp_path, text)
        .map_err(|err| Error::io(format!("writing {}", stamp_path.display()), err))
}

pub(super) fn check_stamp(path: &Path) -> Result<()> {
    match read_stamp(path)? {
        None => Err(Error::NotAnIndex {
            path: path.to_path_buf(),
        }),
        Some(stamp) if !stamp.is_compatible() => Err(Error::IncompatibleIndex {
            path: path.to_path_buf(),
            found: format!(
                "schema {}, analyzers {}, by {}; this is topictrack {} with schema {SCHEMA_VERSION}, analyzers {ANALYZER_VERSION}",
                stamp.schema_version,
                stamp.analyzer_version,
                stamp.written_by,
                env!("CARGO_PKG_VERSION")
            ),
        }),
        Some(_) => Ok(()),
    }
}

pub(super) fn open_checked(path: &Path) -> Result<OpenIndex> {
    let index = Index::open_in_dir(path).map_err(|err| Error::CorruptIndex {
        path: path.to_path_buf(),
        detail: err.to_string(),
    })?;
    register_analyzers(&index);
    let fields = Fields::resolve(&index.schema()).map_err(|err| Error::IncompatibleIndex {
        path: path.to_path_buf(),
        found: err.to_string(),
    })?;
    Ok(OpenIndex::new(path.to_path_buf(), index, fields))
}

pub(super) fn is_missing_or_empty(path: &Path) -> bool {
    match fs::read_dir(path) {
        Ok(mut entries) => entries.next().is_none(),
        Err(_) => !path.exists(),
    }
}

/// Opens an existing index for reading; a clear error when there is none, it is from another
/// version, or it is damaged.
pub fn open_existing(path: &Path) -> Result<OpenIndex> {
    if is_missing_or_empty(path) {
        return Err(Error::NoIndex {
            path: path.to_path_buf(),
        });
    }
    check_stamp(path)?;
    if !path.join(META_FILE).exists() {
        // Stamped but never created (the first run was killed): nothing to read yet.
        return Err(Error::NoIndex {
            path: path.to_path_buf(),
        });
    }
    open_checked(path)
}

pub(crate) fn create(path: &Path) -> Result<OpenIndex> {
    fs::create_dir_all(path)
        .map_err(|err| Error::io(format!("creating index folder {}", path.display()), err))?;
    // The stamp is written first: a kill right after it leaves a stamped folder without
    // meta.json, which `open_for_writing` completes on the next run.
    write_stamp(path)?;
    let index = Index::create_in_dir(path, build_schema())?;
    register_analyzers(&index);
    let fields = Fields::resolve(&index.schema())?;
    Ok(OpenIndex::new(path.to_path_buf(), index, fields))
}

/// Turns a failure to get the writer into "in use" when another process holds the lock.
pub(crate) fn map_writer_error(path: &Path, err: TantivyError) -> Error {
    match err {
        TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexInUse {
            path: path.to_path_buf(),
        },
        other => Error::Tantivy(other),
    }
}

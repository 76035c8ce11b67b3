//! What the last indexing run saw of each file, so the next run can skip unchanged files without reading them.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

const STATE_FILE: &str = "files.json";
const STATE_VERSION: u32 = 1;

/// Size and modification time of an indexed file, how many documents it gave, and the records of
/// it that were skipped (listed again by every run that leaves the file unchanged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    pub size: u64,
    /// Modification time in nanoseconds since the epoch; 0 when the platform gives none.
    pub modified: u128,
    pub documents: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedRecord>,
    /// Records indexed under a suffixed id because another document holds theirs, with the
    /// warning that said so (said again by every run that leaves the file unchanged).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed: Vec<SkippedRecord>,
}

/// One skipped (or renamed) record of a file that otherwise gave documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRecord {
    pub line: Option<u64>,
    pub reason: String,
    /// The archive member it is in, when the file is an archive (`a.zip!/in/b.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
}

impl FileState {
    pub fn same_file_as(&self, size: u64, modified: Option<SystemTime>) -> bool {
        self.size == size && self.modified == nanos(modified)
    }
}

pub fn nanos(time: Option<SystemTime>) -> u128 {
    time.and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map(|duration| duration.as_nanos())
        .unwrap_or(0)
}

/// The state of the whole index: the fingerprint of the enrichment its documents carry, and every
/// indexed file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct IndexState {
    #[serde(default)]
    pub version: u32,
    /// Fingerprint of the taxonomy and gazetteer (and enrichment switch) the documents were tagged
    /// with; `rules` in state files of earlier versions.
    #[serde(default, alias = "rules")]
    pub enrichment_fingerprint: String,
    /// Fingerprint of the reading options (`ReadOptions::fingerprint`) the files were read with;
    /// when it changes every file is read again.
    #[serde(default)]
    pub read_fingerprint: String,
    #[serde(default)]
    pub files: BTreeMap<String, FileState>,
    /// The files the index's taxonomy was built from, in the order they apply on top of the
    /// built-in one, each with its text as read; kept until a run changes one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taxonomy_sources: Vec<TaxonomySource>,
    /// Topics a user defined with `topic add`, applied on top of the taxonomy files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_topics: Vec<UserTopic>,
    /// Every root an `index` run was given, by canonical path (see [`super::roots`]); empty in
    /// state files of earlier versions, whose files count as unrecorded.
    #[serde(default)]
    pub roots: BTreeMap<String, RootRecord>,
    /// Roots found moved, from the old path to the recorded root that took their place, so that
    /// a run given the old path can say where it went.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub moved: BTreeMap<String, String>,
    /// Every URL an `index` run fetched (see [`super::urls`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub urls: BTreeMap<String, super::urls::UrlRecord>,
}

/// What the index keeps about one root folder (or file) given to `index`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootRecord {
    /// When a run last indexed it, RFC 3339 in UTC.
    pub indexed: String,
}

/// A topic defined with `topic add`: its place in the taxonomy and what decides membership.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserTopic {
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub rule: TopicRule,
    /// When it was added, RFC 3339 in UTC.
    pub added: String,
}

/// What makes a document a member of a user topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum TopicRule {
    /// A query in the tool's syntax.
    Query { query: String },
    /// A profile of weighted terms learned from example documents, with its threshold.
    Learned {
        profile: Box<crate::index::profile::Profile>,
    },
}

/// One file of an index's taxonomy, with the text it had when it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxonomySource {
    pub path: String,
    pub role: SourceRole,
    pub text: String,
}

/// How a taxonomy file reached the index, which decides when a run replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceRole {
    /// `topictrack.toml` at a corpus root: read again by every run of that root.
    Root,
    /// Given with `--taxonomy`: kept until a run gives `--taxonomy` again.
    Taxonomy,
    /// Given with `--entities`: kept until a run gives `--entities` again.
    Entities,
}

/// Writes `value` as JSON to `file` in the index folder, atomically (a temporary file, then a
/// rename), so a process killed while writing leaves the old file whole.
pub(crate) fn save_json<T: Serialize>(index_dir: &Path, file: &str, value: &T) -> Result<()> {
    let text = serde_json::to_vec(value)
        .map_err(|err| Error::io(format!("encoding {file}"), err.into()))?;
    let target = index_dir.join(file);
    let temp = index_dir.join(format!("{file}.tmp"));
    fs::write(&temp, text)
        .and_then(|()| fs::rename(&temp, &target))
        .map_err(|err| Error::io(format!("writing {}", target.display()), err))
}

/// The fingerprint of what enrichment a document gets: the enrichment version, the taxonomy
/// (with the user topics) and whether enrichment is full or `--no-enrich`.
pub(crate) fn enrichment_fingerprint(taxonomy: &crate::taxonomy::Taxonomy, full: bool) -> String {
    format!(
        "enrichment-v{}/{:016x}/{}",
        crate::enrich::ENRICHMENT_VERSION,
        taxonomy.fingerprint(),
        if full { FULL } else { BASIC }
    )
}

const FULL: &str = "full";
const BASIC: &str = "basic";

impl IndexState {
    /// Loads the state; a missing or unreadable state only means every file is read again.
    pub fn load(index_dir: &Path) -> IndexState {
        fs::read_to_string(index_dir.join(STATE_FILE))
            .ok()
            .and_then(|text| serde_json::from_str::<IndexState>(&text).ok())
            .filter(|state| state.version == STATE_VERSION)
            .unwrap_or_default()
    }

    /// Writes the state next to the index, atomically (temporary file, then rename).
    pub fn save(&mut self, index_dir: &Path) -> Result<()> {
        self.version = STATE_VERSION;
        save_json(index_dir, STATE_FILE, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_survives_a_round_trip_and_detects_changes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut state = IndexState::default();
        let when = SystemTime::now();
        state.files.insert(
            "a.md".into(),
            FileState {
                size: 10,
                modified: nanos(Some(when)),
                documents: 1,
                skipped: vec![SkippedRecord {
                    line: Some(2),
                    reason: "not valid JSON".into(),
                    member: None,
                }],
                renamed: Vec::new(),
            },
        );
        state.save(dir.path()).expect("saved");
        let loaded = IndexState::load(dir.path());
        let file = &loaded.files["a.md"];
        assert!(file.same_file_as(10, Some(when)));
        assert_eq!(file.skipped[0].line, Some(2));
        assert!(!file.same_file_as(11, Some(when)));
    }

    #[test]
    fn garbage_state_is_treated_as_empty() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join(STATE_FILE), "{not json").expect("written");
        assert!(IndexState::load(dir.path()).files.is_empty());
    }
}

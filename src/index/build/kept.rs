//! Messages an mbox already gave: when an mbox changed (most often, new messages were appended),
//! each message it still holds unchanged keeps its document as it is, without being enriched or
//! written again; only new and changed messages are, and messages no longer in the file are removed.
//! So re-running `index` after appending to a mailbox adds only the new messages.

use std::collections::HashMap;

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::document::SourceDoc;
use crate::error::Result;
use crate::index::schema::Fields;
use crate::index::stored::{first_text, source_doc};

/// How one re-read mbox's documents compare with those the index held for it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct KeptCounts {
    pub(super) unchanged: u64,
    pub(super) changed: u64,
    pub(super) added: u64,
    pub(super) removed: u64,
}

/// The documents the index holds for one file, by id, not yet met again in this run.
pub(super) struct Kept {
    by_id: HashMap<String, DocAddress>,
    pub(super) counts: KeptCounts,
}

/// What to do with a document read again.
pub(super) enum Verdict {
    /// The index holds it as read: nothing to write.
    Unchanged,
    /// Its id is in the index with other content: delete that id, then write it.
    Changed,
    /// A new document.
    New,
}

impl Kept {
    /// The documents of the file stored under `path_key`, as the index held them before this run.
    pub(super) fn load(searcher: &Searcher, fields: &Fields, path_key: &str) -> Result<Kept> {
        let query = TermQuery::new(
            Term::from_field_text(fields.path, path_key),
            IndexRecordOption::Basic,
        );
        let mut by_id = HashMap::new();
        for address in searcher.search(&query, &DocSetCollector)? {
            let stored: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = first_text(&stored, fields.id) {
                by_id.insert(id, address);
            }
        }
        Ok(Kept {
            by_id,
            counts: KeptCounts::default(),
        })
    }

    /// Compares `doc` with the document of the same id, if the index held one for this file.
    pub(super) fn judge(
        &mut self,
        searcher: &Searcher,
        fields: &Fields,
        doc: &SourceDoc,
    ) -> Result<Verdict> {
        let Some(address) = self.by_id.remove(&doc.id) else {
            self.counts.added += 1;
            return Ok(Verdict::New);
        };
        let stored: TantivyDocument = searcher.doc(address)?;
        if same_content(doc, &source_doc(fields, &stored)) {
            self.counts.unchanged += 1;
            Ok(Verdict::Unchanged)
        } else {
            self.counts.changed += 1;
            Ok(Verdict::Changed)
        }
    }

    /// The ids of the documents the file no longer gave, counted as removed.
    pub(super) fn vanished(&mut self) -> Vec<String> {
        self.counts.removed += self.by_id.len() as u64;
        self.by_id.drain().map(|(id, _)| id).collect()
    }
}

/// Whether a document read now is the one the index stores, as the index stores documents
/// (tags and source trimmed, blank ones dropped; metadata by key).
fn same_content(read: &SourceDoc, stored: &SourceDoc) -> bool {
    let tags = |doc: &SourceDoc| -> Vec<String> {
        doc.tags
            .iter()
            .map(|tag| tag.trim().to_owned())
            .filter(|tag| !tag.is_empty())
            .collect()
    };
    let source = |doc: &SourceDoc| {
        doc.source
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut metadata = read.metadata.clone();
    metadata.sort();
    let mut stored_metadata = stored.metadata.clone();
    stored_metadata.sort();
    read.id == stored.id
        && read.line == stored.line
        && read.title == stored.title
        && read.body == stored.body
        && read.date_raw == stored.date_raw
        && read.date_key == stored.date_key
        && read.url == stored.url
        && read.lang == stored.lang
        && read.mail == stored.mail
        && source(read) == source(stored)
        && tags(read) == tags(stored)
        && metadata == stored_metadata
}

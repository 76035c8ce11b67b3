//! Re-enriching indexed documents from what the index stores of them, when the taxonomy or the
//! enrichment changed: every document gets the new topics and entities without its file being
//! read again, whatever root it came from and whether or not that folder is still there.

use std::collections::{BTreeSet, HashMap, HashSet};

use tantivy::{TantivyDocument, Term};

use super::{OpenFile, Run, BATCH, BATCH_BYTES};
use crate::error::{Error, Result};
use crate::index::state::IndexState;
use crate::index::stored::{file_key, path_key, source_doc};

/// Blocks of the document store kept decompressed; the store is read in order, so one is enough.
const STORE_CACHE_BLOCKS: usize = 1;

/// Replaces every document of the files `keys` by the same document enriched again, and records
/// in `state` how many each file now has (all of them, unless enriching one panicked). The
/// documents are read from the index as the last run committed it, and written in this run's
/// commit, so a run killed before its commit leaves the old documents in place.
///
/// The documents of a URL are replaced one by one, and those with an id in `fresh` (read from
/// the URL in this run, so enriched already) are left alone.
pub(super) fn reenrich_stored(
    run: &mut Run,
    state: &mut IndexState,
    keys: &BTreeSet<String>,
    fresh: &HashSet<String>,
) -> Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    let opened = run.opened;
    let fields = &opened.fields;
    // This run has not committed, so the searcher sees the index as it was before the run.
    let searcher = opened.reader()?.searcher();
    // Ordinals of their own: the files this run read are all settled by now.
    let ordinals: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(ordinal, key)| (key.as_str(), ordinal))
        .collect();
    for (ordinal, key) in keys.iter().enumerate() {
        // Deleted before the new documents are added, so the delete leaves those alone.
        if !state.urls.contains_key(key) {
            run.writer
                .delete_term(Term::from_field_text(fields.path, key));
        }
        run.open_files.insert(
            ordinal,
            OpenFile {
                read: true,
                ..OpenFile::default()
            },
        );
    }
    for segment in searcher.segment_readers() {
        let store = segment
            .get_store_reader(STORE_CACHE_BLOCKS)
            .map_err(|err| Error::io(format!("reading {}", opened.path.display()), err))?;
        for stored in store.iter::<TantivyDocument>(segment.alive_bitset()) {
            let stored = stored.map_err(|err| opened.explain(err))?;
            let Some(&ordinal) =
                file_key(&stored, fields).and_then(|key| ordinals.get(key.as_str()))
            else {
                continue;
            };
            let doc = source_doc(fields, &stored);
            if state.urls.contains_key(&path_key(&doc.path)) {
                if fresh.contains(&doc.id) {
                    continue;
                }
                run.writer
                    .delete_term(Term::from_field_text(fields.id, &doc.id));
            }
            if let Some(open) = run.open_files.get_mut(&ordinal) {
                open.documents += 1;
            }
            run.batch_bytes += doc.body.len() + doc.title.as_ref().map_or(0, String::len);
            run.batch.push((ordinal, doc));
            if run.batch.len() >= BATCH || run.batch_bytes >= BATCH_BYTES {
                run.flush()?;
            }
        }
    }
    run.flush()?;
    for (ordinal, key) in keys.iter().enumerate() {
        let Some(open) = run.open_files.remove(&ordinal) else {
            continue;
        };
        run.report.updated += open.documents;
        let Some(file) = state.files.get_mut(key) else {
            continue;
        };
        run.report.removed += file.documents.saturating_sub(open.documents);
        file.documents = open.documents;
        file.skipped.extend(open.skipped);
        if file.documents == 0 {
            // As for a file read: nothing of it is left, so the next run reads it again.
            state.files.remove(key);
        }
    }
    Ok(())
}

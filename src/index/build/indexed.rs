//! When each document entered the index. A run stamps the documents it writes with its start time,
//! except those whose id the index already held before the run: they keep the stamp they had, so a
//! changed file read again, a document re-enriched from the store, or a record whose own id
//! survives a move keeps the time it first came in ("published last week, indexed today" is new
//! today, and only once).
//!
//! The lookup is by the `id` term in each segment of the index as the run found it (nothing is
//! committed until the run ends), then the `indexed` fast column: a few term-dictionary lookups per
//! document, none at all when the index was empty.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use tantivy::columnar::Column;
use tantivy::fastfield::AliveBitSet;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, InvertedIndexReader, Searcher, TantivyError, Term, TERMINATED};

use crate::error::Result;
use crate::index::schema::Fields;

/// The stamps of one run: its start time, and the index as it was before the run.
pub(super) struct Stamps {
    now: u64,
    fields: Fields,
    segments: Vec<SegmentStamps>,
}

/// What one segment of the index before the run says about its documents' stamps.
struct SegmentStamps {
    ids: Arc<InvertedIndexReader>,
    indexed: Option<Column<u64>>,
    alive: Option<AliveBitSet>,
}

/// The current time in UTC seconds (0 on a clock before 1970).
pub(super) fn now_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

impl Stamps {
    /// Stamps for a run that started at `now`, over the index as `searcher` sees it.
    pub(super) fn new(searcher: &Searcher, fields: &Fields, now: u64) -> Result<Stamps> {
        let name = searcher.schema().get_field_name(fields.indexed);
        let mut segments = Vec::new();
        for segment in searcher.segment_readers() {
            if segment.num_docs() == 0 {
                continue;
            }
            segments.push(SegmentStamps {
                ids: segment.inverted_index(fields.id)?,
                indexed: segment.fast_fields().column_opt::<u64>(name)?,
                alive: segment.alive_bitset().cloned(),
            });
        }
        Ok(Stamps {
            now,
            fields: fields.clone(),
            segments,
        })
    }

    /// The stamp for the document with `id`: the earliest one a live document with that id had
    /// before the run, else the run's start.
    pub(super) fn of(&self, id: &str) -> Result<u64> {
        if self.segments.is_empty() {
            return Ok(self.now);
        }
        let term = Term::from_field_text(self.fields.id, id);
        let mut earliest: Option<u64> = None;
        for segment in &self.segments {
            let Some(info) = segment
                .ids
                .get_term_info(&term)
                .map_err(TantivyError::from)?
            else {
                continue;
            };
            let mut postings = segment
                .ids
                .read_postings_from_terminfo(&info, IndexRecordOption::Basic)
                .map_err(TantivyError::from)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let alive = segment
                    .alive
                    .as_ref()
                    .is_none_or(|alive| alive.is_alive(doc));
                let stamp = segment
                    .indexed
                    .as_ref()
                    .and_then(|column| column.first(doc));
                if let (true, Some(stamp)) = (alive, stamp) {
                    earliest = Some(earliest.map_or(stamp, |seen| seen.min(stamp)));
                }
                doc = postings.advance();
            }
        }
        Ok(earliest.unwrap_or(self.now))
    }
}

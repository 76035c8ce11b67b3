//! Reading fast columns in bulk, shared by the counting collectors (facets, day counts, summaries).
//!
//! Counting is fastest when a collector never asks the column index about one document at a
//! time. Tantivy hands collectors blocks of documents; [`PendingRun`] joins consecutive blocks
//! into one run, whose values sit in one stretch of column rows and are decoded in order
//! ([`for_each_row_value`], [`for_each_day_of_run`]). Scattered documents are read a block at a
//! time ([`OrdBlock`]). Keyword columns are counted by term ordinal ([`OrdCounter`]) and only
//! the ordinals that are kept become text, reading the dictionary once in order
//! ([`ords_to_terms`]).

use std::ops::Range;

use tantivy::columnar::{Cardinality, Column, StrColumn};
use tantivy::{DocId, SegmentReader};

use crate::keys::{DayKey, EntityKey};

/// Rows decoded at a time when counting a contiguous run of documents.
pub(crate) const RANGE_CHUNK: u32 = 4096;

/// Consecutive documents collected but not counted yet: a collector offers it every block it
/// receives, and counts what it is told to when a run ends. All documents of a segment, or long
/// stretches of them, then make one run counted in one pass over the column rows.
#[derive(Debug, Default)]
pub(crate) struct PendingRun {
    run: Option<Range<DocId>>,
}

/// What a collector counts now, after offering a block to its [`PendingRun`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ToCount<'a> {
    /// A run of consecutive documents that the block did not extend: count it in one pass.
    pub run: Option<Range<DocId>>,
    /// The block itself when its documents are not consecutive: count them one by one.
    pub scattered: Option<&'a [DocId]>,
}

impl PendingRun {
    /// Takes a block of ascending documents: a consecutive block extends the pending run or,
    /// after a gap, replaces it (the finished run is returned to count); any other block is
    /// returned to count as it is, with the run it interrupts.
    #[inline]
    pub(crate) fn offer<'a>(&mut self, docs: &'a [DocId]) -> ToCount<'a> {
        let block = contiguous(docs);
        if let (Some(pending), Some(block)) = (&mut self.run, &block) {
            if pending.end == block.start {
                pending.end = block.end;
                return ToCount {
                    run: None,
                    scattered: None,
                };
            }
        }
        let run = self.run.take();
        match block {
            Some(block) => {
                self.run = Some(block);
                ToCount {
                    run,
                    scattered: None,
                }
            }
            None => ToCount {
                run,
                scattered: Some(docs),
            },
        }
    }

    /// The run still pending when collection ends.
    pub(crate) fn finish(&mut self) -> Option<Range<DocId>> {
        self.run.take()
    }
}

/// The run of consecutive documents `docs` covers, if it has no gaps.
pub(crate) fn contiguous(docs: &[DocId]) -> Option<Range<DocId>> {
    let (&first, &last) = (docs.first()?, docs.last()?);
    let end = last.checked_add(1)?;
    (usize::try_from(end - first).ok() == Some(docs.len())).then_some(first..end)
}

/// Calls `each` with the value of every row in `rows` of a single-valued column, decoding
/// `RANGE_CHUNK` rows at a time into `buffer`.
pub(crate) fn for_each_row_value(
    column: &Column<u64>,
    rows: Range<u32>,
    buffer: &mut Vec<u64>,
    mut each: impl FnMut(u64),
) {
    let mut start = rows.start;
    while start < rows.end {
        let len = (rows.end - start).min(RANGE_CHUNK);
        buffer.clear();
        buffer.resize(len as usize, 0);
        column.values.get_range(u64::from(start), buffer);
        for &value in buffer.iter() {
            each(value);
        }
        start += len;
    }
}

/// Calls `each` with the day of every document of the run `docs` that has one, reading the day
/// column in row order, and returns how many documents of the run have no day. `None` when that
/// order cannot be used — no column (all undated) or several days per document, of which only
/// the first counts — and the caller must look the documents up one by one.
pub(crate) fn for_each_day_of_run(
    column: Option<&Column<u64>>,
    docs: Range<DocId>,
    mut each: impl FnMut(DayKey),
) -> Option<u64> {
    let column = column.filter(|c| c.get_cardinality() != Cardinality::Multivalued)?;
    let rows = column.index.docid_range_to_rowids(docs.clone());
    for_each_row_value(column, rows.clone(), &mut Vec::new(), |raw| {
        each(DayKey::from_raw(raw))
    });
    Some(u64::from(
        (docs.end - docs.start).saturating_sub(rows.end - rows.start),
    ))
}

/// Calls `each` with the documents of the run `docs` in blocks of at most [`RANGE_CHUNK`], for
/// counters that look documents up one by one.
pub(crate) fn for_each_block_of_run(docs: Range<DocId>, mut each: impl FnMut(&[DocId])) {
    let docs: Vec<DocId> = docs.collect();
    for block in docs.chunks(RANGE_CHUNK as usize) {
        each(block);
    }
}

/// Reusable buffers for reading the term ordinals of a block of documents in one batch.
#[derive(Default)]
pub(crate) struct OrdBlock {
    /// The document of each entry of `ords`.
    pub docs: Vec<DocId>,
    rows: Vec<u32>,
    pub ords: Vec<u64>,
}

impl OrdBlock {
    /// Fills `docs` and `ords` with one entry per value the documents `docs` (ascending) have in
    /// `column`, in document order: a document with two values appears twice, one with none not.
    pub(crate) fn read(&mut self, column: &StrColumn, docs: &[DocId]) {
        let ords = column.ords();
        self.docs.clear();
        self.rows.clear();
        ords.row_ids_for_docs(docs, &mut self.docs, &mut self.rows);
        self.ords.clear();
        self.ords.resize(self.rows.len(), 0);
        ords.values.get_vals(&self.rows, &mut self.ords);
    }
}

/// Looks up the text of ascending term ordinals, reading the dictionary once in order (each
/// look-up on its own would decompress a dictionary block per term). Each ordinal comes with a
/// value (its count, say) that is handed back beside its text.
pub(crate) fn ords_to_terms<T>(
    column: &StrColumn,
    sorted: impl Iterator<Item = (u64, T)>,
) -> tantivy::Result<Vec<(String, T)>> {
    let (ords, values): (Vec<u64>, Vec<T>) = sorted.unzip();
    let mut texts = Vec::with_capacity(ords.len());
    let complete = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        texts.push(String::from_utf8_lossy(bytes).into_owned());
    })?;
    if !complete || texts.len() != ords.len() {
        return Err(missing_term());
    }
    Ok(texts.into_iter().zip(values).collect())
}

fn missing_term() -> tantivy::TantivyError {
    tantivy::TantivyError::InternalError(
        "a fast column refers to a term missing from its dictionary".to_string(),
    )
}

/// Counts per term ordinal of one keyword column in one segment.
pub(crate) struct OrdCounter {
    column: Option<StrColumn>,
    counts: Vec<u64>,
    /// Reused buffers for block-wise reads.
    block: OrdBlock,
}

impl OrdCounter {
    pub(crate) fn open(reader: &SegmentReader, field: &str) -> tantivy::Result<OrdCounter> {
        let column = reader.fast_fields().str(field)?;
        let terms = column.as_ref().map_or(0, |c| c.num_terms());
        Ok(OrdCounter {
            column,
            counts: vec![0; terms],
            block: OrdBlock::default(),
        })
    }

    /// The column and the counts by its term ordinals; `None` when the segment lacks the column.
    pub(crate) fn column_and_counts(&self) -> Option<(&StrColumn, &[u64])> {
        Some((self.column.as_ref()?, self.counts.as_slice()))
    }

    /// Counts the terms of a block of documents, reading the ordinals in one batch.
    pub(crate) fn add_block(&mut self, docs: &[DocId]) {
        let Some(column) = &self.column else {
            return;
        };
        self.block.read(column, docs);
        for &ord in &self.block.ords {
            if let Some(count) = usize::try_from(ord)
                .ok()
                .and_then(|o| self.counts.get_mut(o))
            {
                *count += 1;
            }
        }
    }

    /// Counts the terms of a contiguous run of documents: their values sit in one contiguous run
    /// of rows, decoded in order without looking up each document in the column index.
    pub(crate) fn add_range(&mut self, docs: Range<DocId>) {
        let Some(column) = &self.column else {
            return;
        };
        let ords = column.ords();
        let rows = ords.index.docid_range_to_rowids(docs);
        let counts = &mut self.counts;
        for_each_row_value(ords, rows, &mut self.block.ords, |ord| {
            if let Some(count) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                *count += 1;
            }
        });
    }

    /// Drops the count of `term`, as if no document carried it.
    pub(crate) fn forget(&mut self, term: &str) -> tantivy::Result<()> {
        let Some(column) = &self.column else {
            return Ok(());
        };
        if let Some(ord) = column.dictionary().term_ord(term.as_bytes())? {
            if let Some(count) = usize::try_from(ord)
                .ok()
                .and_then(|o| self.counts.get_mut(o))
            {
                *count = 0;
            }
        }
        Ok(())
    }

    /// The count of `term`, looked up in the segment's dictionary (0 when absent).
    pub(crate) fn count_of_term(&self, term: &str) -> tantivy::Result<u64> {
        let Some(column) = &self.column else {
            return Ok(0);
        };
        Ok(column
            .dictionary()
            .term_ord(term.as_bytes())?
            .map_or(0, |ord| self.count_of(ord)))
    }

    fn count_of(&self, ord: u64) -> u64 {
        usize::try_from(ord)
            .ok()
            .and_then(|o| self.counts.get(o))
            .copied()
            .unwrap_or(0)
    }

    /// The ordinals counted at least once, ascending.
    fn counted(&self) -> Vec<u64> {
        (0u64..)
            .zip(&self.counts)
            .filter(|(_, count)| **count > 0)
            .map(|(ord, _)| ord)
            .collect()
    }

    /// Keeps the `top` ordinals of `ords` by count descending then ordinal ascending (the term
    /// order of the dictionary, so the same as by text), in ascending ordinal order.
    fn keep_top(&self, ords: &mut Vec<u64>, top: usize) {
        let key = |ord: &u64| (std::cmp::Reverse(self.count_of(*ord)), *ord);
        if top > 0 && ords.len() > top {
            ords.select_nth_unstable_by_key(top - 1, key);
            ords.truncate(top);
        }
        ords.sort_unstable();
    }

    /// The text and count of ascending ordinals.
    fn resolve(&self, ords: Vec<u64>) -> tantivy::Result<Vec<(String, u64)>> {
        let Some(column) = &self.column else {
            return Ok(Vec::new());
        };
        ords_to_terms(
            column,
            ords.into_iter().map(|ord| (ord, self.count_of(ord))),
        )
    }

    /// The `top` terms by count (all when 0): only their ordinals become strings.
    pub(crate) fn top_terms(&self, top: usize) -> tantivy::Result<Vec<(String, u64)>> {
        let mut ords = self.counted();
        self.keep_top(&mut ords, top);
        self.resolve(ords)
    }

    /// The `top` terms of each entity kind (see [`EntityKey::kind_prefix`]): the dictionary is
    /// read once for the kinds, and only the kept ordinals become strings.
    pub(crate) fn top_terms_per_kind(&self, top: usize) -> tantivy::Result<Vec<(String, u64)>> {
        let Some(column) = &self.column else {
            return Ok(Vec::new());
        };
        let ords = self.counted();
        let mut kinds: Vec<Vec<u8>> = Vec::new();
        let mut groups: Vec<Vec<u64>> = Vec::new();
        let mut current = usize::MAX;
        let mut next = ords.iter();
        let complete = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            let kind = EntityKey::kind_prefix(bytes);
            if kinds.get(current).map(Vec::as_slice) != Some(kind) {
                current = match kinds.iter().position(|known| known.as_slice() == kind) {
                    Some(found) => found,
                    None => {
                        kinds.push(kind.to_vec());
                        groups.push(Vec::new());
                        kinds.len() - 1
                    }
                };
            }
            if let (Some(group), Some(&ord)) = (groups.get_mut(current), next.next()) {
                group.push(ord);
            }
        })?;
        if !complete {
            return Err(missing_term());
        }
        let mut kept = Vec::new();
        for mut group in groups {
            self.keep_top(&mut group, top);
            kept.extend(group);
        }
        kept.sort_unstable();
        self.resolve(kept)
    }

    /// The non-zero counts by term text.
    pub(crate) fn into_terms(self) -> tantivy::Result<Vec<(String, u64)>> {
        let counted = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(ord, count)| (ord as u64, *count));
        match self.column {
            Some(column) => ords_to_terms(&column, counted),
            None => Ok(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_blocks_are_runs_and_gaps_are_not() {
        assert_eq!(contiguous(&[3, 4, 5]), Some(3..6));
        assert_eq!(contiguous(&[7]), Some(7..8));
        assert_eq!(contiguous(&[3, 5]), None);
        assert_eq!(contiguous(&[]), None);
        assert_eq!(contiguous(&[DocId::MAX]), None);
    }

    #[test]
    fn a_pending_run_grows_over_consecutive_blocks_and_ends_at_a_gap() {
        let mut pending = PendingRun::default();
        let nothing = ToCount {
            run: None,
            scattered: None,
        };
        assert_eq!(pending.offer(&[0, 1, 2]), nothing);
        assert_eq!(pending.offer(&[3, 4]), nothing);
        // A gap: the run so far is counted and the new block starts the next one.
        assert_eq!(
            pending.offer(&[10, 11]),
            ToCount {
                run: Some(0..5),
                scattered: None,
            }
        );
        // Scattered documents end the run and are counted one by one.
        let scattered: &[DocId] = &[12, 14];
        assert_eq!(
            pending.offer(scattered),
            ToCount {
                run: Some(10..12),
                scattered: Some(scattered),
            }
        );
        assert_eq!(
            pending.offer(&[20]),
            ToCount {
                run: None,
                scattered: None,
            }
        );
        assert_eq!(pending.finish(), Some(20..21));
        assert_eq!(pending.finish(), None);
    }

    #[test]
    fn blocks_of_a_run_cover_it_in_order() {
        let mut seen = Vec::new();
        let mut sizes = Vec::new();
        for_each_block_of_run(5..(5 + RANGE_CHUNK + 3), |block| {
            sizes.push(block.len());
            seen.extend_from_slice(block);
        });
        assert_eq!(sizes, [RANGE_CHUNK as usize, 3]);
        assert_eq!(seen, (5..(5 + RANGE_CHUNK + 3)).collect::<Vec<_>>());
    }
}

//! Documents per publication day: the counts every timeline, and parent topics' summaries, are
//! built from.
//!
//! A custom collector reads only the `day` fast column, so the counts are exact (no bucket
//! limits) and no stored document is loaded. Each segment counts in a flat array laid out by
//! [`DaySlots`] when its days span few enough years, in a map otherwise; runs of consecutive
//! documents are decoded in row order (see `columns`).

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use chrono::NaiveDate;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::columns::{for_each_block_of_run, for_each_day_of_run, PendingRun, ToCount};
use crate::index::schema::Fields;
use crate::keys::{DayKey, DaySlots};

/// Documents per publication day, plus those without one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayCounts {
    /// Days with at least one document, ascending.
    pub days: Vec<(NaiveDate, u64)>,
    pub undated: u64,
}

impl DayCounts {
    pub fn dated(&self) -> u64 {
        self.days.iter().map(|(_, count)| count).sum()
    }

    pub fn total(&self) -> u64 {
        self.dated() + self.undated
    }

    pub fn first(&self) -> Option<NaiveDate> {
        self.days.first().map(|(day, _)| *day)
    }

    pub fn last(&self) -> Option<NaiveDate> {
        self.days.last().map(|(day, _)| *day)
    }
}

/// Per-day counts of the documents matching `query`, and how many of them are undated.
pub fn day_counts(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
) -> tantivy::Result<DayCounts> {
    let collector = DayCollector {
        field: fields.schema.get_field_name(fields.day).to_string(),
    };
    searcher.search(query, &collector)
}

/// Year span up to which a segment counts days in a flat array.
const DENSE_YEARS: u64 = 2_000;

struct DayCollector {
    field: String,
}

struct DaySegment {
    column: Option<Column<u64>>,
    tally: DayTally,
    undated: u64,
    buffer: Vec<Option<u64>>,
    pending: PendingRun,
}

/// One segment's documents by day: in a flat array laid out by `slots` when the segment's span is
/// small enough, in a map for the days that don't fit it (wide spans or malformed days).
struct DayTally {
    slots: Option<DaySlots>,
    dense: Vec<u32>,
    sparse: HashMap<DayKey, u64>,
}

/// Counts days into a [`DayTally`] during one batch. The layout is copied out of the tally: read
/// through a reference it would be loaded again after every count (the compiler cannot rule out
/// that a count overwrote it), which slows the per-document loop measurably.
struct DayCounter<'a> {
    slots: Option<DaySlots>,
    dense: &'a mut [u32],
    sparse: &'a mut HashMap<DayKey, u64>,
}

impl DayTally {
    fn counter(&mut self) -> DayCounter<'_> {
        DayCounter {
            slots: self.slots,
            dense: &mut self.dense,
            sparse: &mut self.sparse,
        }
    }

    /// The counted days, in no particular order.
    fn into_days(self) -> Vec<(DayKey, u64)> {
        let mut days: Vec<(DayKey, u64)> = self.sparse.into_iter().collect();
        if let Some(slots) = self.slots {
            for (slot, &count) in self.dense.iter().enumerate() {
                if count > 0 {
                    days.push((slots.day(slot), u64::from(count)));
                }
            }
        }
        days
    }
}

impl DayCounter<'_> {
    #[inline]
    fn add(&mut self, day: DayKey) {
        let slot = self.slots.and_then(|slots| slots.slot(day));
        match slot.and_then(|slot| self.dense.get_mut(slot)) {
            Some(count) => *count += 1,
            None => *self.sparse.entry(day).or_default() += 1,
        }
    }
}

/// Per-segment result: (day, count) pairs and the undated count.
type SegmentDays = (Vec<(DayKey, u64)>, u64);

impl Collector for DayCollector {
    type Fruit = DayCounts;
    type Child = DaySegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<DaySegment> {
        let column = reader.fast_fields().column_opt::<u64>(&self.field)?;
        let slots = column
            .as_ref()
            .filter(|col| col.values.num_vals() > 0)
            .and_then(|col| {
                let (low, high) = (col.min_value(), col.max_value());
                DaySlots::spanning(DayKey::from_raw(low), DayKey::from_raw(high), DENSE_YEARS)
            });
        Ok(DaySegment {
            column,
            tally: DayTally {
                slots,
                dense: vec![0; slots.map_or(0, |s| s.len())],
                sparse: HashMap::new(),
            },
            undated: 0,
            buffer: Vec::new(),
            pending: PendingRun::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentDays>) -> tantivy::Result<DayCounts> {
        let mut merged: BTreeMap<DayKey, u64> = BTreeMap::new();
        let mut undated = 0;
        for (days, segment_undated) in fruits {
            undated += segment_undated;
            for (day, count) in days {
                *merged.entry(day).or_default() += count;
            }
        }
        let mut days = Vec::with_capacity(merged.len());
        for (day, count) in merged {
            match day.date() {
                Some(date) => days.push((date, count)),
                // A value that is not a calendar day cannot be placed in time: count it as undated.
                None => undated += count,
            }
        }
        Ok(DayCounts { days, undated })
    }
}

impl DaySegment {
    /// Counts a run of consecutive documents, in row order when the column allows it.
    fn count_run(&mut self, run: Range<DocId>) {
        let mut counter = self.tally.counter();
        let undated =
            for_each_day_of_run(self.column.as_ref(), run.clone(), |day| counter.add(day));
        match undated {
            Some(undated) => self.undated += undated,
            None => for_each_block_of_run(run, |block| self.count_docs(block)),
        }
    }

    /// Counts documents in any order, looking each one up.
    fn count_docs(&mut self, docs: &[DocId]) {
        let Some(column) = &self.column else {
            self.undated += docs.len() as u64;
            return;
        };
        self.buffer.clear();
        self.buffer.resize(docs.len(), None);
        column.first_vals(docs, &mut self.buffer);
        let mut counter = self.tally.counter();
        for value in &self.buffer {
            match value {
                Some(day) => counter.add(DayKey::from_raw(*day)),
                None => self.undated += 1,
            }
        }
    }
}

impl SegmentCollector for DaySegment {
    type Fruit = SegmentDays;

    fn collect(&mut self, doc: DocId, _: Score) {
        match self.column.as_ref().and_then(|c| c.first(doc)) {
            Some(day) => self.tally.counter().add(DayKey::from_raw(day)),
            None => self.undated += 1,
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        let ToCount { run, scattered } = self.pending.offer(docs);
        if let Some(run) = run {
            self.count_run(run);
        }
        if let Some(docs) = scattered {
            self.count_docs(docs);
        }
    }

    fn harvest(mut self) -> SegmentDays {
        if let Some(run) = self.pending.finish() {
            self.count_run(run);
        }
        (self.tally.into_days(), self.undated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_index::{build_index, dated, sample, term, TestDoc};
    use tantivy::query::AllQuery;
    use tantivy::{IndexWriter, Term};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn day_counts_are_exact_and_keep_undated_apart() {
        let (index, fields) = sample();
        let searcher = index.reader().unwrap().searcher();
        let all = day_counts(&searcher, &fields, &AllQuery).unwrap();
        assert_eq!(all.undated, 2);
        assert_eq!(all.total(), 8);
        assert_eq!(all.first(), Some(d(2024, 2, 29)));
        assert_eq!(all.last(), Some(d(2025, 5, 20)));
        let chips = day_counts(&searcher, &fields, term(fields.topic, "chips").as_ref()).unwrap();
        assert_eq!(chips.undated, 1);
        assert_eq!(chips.dated(), 4);
    }

    #[test]
    fn deleted_documents_are_not_counted() {
        let (index, fields) = sample();
        let mut writer: IndexWriter = index.writer(20_000_000).unwrap();
        writer.delete_term(Term::from_field_text(fields.id, "doc0"));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let all = day_counts(&searcher, &fields, &AllQuery).unwrap();
        assert_eq!(all.total(), 7);
        assert_eq!(all.first(), Some(d(2024, 2, 29)));
        assert!(!all.days.iter().any(|(day, _)| *day == d(2024, 12, 30)));
        let facets = crate::query::facets::count_facets(&searcher, &fields, &AllQuery, 0).unwrap();
        assert_eq!(facets.total, 7);
    }

    #[test]
    fn wide_spans_and_values_that_are_not_days_are_counted_apart() {
        // The first segment spans 3,000 years, too many for the flat array; the second holds a
        // month 13 (outside the layout) and a 30 February (inside it, but no calendar day).
        let (index, fields) = build_index(&[
            dated(10101, &[]),
            dated(30000101, &[]),
            dated(20240515, &[]),
            dated(20241301, &[]),
            dated(20240230, &[]),
            dated(20240515, &[]),
        ]);
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let all = day_counts(&searcher, &fields, &AllQuery).unwrap();
        assert_eq!(
            all.days,
            [(d(1, 1, 1), 1), (d(2024, 5, 15), 2), (d(3000, 1, 1), 1)]
        );
        assert_eq!(all.undated, 2);
    }

    #[test]
    fn day_counts_of_runs_and_scattered_documents_match_the_documents() {
        let days = [20240105u64, 0, 20240105, 19991231, 20250228, 0, 20240106];
        let docs: Vec<TestDoc> = (0..60)
            .map(|i| TestDoc {
                day: days[i % days.len()],
                topics: if i % 4 == 0 { &["even"] } else { &["odd"] },
                entities: &[],
                aliases: &[],
                terms: &[],
                tags: &[],
                lang: "en",
                source: "Reuters",
            })
            .collect();
        let (index, fields) = build_index(&docs);
        let mut writer: IndexWriter = index.writer(15_000_000).unwrap();
        writer.delete_term(Term::from_field_text(fields.id, "doc10"));
        writer.commit().unwrap();
        let live = (0..60).filter(|&i| i != 10);
        let searcher = index.reader().unwrap().searcher();
        for (query, keep) in [
            (Box::new(AllQuery) as Box<dyn Query>, None),
            (term(fields.topic, "even"), Some("even")),
        ] {
            let mut expected: BTreeMap<u64, u64> = BTreeMap::new();
            let mut undated = 0;
            for i in live.clone() {
                if keep.is_some_and(|k| docs[i].topics != [k]) {
                    continue;
                }
                match docs[i].day {
                    0 => undated += 1,
                    day => *expected.entry(day).or_default() += 1,
                }
            }
            let counts = day_counts(&searcher, &fields, query.as_ref()).unwrap();
            let got: Vec<(String, u64)> = counts
                .days
                .iter()
                .map(|(date, n)| (date.format("%Y%m%d").to_string(), *n))
                .collect();
            let want: Vec<(String, u64)> = expected
                .into_iter()
                .map(|(d, n)| (d.to_string(), n))
                .collect();
            assert_eq!(got, want);
            assert_eq!(counts.undated, undated);
        }
    }
}

//! The one-pass collector behind the summaries: per term ordinal of a keyword column, its
//! documents, earliest and latest day and documents per period, plus the entities' spellings.
//!
//! Kept apart from the public summaries because it is all about reading columns fast: each
//! segment counts by term ordinal into flat arrays, caches the period of every calendar day in a
//! [`DaySlots`] layout, and turns ordinals into text once, at harvest.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::keys::{DayKey, DaySlots};
use crate::query::columns::{ords_to_terms, OrdBlock, OrdCounter};
use crate::query::periods::{self, Interval};

/// One term's totals: documents, earliest and latest day, documents per period start.
#[derive(Default)]
pub(super) struct TermAcc {
    pub count: u64,
    pub first: Option<DayKey>,
    pub last: Option<DayKey>,
    pub periods: BTreeMap<NaiveDate, u64>,
}

impl TermAcc {
    pub(super) fn absorb(&mut self, other: TermAcc) {
        self.count += other.count;
        self.first = self.first.into_iter().chain(other.first).min();
        self.last = self.last.into_iter().chain(other.last).max();
        for (start, count) in other.periods {
            *self.periods.entry(start).or_default() += count;
        }
    }
}

/// Year span up to which day → period look-ups are cached in a flat array.
const CACHED_YEARS: u64 = 2_000;
/// Cache markers: not looked up yet, and not a period of this segment.
const UNKNOWN: u32 = u32::MAX;
const NO_PERIOD: u32 = u32::MAX - 1;
/// A term without a row in the cell table.
const NO_ROW: u32 = u32::MAX;

/// Summarises the values of one keyword column over the matching documents.
pub(super) struct SummaryCollector {
    pub term_field: String,
    pub day_field: String,
    /// The entities' spellings column, when the term column is the entities'.
    pub alias_field: Option<String>,
    pub interval: Interval,
    /// Most (term, period) cells counted in a flat array; past it a map is used.
    pub dense_cells: usize,
    /// When set, period cells are kept only for these values.
    pub peaks_for: Option<HashSet<String>>,
}

/// Documents per (term ordinal, period index).
enum Cells {
    Dense { counts: Vec<u32>, periods: usize },
    Sparse(HashMap<(u64, u32), u64>),
}

impl Cells {
    #[inline]
    fn add(&mut self, ord: u64, period: u32) {
        match self {
            Cells::Dense { counts, periods } => {
                let cell = usize::try_from(ord)
                    .ok()
                    .and_then(|o| o.checked_mul(*periods))
                    .and_then(|o| o.checked_add(period as usize));
                if let Some(count) = cell.and_then(|c| counts.get_mut(c)) {
                    *count += 1;
                }
            }
            Cells::Sparse(map) => *map.entry((ord, period)).or_default() += 1,
        }
    }
}

pub(super) struct SummarySegment {
    terms: Option<StrColumn>,
    day: Option<Column<u64>>,
    aliases: Option<OrdCounter>,
    interval: Interval,
    /// Per term ordinal: documents, earliest and latest raw day (`u64::MAX` / 0 when none).
    counts: Vec<u64>,
    first: Vec<u64>,
    last: Vec<u64>,
    /// Period starts spanning this segment's days, and a day-slot → period-index cache.
    starts: Vec<NaiveDate>,
    slots: Option<DaySlots>,
    slot_period: Vec<u32>,
    cells: Cells,
    /// With `peaks_for`: term ordinal → row of `cells` (`NO_ROW` when not wanted).
    cell_row: Option<Vec<u32>>,
    day_buffer: Vec<Option<u64>>,
    period_buffer: Vec<Option<u32>>,
    block: OrdBlock,
}

type SegmentSummary = (Vec<(String, TermAcc)>, Vec<(String, u64)>);

impl Collector for SummaryCollector {
    type Fruit = (HashMap<String, TermAcc>, HashMap<String, u64>);
    type Child = SummarySegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SummarySegment> {
        let terms = reader.fast_fields().str(&self.term_field)?;
        let aliases = match &self.alias_field {
            Some(field) => Some(OrdCounter::open(reader, field)?),
            None => None,
        };
        let day = reader.fast_fields().column_opt::<u64>(&self.day_field)?;
        let num_terms = terms.as_ref().map_or(0, |c| c.num_terms());
        // Malformed bounds (never written by the indexer) leave the segment without periods.
        let bounds = day
            .as_ref()
            .filter(|c| c.values.num_vals() > 0)
            .and_then(|c| {
                let low = DayKey::from_raw(c.min_value());
                let high = DayKey::from_raw(c.max_value());
                Some((low, high, low.date()?, high.date()?))
            });
        let (starts, slots) = match bounds {
            Some((low, high, low_date, high_date)) => (
                periods::periods(low_date, high_date, self.interval),
                DaySlots::spanning(low, high, CACHED_YEARS),
            ),
            None => (Vec::new(), None),
        };
        let slot_period = vec![UNKNOWN; slots.map_or(0, |s| s.len())];
        // Rows of the cell table: every term, or only the wanted ones.
        let cell_row = match (&self.peaks_for, &terms) {
            (Some(wanted), Some(column)) => {
                let mut rows = vec![NO_ROW; num_terms];
                let mut next = 0u32;
                for value in wanted {
                    let ord = column.dictionary().term_ord(value.as_bytes())?;
                    if let Some(row) = ord
                        .and_then(|o| usize::try_from(o).ok())
                        .and_then(|o| rows.get_mut(o))
                    {
                        *row = next;
                        next += 1;
                    }
                }
                Some(rows)
            }
            _ => None,
        };
        let cell_rows = cell_row.as_ref().map_or(num_terms, |rows| {
            rows.iter().filter(|row| **row != NO_ROW).count()
        });
        let cells = match cell_rows.checked_mul(starts.len()) {
            Some(size) if size <= self.dense_cells => Cells::Dense {
                counts: vec![0; size],
                periods: starts.len(),
            },
            _ => Cells::Sparse(HashMap::new()),
        };
        Ok(SummarySegment {
            terms,
            day,
            aliases,
            interval: self.interval,
            counts: vec![0; num_terms],
            first: vec![u64::MAX; num_terms],
            last: vec![0; num_terms],
            starts,
            slots,
            slot_period,
            cells,
            cell_row,
            day_buffer: Vec::new(),
            period_buffer: Vec::new(),
            block: OrdBlock::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<tantivy::Result<SegmentSummary>>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut terms: HashMap<String, TermAcc> = HashMap::new();
        let mut aliases: HashMap<String, u64> = HashMap::new();
        for fruit in fruits {
            let (segment_terms, segment_aliases) = fruit?;
            for (value, acc) in segment_terms {
                terms.entry(value).or_default().absorb(acc);
            }
            for (alias, count) in segment_aliases {
                *aliases.entry(alias).or_default() += count;
            }
        }
        Ok((terms, aliases))
    }
}

impl SummarySegment {
    /// The index in `starts` of the period holding `day`, cached per calendar day.
    fn period_of(&mut self, day: DayKey) -> Option<u32> {
        let slot = self.slots.and_then(|slots| slots.slot(day));
        if let Some(cached) = slot.and_then(|s| self.slot_period.get(s)) {
            match *cached {
                UNKNOWN => {}
                NO_PERIOD => return None,
                index => return Some(index),
            }
        }
        let found = day
            .date()
            .and_then(|date| {
                self.starts
                    .binary_search(&periods::period_start(date, self.interval))
                    .ok()
            })
            .and_then(|i| u32::try_from(i).ok())
            .filter(|i| *i < NO_PERIOD);
        if let Some(cached) = slot.and_then(|s| self.slot_period.get_mut(s)) {
            *cached = found.unwrap_or(NO_PERIOD);
        }
        found
    }
}

impl SegmentCollector for SummarySegment {
    type Fruit = tantivy::Result<SegmentSummary>;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.collect_block(&[doc]);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        if let Some(aliases) = &mut self.aliases {
            aliases.add_block(docs);
        }
        let Some(terms) = self.terms.take() else {
            return;
        };
        let mut days = std::mem::take(&mut self.day_buffer);
        days.clear();
        days.resize(docs.len(), None);
        if let Some(column) = &self.day {
            column.first_vals(docs, &mut days);
        }
        let mut period_of_doc = std::mem::take(&mut self.period_buffer);
        period_of_doc.clear();
        for day in &days {
            period_of_doc.push(day.and_then(|d| self.period_of(DayKey::from_raw(d))));
        }
        self.block.read(&terms, docs);
        // Both lists are in document order: walk them together to find each row's document.
        let mut position = 0;
        for (doc, &ord) in self.block.docs.iter().zip(&self.block.ords) {
            while docs.get(position).is_some_and(|d| d < doc) {
                position += 1;
            }
            let Some(index) = usize::try_from(ord).ok().filter(|o| *o < self.counts.len()) else {
                continue;
            };
            self.counts[index] += 1;
            if let Some(day) = days.get(position).copied().flatten() {
                self.first[index] = self.first[index].min(day);
                self.last[index] = self.last[index].max(day);
            }
            if let Some(period) = period_of_doc.get(position).copied().flatten() {
                match &self.cell_row {
                    None => self.cells.add(ord, period),
                    Some(rows) => {
                        if let Some(&row) = rows.get(index).filter(|row| **row != NO_ROW) {
                            self.cells.add(u64::from(row), period);
                        }
                    }
                }
            }
        }
        self.day_buffer = days;
        self.period_buffer = period_of_doc;
        self.terms = Some(terms);
    }

    fn harvest(self) -> tantivy::Result<SegmentSummary> {
        let aliases = match self.aliases {
            Some(counter) => counter.into_terms()?,
            None => Vec::new(),
        };
        let Some(column) = self.terms else {
            return Ok((Vec::new(), aliases));
        };
        let mut sparse: HashMap<u64, Vec<(u32, u64)>> = HashMap::new();
        let dense = match self.cells {
            Cells::Dense { counts, periods } => Some((counts, periods)),
            Cells::Sparse(map) => {
                for ((ord, period), count) in map {
                    sparse.entry(ord).or_default().push((period, count));
                }
                None
            }
        };
        let starts = &self.starts;
        let start_of = |period: u32| starts.get(period as usize).copied();
        let accs = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(index, &count)| {
                let mut acc = TermAcc {
                    count,
                    first: self
                        .first
                        .get(index)
                        .copied()
                        .filter(|d| *d != u64::MAX)
                        .map(DayKey::from_raw),
                    last: self
                        .last
                        .get(index)
                        .copied()
                        .filter(|d| *d != 0)
                        .map(DayKey::from_raw),
                    periods: BTreeMap::new(),
                };
                let ord = index as u64;
                let row = match &self.cell_row {
                    None => Some(index),
                    Some(rows) => rows
                        .get(index)
                        .filter(|row| **row != NO_ROW)
                        .map(|row| *row as usize),
                };
                let Some(row) = row else {
                    return (ord, acc);
                };
                if let Some((counts, periods)) = &dense {
                    let cells = counts
                        .get(row * periods..(row + 1) * periods)
                        .unwrap_or(&[]);
                    for (period, &n) in cells.iter().enumerate() {
                        if let Some(start) = start_of(period as u32).filter(|_| n > 0) {
                            acc.periods.insert(start, u64::from(n));
                        }
                    }
                } else if let Some(cells) = sparse.remove(&(row as u64)) {
                    for (period, n) in cells {
                        if let Some(start) = start_of(period) {
                            acc.periods.insert(start, n);
                        }
                    }
                }
                (ord, acc)
            });
        let terms = ords_to_terms(&column, accs)?;
        Ok((terms, aliases))
    }
}

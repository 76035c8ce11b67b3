//! Per-term summaries for `topics` and `entities`: count, first and last seen, peak period, aliases.
//!
//! One pass over the matching documents reads the term column (topic or entity), the `day`
//! column and, for entities, the `alias` column — all fast fields, no stored documents.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::index::schema::Fields;
use crate::query::facets::{ords_to_terms, OrdBlock, OrdCounter};
use crate::query::periods::{self, Interval};

/// What the index knows about one topic or entity among the matching documents.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TermSummary {
    pub value: String,
    pub count: u64,
    /// Earliest and latest publication day (None when every such document is undated).
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
    /// The period with most documents (the earliest one on a tie), and its count.
    pub peak: Option<(String, u64)>,
    /// For entities: spellings seen in the text, with the number of documents using each.
    pub aliases: Vec<(String, u64)>,
}

/// Summarises every value of `field` (the topic or entity column) over the documents matching
/// `query`, ordered by count descending then value ascending.
pub fn summarize(
    searcher: &Searcher,
    fields: &Fields,
    field: Field,
    query: &dyn Query,
    peak_interval: Interval,
) -> tantivy::Result<Vec<TermSummary>> {
    summarize_with(
        searcher,
        fields,
        field,
        query,
        peak_interval,
        MAX_DENSE_CELLS,
        None,
    )
}

/// `summarize`, with peak periods worked out only for the values in `peaks_for` (the others get
/// `peak: None`). With tens of thousands of entities, per-period cells for every one cost far
/// more than the rest of the pass; a caller showing the top 25 asks only for those.
pub fn summarize_peaks_for(
    searcher: &Searcher,
    fields: &Fields,
    field: Field,
    query: &dyn Query,
    peak_interval: Interval,
    peaks_for: &HashSet<String>,
) -> tantivy::Result<Vec<TermSummary>> {
    summarize_with(
        searcher,
        fields,
        field,
        query,
        peak_interval,
        MAX_DENSE_CELLS,
        Some(peaks_for),
    )
}

/// `summarize` with a chosen limit for the flat (term, period) array (tests force the map path).
fn summarize_with(
    searcher: &Searcher,
    fields: &Fields,
    field: Field,
    query: &dyn Query,
    peak_interval: Interval,
    dense_cells: usize,
    peaks_for: Option<&HashSet<String>>,
) -> tantivy::Result<Vec<TermSummary>> {
    let name = |field| fields.schema.get_field_name(field).to_string();
    let collector = SummaryCollector {
        term_field: name(field),
        day_field: name(fields.day),
        alias_field: (field == fields.entity).then(|| name(fields.alias)),
        interval: peak_interval,
        dense_cells,
        peaks_for: peaks_for.cloned(),
    };
    let (terms, aliases) = searcher.search(query, &collector)?;
    let mut alias_map: HashMap<String, Vec<(String, u64)>> = HashMap::new();
    for (alias, count) in aliases {
        if let Some((entity, surface)) = alias.split_once('\t') {
            alias_map
                .entry(entity.to_string())
                .or_default()
                .push((surface.to_string(), count));
        }
    }
    let mut out: Vec<TermSummary> = terms
        .into_iter()
        .map(|(value, acc)| {
            let mut aliases = alias_map.remove(&value).unwrap_or_default();
            aliases.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            summary_of(value, acc, aliases, peak_interval)
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    Ok(out)
}

/// A summary built from per-day counts (used for parent topics, which are a union of their
/// children rather than a term of the index).
pub fn summary_from_days(
    value: String,
    days: &crate::query::timeline::DayCounts,
    interval: Interval,
) -> TermSummary {
    let mut acc = TermAcc {
        count: days.total(),
        first: days.first().and_then(periods::date_to_day),
        last: days.last().and_then(periods::date_to_day),
        periods: BTreeMap::new(),
    };
    for &(day, count) in &days.days {
        *acc.periods
            .entry(periods::period_start(day, interval))
            .or_default() += count;
    }
    summary_of(value, acc, Vec::new(), interval)
}

fn summary_of(
    value: String,
    acc: TermAcc,
    aliases: Vec<(String, u64)>,
    interval: Interval,
) -> TermSummary {
    let mut peak: Option<(NaiveDate, u64)> = None;
    // Ascending order and a strict comparison keep the earliest period on a tie.
    for (&start, &count) in &acc.periods {
        if peak.is_none_or(|(_, best)| count > best) {
            peak = Some((start, count));
        }
    }
    TermSummary {
        value,
        count: acc.count,
        first: acc.first.and_then(periods::day_to_date),
        last: acc.last.and_then(periods::day_to_date),
        peak: peak.map(|(start, count)| (periods::label(start, interval), count)),
        aliases,
    }
}

/// One term's totals: documents, earliest and latest `yyyymmdd`, documents per period start.
#[derive(Default)]
struct TermAcc {
    count: u64,
    first: Option<u64>,
    last: Option<u64>,
    periods: BTreeMap<NaiveDate, u64>,
}

impl TermAcc {
    fn absorb(&mut self, other: TermAcc) {
        self.count += other.count;
        self.first = self.first.into_iter().chain(other.first).min();
        self.last = self.last.into_iter().chain(other.last).max();
        for (start, count) in other.periods {
            *self.periods.entry(start).or_default() += count;
        }
    }
}

/// Most (term, period) cells counted in a flat array; past it a map is used.
const MAX_DENSE_CELLS: usize = 8_000_000;
/// Year span up to which day → period lookups are cached in a flat array (372 slots a year).
const CACHED_YEARS: u64 = 2_000;
/// Cache markers: not looked up yet, and not a period of this segment.
const UNKNOWN: u32 = u32::MAX;
const NO_PERIOD: u32 = u32::MAX - 1;
/// A term without a row in the cell table.
const NO_ROW: u32 = u32::MAX;

struct SummaryCollector {
    term_field: String,
    day_field: String,
    alias_field: Option<String>,
    interval: Interval,
    dense_cells: usize,
    /// When set, period cells are kept only for these values.
    peaks_for: Option<HashSet<String>>,
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

struct SummarySegment {
    terms: Option<StrColumn>,
    day: Option<Column<u64>>,
    aliases: Option<OrdCounter>,
    interval: Interval,
    /// Per term ordinal: documents, earliest and latest day (`u64::MAX` / 0 when none).
    counts: Vec<u64>,
    first: Vec<u64>,
    last: Vec<u64>,
    /// Period starts spanning this segment's days, and a day-slot → period-index cache.
    starts: Vec<NaiveDate>,
    base_year: u64,
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
                let low = periods::day_to_date(c.min_value())?;
                let high = periods::day_to_date(c.max_value())?;
                Some((c.min_value() / 10_000, c.max_value() / 10_000, low, high))
            });
        let (starts, base_year, slot_period) = match bounds {
            Some((low_year, high_year, low, high)) => {
                let slots = if high_year - low_year < CACHED_YEARS {
                    vec![UNKNOWN; ((high_year - low_year + 1) * 372) as usize]
                } else {
                    Vec::new()
                };
                (periods::periods(low, high, self.interval), low_year, slots)
            }
            None => (Vec::new(), 0, Vec::new()),
        };
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
            base_year,
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
    fn period_of(&mut self, day: u64) -> Option<u32> {
        let (year, month, dom) = (day / 10_000, day / 100 % 100, day % 100);
        let slot = ((1..=12).contains(&month) && (1..=31).contains(&dom) && year >= self.base_year)
            .then(|| (year - self.base_year) * 372 + (month - 1) * 31 + (dom - 1))
            .and_then(|s| usize::try_from(s).ok())
            .filter(|s| *s < self.slot_period.len());
        if let Some(cached) = slot.and_then(|s| self.slot_period.get(s)) {
            match *cached {
                UNKNOWN => {}
                NO_PERIOD => return None,
                index => return Some(index),
            }
        }
        let found = periods::day_to_date(day)
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
            period_of_doc.push(day.and_then(|d| self.period_of(d)));
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
                    first: self.first.get(index).copied().filter(|d| *d != u64::MAX),
                    last: self.last.get(index).copied().filter(|d| *d != 0),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::timeline::tests::{build_index, term, TestDoc};
    use tantivy::query::AllQuery;

    fn doc<'a>(
        day: u64,
        topics: &'a [&'a str],
        entities: &'a [&'a str],
        aliases: &'a [&'a str],
    ) -> TestDoc<'a> {
        TestDoc {
            day,
            topics,
            entities,
            aliases,
            tags: &[],
            lang: "en",
            source: "wire",
        }
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn topics_get_first_last_and_peak_period() {
        let (index, fields) = build_index(&[
            doc(20250105, &["chips"], &[], &[]),
            doc(20250320, &["chips", "export"], &[], &[]),
            doc(20250322, &["chips"], &[], &[]),
            doc(20250601, &["chips"], &[], &[]),
            doc(0, &["chips"], &[], &[]),
            doc(0, &["export"], &[], &[]),
        ]);
        let searcher = index.reader().unwrap().searcher();
        let got = summarize(&searcher, &fields, fields.topic, &AllQuery, Interval::Month).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].value, "chips");
        assert_eq!(got[0].count, 5);
        assert_eq!(got[0].first, date(2025, 1, 5));
        assert_eq!(got[0].last, date(2025, 6, 1));
        assert_eq!(got[0].peak, Some(("2025-03".to_string(), 2)));
        assert!(got[0].aliases.is_empty());
        assert_eq!(got[1].value, "export");
        assert_eq!(got[1].count, 2);
        assert_eq!(got[1].peak, Some(("2025-03".to_string(), 1)));
        let quarters = summarize(
            &searcher,
            &fields,
            fields.topic,
            &AllQuery,
            Interval::Quarter,
        )
        .unwrap();
        assert_eq!(quarters[0].peak, Some(("2025-Q1".to_string(), 3)));
    }

    #[test]
    fn peaks_only_for_the_chosen_values_leave_the_rest_intact() {
        let (index, fields) = build_index(&[
            doc(20250105, &["chips"], &[], &[]),
            doc(20250320, &["chips", "export"], &[], &[]),
            doc(20250322, &["chips"], &[], &[]),
            doc(20250601, &["export"], &[], &[]),
            doc(20250602, &["export"], &[], &[]),
        ]);
        let searcher = index.reader().unwrap().searcher();
        let all = summarize(&searcher, &fields, fields.topic, &AllQuery, Interval::Month).unwrap();
        for (wanted, dense) in [(&["export"][..], MAX_DENSE_CELLS), (&["export"][..], 0)] {
            let wanted: HashSet<String> = wanted.iter().map(|w| w.to_string()).collect();
            let some = summarize_with(
                &searcher,
                &fields,
                fields.topic,
                &AllQuery,
                Interval::Month,
                dense,
                Some(&wanted),
            )
            .unwrap();
            assert_eq!(some.len(), all.len());
            for (got, full) in some.iter().zip(&all) {
                assert_eq!(
                    (&got.value, got.count, got.first, got.last),
                    (&full.value, full.count, full.first, full.last)
                );
                if wanted.contains(&got.value) {
                    assert_eq!(got.peak, full.peak);
                } else {
                    assert_eq!(got.peak, None);
                }
            }
        }
        let export = all.iter().find(|s| s.value == "export").unwrap();
        assert_eq!(export.peak, Some(("2025-06".to_string(), 2)));
    }

    #[test]
    fn entities_carry_their_aliases_and_respect_the_query() {
        let (index, fields) = build_index(&[
            doc(
                20250105,
                &["chips"],
                &["org/Tencent"],
                &["org/Tencent\tTencent", "org/Tencent\tHoldings de Tencent"],
            ),
            doc(
                20250106,
                &["chips"],
                &["org/Tencent", "org/ByteDance"],
                &["org/Tencent\tTencent", "org/ByteDance\tbytedance"],
            ),
            doc(
                20250107,
                &["other"],
                &["org/Tencent"],
                &["org/Tencent\tTencent Holdings"],
            ),
            doc(0, &["chips"], &[], &[]),
        ]);
        let searcher = index.reader().unwrap().searcher();
        let query = term(fields.topic, "chips");
        let got = summarize(
            &searcher,
            &fields,
            fields.entity,
            query.as_ref(),
            Interval::Day,
        )
        .unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].value, "org/Tencent");
        assert_eq!(got[0].count, 2);
        assert_eq!(
            got[0].aliases,
            [
                ("Tencent".to_string(), 2),
                ("Holdings de Tencent".to_string(), 1)
            ]
        );
        assert_eq!(got[0].peak, Some(("2025-01-05".to_string(), 1)));
        assert_eq!(got[1].value, "org/ByteDance");
        assert_eq!(got[1].aliases, [("bytedance".to_string(), 1)]);
    }

    #[test]
    fn the_map_fallback_gives_the_same_summaries() {
        let (index, fields) = build_index(&[
            doc(20241230, &["chips", "export"], &[], &[]),
            doc(20250101, &["chips"], &[], &[]),
            doc(20250102, &["export"], &[], &[]),
            doc(20250115, &["export"], &[], &[]),
            doc(0, &["chips"], &[], &[]),
        ]);
        let searcher = index.reader().unwrap().searcher();
        for interval in [
            Interval::Day,
            Interval::Week,
            Interval::Month,
            Interval::Year,
        ] {
            let dense = summarize(&searcher, &fields, fields.topic, &AllQuery, interval).unwrap();
            let sparse = summarize_with(
                &searcher,
                &fields,
                fields.topic,
                &AllQuery,
                interval,
                0,
                None,
            )
            .unwrap();
            assert_eq!(dense, sparse);
        }
        let weeks = summarize(&searcher, &fields, fields.topic, &AllQuery, Interval::Week).unwrap();
        assert_eq!(weeks[0].value, "chips");
        assert_eq!(weeks[0].peak, Some(("2025-W01".to_string(), 2)));
        assert_eq!(weeks[1].peak, Some(("2025-W01".to_string(), 2)));
    }

    #[test]
    fn undated_only_terms_have_no_dates_or_peak() {
        let (index, fields) = build_index(&[doc(0, &["chips"], &[], &[])]);
        let searcher = index.reader().unwrap().searcher();
        let got = summarize(&searcher, &fields, fields.topic, &AllQuery, Interval::Year).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].first, got[0].last, got[0].peak.clone()),
            (None, None, None)
        );
    }
}

//! Per-term summaries for `topics` and `entities`: count, first and last seen, peak period, aliases.
//!
//! One pass over the matching documents (the `collector` child module) reads the term column
//! (topic or entity), the `day` column and, for entities, the `alias` column — all fast fields,
//! no stored documents — into one accumulator per term. This module turns those into the
//! public summaries: it picks peaks, attaches each entity's spellings and orders the terms.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::Searcher;

use crate::index::schema::Fields;
use crate::keys::{DayKey, EntityKey};
use crate::query::day_counts::DayCounts;
use crate::query::periods::{self, Interval};

mod collector;

use collector::{SummaryCollector, TermAcc};

/// Most (term, period) cells counted in a flat array; past it a map is used.
const MAX_DENSE_CELLS: usize = 8_000_000;

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
        if let Some((entity, surface)) = EntityKey::split_alias(&alias) {
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
pub fn summary_from_days(value: String, days: &DayCounts, interval: Interval) -> TermSummary {
    let mut acc = TermAcc {
        count: days.total(),
        first: days.first().and_then(DayKey::from_date),
        last: days.last().and_then(DayKey::from_date),
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
        first: acc.first.and_then(DayKey::date),
        last: acc.last.and_then(DayKey::date),
        peak: peak.map(|(start, count)| (periods::label(start, interval), count)),
        aliases,
    }
}

#[cfg(test)]
mod tests;

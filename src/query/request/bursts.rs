//! `trends --bursts`: the strongest bursts of every topic and of the most named entities over the
//! whole index (or the filters' range), each found as `timeline --bursts` finds them.

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::query::AllQuery;

use super::timeline::first_documents;
use super::trends::{both, item_query, values_of, TrendKind};
use super::Matching;
use crate::error::Result;
use crate::index::OpenIndex;
use crate::query::day_counts::day_counts;
use crate::query::facets::count_facets_for_taxonomy;
use crate::query::filters::Filters;
use crate::query::periods::Interval;
use crate::query::term_counts::Carriers;
use crate::query::timeline::{build_timeline, SeriesSpec, TimelineShape};
use crate::query::BurstSpan;

/// Entities looked at: the most named ones (every topic is).
const MOST_NAMED: usize = 100;

/// `trends --bursts`.
#[derive(Debug, Clone)]
pub struct BurstsRequest {
    /// A query every counted document must match (`*` for all).
    pub query: String,
    pub filters: Filters,
    pub kinds: Vec<TrendKind>,
    /// Period width; `None` picks one from the range (days up to 120 days, weeks up to three
    /// years, months beyond).
    pub interval: Option<Interval>,
    /// Bursts listed.
    pub top: usize,
    /// Documents shown under each burst.
    pub examples: usize,
}

/// The `trends --bursts --json` contract.
#[derive(Debug, Serialize)]
pub struct BurstsReport {
    pub interval: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub bursts: Vec<RankedBurst>,
}

/// A burst of one item.
#[derive(Debug, Serialize)]
pub struct RankedBurst {
    pub kind: TrendKind,
    pub value: String,
    #[serde(flatten)]
    pub burst: BurstSpan,
}

/// The interval that gives a readable number of periods over `from..=to`.
fn interval_for(from: NaiveDate, to: NaiveDate) -> Interval {
    let days = (to - from).num_days();
    if days <= 120 {
        Interval::Day
    } else if days <= 1095 {
        Interval::Week
    } else {
        Interval::Month
    }
}

pub fn bursts(opened: &OpenIndex, request: &BurstsRequest) -> Result<BurstsReport> {
    request.filters.check_range()?;
    let matching = Matching::new(opened, &request.query, &request.filters.without_dates())?;
    let searcher = &matching.searcher;
    let fields = &opened.fields;
    let counts = count_facets_for_taxonomy(opened, searcher, &*matching.query, 0)
        .map_err(|err| opened.explained(err))?;
    let mut specs = Vec::new();
    let mut items: Vec<(TrendKind, String)> = Vec::new();
    for &kind in &request.kinds {
        let mut values = values_of(kind, &counts.facets).to_vec();
        if kind == TrendKind::Entity {
            values.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            values.truncate(MOST_NAMED);
        }
        for value in values {
            specs.push(SeriesSpec {
                name: value.value.clone(),
                query: both(
                    matching.query.box_clone(),
                    // Terms are no facet, so `values_of` gives none of them.
                    item_query(opened, searcher, kind, &value.value, &Carriers::default())?,
                ),
            });
            items.push((kind, value.value));
        }
    }
    let interval = match request.interval {
        Some(interval) => interval,
        None => {
            let days =
                day_counts(searcher, fields, &AllQuery).map_err(|err| opened.explain(err))?;
            match (
                request.filters.from.or(days.first()),
                request.filters.to.or(days.last()),
            ) {
                (Some(from), Some(to)) => interval_for(from, to),
                _ => Interval::Month,
            }
        }
    };
    let shape = TimelineShape {
        interval,
        from: request.filters.from,
        to: request.filters.to,
        smooth: None,
        bursts: true,
    };
    let built =
        build_timeline(searcher, fields, &specs, &shape).map_err(|err| opened.explained(err))?;
    let mut ranked: Vec<(usize, BurstSpan)> = built
        .series
        .into_iter()
        .enumerate()
        .flat_map(|(at, line)| {
            line.bursts
                .into_iter()
                .flatten()
                .map(move |burst| (at, burst))
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.1.strength
            .total_cmp(&a.1.strength)
            .then(items[a.0].1.cmp(&items[b.0].1))
    });
    ranked.truncate(request.top);
    let mut bursts = Vec::with_capacity(ranked.len());
    for (at, mut burst) in ranked {
        burst.first_documents =
            first_documents(opened, searcher, &specs[at], &burst, request.examples)?;
        let (kind, value) = items[at].clone();
        bursts.push(RankedBurst { kind, value, burst });
    }
    Ok(BurstsReport {
        interval: built.interval,
        from: built.from,
        to: built.to,
        bursts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_follows_the_range() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("day");
        assert_eq!(
            interval_for(day(2025, 1, 1), day(2025, 3, 1)),
            Interval::Day
        );
        assert_eq!(
            interval_for(day(2025, 1, 1), day(2026, 6, 1)),
            Interval::Week
        );
        assert_eq!(
            interval_for(day(2020, 1, 1), day(2026, 6, 1)),
            Interval::Month
        );
    }
}

//! Timelines: how many documents of each series fall in every day/week/month/quarter/year.
//!
//! Exact per-day counts (`day_counts`, read from the `day` fast column, no bucket limits) are
//! summed here into calendar periods with chrono (`periods`), which tantivy's fixed-interval
//! histograms cannot do for months, quarters and years. This module owns the shape of a timeline
//! (interval, range, smoothing), the `timeline --json` types, the shares against the whole index
//! and the moving averages; `request::timeline` turns a user's request into series and a shape.

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::query::{AllQuery, Query};
use tantivy::Searcher;

use crate::error::{Error, Field, Result};
use crate::index::schema::Fields;
use crate::query::bursts::{find_bursts, Burst, BURST_ENTRY, BURST_SCALE};
use crate::query::day_counts::{day_counts, DayCounts};
use crate::query::periods::{self, Interval, MAX_PERIODS};
use crate::query::DocumentRef;

/// One series to draw: a display name and the query of its documents (user filters included,
/// the date range excluded — the timeline applies that itself).
pub struct SeriesSpec {
    pub name: String,
    pub query: Box<dyn Query>,
}

/// What to draw: bucket width, optional inclusive date range, optional moving average width
/// (checked by the request: at least 1).
#[derive(Clone, Debug)]
pub struct TimelineShape {
    pub interval: Interval,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub smooth: Option<usize>,
    /// Also find each series' bursts (their documents are left for the caller to fill in).
    pub bursts: bool,
}

/// A timeline ready to render; its JSON form is the `timeline --json` contract.
#[derive(Clone, Debug, Serialize)]
pub struct Timeline {
    pub interval: String,
    /// First and last day covered (`YYYY-MM-DD`); null when the index has no dated document.
    pub from: Option<String>,
    pub to: Option<String>,
    pub series: Vec<SeriesLine>,
    /// Documents in each period, whole index (the denominator of `share`), one per period.
    pub documents: Vec<u64>,
    /// Undated documents in the whole index; they belong to no period.
    pub undated: u64,
    /// True when no date range was asked for: then each series' `total` includes its undated
    /// documents, as a search with the same filters would count them.
    pub undated_in_total: bool,
    /// The first period starts before `from` / the last one ends after `to`: their counts cover
    /// only part of the period.
    pub partial_first: bool,
    pub partial_last: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smooth: Option<usize>,
}

/// One series over every period.
#[derive(Clone, Debug, Serialize)]
pub struct SeriesLine {
    pub name: String,
    /// Matching documents under the same filters: the points' sum, plus `undated` when no date
    /// range was asked for.
    pub total: u64,
    /// Matching documents without a publication date (shown apart, never in a period).
    pub undated: u64,
    /// Matching dated documents outside `from..=to`.
    pub outside: u64,
    pub points: Vec<Point>,
    /// The series' bursts, when asked for (`timeline --bursts`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bursts: Option<Vec<BurstSpan>>,
}

/// A burst of one series (see `query::bursts`): its first and last day and period, how many of the
/// series' documents fall in it, its strength, and its first documents.
#[derive(Clone, Debug, Serialize)]
pub struct BurstSpan {
    pub from: String,
    pub to: String,
    pub first_period: String,
    pub last_period: String,
    pub documents: u64,
    pub strength: f64,
    pub first_documents: Vec<DocumentRef>,
}

/// One period of one series.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    pub period: String,
    pub count: u64,
    /// `count` / all documents of the index in this period (0 when the period has none).
    pub share: f64,
    /// Trailing moving average of `count` over `--smooth N` periods (fewer at the start).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smoothed: Option<f64>,
    /// The same moving average over `share`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smoothed_share: Option<f64>,
}

/// Counts every series per period over the request's range (default: the index's dated range).
pub fn build_timeline(
    searcher: &Searcher,
    fields: &Fields,
    series: &[SeriesSpec],
    request: &TimelineShape,
) -> Result<Timeline> {
    let all = day_counts(searcher, fields, &AllQuery)?;
    let from = request.from.or(all.first());
    let to = request.to.or(all.last());
    let starts = match (from, to) {
        (Some(from), Some(to)) => {
            // One end may come from the index's dates, so the range is checked here, and the
            // error says which end the user did not give.
            if from > to {
                return Err(match (request.from, request.to) {
                    (Some(_), None) => Error::BeyondIndexDates {
                        field: Field::From,
                        date: from,
                        index_date: to,
                    },
                    (None, Some(_)) => Error::BeyondIndexDates {
                        field: Field::To,
                        date: to,
                        index_date: from,
                    },
                    _ => Error::ReversedRange { from, to },
                });
            }
            let count = periods::period_count(from, to, request.interval);
            if count > MAX_PERIODS as u64 {
                return Err(Error::bad_argument(
                    Field::Interval,
                    format!(
                        "{from} to {to} by {} is {count} periods (at most {MAX_PERIODS}); use a coarser interval or a shorter range",
                        request.interval
                    ),
                ));
            }
            periods::periods(from, to, request.interval)
        }
        _ => Vec::new(),
    };
    let bucket = |counts: &DayCounts| bucket_days(counts, &starts, from, to, request.interval);
    let (documents, _) = bucket(&all);
    let undated_in_total = request.from.is_none() && request.to.is_none();
    let mut lines = Vec::with_capacity(series.len());
    for spec in series {
        let counts = day_counts(searcher, fields, spec.query.as_ref())?;
        let (per_period, outside) = bucket(&counts);
        let mut points: Vec<Point> = starts
            .iter()
            .zip(per_period.iter().zip(&documents))
            .map(|(start, (&count, &all))| Point {
                period: periods::label(*start, request.interval),
                count,
                share: ratio(count, all),
                smoothed: None,
                smoothed_share: None,
            })
            .collect();
        if let Some(window) = request.smooth {
            apply_smoothing(&mut points, window);
        }
        let dated: u64 = per_period.iter().sum();
        let bursts = request.bursts.then(|| {
            find_bursts(&per_period, &documents, BURST_SCALE, BURST_ENTRY)
                .into_iter()
                .filter_map(|burst| {
                    burst_span(&burst, &per_period, &starts, from, to, request.interval)
                })
                .collect()
        });
        lines.push(SeriesLine {
            name: spec.name.clone(),
            total: dated + if undated_in_total { counts.undated } else { 0 },
            undated: counts.undated,
            outside,
            points,
            bursts,
        });
    }
    let partial_first = match (from, starts.first()) {
        (Some(from), Some(first)) => *first < from,
        _ => false,
    };
    let partial_last = match (to, starts.last()) {
        (Some(to), Some(last)) => periods::next_start(*last, request.interval)
            .and_then(|next| next.pred_opt())
            .is_some_and(|end| end > to),
        _ => false,
    };
    Ok(Timeline {
        interval: request.interval.as_str().to_string(),
        from: from.map(|d| d.format("%Y-%m-%d").to_string()),
        to: to.map(|d| d.format("%Y-%m-%d").to_string()),
        series: lines,
        documents,
        undated: all.undated,
        undated_in_total,
        partial_first,
        partial_last,
        smooth: request.smooth,
    })
}

/// The days and periods `burst` covers (clipped to the timeline's range), and its documents.
fn burst_span(
    burst: &Burst,
    per_period: &[u64],
    starts: &[NaiveDate],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    interval: Interval,
) -> Option<BurstSpan> {
    let first = *starts.get(burst.first)?;
    let last = *starts.get(burst.last)?;
    let end = periods::next_start(last, interval)
        .and_then(|next| next.pred_opt())
        .unwrap_or(last);
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    Some(BurstSpan {
        from: day(from.map_or(first, |from| first.max(from))),
        to: day(to.map_or(end, |to| end.min(to))),
        first_period: periods::label(first, interval),
        last_period: periods::label(last, interval),
        documents: per_period.get(burst.first..=burst.last)?.iter().sum(),
        strength: burst.strength,
        first_documents: Vec::new(),
    })
}

fn ratio(count: u64, all: u64) -> f64 {
    if all == 0 {
        0.0
    } else {
        count as f64 / all as f64
    }
}

/// Sums day counts into the periods starting at `starts`; returns them and the count outside the range.
fn bucket_days(
    counts: &DayCounts,
    starts: &[NaiveDate],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    interval: Interval,
) -> (Vec<u64>, u64) {
    let mut out = vec![0u64; starts.len()];
    let mut outside = 0;
    for &(day, count) in &counts.days {
        let in_range = from.is_some_and(|f| day >= f) && to.is_some_and(|t| day <= t);
        let slot = starts
            .binary_search(&periods::period_start(day, interval))
            .ok()
            .and_then(|i| out.get_mut(i));
        match slot {
            Some(slot) if in_range => *slot += count,
            _ => outside += count,
        }
    }
    (out, outside)
}

/// Trailing moving average: each point averages itself and up to `window - 1` points before it.
fn apply_smoothing(points: &mut [Point], window: usize) {
    let window = window.max(1);
    let mut sum_count = 0.0;
    let mut sum_share = 0.0;
    for i in 0..points.len() {
        sum_count += points[i].count as f64;
        sum_share += points[i].share;
        if i >= window {
            sum_count -= points[i - window].count as f64;
            sum_share -= points[i - window].share;
        }
        let n = (i + 1).min(window) as f64;
        points[i].smoothed = Some(sum_count / n);
        points[i].smoothed_share = Some(sum_share / n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::test_index::{build_index, dated, sample, term};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn request(interval: Interval) -> TimelineShape {
        TimelineShape {
            interval,
            from: None,
            to: None,
            smooth: None,
            bursts: false,
        }
    }

    fn counts(line: &SeriesLine) -> Vec<(String, u64)> {
        line.points
            .iter()
            .map(|p| (p.period.clone(), p.count))
            .collect()
    }

    #[test]
    fn weeks_cross_the_year_boundary_the_iso_way() {
        let (index, fields) = sample();
        let searcher = index.reader().unwrap().searcher();
        let series = [SeriesSpec {
            name: "export".into(),
            query: term(fields.topic, "export"),
        }];
        let mut req = request(Interval::Week);
        req.from = Some(d(2024, 12, 23));
        req.to = Some(d(2025, 1, 12));
        let timeline = build_timeline(&searcher, &fields, &series, &req).unwrap();
        let line = &timeline.series[0];
        assert_eq!(
            counts(line),
            [
                ("2024-W52".into(), 0),
                ("2025-W01".into(), 2),
                ("2025-W02".into(), 0)
            ]
        );
        // With a range, undated documents are reported but not part of the total.
        assert_eq!(line.total, 2);
        assert!(!timeline.undated_in_total);
    }

    #[test]
    fn quarters_and_zero_periods_and_totals_add_up() {
        let (index, fields) = sample();
        let searcher = index.reader().unwrap().searcher();
        let series = [SeriesSpec {
            name: "chips".into(),
            query: term(fields.topic, "chips"),
        }];
        let timeline =
            build_timeline(&searcher, &fields, &series, &request(Interval::Quarter)).unwrap();
        let line = &timeline.series[0];
        assert_eq!(
            counts(line),
            [
                ("2024-Q1".into(), 1),
                ("2024-Q2".into(), 0),
                ("2024-Q3".into(), 0),
                ("2024-Q4".into(), 2),
                ("2025-Q1".into(), 0),
                ("2025-Q2".into(), 1),
            ]
        );
        assert_eq!(timeline.from.as_deref(), Some("2024-02-29"));
        assert_eq!(timeline.to.as_deref(), Some("2025-05-20"));
        let dated: u64 = line.points.iter().map(|p| p.count).sum();
        let matching = searcher
            .search(
                term(fields.topic, "chips").as_ref(),
                &tantivy::collector::Count,
            )
            .unwrap() as u64;
        assert_eq!(dated + line.undated, matching);
        assert_eq!(line.total, matching);
        assert_eq!(timeline.undated, 2);
    }

    #[test]
    fn share_is_against_all_documents_of_the_period() {
        let (index, fields) = sample();
        let searcher = index.reader().unwrap().searcher();
        let series = [SeriesSpec {
            name: "export".into(),
            query: term(fields.topic, "export"),
        }];
        let timeline =
            build_timeline(&searcher, &fields, &series, &request(Interval::Year)).unwrap();
        let line = &timeline.series[0];
        assert_eq!(counts(line), [("2024".into(), 1), ("2025".into(), 1)]);
        assert_eq!(timeline.documents, [3, 3]);
        assert!((line.points[0].share - 1.0 / 3.0).abs() < 1e-9);
        assert!((line.points[1].share - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn months_include_leap_day_and_smoothing_is_a_trailing_mean() {
        let (index, fields) = sample();
        let searcher = index.reader().unwrap().searcher();
        let series = [SeriesSpec {
            name: "chips".into(),
            query: term(fields.topic, "chips"),
        }];
        let mut req = request(Interval::Month);
        req.from = Some(d(2024, 2, 1));
        req.to = Some(d(2024, 4, 30));
        req.smooth = Some(2);
        let timeline = build_timeline(&searcher, &fields, &series, &req).unwrap();
        let line = &timeline.series[0];
        assert_eq!(counts(line)[0], ("2024-02".into(), 1));
        let smoothed: Vec<_> = line.points.iter().map(|p| p.smoothed.unwrap()).collect();
        assert_eq!(smoothed, [1.0, 0.5, 0.0]);
        assert_eq!(line.outside, 3);
        let json = serde_json::to_value(&timeline).unwrap();
        assert_eq!(json["series"][0]["points"][0]["period"], "2024-02");
        assert!(json["series"][0]["points"][0]["share"].is_number());
    }

    #[test]
    fn days_buckets_and_bad_ranges() {
        let (index, fields) = sample();
        let searcher = index.reader().unwrap().searcher();
        let series = [SeriesSpec {
            name: "all".into(),
            query: Box::new(AllQuery),
        }];
        let mut req = request(Interval::Day);
        req.from = Some(d(2024, 12, 30));
        req.to = Some(d(2025, 1, 2));
        let timeline = build_timeline(&searcher, &fields, &series, &req).unwrap();
        let got: Vec<u64> = timeline.series[0].points.iter().map(|p| p.count).collect();
        assert_eq!(got, [1, 1, 1, 0]);
        req.from = Some(d(2025, 2, 1));
        assert!(build_timeline(&searcher, &fields, &series, &req).is_err());
        req.from = Some(d(1, 1, 1));
        req.to = Some(d(2025, 1, 1));
        let err = build_timeline(&searcher, &fields, &series, &req).unwrap_err();
        assert!(err.to_string().contains("coarser"), "{err}");
    }

    #[test]
    fn an_index_without_dates_gives_an_empty_timeline_with_its_undated() {
        let (index, fields) = build_index(&[dated(0, &["chips"]), dated(0, &[])]);
        let searcher = index.reader().unwrap().searcher();
        let series = [SeriesSpec {
            name: "chips".into(),
            query: term(fields.topic, "chips"),
        }];
        let timeline =
            build_timeline(&searcher, &fields, &series, &request(Interval::Month)).unwrap();
        assert!(timeline.series[0].points.is_empty());
        assert_eq!(timeline.series[0].total, 1);
        assert_eq!(timeline.undated, 2);
        assert_eq!(timeline.from, None);
    }
}

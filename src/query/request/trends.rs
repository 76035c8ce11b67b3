//! `trends`: the topics, entities, tags and terms whose share of the documents rises in a window
//! against a baseline, each with its counts, a G² score, a sparkline of its share and the
//! documents behind the rise.
//!
//! Counting is two facet passes (window and baseline) over the fast columns, and two passes over
//! the `term` column for terms (see `trend_terms`), so no stored document is read until the few
//! shown under each item (and, for terms, the few that tell how a term is spelled).

use chrono::{Duration, NaiveDate, Utc};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::search::hits_at;
use super::trend_terms::{self, Rising};
use super::Matching;
use crate::error::{Error, Field, Result};
use crate::index::query_syntax::{parse_query, Names};
use crate::index::OpenIndex;
use crate::query::day_counts::{day_counts, DayCounts};
use crate::query::facets::{count_facets_for_taxonomy, FacetCounts, FacetValue};
use crate::query::filters::{date_range, Filters};
use crate::query::rising::{PeriodCounts, Rise};
use crate::query::term_counts::{carriers as carriers_of, count_terms, Carriers};
use crate::query::DocumentRef;

/// Points of each sparkline (fewer when the span has fewer days).
const SPARK_POINTS: usize = 24;

/// What kind of item rises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrendKind {
    Topic,
    Entity,
    Tag,
    /// A word or a two- or three-word phrase of the text (see [`crate::enrich::terms`]).
    Term,
}

impl TrendKind {
    pub const ALL: [TrendKind; 4] = [
        TrendKind::Topic,
        TrendKind::Entity,
        TrendKind::Tag,
        TrendKind::Term,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TrendKind::Topic => "topic",
            TrendKind::Entity => "entity",
            TrendKind::Tag => "tag",
            TrendKind::Term => "term",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            TrendKind::Topic => "topics",
            TrendKind::Entity => "entities",
            TrendKind::Tag => "tags",
            TrendKind::Term => "terms",
        }
    }

    /// Parses `topic`, `entity`, `tag` or `term` (plurals too).
    pub fn parse(text: &str) -> Result<TrendKind> {
        match text.trim().to_lowercase().as_str() {
            "topic" | "topics" => Ok(TrendKind::Topic),
            "entity" | "entities" => Ok(TrendKind::Entity),
            "tag" | "tags" => Ok(TrendKind::Tag),
            "term" | "terms" => Ok(TrendKind::Term),
            _ => Err(Error::bad_argument(
                Field::TrendKind,
                format!("{text:?} is not a kind of item; use topic, entity, tag or term"),
            )),
        }
    }
}

/// The period compared with the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    /// The given number of days just before the window.
    Before(u32),
    /// Every dated day of the index outside the window.
    All,
    /// An explicit range (inclusive; an open end runs to the index's first or last day).
    Range(Option<NaiveDate>, Option<NaiveDate>),
}

/// Parses a span of days: `7d`, `2w`, or a bare number of days.
pub fn parse_days(field: Field, text: &str) -> Result<u32> {
    let trimmed = text.trim();
    let bad = || {
        Error::bad_argument(
            field,
            format!("{text:?} is not a span of days; use a number of days or weeks such as 7d, 90d or 2w"),
        )
    };
    let (number, per) = match trimmed.char_indices().last() {
        Some((at, 'd')) => (&trimmed[..at], 1),
        Some((at, 'w')) => (&trimmed[..at], 7),
        _ => (trimmed, 1),
    };
    let number: u32 = number.parse().map_err(|_| bad())?;
    let days = number.checked_mul(per).ok_or_else(bad)?;
    if days == 0 {
        return Err(Error::bad_argument(field, "a span needs at least one day"));
    }
    Ok(days)
}

impl Baseline {
    /// Parses `--baseline`: a span before the window (`90d`, `12w`) or `all`.
    pub fn parse(text: &str) -> Result<Baseline> {
        if text.trim().eq_ignore_ascii_case("all") {
            return Ok(Baseline::All);
        }
        parse_days(Field::Baseline, text).map(Baseline::Before)
    }
}

/// `trends`: the window (`filters.from`/`to`, else the last `window_days` days of the index's
/// dates), the baseline, and what to look at.
#[derive(Debug, Clone)]
pub struct TrendsRequest {
    /// A query every counted document must match (`*` for all).
    pub query: String,
    /// Filters on the documents counted; their dates are the window.
    pub filters: Filters,
    pub window_days: u32,
    pub baseline: Baseline,
    pub kinds: Vec<TrendKind>,
    /// Items listed per kind.
    pub top: usize,
    /// Fewest window documents an item needs to be listed.
    pub min_count: u64,
    /// Lowest G² an item needs to be listed (10.83 is p = 0.001).
    pub min_score: f64,
    /// Documents shown under each item.
    pub examples: usize,
}

impl Default for TrendsRequest {
    fn default() -> Self {
        TrendsRequest {
            query: "*".to_string(),
            filters: Filters::default(),
            window_days: 7,
            baseline: Baseline::Before(90),
            kinds: TrendKind::ALL.to_vec(),
            top: 10,
            min_count: 3,
            min_score: 10.83,
            examples: 3,
        }
    }
}

/// A span of days and how many of the counted documents fall in it.
#[derive(Debug, Clone, Serialize)]
pub struct Span {
    pub from: String,
    pub to: String,
    pub documents: u64,
}

/// The `trends --json` contract.
#[derive(Debug, Serialize)]
pub struct TrendsReport {
    pub window: Span,
    /// The baseline's first and last day; with `--baseline all` the window lies inside it and
    /// is left out of its count.
    pub baseline: Span,
    /// Why the baseline differs from the one asked for, if it does.
    pub note: Option<String>,
    /// The first day of the sparklines' first point, and the days each point covers; the window
    /// starts a point.
    pub spark_from: String,
    pub spark_days: i64,
    pub kinds: Vec<KindTrends>,
}

#[derive(Debug, Serialize)]
pub struct KindTrends {
    pub kind: TrendKind,
    pub items: Vec<TrendItem>,
}

/// One rising item.
#[derive(Debug, Serialize)]
pub struct TrendItem {
    /// The facet value: a topic id, an entity key (`org/Huawei`), a tag, or a term's key (its
    /// stems, `control export`).
    pub value: String,
    /// A topic's label.
    pub label: Option<String>,
    /// A term as the window's documents spell it most often (`controles de exportación`); only
    /// for terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surface: Option<String>,
    #[serde(flatten)]
    pub counts: PeriodCounts,
    #[serde(flatten)]
    pub rise: Rise,
    /// The item's share of the counted documents at each sparkline point, oldest first.
    pub spark: Vec<f64>,
    pub documents: Vec<DocumentRef>,
}

/// Inclusive day ranges.
type Days = Vec<(NaiveDate, NaiveDate)>;

fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Documents of `counts` on the days of `ranges`.
fn documents_in(counts: &DayCounts, ranges: &[(NaiveDate, NaiveDate)]) -> u64 {
    counts
        .days
        .iter()
        .filter(|(day, _)| ranges.iter().any(|(from, to)| from <= day && day <= to))
        .map(|(_, count)| count)
        .sum()
}

/// The query of documents on any day of `ranges`.
fn on_days(opened: &OpenIndex, ranges: &[(NaiveDate, NaiveDate)]) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = ranges
        .iter()
        .map(|(from, to)| {
            (
                Occur::Should,
                date_range(&opened.fields, Some(*from), Some(*to)),
            )
        })
        .collect();
    if clauses.len() == 1 {
        if let Some((_, only)) = clauses.pop() {
            return only;
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

pub(super) fn both(a: Box<dyn Query>, b: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![(Occur::Must, a), (Occur::Must, b)]))
}

/// The window and baseline of `request` over an index whose dated documents run from `first` to
/// `last`, checked; the third value says why the baseline is not the one asked for.
fn periods(
    request: &TrendsRequest,
    index_days: &DayCounts,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<((NaiveDate, NaiveDate), Days, Option<String>)> {
    request.filters.check_range()?;
    if request.window_days == 0 {
        return Err(Error::bad_argument(
            Field::Window,
            "a window needs at least one day",
        ));
    }
    let index_range = format!("{} to {}", day_text(first), day_text(last));
    let window = match (request.filters.from, request.filters.to) {
        (None, None) => {
            let days = i64::from(request.window_days) - 1;
            (last - Duration::days(days), last)
        }
        (from, to) => (from.unwrap_or(first), to.unwrap_or(last)),
    };
    if window.0 <= first && window.1 >= last {
        return Err(Error::bad_argument(
            Field::Window,
            format!(
                "the window {} to {} holds every dated document of the index ({index_range}), so nothing is left to compare it with; choose a shorter window",
                day_text(window.0),
                day_text(window.1)
            ),
        ));
    }
    if documents_in(index_days, &[window]) == 0 {
        return Err(Error::bad_argument(
            Field::Window,
            format!(
                "the window {} to {} holds no document; the index's documents run from {index_range}",
                day_text(window.0),
                day_text(window.1)
            ),
        ));
    }
    let everything_else = || -> Days {
        let mut ranges = Vec::new();
        if window.0 > first {
            ranges.push((first, window.0 - Duration::days(1)));
        }
        if window.1 < last {
            ranges.push((window.1 + Duration::days(1), last));
        }
        ranges
    };
    let asked: Days = match request.baseline {
        Baseline::Before(days) => {
            if days == 0 {
                return Err(Error::bad_argument(
                    Field::Baseline,
                    "a baseline needs at least one day",
                ));
            }
            let end = window.0 - Duration::days(1);
            vec![(end - Duration::days(i64::from(days) - 1), end)]
        }
        Baseline::All => everything_else(),
        Baseline::Range(from, to) => {
            let range = (from.unwrap_or(first), to.unwrap_or(last));
            if range.0 > range.1 {
                return Err(Error::ReversedRange {
                    from: range.0,
                    to: range.1,
                });
            }
            if range.0 <= window.1 && window.0 <= range.1 {
                return Err(Error::bad_argument(
                    Field::Baseline,
                    format!(
                        "the baseline {} to {} overlaps the window {} to {}; choose days outside it, or --baseline all",
                        day_text(range.0),
                        day_text(range.1),
                        day_text(window.0),
                        day_text(window.1)
                    ),
                ));
            }
            vec![range]
        }
    };
    // Too little baseline (the window near the start of the index) falls back to the rest of it.
    let window_documents = documents_in(index_days, &[window]);
    let baseline_documents = documents_in(index_days, &asked);
    if baseline_documents < window_documents.clamp(1, 20) {
        let rest = everything_else();
        let note = format!(
            "the baseline asked for holds {baseline_documents} documents; comparing with the rest of the index instead ({index_range}, the window left out)"
        );
        return Ok((window, rest, Some(note)));
    }
    Ok((window, asked, None))
}

/// The query of the documents carrying `value` of `kind` (a parent topic: any topic below it).
/// Terms have no postings: their documents come from `carriers`, gathered beforehand.
pub(super) fn item_query(
    opened: &OpenIndex,
    searcher: &Searcher,
    kind: TrendKind,
    value: &str,
    carriers: &Carriers,
) -> Result<Box<dyn Query>> {
    let fields = &opened.fields;
    let term = |field| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    };
    Ok(match kind {
        TrendKind::Topic => Filters {
            topics: vec![value.to_string()],
            ..Filters::default()
        }
        .apply(Box::new(AllQuery), opened, searcher)?,
        TrendKind::Entity => term(fields.entity),
        TrendKind::Tag => term(fields.tag),
        TrendKind::Term => Box::new(carriers.query(value)),
    })
}

/// The facet values of `kind` among `counts`' groups (none for terms, which are no facet).
pub(super) fn values_of(
    kind: TrendKind,
    groups: &crate::query::facets::FacetGroups,
) -> &[FacetValue] {
    match kind {
        TrendKind::Topic => &groups.topic,
        TrendKind::Entity => &groups.entity,
        TrendKind::Tag => &groups.tag,
        TrendKind::Term => &[],
    }
}

/// Words a user would search the item by: an entity's name, a tag, a topic's label.
fn item_words(opened: &OpenIndex, kind: TrendKind, value: &str) -> String {
    let text = match kind {
        TrendKind::Entity => value
            .split_once('/')
            .map_or(value, |(_, name)| name)
            .to_string(),
        TrendKind::Tag | TrendKind::Term => value.to_string(),
        TrendKind::Topic => opened
            .taxonomy()
            .topic(value)
            .map_or_else(|| value.to_string(), |topic| topic.label.clone()),
    };
    text.chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect()
}

/// Answers `trends`.
pub fn trends(opened: &OpenIndex, request: &TrendsRequest) -> Result<TrendsReport> {
    let matching = Matching::new(opened, &request.query, &request.filters.without_dates())?;
    let searcher = &matching.searcher;
    let fields = &opened.fields;
    let explain = |err| opened.explain(err);
    let index_days = day_counts(searcher, fields, &AllQuery).map_err(explain)?;
    // A stray date in the future (a typo in a feed) must not become "the last week".
    let today = Utc::now().date_naive();
    let dated: Vec<NaiveDate> = index_days.days.iter().map(|(day, _)| *day).collect();
    let (Some(&first), Some(&last)) = (
        dated.first(),
        dated
            .iter()
            .rev()
            .find(|day| **day <= today)
            .or(dated.last()),
    ) else {
        return Err(Error::InvalidRequest {
            detail: "the index has no dated document, so there is no window to look at".into(),
        });
    };
    let (window, baseline, note) = periods(request, &index_days, first, last)?;
    let counted = day_counts(searcher, fields, &*matching.query).map_err(explain)?;
    let window_total = documents_in(&counted, &[window]);
    let baseline_total = documents_in(&counted, &baseline);

    let window_query = both(matching.query.box_clone(), on_days(opened, &[window]));
    let baseline_query = both(matching.query.box_clone(), on_days(opened, &baseline));
    let taxonomy = opened.taxonomy();
    let facets = |query: &dyn Query| -> Result<FacetCounts> {
        if request.kinds.iter().all(|kind| *kind == TrendKind::Term) {
            return Ok(FacetCounts::default());
        }
        count_facets_for_taxonomy(opened, searcher, query, 0).map_err(|err| opened.explained(err))
    };
    let in_window = facets(&*window_query)?;
    let in_baseline = facets(&*baseline_query)?;

    let spark = Spark::over(window, &baseline);
    let spark_totals = spark.count(&counted);

    let mut kinds = Vec::new();
    for &kind in &request.kinds {
        // (value, documents in the window, in the baseline) of every item met in the window.
        let met: Vec<(String, u64, u64)> = if kind == TrendKind::Term {
            count_terms(
                searcher,
                fields,
                &*window_query,
                &*baseline_query,
                request.min_count,
            )
            .map_err(explain)?
            .into_iter()
            .map(|term| (term.key, term.window, term.baseline))
            .collect()
        } else {
            let before = values_of(kind, &in_baseline.facets);
            values_of(kind, &in_window.facets)
                .iter()
                .map(|value| {
                    let baseline = before
                        .iter()
                        .find(|other| other.value == value.value)
                        .map_or(0, |other| other.count);
                    (value.value.clone(), value.count, baseline)
                })
                .collect()
        };
        let mut rising: Vec<Rising> = met
            .into_iter()
            .filter(|(_, window, _)| *window >= request.min_count)
            .filter_map(|(value, window, baseline)| {
                let counts = PeriodCounts {
                    window,
                    window_total,
                    baseline,
                    baseline_total,
                };
                let rise = counts.rise()?;
                let enough = rise.score >= request.min_score
                    && (kind != TrendKind::Term || rise.ratio >= trend_terms::MIN_RATIO);
                enough.then_some((value, counts, rise))
            })
            .collect();
        rising.sort_by(|a, b| b.2.score.total_cmp(&a.2.score).then(a.0.cmp(&b.0)));
        let mut spelled = std::collections::HashMap::new();
        let mut carriers = Carriers::default();
        if kind == TrendKind::Term {
            rising = trend_terms::without_echoes(rising, request.top);
            let keys: Vec<String> = rising.iter().map(|(key, _, _)| key.clone()).collect();
            // Only the sparkline's days are ever looked at for a listed term.
            let on_spark = both(matching.query.box_clone(), on_days(opened, &[spark.days()]));
            carriers = carriers_of(searcher, fields, &*on_spark, &keys).map_err(explain)?;
            let in_window = both(matching.query.box_clone(), on_days(opened, &[window]));
            spelled = trend_terms::surfaces(opened, searcher, &*in_window, &keys, &carriers)?;
        }
        rising.truncate(request.top);
        let mut items = Vec::with_capacity(rising.len());
        for (value, counts, rise) in rising {
            let surface = spelled.remove(&value);
            let carrying = both(
                matching.query.box_clone(),
                item_query(opened, searcher, kind, &value, &carriers)?,
            );
            let days = day_counts(searcher, fields, &*carrying).map_err(explain)?;
            let points = spark.count(&days);
            let shares = points
                .iter()
                .zip(&spark_totals)
                .map(|(n, total)| {
                    if *total == 0 {
                        0.0
                    } else {
                        *n as f64 / *total as f64
                    }
                })
                .collect();
            let in_window = both(carrying, on_days(opened, &[window]));
            let words = item_words(opened, kind, surface.as_deref().unwrap_or(&value));
            let documents = examples(opened, searcher, &words, in_window, request.examples)?;
            items.push(TrendItem {
                label: (kind == TrendKind::Topic)
                    .then(|| taxonomy.topic(&value).map(|topic| topic.label.clone()))
                    .flatten(),
                surface,
                value,
                counts,
                rise,
                spark: shares,
                documents,
            });
        }
        kinds.push(KindTrends { kind, items });
    }
    let baseline_span = Span {
        from: day_text(baseline.first().map_or(window.0, |range| range.0)),
        to: day_text(baseline.last().map_or(window.1, |range| range.1)),
        documents: baseline_total,
    };
    Ok(TrendsReport {
        window: Span {
            from: day_text(window.0),
            to: day_text(window.1),
            documents: window_total,
        },
        baseline: baseline_span,
        note,
        spark_from: day_text(spark.first),
        spark_days: spark.width,
        kinds,
    })
}

/// The points of the sparklines: `points` spans of `width` days from `first`, laid so that the
/// window starts one, covering the baseline and the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Spark {
    first: NaiveDate,
    width: i64,
    points: usize,
}

impl Spark {
    fn over(window: (NaiveDate, NaiveDate), baseline: &[(NaiveDate, NaiveDate)]) -> Spark {
        let from = baseline
            .iter()
            .map(|range| range.0)
            .fold(window.0, NaiveDate::min);
        let to = baseline
            .iter()
            .map(|range| range.1)
            .fold(window.1, NaiveDate::max);
        let span = (to - from).num_days() + 1;
        // A point per window length when that makes few enough of them (a week a point for the
        // default 7 days against 90), else wider.
        let window_days = (window.1 - window.0).num_days() + 1;
        let width = window_days.max((span + SPARK_POINTS as i64 - 1) / SPARK_POINTS as i64);
        let before = ((window.0 - from).num_days() + width - 1) / width;
        let first = window.0 - Duration::days(before * width);
        let points = ((to - first).num_days() / width + 1).max(1);
        Spark {
            first,
            width,
            points: usize::try_from(points).unwrap_or(1),
        }
    }

    /// The first and last day of the points.
    fn days(&self) -> (NaiveDate, NaiveDate) {
        let points = i64::try_from(self.points).unwrap_or(i64::MAX / self.width.max(1));
        (
            self.first,
            self.first + Duration::days(points * self.width - 1),
        )
    }

    /// Documents of `days` per point.
    fn count(&self, days: &DayCounts) -> Vec<u64> {
        let mut out = vec![0; self.points];
        for (day, count) in &days.days {
            // Days before the first point give a negative offset, which no slot has.
            let offset = (*day - self.first).num_days().div_euclid(self.width);
            if let Some(slot) = usize::try_from(offset).ok().and_then(|at| out.get_mut(at)) {
                *slot += count;
            }
        }
        out
    }
}

/// The documents of `in_window` that say the item's `words` most (best match first); newest
/// first when none does.
fn examples(
    opened: &OpenIndex,
    searcher: &Searcher,
    words: &str,
    in_window: Box<dyn Query>,
    limit: usize,
) -> Result<Vec<DocumentRef>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let names = Names {
        taxonomy: opened.taxonomy(),
        searcher: Some(searcher),
        members: None,
    };
    let words: Vec<&str> = words.split_whitespace().collect();
    let wording = parse_query(opened, &names, &words.join(" OR ")).ok();
    let ranked: Box<dyn Query> = match &wording {
        Some(wording) if !words.is_empty() => Box::new(BooleanQuery::new(vec![
            (Occur::Must, in_window),
            (Occur::Should, wording.box_clone()),
        ])),
        _ => in_window,
    };
    let top = searcher
        .search(&*ranked, &TopDocs::with_limit(limit).order_by_score())
        .map_err(|err| opened.explain(err))?;
    let shown = wording.unwrap_or_else(|| Box::new(AllQuery));
    let hits = hits_at(opened, searcher, &*shown, top)?;
    Ok(hits.into_iter().map(DocumentRef::from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_days_and_weeks() {
        assert_eq!(parse_days(Field::Window, "7d").ok(), Some(7));
        assert_eq!(parse_days(Field::Window, "2w").ok(), Some(14));
        assert_eq!(parse_days(Field::Window, " 30 ").ok(), Some(30));
        for bad in ["", "d", "0d", "7h", "-3d", "seven"] {
            let err = parse_days(Field::Window, bad).expect_err(bad);
            assert!(err.to_string().contains("window"), "{err}");
        }
        assert_eq!(Baseline::parse("ALL").ok(), Some(Baseline::All));
        assert_eq!(Baseline::parse("90d").ok(), Some(Baseline::Before(90)));
    }

    #[test]
    fn sparkline_points_start_with_the_window() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2025, 1, d).expect("day");
        let counts = DayCounts {
            days: vec![
                (day(1), 1),
                (day(2), 2),
                (day(5), 4),
                (day(6), 8),
                (day(20), 16),
            ],
            undated: 3,
        };
        // A 2-day window on days 5–6 after a baseline of days 1–4: points 1–2, 3–4, 5–6.
        let spark = Spark::over((day(5), day(6)), &[(day(1), day(4))]);
        assert_eq!((spark.first, spark.width, spark.points), (day(1), 2, 3));
        assert_eq!(spark.count(&counts), vec![3, 0, 12]);
        // An odd baseline: the first point starts before it, so that the window starts a point.
        let spark = Spark::over((day(5), day(6)), &[(day(2), day(4))]);
        assert_eq!((spark.first, spark.points), (day(1), 3));
        assert_eq!(spark.count(&counts), vec![3, 0, 12]);
        // A baseline on both sides (`--baseline all`) is drawn whole.
        let spark = Spark::over((day(5), day(6)), &[(day(1), day(4)), (day(7), day(20))]);
        assert_eq!((spark.first, spark.points), (day(1), 10));
        assert_eq!(spark.count(&counts)[9], 16);
    }
}

//! `timeline`: how many documents of each series (topics, entities, tags, queries, or all) fall in
//! every period of a range.

use chrono::NaiveDate;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};

use tantivy::collector::TopDocs;
use tantivy::Searcher;

use super::search::{hits_at, ranked, SortOrder};
use crate::error::{Error, Field, Result};
use crate::index::query_syntax::{parse_query, Names};
use crate::index::OpenIndex;
use crate::query::filters::{date_range, Filters};
use crate::query::periods::Interval;
use crate::query::timeline::{build_timeline, BurstSpan, SeriesSpec, Timeline, TimelineShape};
use crate::query::DocumentRef;

/// One line of a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Series {
    /// A topic id (a parent stands for every topic below it).
    Topic(String),
    /// An entity by any of its names.
    Entity(String),
    Tag(String),
    /// A query in the tool's syntax.
    Query(String),
    /// Every document.
    All,
}

impl Series {
    /// The name the series is shown under.
    pub fn name(&self) -> String {
        match self {
            Series::Topic(id) => id.clone(),
            Series::Entity(name) => name.clone(),
            Series::Tag(tag) => format!("tag:{tag}"),
            Series::Query(text) => text.clone(),
            Series::All => "all documents".to_string(),
        }
    }
}

/// `timeline`: the series, the period width, and what every series shares — the date range of
/// `filters` (default: the index's dated range), its other filters, and an optional extra query.
#[derive(Debug, Clone)]
pub struct TimelineRequest {
    /// No series means one line of all documents.
    pub series: Vec<Series>,
    pub interval: Interval,
    pub filters: Filters,
    /// A query every series must also match.
    pub filter_query: Option<String>,
    /// Trailing moving average over this many periods.
    pub smooth: Option<usize>,
    /// Also find each series' bursts, with their first `burst_documents` documents.
    pub bursts: bool,
    pub burst_documents: usize,
}

impl TimelineRequest {
    /// The first and last day asked for, checked.
    fn range(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
        self.filters.check_range()?;
        if self.smooth == Some(0) {
            return Err(Error::bad_argument(
                Field::Smooth,
                "use a window of 1 or more periods",
            ));
        }
        Ok((self.filters.from, self.filters.to))
    }
}

/// Counts every series per period.
pub fn timeline(opened: &OpenIndex, request: &TimelineRequest) -> Result<Timeline> {
    let (from, to) = request.range()?;
    let fields = &opened.fields;
    let taxonomy = opened.taxonomy();
    let searcher = opened.reader()?.searcher();
    let mut shared = request.filters.without_dates();
    shared.resolve(opened, &searcher)?;
    let names = Names {
        taxonomy,
        searcher: Some(&searcher),
        members: None,
    };
    let extra = match &request.filter_query {
        Some(text) => Some(parse_query(opened, &names, text)?),
        None => None,
    };
    let restrict = |series_query: Box<dyn Query>| -> Result<Box<dyn Query>> {
        let query = shared.apply(series_query, opened, &searcher)?;
        Ok(match &extra {
            Some(extra) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (Occur::Must, extra.box_clone()),
            ])),
            None => query,
        })
    };
    let all = [Series::All];
    let wanted = if request.series.is_empty() {
        &all[..]
    } else {
        &request.series[..]
    };
    let mut specs = Vec::with_capacity(wanted.len());
    for series in wanted {
        let only = |filters: Filters| -> Result<Box<dyn Query>> {
            let mut filters = filters;
            filters.resolve(opened, &searcher)?;
            filters.apply(Box::new(AllQuery), opened, &searcher)
        };
        let query = match series {
            Series::Topic(id) => only(Filters {
                topics: vec![id.clone()],
                ..Filters::default()
            })?,
            Series::Entity(name) => only(Filters {
                entities: vec![name.clone()],
                ..Filters::default()
            })?,
            Series::Tag(tag) => only(Filters {
                tags: vec![tag.clone()],
                ..Filters::default()
            })?,
            Series::Query(text) => parse_query(opened, &names, text)?,
            Series::All => Box::new(AllQuery),
        };
        specs.push(SeriesSpec {
            name: series.name(),
            query: restrict(query)?,
        });
    }
    let shape = TimelineShape {
        interval: request.interval,
        from,
        to,
        smooth: request.smooth,
        bursts: request.bursts,
    };
    let mut timeline =
        build_timeline(&searcher, fields, &specs, &shape).map_err(|err| opened.explained(err))?;
    for (line, spec) in timeline.series.iter_mut().zip(&specs) {
        for burst in line.bursts.iter_mut().flatten() {
            burst.first_documents =
                first_documents(opened, &searcher, spec, burst, request.burst_documents)?;
        }
    }
    Ok(timeline)
}

/// The earliest `limit` documents of `spec` in `burst`: how it began.
pub(super) fn first_documents(
    opened: &OpenIndex,
    searcher: &Searcher,
    spec: &SeriesSpec,
    burst: &BurstSpan,
    limit: usize,
) -> Result<Vec<DocumentRef>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let inside: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
        (Occur::Must, spec.query.box_clone()),
        (
            Occur::Must,
            date_range(&opened.fields, day(&burst.from), day(&burst.to)),
        ),
    ]));
    let (_, oldest) = ranked(
        opened,
        searcher,
        &*inside,
        TopDocs::with_limit(limit),
        SortOrder::Oldest,
    )?;
    let hits = hits_at(opened, searcher, &AllQuery, oldest)?;
    Ok(hits.into_iter().map(DocumentRef::from).collect())
}

//! The parameters of each route, as typed structs read from the query string (`topic=a&topic=b`
//! gives two topics), capped, and turned into the library's request types — the same ones the CLI
//! commands build from their flags, so that one request means the same thing on both.
//!
//! Parameters are named as the CLI's flags are (`from`, `indexed-since`, `by`), with `q` for the
//! query argument; an unknown parameter is refused rather than ignored.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::reply::Failure;
use crate::error::{Error, Field};
use crate::query::{
    parse_days, parse_since, Baseline, EntitiesRequest, FacetsRequest, Filters, Interval,
    SearchRequest, Series, SortOrder, TimelineRequest, TopicsRequest, TrackRequest, TrendKind,
    TrendsRequest,
};

/// The longest query (or any other text parameter) taken, in characters.
pub const MAX_TEXT: usize = 2_000;
/// The most hits one page or API call returns.
pub const MAX_LIMIT: usize = 100;
/// The deepest a page may start: paging further means scoring that many hits per request.
pub const MAX_OFFSET: usize = 10_000;
/// The most values a facet group or entity list returns (`0` asks for all, as on the CLI).
pub const MAX_TOP: usize = 1_000;
/// Values repeated per parameter (`topic=a&topic=b...`).
pub const MAX_VALUES: usize = 50;

/// Reads the query string `query` into `T`; a missing query string is every default.
pub fn parse<T: DeserializeOwned + Default>(query: Option<&str>) -> Result<T, Failure> {
    match query {
        None | Some("") => Ok(T::default()),
        Some(text) => serde_html_form::from_str(text)
            .map_err(|err| Failure::bad_request(format!("bad request parameters: {err}"))),
    }
}

/// The filters every search-like route takes, named as the CLI's filter flags.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SearchParams {
    /// The query, in the CLI's language (`*` or nothing: every document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tag: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lang: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub source: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub topic: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entity: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indexed_since: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// `relevance` (the default), `date` (newest first) or `oldest`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// Also count the facets of all matches (`/api/search` only, as `search --facets`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<bool>,
    /// The timeline page's period (`day`...`year`), as `timeline --by`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The timeline page's shares instead of counts, as `timeline --normalize`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<bool>,
    /// More series beside the matching documents on the timeline page: `topic:ID`,
    /// `entity:NAME`, `tag:T`, or a query.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub compare: Vec<String>,
    /// Mark each series' bursts on the timeline page, as `timeline --bursts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bursts: Option<bool>,
}

impl SearchParams {
    /// Empty form fields (`from=`) as absent ones, so that a form left blank asks for nothing.
    pub fn cleaned(mut self) -> SearchParams {
        for text in [
            &mut self.q,
            &mut self.from,
            &mut self.to,
            &mut self.indexed_since,
            &mut self.sort,
            &mut self.by,
        ] {
            if text.as_deref().is_some_and(|value| value.trim().is_empty()) {
                *text = None;
            }
        }
        for values in [
            &mut self.tag,
            &mut self.lang,
            &mut self.source,
            &mut self.topic,
            &mut self.entity,
            &mut self.compare,
        ] {
            values.retain(|value| !value.trim().is_empty());
        }
        self
    }

    /// The query text, `*` when none is given.
    pub fn query(&self) -> &str {
        self.q.as_deref().unwrap_or("*")
    }

    fn check(&self) -> Result<(), Failure> {
        let texts = [&self.q, &self.from, &self.to, &self.indexed_since];
        check_texts(texts.into_iter().flatten())?;
        for values in [
            &self.tag,
            &self.lang,
            &self.source,
            &self.topic,
            &self.entity,
            &self.compare,
        ] {
            check_values(values)?;
        }
        if self.offset.unwrap_or(0) > MAX_OFFSET {
            return Err(Failure::bad_request(format!(
                "bad value for offset: at most {MAX_OFFSET}; narrow the search instead"
            )));
        }
        Ok(())
    }

    pub fn filters(&self) -> Result<Filters, Error> {
        let filters = Filters {
            tags: self.tag.clone(),
            langs: self.lang.clone(),
            sources: self.source.clone(),
            topics: self.topic.clone(),
            entities: self.entity.clone(),
            ..Filters::default()
        };
        filters
            .with_dates(self.from.as_deref(), self.to.as_deref())?
            .with_indexed_since(self.indexed_since.as_deref())
    }

    /// The search request, `default_limit` hits a page unless `limit` says otherwise.
    pub fn search_request(&self, default_limit: usize) -> Result<SearchRequest, Refused> {
        self.check()?;
        let limit = self.limit.unwrap_or(default_limit);
        if limit > MAX_LIMIT {
            return Err(Failure::bad_request(format!(
                "bad value for limit: at most {MAX_LIMIT} hits a page"
            ))
            .into());
        }
        Ok(SearchRequest {
            query: self.query().to_string(),
            filters: self.filters()?,
            limit,
            offset: self.offset.unwrap_or(0),
            sort: sort_order(self.sort.as_deref())?,
            facets: self.facets.unwrap_or(false).then_some(10),
        })
    }

    /// The facet counts of the same matching set, `top` values a group.
    pub fn facets_request(&self, top: usize) -> Result<FacetsRequest, Refused> {
        self.check()?;
        Ok(FacetsRequest {
            query: self.query().to_string(),
            filters: self.filters()?,
            top,
        })
    }

    /// The timeline page's chart: the matching documents per `by` period, and the series of
    /// `compare` beside them.
    pub fn timeline_request(&self) -> Result<TimelineRequest, Refused> {
        self.check()?;
        let matching = match self.q.as_deref().map(str::trim) {
            None | Some("*") => Series::All,
            Some(text) => Series::Query(text.to_string()),
        };
        let mut series = vec![matching];
        series.extend(self.compare.iter().map(|text| compared_series(text)));
        Ok(TimelineRequest {
            series,
            interval: interval(self.by.as_deref())?,
            filters: self.filters()?,
            filter_query: None,
            smooth: None,
            bursts: self.bursts == Some(true),
            burst_documents: 3,
        })
    }
}

/// One `compare` value as a series: `topic:`, `entity:` and `tag:` name a facet value, anything
/// else is a query.
fn compared_series(text: &str) -> Series {
    let text = text.trim();
    let value = |prefix: &str| {
        text.strip_prefix(prefix)
            .map(|rest| rest.trim().to_string())
    };
    if let Some(topic) = value("topic:") {
        Series::Topic(topic)
    } else if let Some(entity) = value("entity:") {
        Series::Entity(entity)
    } else if let Some(tag) = value("tag:") {
        Series::Tag(tag)
    } else {
        Series::Query(text.to_string())
    }
}

/// `/api/facets`: the query, the filters and `top`, as `facets` takes them.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct FacetsParams {
    pub q: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub tag: Vec<String>,
    pub lang: Vec<String>,
    pub source: Vec<String>,
    pub topic: Vec<String>,
    pub entity: Vec<String>,
    pub indexed_since: Option<String>,
    pub top: Option<usize>,
}

impl FacetsParams {
    pub fn request(self) -> Result<FacetsRequest, Refused> {
        let top = top(self.top, 10)?;
        SearchParams {
            q: self.q,
            from: self.from,
            to: self.to,
            tag: self.tag,
            lang: self.lang,
            source: self.source,
            topic: self.topic,
            entity: self.entity,
            indexed_since: self.indexed_since,
            ..SearchParams::default()
        }
        .facets_request(top)
    }
}

/// `/api/timeline`: the series and options of `timeline`, flag for flag (`topic` for its
/// positional topics).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct TimelineParams {
    pub topic: Vec<String>,
    pub entity: Vec<String>,
    pub tag: Vec<String>,
    pub query: Vec<String>,
    pub all: bool,
    pub by: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub lang: Vec<String>,
    pub source: Vec<String>,
    pub filter: Option<String>,
    pub indexed_since: Option<String>,
    pub smooth: Option<usize>,
    pub bursts: bool,
}

impl TimelineParams {
    pub fn request(self) -> Result<TimelineRequest, Refused> {
        let texts = [
            &self.by,
            &self.from,
            &self.to,
            &self.filter,
            &self.indexed_since,
        ];
        check_texts(texts.into_iter().flatten())?;
        for values in [
            &self.topic,
            &self.entity,
            &self.tag,
            &self.query,
            &self.lang,
            &self.source,
        ] {
            check_values(values)?;
        }
        if self.smooth.is_some_and(|periods| periods > MAX_TOP) {
            return Err(Failure::bad_request(format!(
                "bad value for smooth: at most {MAX_TOP} periods"
            ))
            .into());
        }
        let filters = Filters {
            langs: self.lang,
            sources: self.source,
            ..Filters::default()
        }
        .with_dates(self.from.as_deref(), self.to.as_deref())?
        .with_indexed_since(self.indexed_since.as_deref())?;
        let mut series: Vec<Series> = self.topic.into_iter().map(Series::Topic).collect();
        series.extend(self.entity.into_iter().map(Series::Entity));
        series.extend(self.tag.into_iter().map(Series::Tag));
        series.extend(self.query.into_iter().map(Series::Query));
        if self.all {
            series.push(Series::All);
        }
        Ok(TimelineRequest {
            series,
            interval: interval(self.by.as_deref())?,
            filters,
            filter_query: self.filter,
            smooth: self.smooth,
            bursts: self.bursts,
            burst_documents: 3,
        })
    }
}

/// `/api/topics` (and `/api/entities`, with `type` and `top`): the date filters of `topics`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SummaryParams {
    pub from: Option<String>,
    pub to: Option<String>,
    pub indexed_since: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub top: Option<usize>,
}

impl SummaryParams {
    fn filters(&self) -> Result<Filters, Refused> {
        let texts = [&self.from, &self.to, &self.indexed_since, &self.kind];
        check_texts(texts.into_iter().flatten())?;
        Ok(Filters::default()
            .with_dates(self.from.as_deref(), self.to.as_deref())?
            .with_indexed_since(self.indexed_since.as_deref())?)
    }

    pub fn topics_request(&self) -> Result<TopicsRequest, Refused> {
        if self.kind.is_some() || self.top.is_some() {
            return Err(Failure::bad_request(
                "bad request parameters: /api/topics takes from, to and indexed-since",
            )
            .into());
        }
        Ok(TopicsRequest {
            filters: self.filters()?,
        })
    }

    pub fn entities_request(&self) -> Result<EntitiesRequest, Refused> {
        Ok(EntitiesRequest {
            filters: self.filters()?,
            kind: self.kind.clone(),
            top: top(self.top, 25)?,
        })
    }
}

/// `/trends`: what rises in a window against a baseline, named as `trends`'s flags (`window`,
/// `baseline`, `from`/`to` for the window, `kind` repeated, `top`), over the documents of `q`.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct TrendsParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kind: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top: Option<usize>,
}

impl TrendsParams {
    pub fn trends_request(&self) -> Result<TrendsRequest, Refused> {
        let texts = [&self.q, &self.from, &self.to, &self.window, &self.baseline];
        check_texts(texts.into_iter().flatten())?;
        check_values(&self.kind)?;
        let defaults = TrendsRequest::default();
        let mut kinds = Vec::new();
        for text in &self.kind {
            let kind = TrendKind::parse(text)?;
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        Ok(TrendsRequest {
            query: self.q.clone().unwrap_or(defaults.query),
            filters: Filters::default().with_dates(self.from.as_deref(), self.to.as_deref())?,
            window_days: match &self.window {
                Some(text) => parse_days(Field::Window, text)?,
                None => defaults.window_days,
            },
            baseline: match &self.baseline {
                Some(text) => Baseline::parse(text)?,
                None => defaults.baseline,
            },
            kinds: if kinds.is_empty() {
                defaults.kinds
            } else {
                kinds
            },
            top: top(self.top, defaults.top)?,
            ..defaults
        })
    }
}

/// `/new`: what `track --peek` shows (the page never moves a checkpoint), for the user topics
/// named by `topic` (all of them by default), or since `since` (a date or a span such as `7d`).
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct NewParams {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub topic: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

/// Stories the "what's new" page lists per topic.
const NEW_STORIES: usize = 10;

impl NewParams {
    pub fn track_request(&self) -> Result<TrackRequest, Refused> {
        check_texts(&self.since)?;
        check_values(&self.topic)?;
        Ok(TrackRequest {
            topics: self.topic.clone(),
            since: self
                .since
                .as_deref()
                .map(|text| parse_since(Field::Since, text, chrono::Utc::now()))
                .transpose()?,
            limit: NEW_STORIES,
        })
    }
}

/// Why a request was not made: a parameter the server refuses, or one the library does.
#[derive(Debug)]
pub enum Refused {
    Server(Failure),
    Library(Error),
}

impl From<Failure> for Refused {
    fn from(failure: Failure) -> Refused {
        Refused::Server(failure)
    }
}

impl From<Error> for Refused {
    fn from(err: Error) -> Refused {
        Refused::Library(err)
    }
}

fn top(asked: Option<usize>, default: usize) -> Result<usize, Failure> {
    let top = asked.unwrap_or(default);
    if top > MAX_TOP {
        return Err(Failure::bad_request(format!(
            "bad value for top: at most {MAX_TOP} (0 lists them all)"
        )));
    }
    Ok(top)
}

fn sort_order(text: Option<&str>) -> Result<SortOrder, Failure> {
    match text.map(str::trim) {
        None | Some("relevance") => Ok(SortOrder::Relevance),
        Some("date") => Ok(SortOrder::Date),
        Some("oldest" | "date-asc") => Ok(SortOrder::Oldest),
        Some(other) => Err(Failure::bad_request(format!(
            "bad value for sort: {other:?}; use relevance, date or oldest"
        ))),
    }
}

fn interval(text: Option<&str>) -> Result<Interval, Error> {
    text.map_or(Ok(Interval::Month), str::parse)
}

fn check_texts<'a>(texts: impl IntoIterator<Item = &'a String>) -> Result<(), Failure> {
    for text in texts {
        if text.chars().count() > MAX_TEXT {
            return Err(Failure::bad_request(format!(
                "a parameter is longer than {MAX_TEXT} characters; shorten the query"
            )));
        }
    }
    Ok(())
}

fn check_values(values: &[String]) -> Result<(), Failure> {
    if values.len() > MAX_VALUES {
        return Err(Failure::bad_request(format!(
            "a parameter is repeated more than {MAX_VALUES} times"
        )));
    }
    check_texts(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_parameters_become_lists() {
        let params: SearchParams =
            parse(Some("q=chips&topic=a&topic=b&indexed-since=7d")).expect("parsed");
        assert_eq!(params.q.as_deref(), Some("chips"));
        assert_eq!(params.topic, ["a", "b"]);
        assert_eq!(params.indexed_since.as_deref(), Some("7d"));
    }

    #[test]
    fn unknown_parameters_are_refused() {
        assert!(parse::<SearchParams>(Some("topics=a")).is_err());
        assert!(parse::<SummaryParams>(Some("q=a")).is_err());
    }

    #[test]
    fn blank_form_fields_ask_for_nothing() {
        let params: SearchParams = parse(Some("q=&from=&topic=&sort=")).expect("parsed");
        assert_eq!(params.cleaned(), SearchParams::default());
    }

    #[test]
    fn a_state_round_trips_through_its_url() {
        let state = SearchParams {
            q: Some("\"H20\" AND nvidia & co".into()),
            topic: vec!["ai-chips".into(), "export-controls".into()],
            offset: Some(20),
            ..SearchParams::default()
        };
        let text = serde_html_form::to_string(&state).expect("serialised");
        assert_eq!(parse::<SearchParams>(Some(&text)).expect("parsed"), state);
    }

    #[test]
    fn caps_are_enforced() {
        let long = SearchParams {
            q: Some("a".repeat(MAX_TEXT + 1)),
            ..SearchParams::default()
        };
        assert!(long.search_request(10).is_err());
        let wide = SearchParams {
            limit: Some(MAX_LIMIT + 1),
            ..SearchParams::default()
        };
        assert!(wide.search_request(10).is_err());
        let fine = SearchParams {
            limit: Some(MAX_LIMIT),
            ..SearchParams::default()
        };
        assert!(fine.search_request(10).is_ok());
    }

    #[test]
    fn sort_names_are_the_cli_values() {
        assert_eq!(sort_order(Some("oldest")).ok(), Some(SortOrder::Oldest));
        assert!(sort_order(Some("newest")).is_err());
    }
}

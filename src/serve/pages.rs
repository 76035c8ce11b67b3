//! The HTML pages: search (query box, dates, facet sidebar, results, paging, sort), timeline (the
//! matching documents per period, drawn by the CLI's SVG renderer, with SVG and CSV downloads),
//! one document (what `show` prints), and topics. Every page's state is in its URL: a link or a
//! form submission is all the navigation there is, so the pages need no JavaScript.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup};

use super::html::{document_href, error, href, outside_link, page, snippet, Nav};
use super::params::{self, SearchParams, SummaryParams};
use super::reply::{attachment, Failure};
use super::Shared;
use crate::query::{
    self, FacetValue, SearchResults, ShowRequest, ShownDocument, Timeline, TimelineRequest,
    TopicRow,
};
use crate::render::{chart, csv};
use crate::text::counted;

/// Hits on one page unless `limit` says otherwise.
const PAGE_SIZE: usize = 20;
/// Values shown per facet group (per entity kind for entities).
const FACET_VALUES: usize = 12;

/// An HTML page with `status`.
pub(super) fn respond(status: StatusCode, markup: Markup) -> Response {
    (status, Html(markup.into_string())).into_response()
}

/// A page that shows one library answer under `form` (the page's own inputs, if any): `work`
/// runs on the blocking pool, its result is drawn by `view`, and a refusal is the CLI's one-line
/// message in its place.
pub(super) async fn answered_page<T, F>(
    shared: Arc<Shared>,
    title: &str,
    nav: Nav,
    form: Markup,
    work: F,
    view: impl FnOnce(&T) -> Markup,
) -> Response
where
    T: Send + 'static,
    F: FnOnce(&Shared) -> Result<T, params::Refused> + Send + 'static,
{
    let (status, answer) = match shared.answer(work).await {
        Ok(answer) => (StatusCode::OK, view(&answer)),
        Err(failure) => (failure.status, error(&failure.message)),
    };
    let body = html! { (form) (answer) };
    respond(status, page(title, nav, &SearchParams::default(), body))
}

/// The page's state from its URL, or the reason it cannot be read.
fn state(uri: &Uri) -> Result<SearchParams, Failure> {
    params::parse::<SearchParams>(uri.query()).map(SearchParams::cleaned)
}

/// `/`: the search page.
pub async fn search(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let state = match state(&uri) {
        Ok(state) => state,
        Err(failure) => {
            return failed_page("Search", Nav::Search, &SearchParams::default(), failure)
        }
    };
    let asked = state.clone();
    let answered = shared
        .answer(move |shared| {
            let mut request = asked.search_request(PAGE_SIZE)?;
            request.facets = Some(FACET_VALUES);
            let opened = shared.open()?;
            Ok(query::search(&opened, &request)?)
        })
        .await;
    let (status, body) = match answered {
        Ok(results) => (StatusCode::OK, results_view(&state, &results)),
        Err(failure) => (failure.status, error(&failure.message)),
    };
    let title = state.q.clone().unwrap_or_else(|| "Search".to_string());
    respond(
        status,
        page(
            &title,
            Nav::Search,
            &state,
            html! { (search_form(&state, "/")) (body) },
        ),
    )
}

fn failed_page(title: &str, nav: Nav, state: &SearchParams, failure: Failure) -> Response {
    respond(
        failure.status,
        page(
            title,
            nav,
            state,
            html! { (search_form(state, "/")) (error(&failure.message)) },
        ),
    )
}

/// The query box and dates; the other filters ride along as hidden fields.
fn search_form(state: &SearchParams, action: &str) -> Markup {
    let hidden: Vec<(&str, &String)> = [
        ("tag", &state.tag),
        ("lang", &state.lang),
        ("source", &state.source),
        ("topic", &state.topic),
        ("entity", &state.entity),
    ]
    .into_iter()
    .flat_map(|(name, values)| values.iter().map(move |value| (name, value)))
    .chain(
        state
            .indexed_since
            .iter()
            .map(|value| ("indexed-since", value)),
    )
    .collect();
    let sort = state.sort.as_deref().unwrap_or("relevance");
    let on_timeline = action == "/timeline";
    html! {
        form.search action=(action) method="get" role="search" {
            input type="search" name="q" value=[state.q.as_deref()] size="50"
                maxlength=(params::MAX_TEXT) aria-label="Query"
                placeholder="words, \"phrases\", AND OR NOT, -word, topic:id, * for all";
            label { "from " input name="from" value=[state.from.as_deref()] size="10" placeholder="YYYY-MM-DD"; }
            label { "to " input name="to" value=[state.to.as_deref()] size="10" placeholder="YYYY-MM-DD"; }
            @if on_timeline {
                label { "per "
                    select name="by" {
                        @for by in ["day", "week", "month", "quarter", "year"] {
                            option value=(by) selected[state.by.as_deref().unwrap_or("month") == by] { (by) }
                        }
                    }
                }
                label { input type="checkbox" name="share" value="true" checked[state.share == Some(true)]; " share of all documents" }
                label { input type="checkbox" name="bursts" value="true" checked[state.bursts == Some(true)]; " bursts" }
                @for compared in &state.compare {
                    label { "beside " input name="compare" value=(compared) size="18"; }
                }
                label { "beside " input name="compare" size="18" placeholder="topic:ID, entity:NAME, tag:T or words"; }
            } @else {
                label { "sort "
                    select name="sort" {
                        @for (value, label) in [("relevance", "relevance"), ("date", "newest first"), ("oldest", "oldest first")] {
                            option value=(value) selected[sort == value] { (label) }
                        }
                    }
                }
            }
            @for (name, value) in hidden {
                input type="hidden" name=(name) value=(value);
            }
            button type="submit" { @if on_timeline { "Draw" } @else { "Search" } }
        }
    }
}

fn results_view(state: &SearchParams, results: &SearchResults) -> Markup {
    let offset = state.offset.unwrap_or(0);
    let limit = state.limit.unwrap_or(PAGE_SIZE);
    let sort = state.sort.as_deref().unwrap_or("relevance");
    let with_sort = |value: &str| SearchParams {
        sort: (value != "relevance").then(|| value.to_string()),
        offset: None,
        ..state.clone()
    };
    let at = |start: usize| SearchParams {
        offset: (start > 0).then_some(start),
        ..state.clone()
    };
    let timeline = SearchParams {
        offset: None,
        sort: None,
        limit: None,
        ..state.clone()
    };
    html! {
        div.columns {
            @if let Some(counts) = &results.facets {
                aside.facets aria-label="Facets" { (facets_view(state, &counts.facets)) }
            }
            section.results {
                p.summary {
                    (counted(results.total as u64, "document", "documents"))
                    " · sort: "
                    @for (value, label) in [("relevance", "relevance"), ("date", "newest"), ("oldest", "oldest")] {
                        @if sort == value { strong { (label) } } @else { a href=(href("/", &with_sort(value))) { (label) } }
                        " "
                    }
                    "· " a href=(href("/timeline", &timeline)) { "timeline of these" }
                }
                @if !active_filters(state).is_empty() {
                    p.active {
                        "Filters: "
                        @for (label, without) in active_filters(state) {
                            a.chip href=(href("/", &without)) title="remove" { (label) " ×" }
                            " "
                        }
                    }
                }
                ol.hits start=(offset + 1) {
                    @for hit in &results.hits {
                        li.hit {
                            h2 { a href=(document_href(&hit.id)) { (hit.title.as_deref().unwrap_or("(untitled)")) } }
                            p.meta {
                                (hit.date.as_deref().unwrap_or("undated"))
                                @if let Some(source) = &hit.source { " · " (source) }
                                @if let Some(lang) = &hit.lang { " · " (lang) }
                            }
                            p.snippet { (snippet(&hit.snippet)) }
                            @if !hit.topics.is_empty() || !hit.entities.is_empty() {
                                p.labels {
                                    @for topic in &hit.topics {
                                        a.topic href=(href("/", &toggled(state, Group::Topic, topic))) { (topic) } " "
                                    }
                                    @for entity in &hit.entities {
                                        a.entity href=(href("/", &toggled(state, Group::Entity, entity))) { (entity) } " "
                                    }
                                }
                            }
                        }
                    }
                }
                nav.pages aria-label="Pages" {
                    @if offset > 0 {
                        a rel="prev" href=(href("/", &at(offset.saturating_sub(limit)))) { "← previous" } " "
                    }
                    @if results.total > offset {
                        span { (offset + 1) "–" ((offset + results.hits.len()).max(offset + 1)) " of " (results.total) }
                    }
                    @if offset + limit < results.total && offset + limit <= params::MAX_OFFSET {
                        " " a rel="next" href=(href("/", &at(offset + limit))) { "next →" }
                    }
                }
            }
        }
    }
}

/// A facet group, as a filter of the search state.
#[derive(Clone, Copy)]
enum Group {
    Topic,
    Entity,
    Tag,
    Lang,
    Source,
    Year,
}

/// `state` with `value` of `group` added, or removed when it is there (back to the first page).
fn toggled(state: &SearchParams, group: Group, value: &str) -> SearchParams {
    let mut next = SearchParams {
        offset: None,
        ..state.clone()
    };
    let list = match group {
        Group::Topic => &mut next.topic,
        Group::Entity => &mut next.entity,
        Group::Tag => &mut next.tag,
        Group::Lang => &mut next.lang,
        Group::Source => &mut next.source,
        Group::Year => {
            if is_year(state, value) {
                next.from = None;
                next.to = None;
            } else {
                next.from = Some(value.to_string());
                next.to = Some(value.to_string());
            }
            return next;
        }
    };
    if let Some(at) = list.iter().position(|have| have == value) {
        list.remove(at);
    } else {
        list.push(value.to_string());
    }
    next
}

fn is_year(state: &SearchParams, year: &str) -> bool {
    state.from.as_deref() == Some(year) && state.to.as_deref() == Some(year)
}

fn is_active(state: &SearchParams, group: Group, value: &str) -> bool {
    let list = match group {
        Group::Topic => &state.topic,
        Group::Entity => &state.entity,
        Group::Tag => &state.tag,
        Group::Lang => &state.lang,
        Group::Source => &state.source,
        Group::Year => return is_year(state, value),
    };
    list.iter().any(|have| have == value)
}

/// Every filter in force, with the state that drops it.
fn active_filters(state: &SearchParams) -> Vec<(String, SearchParams)> {
    let mut out = Vec::new();
    for (name, group, values) in [
        ("topic", Group::Topic, &state.topic),
        ("entity", Group::Entity, &state.entity),
        ("tag", Group::Tag, &state.tag),
        ("lang", Group::Lang, &state.lang),
        ("source", Group::Source, &state.source),
    ] {
        for value in values {
            out.push((format!("{name}: {value}"), toggled(state, group, value)));
        }
    }
    for (name, value) in [
        ("from", &state.from),
        ("to", &state.to),
        ("indexed since", &state.indexed_since),
    ] {
        if let Some(value) = value {
            let mut without = SearchParams {
                offset: None,
                ..state.clone()
            };
            match name {
                "from" => without.from = None,
                "to" => without.to = None,
                _ => without.indexed_since = None,
            }
            out.push((format!("{name}: {value}"), without));
        }
    }
    out
}

fn facets_view(state: &SearchParams, groups: &query::FacetGroups) -> Markup {
    let mut entity_kinds: Vec<(&str, Vec<FacetValue>)> = Vec::new();
    for value in &groups.entity {
        let (kind, _name) = value
            .value
            .split_once('/')
            .unwrap_or(("other", &value.value));
        let shown = FacetValue {
            value: value.value.clone(),
            count: value.count,
        };
        match entity_kinds.iter_mut().find(|(have, _)| *have == kind) {
            Some((_, values)) => values.push(shown),
            None => entity_kinds.push((kind, vec![shown])),
        }
    }
    let group = |title: &str, group: Group, values: &[FacetValue], strip: bool| {
        html! {
            @if !values.is_empty() {
                section.facet {
                    h3 { (title) }
                    ul {
                        @for value in values {
                            @let active = is_active(state, group, &value.value);
                            @let label = if strip { value.value.split_once('/').map_or(value.value.as_str(), |(_, name)| name) } else { value.value.as_str() };
                            li {
                                a.active[active] href=(href("/", &toggled(state, group, &value.value)))
                                    aria-pressed=(active) title=(if active { "remove this filter" } else { "only these" }) {
                                    (label)
                                }
                                " " span.count { (value.count) }
                            }
                        }
                    }
                }
            }
        }
    };
    html! {
        (group("Topics", Group::Topic, &groups.topic, false))
        @for (kind, values) in &entity_kinds {
            (group(&format!("Entities: {kind}"), Group::Entity, values, true))
        }
        (group("Tags", Group::Tag, &groups.tag, false))
        (group("Languages", Group::Lang, &groups.lang, false))
        (group("Sources", Group::Source, &groups.source, false))
        (group("Years", Group::Year, &groups.year, false))
    }
}

/// `/timeline`: the matching documents per period.
pub async fn timeline(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let state = match state(&uri) {
        Ok(state) => state,
        Err(failure) => {
            return failed_page("Timeline", Nav::Timeline, &SearchParams::default(), failure)
        }
    };
    let asked = state.clone();
    let answered = shared.answer(move |shared| drawn(shared, &asked)).await;
    let body = match &answered {
        Ok((timeline, _)) => {
            let chart = SearchParams {
                offset: None,
                sort: None,
                limit: None,
                ..state.clone()
            };
            let line = timeline.series.first();
            html! {
                p.summary {
                    @if let Some(line) = line {
                        (counted(line.total, "document", "documents"))
                        @if line.undated > 0 { " (" (counted(line.undated, "undated", "undated")) ", in no period)" }
                        " · "
                    }
                    @for other in timeline.series.iter().skip(1) {
                        (other.name) ": " (counted(other.total, "document", "documents")) " · "
                    }
                    a href=(href("/", &chart)) { "the documents" }
                    " · download "
                    a href=(href("/timeline.svg", &chart)) download="timeline.svg" { "SVG" } " "
                    a href=(href("/timeline.csv", &chart)) download="timeline.csv" { "CSV" }
                }
                figure.chart {
                    img src=(href("/timeline.svg", &chart)) alt="Documents per period";
                }
            }
        }
        Err(failure) => error(&failure.message),
    };
    let status = answered
        .as_ref()
        .map_or_else(|failure| failure.status, |_| StatusCode::OK);
    respond(
        status,
        page(
            "Timeline",
            Nav::Timeline,
            &state,
            html! { (search_form(&state, "/timeline")) (body) },
        ),
    )
}

/// The timeline of the state's matching documents, and the chart's title.
fn drawn(shared: &Shared, state: &SearchParams) -> Result<(Timeline, String), params::Refused> {
    let request: TimelineRequest = state.timeline_request()?;
    let opened = shared.open()?;
    let timeline = query::timeline(&opened, &request)?;
    let name = match state.q.as_deref() {
        None | Some("*") => "all documents".to_string(),
        Some(text) => text.to_string(),
    };
    let title = format!("{name} per {}", request.interval.as_str());
    Ok((timeline, title))
}

/// `/timeline.svg`: the chart, as `timeline --svg` writes it.
pub async fn timeline_svg(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    download(shared, uri, true).await
}

/// `/timeline.csv`: the periods, as `timeline --csv` prints them.
pub async fn timeline_csv(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    download(shared, uri, false).await
}

async fn download(shared: Arc<Shared>, uri: Uri, svg: bool) -> Response {
    let state = match state(&uri) {
        Ok(state) => state,
        Err(failure) => return failure.into_response(),
    };
    let share = state.share == Some(true);
    match shared.answer(move |shared| drawn(shared, &state)).await {
        Ok((timeline, title)) if svg => attachment(
            "image/svg+xml",
            "inline; filename=\"timeline.svg\"",
            chart::timeline_svg(&timeline, &title, share),
        ),
        Ok((timeline, _)) => attachment(
            "text/csv; charset=utf-8",
            "attachment; filename=\"timeline.csv\"",
            csv::timeline_csv(&timeline, share),
        ),
        Err(failure) => failure.into_response(),
    }
}

/// `/doc/ID`: one document, as `show` prints it.
pub async fn document(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let answered = shared
        .answer(move |shared| {
            let opened = shared.open()?;
            Ok(query::show(&opened, &ShowRequest { id })?)
        })
        .await;
    let state = SearchParams::default();
    match answered {
        Ok(shown) => respond(
            StatusCode::OK,
            page(
                shown.title.as_deref().unwrap_or("(untitled)"),
                Nav::Document,
                &state,
                document_view(&shown),
            ),
        ),
        Err(failure) => respond(
            failure.status,
            page("Document", Nav::Document, &state, error(&failure.message)),
        ),
    }
}

fn document_view(doc: &ShownDocument) -> Markup {
    let date = match (&doc.date, &doc.date_source) {
        (Some(date), Some(source)) => format!("{date} (from {source})"),
        (Some(date), None) => date.clone(),
        (None, _) => "none found".to_string(),
    };
    let filter =
        |group: Group, value: &str| href("/", &toggled(&SearchParams::default(), group, value));
    html! {
        article.document {
            h1 { (doc.title.as_deref().unwrap_or("(untitled)")) }
            dl.meta {
                dt { "id" } dd { code { (doc.id) } " · " a href=(format!("/api/show/{}", super::html::path_segment(&doc.id))) { "JSON" } }
                dt { "date" } dd { (date) }
                @if let Some(indexed) = &doc.indexed { dt { "indexed" } dd { (indexed) } }
                @if let Some(lang) = &doc.lang { dt { "language" } dd { a href=(filter(Group::Lang, lang)) { (lang) } } }
                @if let Some(source) = &doc.source { dt { "source" } dd { a href=(filter(Group::Source, source)) { (source) } } }
                @if let Some(url) = &doc.url { dt { "url" } dd { (outside_link(url)) } }
                @if let Some(path) = &doc.path { dt { "path" } dd { code { (path) } } }
                @if !doc.tags.is_empty() {
                    dt { "tags" } dd { @for tag in &doc.tags { a.tag href=(filter(Group::Tag, tag)) { (tag) } " " } }
                }
                @for key in ["author", "attachments"] {
                    @if let Some(value) = doc.metadata.fields.get(key) { dt { (key) } dd { (value) } }
                }
                @if !doc.copies.is_empty() {
                    dt { "also in (" (doc.copies.len()) ")" }
                    dd { @for copy in &doc.copies {
                        a href=(document_href(&copy.id)) { (copy.source.as_deref().unwrap_or(&copy.id)) } " "
                    } }
                }
                @if !doc.mentioned_dates.is_empty() {
                    dt { "dates named" }
                    dd { @for mention in &doc.mentioned_dates {
                        (mention.date.format("%Y-%m-%d").to_string()) " (“" (mention.text) "”) "
                    } }
                }
            }
            @if !doc.topics.is_empty() {
                h2 { "Topics, and why" }
                ul.topics {
                    @for topic in &doc.topics {
                        li {
                            a href=(filter(Group::Topic, &topic.id)) { (topic.id) }
                            " (" (topic.label.as_deref().unwrap_or(&topic.facet)) "), "
                            (counted(u64::from(topic.hits), "hit", "hits")) ": "
                            @for (i, item) in topic.evidence.iter().enumerate() {
                                @if i > 0 { ", " }
                                q { (item.phrase) } " ×" (item.hits)
                            }
                        }
                    }
                }
            }
            @if !doc.entities.is_empty() {
                h2 { "Entities" }
                ul.entities {
                    @for entity in &doc.entities {
                        li {
                            span.kind { (entity.kind.as_str()) } " "
                            a href=(filter(Group::Entity, &format!("{}/{}", entity.kind.as_str(), entity.name))) { (entity.name) }
                            " ×" (entity.count)
                            @if !entity.surfaces.is_empty() { " (" (entity.surfaces.join(", ")) ")" }
                        }
                    }
                }
            }
            h2 { "Text" }
            div.body {
                @for paragraph in doc.body.trim().split("\n\n") {
                    p { (paragraph) }
                }
            }
        }
    }
}

/// `/topics`: every topic with its count, as `topics` lists them.
pub async fn topics(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let query = uri.query().map(str::to_string);
    let work = move |shared: &Shared| {
        let request = params::parse::<SummaryParams>(query.as_deref())?.topics_request()?;
        let opened = shared.open()?;
        Ok(query::topics(&opened, &request)?)
    };
    answered_page(shared, "Topics", Nav::Topics, html! {}, work, |rows| {
        topics_view(rows)
    })
    .await
}

fn topics_view(rows: &[TopicRow]) -> Markup {
    html! {
        h1 { "Topics" }
        table.topics {
            thead { tr { th { "topic" } th { "label" } th.num { "documents" } th { "first" } th { "last" } th { "peak month" } } }
            tbody {
                @for row in rows {
                    tr {
                        td { a href=(href("/", &toggled(&SearchParams::default(), Group::Topic, &row.id))) { (row.id) } }
                        td { (row.label) }
                        td.num { (row.count) }
                        td { (row.first.as_deref().unwrap_or("-")) }
                        td { (row.last.as_deref().unwrap_or("-")) }
                        td { @if let Some(peak) = &row.peak { (peak) " (" (row.peak_count) ")" } @else { "-" } }
                    }
                }
            }
        }
    }
}

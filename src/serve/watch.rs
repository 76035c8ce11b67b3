//! The two pages that watch the news rather than search it: Trends (what `trends` finds rising in
//! a window against a baseline) and What's new (what `track --peek` shows for the user topics;
//! the page never moves a checkpoint). Each item links to the search it stands for.

use std::sync::Arc;

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use maud::{html, Markup};

use super::html::{document_href, href, Nav};
use super::pages::answered_page;
use super::params::{self, NewParams, SearchParams, TrendsParams};
use super::Shared;
use crate::query::{self, KindTrends, TrackReport, TrendKind, TrendsReport};
use crate::render::table::sparkline;
use crate::text::counted;

/// `/trends`: the rising topics, entities, tags (and terms, when asked) of a window.
pub async fn trends(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let asked = params::parse::<TrendsParams>(uri.query());
    let form = trends_form(asked.as_ref().unwrap_or(&TrendsParams::default()));
    let work = move |shared: &Shared| {
        let request = asked?.trends_request()?;
        let opened = shared.open()?;
        Ok(query::trends(&opened, &request)?)
    };
    answered_page(shared, "Trends", Nav::Trends, form, work, trends_view).await
}

fn trends_form(asked: &TrendsParams) -> Markup {
    let kinds: Vec<&str> = asked.kind.iter().map(String::as_str).collect();
    html! {
        form.search action="/trends" method="get" {
            input type="search" name="q" value=(asked.q.as_deref().unwrap_or("")) size="30"
                maxlength=(params::MAX_TEXT) aria-label="Query" placeholder="* for every document";
            label { "window " input name="window" size="5" value=(asked.window.as_deref().unwrap_or("")) placeholder="7d"; }
            label { "baseline " input name="baseline" size="5" value=(asked.baseline.as_deref().unwrap_or("")) placeholder="90d, all"; }
            label { "from " input name="from" size="10" value=(asked.from.as_deref().unwrap_or("")) placeholder="YYYY-MM-DD"; }
            label { "to " input name="to" size="10" value=(asked.to.as_deref().unwrap_or("")) placeholder="YYYY-MM-DD"; }
            @for kind in TrendKind::ALL {
                label { input type="checkbox" name="kind" value=(kind.name()) checked[kinds.contains(&kind.name())]; " " (kind.plural()) }
            }
            button type="submit" { "Show" }
        }
    }
}

fn trends_view(report: &TrendsReport) -> Markup {
    html! {
        p.summary {
            "Window " (report.window.from) " to " (report.window.to) " ("
            (counted(report.window.documents, "document", "documents")) ") against "
            (report.baseline.from) " to " (report.baseline.to) " ("
            (counted(report.baseline.documents, "document", "documents")) ")"
        }
        @if let Some(note) = &report.note { p.note { (note) } }
        @for kind in &report.kinds { (kind_view(kind)) }
    }
}

/// The search a rising item stands for: its facet as a filter, or a term's words as the query.
fn item_search(kind: TrendKind, value: &str, surface: Option<&str>) -> String {
    let mut state = SearchParams::default();
    match kind {
        TrendKind::Topic => state.topic.push(value.to_string()),
        TrendKind::Entity => state.entity.push(value.to_string()),
        TrendKind::Tag => state.tag.push(value.to_string()),
        TrendKind::Term => state.q = Some(format!("\"{}\"", surface.unwrap_or(value))),
    }
    href("/", &state)
}

fn kind_view(kind: &KindTrends) -> Markup {
    html! {
        h2 { "Rising " (kind.kind.plural()) }
        @if kind.items.is_empty() {
            p { "Nothing rises enough to be listed." }
        } @else {
            table.trends {
                thead { tr {
                    th { (kind.kind.name()) } th.num { "window" } th.num { "expected" }
                    th.num { "ratio" } th.num { "G²" } th { "share over time" } th { "documents" }
                } }
                tbody {
                    @for item in &kind.items {
                        @let shown = item.surface.as_deref().or(item.label.as_deref()).unwrap_or(&item.value);
                        tr {
                            td { a href=(item_search(kind.kind, &item.value, item.surface.as_deref())) { (shown) } }
                            td.num { (item.counts.window) }
                            td.num { (format!("{:.1}", item.rise.expected)) }
                            td.num { (format!("{:.1}", item.rise.ratio)) }
                            td.num { (format!("{:.1}", item.rise.score)) }
                            td.spark { (sparkline(&item.spark)) }
                            td {
                                @for doc in &item.documents {
                                    a href=(document_href(&doc.id)) { (doc.title.as_deref().unwrap_or(&doc.id)) }
                                    @if let Some(date) = &doc.date { " (" (date) ")" }
                                    br;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `/new`: the documents that joined each user topic since its checkpoint (or since `since`).
pub async fn new(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let asked = params::parse::<NewParams>(uri.query());
    let form = new_form(asked.as_ref().unwrap_or(&NewParams::default()));
    let work = move |shared: &Shared| {
        let request = asked?.track_request()?;
        let opened = shared.open()?;
        // The report's checkpoints are never saved: looking at the page is a peek.
        Ok(query::track(&opened, &request)?)
    };
    answered_page(shared, "What's new", Nav::New, form, work, new_view).await
}

fn new_form(asked: &NewParams) -> Markup {
    html! {
        form.search action="/new" method="get" {
            label { "since " input name="since" size="12" value=(asked.since.as_deref().unwrap_or(""))
                placeholder="the last look; or 7d, 2025-04-01"; }
            @for topic in &asked.topic { input type="hidden" name="topic" value=(topic); }
            button type="submit" { "Show" }
        }
    }
}

fn new_view(report: &TrackReport) -> Markup {
    html! {
        p.summary { (counted(report.new_documents, "new document", "new documents")) " on your topics" }
        @for topic in &report.topics {
            h2 {
                a href=(item_search(TrendKind::Topic, &topic.id, None)) { (topic.id) } " · "
                (counted(topic.new, "new document", "new documents"))
                @if let Some(since) = &topic.since { " since " (since) }
            }
            ol.hits {
                @for story in &topic.stories {
                    li.hit {
                        h3 { a href=(document_href(&story.hit.id)) { (story.hit.title.as_deref().unwrap_or("(untitled)")) } }
                        p.meta {
                            (story.hit.date.as_deref().unwrap_or("undated"))
                            @if let Some(source) = &story.hit.source { " · " (source) }
                            @if !story.also_in.is_empty() {
                                " · also in " (counted(story.also_in.len() as u64, "other document", "other documents")) ": "
                                @for copy in &story.also_in {
                                    a href=(document_href(&copy.id)) { (copy.source.as_deref().unwrap_or(&copy.id)) } " "
                                }
                            }
                        }
                        @if !story.why.is_empty() { p.why { "Why: " (story.why.join("; ")) } }
                    }
                }
            }
        }
    }
}

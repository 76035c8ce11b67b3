//! The pages that describe the index as a whole: its entities (what `entities` lists, by type,
//! with the spellings seen) and its statistics (what `stats` prints).

use std::sync::Arc;

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use maud::{html, Markup};

use super::html::{href, Nav};
use super::pages::answered_page;
use super::params::{self, SearchParams, SummaryParams};
use super::Shared;
use crate::query::{self, EntityRow, Stats, StatsRequest};

/// `/entities`: the most named entities (`type` and `top` as `entities --type --top`, and the
/// date filters), each linking to its documents.
pub async fn entities(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let query = uri.query().map(str::to_string);
    let work = move |shared: &Shared| {
        let request = params::parse::<SummaryParams>(query.as_deref())?.entities_request()?;
        let opened = shared.open()?;
        Ok(query::entities(&opened, &request)?)
    };
    answered_page(shared, "Entities", Nav::Entities, html! {}, work, |rows| {
        entities_view(rows)
    })
    .await
}

fn entities_view(rows: &[EntityRow]) -> Markup {
    html! {
        h1 { "Entities" }
        p.summary {
            "By type: "
            @for kind in ["person", "org", "place", "other"] {
                a href={ "/entities?type=" (kind) } { (kind) } " "
            }
        }
        table.topics {
            thead { tr {
                th { "entity" } th { "type" } th.num { "documents" } th { "first" } th { "last" }
                th { "peak month" } th { "spellings" }
            } }
            tbody {
                @for row in rows {
                    @let filter = SearchParams { entity: vec![format!("{}/{}", row.kind, row.name)], ..SearchParams::default() };
                    tr {
                        td { a href=(href("/", &filter)) { (row.name) } }
                        td { (row.kind) }
                        td.num { (row.count) }
                        td.day { (row.first.as_deref().unwrap_or("-")) }
                        td.day { (row.last.as_deref().unwrap_or("-")) }
                        td.day { @if let Some(peak) = &row.peak { (peak) " (" (row.peak_count) ")" } @else { "-" } }
                        td {
                            @for (at, alias) in row.aliases.iter().enumerate() {
                                @if at > 0 { ", " }
                                (alias.alias) " (" (alias.count) ")"
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `/stats`: what `stats` prints.
pub async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    let work = |shared: &Shared| {
        let opened = shared.open()?;
        Ok(query::stats(&opened, &StatsRequest)?)
    };
    answered_page(shared, "Statistics", Nav::Stats, html! {}, work, stats_view).await
}

fn stats_view(stats: &Stats) -> Markup {
    html! {
        h1 { "Statistics" }
        table.topics {
            tbody {
                tr { th { "documents" } td.num { (stats.documents) } }
                tr { th { "dates" } td { (stats.first_date.as_deref().unwrap_or("-")) " to " (stats.last_date.as_deref().unwrap_or("-")) } }
                tr { th { "undated" } td.num { (stats.undated) } }
                tr { th { "languages" } td {
                    @for (at, (lang, count)) in stats.languages.iter().enumerate() {
                        @if at > 0 { ", " }
                        (lang) " " (count)
                    }
                } }
                tr { th { "topics found" } td.num { (stats.topics) } }
                tr { th { "entities found" } td.num { (stats.entities) } }
                tr { th { "index size" } td.num { (format!("{:.1} MiB", stats.index_bytes as f64 / (1024.0 * 1024.0))) } }
            }
        }
    }
}

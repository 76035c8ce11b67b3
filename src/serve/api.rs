//! The JSON API under `/api/`: each route takes the parameters of a CLI command's flags, builds the
//! command's request type and answers with the very value the command prints with `--json`
//! (serialised the same way), so the shapes cannot drift apart.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::params::{self, FacetsParams, Refused, SearchParams, SummaryParams, TimelineParams};
use super::reply::json;
use super::Shared;
use crate::index::OpenIndex;
use crate::query::{self, ShowRequest, StatsRequest};

/// Reads the parameters `P`, makes the request with `make`, opens the index and answers with `read`.
async fn answer<P, R, T>(
    shared: Arc<Shared>,
    uri: Uri,
    make: fn(P) -> Result<R, Refused>,
    read: fn(&OpenIndex, &R) -> crate::Result<T>,
) -> Response
where
    P: DeserializeOwned + Default + Send + 'static,
    R: Send + 'static,
    T: Serialize + Send + 'static,
{
    let query = uri.query().map(str::to_string);
    let answered = shared
        .answer(move |shared| {
            let request = make(params::parse(query.as_deref())?)?;
            let opened = shared.open()?;
            Ok(read(&opened, &request)?)
        })
        .await;
    match answered {
        Ok(value) => json(StatusCode::OK, &value),
        Err(failure) => failure.into_response(),
    }
}

/// `/api/search`: `search QUERY --json` (`q` is the query; `facets=true` is `--facets`).
pub async fn search(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    answer(
        shared,
        uri,
        |params: SearchParams| refuse_page_only(&params)?.search_request(10),
        query::search,
    )
    .await
}

/// `/api/facets`: `facets [QUERY] --json`.
pub async fn facets(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    answer(shared, uri, FacetsParams::request, query::facets).await
}

/// `/api/timeline`: `timeline TOPIC... --json`.
pub async fn timeline(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    answer(shared, uri, TimelineParams::request, query::timeline).await
}

/// `/api/topics`: `topics --json`.
pub async fn topics(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    answer(
        shared,
        uri,
        |params: SummaryParams| params.topics_request(),
        query::topics,
    )
    .await
}

/// `/api/entities`: `entities --json`.
pub async fn entities(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    answer(
        shared,
        uri,
        |params: SummaryParams| params.entities_request(),
        query::entities,
    )
    .await
}

/// `/api/stats`: `stats --json`.
pub async fn stats(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    answer(shared, uri, |_: NoParams| Ok(StatsRequest), query::stats).await
}

/// `/api/show/ID`: `show ID --json`.
pub async fn show(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let answered = shared
        .answer(move |shared| {
            let opened = shared.open()?;
            Ok(query::show(&opened, &ShowRequest { id })?)
        })
        .await;
    match answered {
        Ok(shown) => json(StatusCode::OK, &shown),
        Err(failure) => failure.into_response(),
    }
}

/// A route that takes no parameter refuses any.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NoParams {}

/// The search page's own parameters (`by`, `share`) mean nothing to `/api/search`.
fn refuse_page_only(params: &SearchParams) -> Result<SearchParams, Refused> {
    if params.by.is_some() || params.share.is_some() {
        return Err(super::reply::Failure::bad_request(
            "bad request parameters: by and share belong to /timeline and /api/timeline",
        )
        .into());
    }
    Ok(params.clone().cleaned())
}

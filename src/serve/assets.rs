//! The page's only asset, its stylesheet, compiled into the binary (no CDN, nothing fetched).

use axum::http::StatusCode;
use axum::response::Response;

use super::reply::with_type;

const STYLE: &str = include_str!("style.css");

pub async fn style() -> Response {
    let mut response = with_type(StatusCode::OK, "text/css; charset=utf-8", STYLE.to_string());
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("max-age=300"),
    );
    response
}

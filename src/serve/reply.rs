//! Responses shared by the routes: JSON, plain text, and the status a library error maps to.

use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::Error;

/// A request that cannot be answered: the status and the one-line message a CLI user would read.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub message: String,
}

impl Failure {
    pub fn bad_request(message: impl Into<String>) -> Failure {
        Failure {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// A library error: the user's to mend (400, or 404 for an unknown document) or ours (500).
    pub fn from_error(err: &Error, message: String) -> Failure {
        let status = match err {
            Error::UnknownDocument { .. } => StatusCode::NOT_FOUND,
            Error::NoIndex { .. } | Error::IndexInUse { .. } => StatusCode::SERVICE_UNAVAILABLE,
            known if known.is_user_error() => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Failure { status, message }
    }
}

/// The API's error body: `{"error": "..."}`.
#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        json(
            self.status,
            &ErrorBody {
                error: &self.message,
            },
        )
    }
}

/// `value` as pretty JSON, exactly as the CLI's `--json` prints it (with the final newline).
pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_string_pretty(value) {
        Ok(mut text) => {
            text.push('\n');
            with_type(status, "application/json", text)
        }
        Err(err) => plain(StatusCode::INTERNAL_SERVER_ERROR, err.to_string()),
    }
}

pub fn plain(status: StatusCode, text: String) -> Response {
    with_type(status, "text/plain; charset=utf-8", text + "\n")
}

pub fn with_type(status: StatusCode, content_type: &'static str, body: String) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// A download: the body with its type and a `Content-Disposition` (`attachment; filename=...`).
pub fn attachment(content_type: &'static str, disposition: &'static str, body: String) -> Response {
    let mut response = with_type(StatusCode::OK, content_type, body);
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static(disposition),
    );
    response
}

pub async fn not_found() -> Response {
    plain(
        StatusCode::NOT_FOUND,
        "no such page; / is the search page, /api/search the API".to_string(),
    )
}

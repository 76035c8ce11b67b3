//! A document named in a report (the documents behind a rise or a burst): its id, title and date.

use serde::Serialize;

use super::request::Hit;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentRef {
    pub id: String,
    pub title: Option<String>,
    pub date: Option<String>,
}

impl From<Hit> for DocumentRef {
    fn from(hit: Hit) -> DocumentRef {
        DocumentRef {
            id: hit.id,
            title: hit.title,
            date: hit.date,
        }
    }
}

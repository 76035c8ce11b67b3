//! The record that flows through the pipeline: what a reader found in a file, before and after enrichment.

use std::path::PathBuf;

/// One document as read from a file, before enrichment.
///
/// Readers fill what the file carries; everything else stays `None` or empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceDoc {
    /// Stable id: the record's own id field where it has one, else derived from the path
    /// (plus the line number for JSON Lines, or the array index for JSON arrays).
    pub id: String,
    /// The file the document came from.
    pub path: PathBuf,
    /// 1-based line number for JSON Lines records, 1-based position for JSON array items.
    pub line: Option<u64>,
    pub title: Option<String>,
    /// Plain text of the document (HTML already turned into visible text).
    pub body: String,
    /// The raw publication date string from metadata (front matter, JSON field, HTML meta), unparsed.
    pub date_raw: Option<String>,
    /// The metadata key `date_raw` was found under (`date`, `published`, `article:published_time`…),
    /// for warnings about a value that is not a date.
    pub date_key: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// Language the input declares (`lang` field), unvalidated.
    pub lang: Option<String>,
    /// Labels the input carries: front-matter `tags`, JSON `category`, `section`, `tags`.
    pub tags: Vec<String>,
    /// Any other scalar metadata keys, kept for `show`.
    pub metadata: Vec<(String, String)>,
    /// A mail or news message: `date_raw` is its `Date` header, and the body may hold quoted
    /// replies and a signature, which enrichment leaves out (see `enrich::quoting`).
    pub mail: bool,
}

/// Where a document's publication date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    Metadata,
    /// Metadata that gives only a year (`2025`): the date is 1 January.
    MetadataYear,
    /// Metadata that gives only a year and month (`2025-05`, `mayo de 2025`): the date is the 1st.
    MetadataMonth,
    Filename,
    Text,
    /// The `Date` header of a mail or news message.
    MailHeader,
}

impl DateSource {
    /// The spelling stored in the index and shown by `show` and `show --json`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Metadata => "metadata",
            DateSource::MetadataYear => "metadata, year only",
            DateSource::MetadataMonth => "metadata, month only",
            DateSource::Filename => "filename",
            DateSource::Text => "text",
            DateSource::MailHeader => "mail header",
        }
    }

    /// The source a stored [`DateSource::as_str`] names.
    pub fn from_stored(text: &str) -> Option<DateSource> {
        [
            DateSource::Metadata,
            DateSource::MetadataYear,
            DateSource::MetadataMonth,
            DateSource::Filename,
            DateSource::Text,
            DateSource::MailHeader,
        ]
        .into_iter()
        .find(|source| source.as_str() == text)
    }
}

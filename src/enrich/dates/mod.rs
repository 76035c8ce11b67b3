//! Dates for each document: when it was published (from metadata, file name or text) and which dates
//! it talks about, in English and Spanish, written as people and machine translators write them.
//!
//! Hand-written rather than a date-parsing crate: the crates that parse free text are English-only and
//! none resolves partial dates ("17 de febrero", "en abril") against a publication date. chrono still
//! does the calendar arithmetic and the RFC 3339 / RFC 2822 parsing.

mod mail;
mod mentioned;
mod months;
mod parse;
mod publication;
mod scan;

pub use mentioned::{mentioned_dates, MentionedDate, Precision};
pub(crate) use months::{is_month_word, is_weekday_name};
pub use publication::{publication, publication_date, Publication};
#[cfg(test)]
use {parse::parse_date_lenient, publication::publication_date_in_text};

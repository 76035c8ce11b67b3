//! topictrack: index folders of Spanish and English news into tantivy, with publication dates, entities
//! and topics on every document, and search, count and chart them through time.
//!
//! The binary (`src/main.rs`) only turns flags into requests and prints; everything else lives
//! here, in layers that depend one way (bottom first; `src/layers.rs` checks it):
//!
//! 1. [`text`] (folding, word tokens), [`keys`] (the encodings the index stores), [`document`]
//!    (the record that flows through the pipeline) and [`error`];
//! 2. [`corpus`] reads files into documents; [`taxonomy`] holds topic and entity definitions;
//! 3. [`enrich`] finds language, dates, entities and topics ([`enrich::Enricher`]);
//! 4. [`index`] writes the tantivy index and opens it ([`index::run`], [`index::OpenIndex`]);
//! 5. [`query`] answers one request type per read ([`query::SearchRequest`] and the others);
//! 6. [`render`] turns results into text, tables, CSV and charts;
//! 7. [`serve`] answers the same requests over HTTP, as a web page and a JSON API.

pub mod corpus;
pub mod document;
pub mod enrich;
pub mod error;
pub mod index;
pub mod keys;
pub mod query;
pub mod render;
pub mod serve;
pub mod taxonomy;
pub mod text;

#[cfg(test)]
mod layers;

pub use error::{Error, Result};

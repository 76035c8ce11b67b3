//! topictrack: index folders of Spanish and English news into tantivy, with publication dates, entities
//! and topics on every document, and search, count and chart them through time.
//!
//! The binary (`src/main.rs`) only parses arguments and prints; everything else lives here:
//! [`corpus`] reads files, [`enrich`] finds language, dates, entities and topics, [`taxonomy`] holds the
//! topic and entity definitions, [`index`] writes the tantivy index, [`query`] reads it and [`render`]
//! turns results into tables, CSV and charts. [`text`] (folding and word tokens) and [`keys`] are leaves
//! that every layer may use.

pub mod corpus;
pub mod document;
pub mod enrich;
pub mod error;
pub mod index;
pub mod keys;
pub mod query;
pub mod render;
pub mod taxonomy;
pub mod text;

#[cfg(test)]
mod layers;

pub use error::{Error, Result};

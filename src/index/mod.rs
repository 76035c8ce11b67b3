//! The tantivy index: schema and analyzers, the index folder, and the incremental indexing run.

pub mod build;
mod cached_stemmer;
pub mod document;
pub mod ignore;
pub mod merge;
pub mod rules;
pub mod schema;
pub mod state;
pub mod store;

pub use build::{run, IndexReport, IndexRequest, Notice, Progress, Silent};
pub use store::{open_existing, OpenIndex};

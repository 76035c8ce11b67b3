//! The tantivy index: schema and analyzers, the query language over its fields, the index folder,
//! what is stored per document, and the incremental indexing run.

mod build;
mod cached_stemmer;
mod ignore;
mod merge;
mod query_or;
mod query_prefix;
pub(crate) mod query_syntax;
mod query_topics;
mod rebuild;
pub(crate) mod resolve;
mod roots;
mod saved_taxonomy;
pub(crate) mod schema;
pub(crate) mod signature;
mod state;
mod store;
pub(crate) mod stored;
mod writing;

pub use build::{run, IndexReport, IndexRequest, Notice, Progress, Silent};
pub use roots::{list_roots, missing_roots, ForgottenRoot, MovedRoot, RootInfo};
pub use store::{open_existing, OpenIndex};
pub use stored::{StoredDetails, StoredEntity, StoredMetadata};

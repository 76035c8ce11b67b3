//! The tantivy index: schema and analyzers, the query language over its fields, the index folder,
//! what is stored per document, and the incremental indexing run.

mod build;
mod cached_stemmer;
mod checkpoints;
mod ignore;
mod listed;
mod members;
mod merge;
pub mod profile;
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
mod urls;
mod user_topics;
mod writing;

pub use build::{run, IndexReport, IndexRequest, Notice, Progress, Silent, StdinSource};
pub use checkpoints::Checkpoints;
pub use listed::ListedDocs;
pub use roots::{list_roots, missing_roots, ForgottenRoot, MovedRoot, RootInfo};
pub use state::{TopicRule, UserTopic};
pub use store::{open_existing, OpenIndex};
pub use stored::{StoredDetails, StoredEntity, StoredMetadata};
pub(crate) use user_topics::not_a_user_topic;
pub use user_topics::{
    add_topic, refine_topic, remove_topic, user_topics, AddTopicRequest, NewRule, TopicChange,
};

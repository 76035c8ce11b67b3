//! The integration tests, gathered in one test crate so that tantivy and the library are linked
//! into one binary instead of one per file (`cargo test --test cli`). Each module is a subject;
//! `support` holds the workspace fixture and the assertions they share.
//!
//! Run one subject with a filter: `cargo test --test cli robustness_files::`.

mod support;

mod archives;
mod browser;
mod cli_surface;
mod corpus_edges;
mod dates_edges;
mod documents;
mod enrichment;
mod errors;
mod facets_segments;
mod facets_timeline;
mod feeds;
mod fuzz_parsers;
mod ids;
mod index_runs;
mod indexing;
mod mail;
mod messages;
mod query_language;
mod real_corpora;
mod robustness_concurrency;
mod robustness_corruption;
mod robustness_crash;
mod robustness_files;
mod robustness_panic;
mod robustness_queries;
mod roots;
mod searching;
mod serve;
mod stamps;
mod summaries;
mod taxonomy;
mod track;
mod trends;
mod user_topics;

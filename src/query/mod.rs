//! Reading the index: filters, search, facets, timelines, summaries, stats and single documents.

pub mod facets;
pub mod filters;
pub mod listing;
pub mod parse;
pub mod periods;
pub mod search;
mod segment_top;
pub mod show;
pub mod stats;
pub mod summary;
pub mod timeline;

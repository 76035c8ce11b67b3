//! Reading the index: filters, search, facets, timelines, summaries, stats and single documents.

mod columns;
pub mod day_counts;
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
#[cfg(test)]
mod test_index;
pub mod timeline;

//! `facets`: what the documents matching a query talk about — topics, entities by kind, tags,
//! languages, sources and years, with counts.

use super::Matching;
use crate::error::Result;
use crate::index::OpenIndex;
use crate::query::facets::{count_facets_for_taxonomy, FacetCounts};
use crate::query::filters::Filters;

/// `facets`: counts over the documents matching `query` (`*` for all) and the filters.
#[derive(Debug, Clone)]
pub struct FacetsRequest {
    pub query: String,
    pub filters: Filters,
    /// Values kept per group (per entity kind for entities); 0 keeps them all.
    pub top: usize,
}

/// Counts the facets; parent topics count the documents of every topic below them once.
pub fn facets(opened: &OpenIndex, request: &FacetsRequest) -> Result<FacetCounts> {
    let matching = Matching::new(opened, &request.query, &request.filters)?;
    count_facets_for_taxonomy(opened, &matching.searcher, &*matching.query, request.top)
        .map_err(|err| opened.explained(err))
}

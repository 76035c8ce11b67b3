//! The reads the commands make, one request type each — search, facets, timeline, trends,
//! topics, entities, show, stats — checked here and answered from an opened index.
//!
//! Requests hold no tantivy types (they are plain data a command fills from its flags, or that
//! another engine could answer); their errors name request fields, never flags. Tantivy errors met
//! while answering go through `OpenIndex::explain`, the one place that tells a damaged index from
//! a request the index cannot answer.

mod bursts;
mod facets;
mod listing;
mod search;
mod show;
mod stats;
mod timeline;
mod track;
mod trend_terms;
mod trends;
mod user_topics;

use tantivy::query::Query;
use tantivy::Searcher;

pub use bursts::{bursts, BurstsReport, BurstsRequest, RankedBurst};
pub use facets::{facets, FacetsRequest};
pub use listing::{
    entities, topics, AliasCount, EntitiesRequest, EntityRow, TopicRow, TopicsRequest,
};
pub use search::{search, Hit, SearchRequest, SearchResults, Snippet, SortOrder};
pub use show::{show, ShowRequest, ShownDocument, TopicEvidence};
pub use stats::{stats, Stats, StatsRequest};
pub use timeline::{timeline, Series, TimelineRequest};
pub use track::{track, AlsoIn, Story, TopicNews, TrackReport, TrackRequest};
pub use trends::{
    parse_days, trends, Baseline, KindTrends, Span, TrendItem, TrendKind, TrendsReport,
    TrendsRequest,
};
pub use user_topics::{user_topic_row, user_topic_rows, LearnedSummary, UserTopicRow};

use super::filters::Filters;
use crate::error::Result;
use crate::index::query_syntax::{parse_query, Names};
use crate::index::OpenIndex;

/// The documents a query text and filters select, as search and facets count them.
pub(crate) struct Matching {
    pub searcher: Searcher,
    /// The user's query alone (what snippets highlight).
    pub user_query: Box<dyn Query>,
    /// The user's query narrowed by the filters.
    pub query: Box<dyn Query>,
}

impl Matching {
    /// Parses `text`, resolves the filters against the index and narrows the query.
    pub(crate) fn new(index: &OpenIndex, text: &str, filters: &Filters) -> Result<Matching> {
        let taxonomy = index.taxonomy();
        let searcher = index.reader()?.searcher();
        let names = Names {
            taxonomy,
            searcher: Some(&searcher),
            members: None,
        };
        let user_query = parse_query(index, &names, text)?;
        let mut filters = filters.clone();
        filters.resolve(index, &searcher)?;
        let query = filters.apply(user_query.box_clone(), index, &searcher)?;
        Ok(Matching {
            searcher,
            user_query,
            query,
        })
    }
}

//! Reading the index: one request type per read (in [`request`]), answered by the counting
//! engines beside it — filters, facet and per-day collectors, per-term summaries, calendar periods.

pub mod bursts;
mod columns;
pub mod copies;
pub(crate) mod day_counts;
mod document_ref;
pub(crate) mod facets;
pub(crate) mod filters;
pub(crate) mod periods;
pub mod request;
pub mod rising;
mod segment_top;
pub mod since;
pub(crate) mod summary;
mod term_counts;
#[cfg(test)]
mod test_index;
pub(crate) mod timeline;

pub use document_ref::DocumentRef;
pub use facets::{FacetCounts, FacetGroups, FacetValue};
pub use filters::{parse_date_arg, Filters, RangeEnd};
pub use periods::Interval;
pub use request::*;
pub use since::parse_since;
pub use timeline::{BurstSpan, Point, SeriesLine, Timeline};

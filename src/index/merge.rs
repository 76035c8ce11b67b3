//! When segments merge: in groups bounded by their total size, so that the memory one merge
//! touches stays bounded however large the index grows.
//!
//! A merge reads all its input segments through memory maps, and every page it touches counts
//! in the process's resident memory. tantivy's `LogMergePolicy` merges every segment of a size
//! level at once, and a level can hold many segments, so on a 1 M document run one merge read
//! most of the index and the run peaked above 1 GiB. Here a merge takes small segments, smallest
//! first, only while their documents add up to at most [`MAX_MERGED_DOCS`]; a segment that has
//! reached half of that is left alone unless deletions have emptied much of it.

use tantivy::indexer::{MergeCandidate, MergePolicy};
use tantivy::SegmentMeta;

/// The most documents a merge may produce.
pub const MAX_MERGED_DOCS: u32 = 250_000;
/// Fewer segments than this are not worth a merge.
const MIN_SEGMENTS: usize = 4;
/// More segments than this in one merge would only be merged again later at a larger size.
const MAX_SEGMENTS: usize = 8;
/// A large segment with this share of deleted documents or more is rewritten on its own.
const DELETED_SHARE: f64 = 0.3;

/// The merge policy of an indexing run (see the module documentation).
#[derive(Debug, Default)]
pub struct BoundedMerges;

impl MergePolicy for BoundedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let sizes: Vec<SegmentSize<_>> = segments
            .iter()
            .map(|segment| SegmentSize {
                id: segment.id(),
                live: segment.num_docs(),
                deleted: segment.num_deleted_docs(),
            })
            .collect();
        plan_merges(&sizes)
            .into_iter()
            .map(MergeCandidate)
            .collect()
    }
}

/// What the plan needs to know of a segment.
#[derive(Debug, Clone, Copy)]
struct SegmentSize<Id> {
    id: Id,
    live: u32,
    deleted: u32,
}

/// Segments to merge: the smallest segments, at most [`MAX_SEGMENTS`] of them and at most
/// [`MAX_MERGED_DOCS`] live documents together, when they are [`MIN_SEGMENTS`] or make a
/// segment of at least half the bound; plus any large segment with many deletions, on its own.
fn plan_merges<Id: Copy>(segments: &[SegmentSize<Id>]) -> Vec<Vec<Id>> {
    let done = MAX_MERGED_DOCS / 2;
    let mut plans: Vec<Vec<Id>> = segments
        .iter()
        .filter(|segment| segment.live >= done)
        .filter(|segment| {
            let total = f64::from(segment.live) + f64::from(segment.deleted);
            total > 0.0 && f64::from(segment.deleted) / total >= DELETED_SHARE
        })
        .map(|segment| vec![segment.id])
        .collect();
    let mut small: Vec<&SegmentSize<Id>> = segments
        .iter()
        .filter(|segment| segment.live < done)
        .collect();
    small.sort_by_key(|segment| segment.live);
    let mut group: Vec<Id> = Vec::new();
    let mut docs: u32 = 0;
    for segment in small {
        if docs.saturating_add(segment.live) > MAX_MERGED_DOCS || group.len() == MAX_SEGMENTS {
            // The rest are no smaller: this group cannot grow by waiting.
            break;
        }
        group.push(segment.id);
        docs = docs.saturating_add(segment.live);
    }
    // Four small segments make a merge; two or three do when the result is large enough to be
    // left alone afterwards (larger segments could never gather four under the bound).
    let worth_it = group.len() >= MIN_SEGMENTS || (group.len() >= 2 && docs >= done);
    if worth_it {
        plans.push(group);
    }
    plans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(live: &[u32]) -> Vec<SegmentSize<usize>> {
        live.iter()
            .enumerate()
            .map(|(id, &live)| SegmentSize {
                id,
                live,
                deleted: 0,
            })
            .collect()
    }

    fn merged_docs(segments: &[SegmentSize<usize>], plan: &[usize]) -> u32 {
        plan.iter().map(|&id| segments[id].live).sum()
    }

    #[test]
    fn waits_for_enough_small_segments() {
        assert!(plan_merges(&sizes(&[40_000, 40_000, 40_000])).is_empty());
        let segments = sizes(&[40_000, 41_000, 39_000, 42_000]);
        assert_eq!(plan_merges(&segments), vec![vec![2, 0, 1, 3]]);
    }

    #[test]
    fn no_merge_produces_more_than_the_bound() {
        let segments = sizes(&[60_000, 70_000, 80_000, 90_000, 100_000, 30_000]);
        let plans = plan_merges(&segments);
        assert_eq!(plans.len(), 1);
        let docs = merged_docs(&segments, &plans[0]);
        assert!(docs <= MAX_MERGED_DOCS, "{docs}");
        assert_eq!(
            plans[0],
            vec![5, 0, 1, 2],
            "smallest first, stopping before the bound"
        );
        // Segments too large for four to fit still merge in twos into one that is then left alone.
        let segments = sizes(&[100_000, 110_000, 120_000]);
        assert_eq!(plan_merges(&segments), vec![vec![0, 1]]);
        // Two small ones do not: they wait for more.
        assert!(plan_merges(&sizes(&[50_000, 60_000])).is_empty());
    }

    #[test]
    fn large_segments_are_left_alone_unless_mostly_deleted() {
        let mut segments = sizes(&[200_000, 240_000, 130_000, 125_000]);
        assert!(plan_merges(&segments).is_empty());
        segments[1].deleted = 120_000;
        assert_eq!(plan_merges(&segments), vec![vec![1]]);
    }

    #[test]
    fn many_tiny_segments_merge_eight_at_a_time() {
        let segments = sizes(&[1_000; 20]);
        let plans = plan_merges(&segments);
        assert_eq!(plans.len(), 1);
        assert_eq!(plans[0].len(), MAX_SEGMENTS);
    }
}

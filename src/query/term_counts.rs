//! Term counts for `trends --kind term`: how many documents of the window and of the baseline
//! carry each term key, from the `term` fast column written at index time.
//!
//! Each period is one pass of an [`OrdCounter`] per segment (the counter the facet collector
//! uses). Only the window's counted ordinals become strings; a term that reaches the window's
//! minimum is then looked up by text in every segment's dictionary for its baseline count, so
//! the baseline's much larger vocabulary is never turned into text.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Query;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::columns::{OrdCounter, PendingRun, ToCount};
use crate::index::schema::Fields;

/// One term's documents in the two periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TermCount {
    pub key: String,
    pub window: u64,
    pub baseline: u64,
}

/// The terms carried by at least `min_window` documents of `window`, with their counts there and
/// in `baseline`.
pub(crate) fn count_terms(
    searcher: &Searcher,
    fields: &Fields,
    window: &dyn Query,
    baseline: &dyn Query,
    min_window: u64,
) -> tantivy::Result<Vec<TermCount>> {
    let collector = TermColumn {
        field: fields.schema.get_field_name(fields.term).to_string(),
    };
    let mut in_window: HashMap<String, u64> = HashMap::new();
    for counter in searcher.search(window, &collector)? {
        for (key, count) in counter.into_terms()? {
            *in_window.entry(key).or_default() += count;
        }
    }
    in_window.retain(|_, count| *count >= min_window.max(1));
    let in_baseline = searcher.search(baseline, &collector)?;
    let mut out = Vec::with_capacity(in_window.len());
    for (key, window) in in_window {
        let mut baseline = 0;
        for counter in &in_baseline {
            baseline += counter.count_of_term(&key)?;
        }
        out.push(TermCount {
            key,
            window,
            baseline,
        });
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(out)
}

/// Counts one keyword column's ordinals per segment.
struct TermColumn {
    field: String,
}

struct TermSegment {
    counter: OrdCounter,
    pending: PendingRun,
}

impl Collector for TermColumn {
    type Fruit = Vec<OrdCounter>;
    type Child = TermSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<TermSegment> {
        Ok(TermSegment {
            counter: OrdCounter::open(reader, &self.field)?,
            pending: PendingRun::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<OrdCounter>) -> tantivy::Result<Vec<OrdCounter>> {
        Ok(fruits)
    }
}

impl SegmentCollector for TermSegment {
    type Fruit = OrdCounter;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.collect_block(&[doc]);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        let ToCount { run, scattered } = self.pending.offer(docs);
        if let Some(run) = run {
            self.counter.add_range(run);
        }
        if let Some(docs) = scattered {
            self.counter.add_block(docs);
        }
    }

    fn harvest(mut self) -> OrdCounter {
        if let Some(run) = self.pending.finish() {
            self.counter.add_range(run);
        }
        self.counter
    }
}

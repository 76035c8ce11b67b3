//! Term counts for `trends --kind term`: how many documents of the window and of the baseline
//! carry each term key, from the `term` fast column written at index time.
//!
//! Each period is one pass of an [`OrdCounter`] per segment (the counter the facet collector
//! uses). Only the window's counted ordinals become strings; a term that reaches the window's
//! minimum is then looked up by text in every segment's dictionary for its baseline count, so
//! the baseline's much larger vocabulary is never turned into text.
//!
//! The column has no postings (they would cost a third more indexing time for a field only
//! `trends` reads), so the documents carrying a listed term are found here too, by
//! [`carriers`]: one pass over the column for all listed terms at once.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::index::SegmentId;
use tantivy::query::Query;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::columns::{OrdCounter, PendingRun, ToCount};
use crate::index::schema::Fields;
use crate::index::ListedDocs;

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

/// The documents carrying each of some term keys, as queries.
#[derive(Debug, Default)]
pub(crate) struct Carriers {
    by_key: HashMap<String, ListedDocs>,
}

impl Carriers {
    /// The documents found carrying `key` (none for a key that was not asked for).
    pub(crate) fn query(&self, key: &str) -> ListedDocs {
        self.by_key.get(key).cloned().unwrap_or_default()
    }
}

/// Finds the documents of `scope` that carry each of `keys`, in one pass over the term column.
pub(crate) fn carriers(
    searcher: &Searcher,
    fields: &Fields,
    scope: &dyn Query,
    keys: &[String],
) -> tantivy::Result<Carriers> {
    let collector = CarrierColumn {
        field: fields.schema.get_field_name(fields.term).to_string(),
        keys,
    };
    let mut lists: Vec<HashMap<SegmentId, Vec<DocId>>> = vec![HashMap::new(); keys.len()];
    for (segment, per_key) in searcher.search(scope, &collector)? {
        for (at, docs) in per_key.into_iter().enumerate() {
            if !docs.is_empty() {
                lists[at].insert(segment, docs);
            }
        }
    }
    Ok(Carriers {
        by_key: keys
            .iter()
            .cloned()
            .zip(lists.into_iter().map(ListedDocs::new))
            .collect(),
    })
}

/// Collects, per segment, the documents carrying each wanted key.
struct CarrierColumn<'a> {
    field: String,
    keys: &'a [String],
}

struct CarrierSegment {
    segment: SegmentId,
    column: Option<StrColumn>,
    /// Term ordinal of the segment → position of its key in the wanted keys.
    wanted: FxHashMap<u64, usize>,
    /// Per wanted key, its documents (ascending, as collected).
    docs: Vec<Vec<DocId>>,
    ords: Vec<u64>,
}

impl Collector for CarrierColumn<'_> {
    type Fruit = Vec<(SegmentId, Vec<Vec<DocId>>)>;
    type Child = CarrierSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<CarrierSegment> {
        let column = reader.fast_fields().str(&self.field)?;
        let mut wanted = FxHashMap::default();
        if let Some(column) = &column {
            for (at, key) in self.keys.iter().enumerate() {
                if let Some(ord) = column.dictionary().term_ord(key.as_bytes())? {
                    wanted.insert(ord, at);
                }
            }
        }
        Ok(CarrierSegment {
            segment: reader.segment_id(),
            // A segment with none of the keys has nothing to read.
            column: column.filter(|_| !wanted.is_empty()),
            wanted,
            docs: vec![Vec::new(); self.keys.len()],
            ords: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(SegmentId, Vec<Vec<DocId>>)>,
    ) -> tantivy::Result<Self::Fruit> {
        Ok(fruits)
    }
}

impl SegmentCollector for CarrierSegment {
    type Fruit = (SegmentId, Vec<Vec<DocId>>);

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(column) = &self.column else {
            return;
        };
        self.ords.clear();
        self.ords.extend(column.term_ords(doc));
        for ord in &self.ords {
            if let Some(&at) = self.wanted.get(ord) {
                self.docs[at].push(doc);
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.segment, self.docs)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::Count;
    use tantivy::query::AllQuery;

    use super::*;
    use crate::query::test_index::{build_index, dated, term, TestDoc};

    fn with_terms(
        day: u64,
        topics: &'static [&'static str],
        terms: &'static [&'static str],
    ) -> TestDoc<'static> {
        TestDoc {
            terms,
            ..dated(day, topics)
        }
    }

    fn corpus() -> (tantivy::Index, Fields) {
        build_index(&[
            with_terms(20250101, &["trade"], &["chip", "tariff"]),
            with_terms(20250102, &[], &["chip"]),
            with_terms(20250103, &["trade"], &["tariff", "japan chip"]),
            with_terms(20250104, &["trade"], &["chip", "japan chip"]),
            with_terms(20250105, &[], &[]),
            with_terms(20250106, &["trade"], &["rice"]),
            with_terms(20250107, &["trade"], &["chip"]),
        ])
    }

    #[test]
    fn terms_are_counted_in_the_window_and_the_baseline() {
        let (index, fields) = corpus();
        let searcher = index.reader().unwrap().searcher();
        let trade = term(fields.topic, "trade");
        let counts = count_terms(&searcher, &fields, &*trade, &AllQuery, 2).unwrap();
        let found: Vec<(&str, u64, u64)> = counts
            .iter()
            .map(|count| (count.key.as_str(), count.window, count.baseline))
            .collect();
        // "rice" is in one trade document only, below the minimum of two.
        assert_eq!(
            found,
            vec![("chip", 3, 4), ("japan chip", 2, 2), ("tariff", 2, 2)]
        );
    }

    #[test]
    fn carriers_are_the_documents_of_the_scope_with_each_term() {
        let (index, fields) = corpus();
        let searcher = index.reader().unwrap().searcher();
        let keys = ["chip", "japan chip", "absent"].map(String::from);
        let all = carriers(&searcher, &fields, &AllQuery, &keys).unwrap();
        let count = |query: &ListedDocs| searcher.search(query, &Count).unwrap();
        assert_eq!(count(&all.query("chip")), 4);
        assert_eq!(count(&all.query("japan chip")), 2);
        assert_eq!(count(&all.query("absent")), 0);
        assert_eq!(count(&all.query("never asked")), 0);
        // Within a scope, only its documents.
        let trade = term(fields.topic, "trade");
        let in_trade = carriers(&searcher, &fields, &*trade, &keys).unwrap();
        assert_eq!(count(&in_trade.query("chip")), 3);
    }
}

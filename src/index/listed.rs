//! A query over documents found beforehand: per segment, a sorted list of document ids.
//!
//! Used where the documents that carry something were found beforehand and later steps need them
//! as a query to combine with others: the members of user topics (kept beside the segments, see
//! [`super::members`]) and the terms of `trends` (read from a column that has no postings).

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, TERMINATED};

/// The documents of each segment (ids ascending); a segment missing from the map has none.
#[derive(Debug, Clone, Default)]
pub struct ListedDocs {
    by_segment: Arc<HashMap<SegmentId, Arc<[DocId]>>>,
}

impl ListedDocs {
    /// Each list is sorted and freed of repeats here.
    pub(crate) fn new(by_segment: HashMap<SegmentId, Vec<DocId>>) -> ListedDocs {
        let by_segment = by_segment
            .into_iter()
            .map(|(segment, mut docs)| {
                docs.sort_unstable();
                docs.dedup();
                (segment, Arc::from(docs))
            })
            .collect();
        ListedDocs {
            by_segment: Arc::new(by_segment),
        }
    }

    /// Lists already sorted and free of repeats (read back from where they were saved).
    pub(crate) fn from_sorted(by_segment: HashMap<SegmentId, Arc<[DocId]>>) -> ListedDocs {
        ListedDocs {
            by_segment: Arc::new(by_segment),
        }
    }

    /// The listed documents of one segment, ascending (none when the segment is not listed).
    pub(crate) fn in_segment(&self, segment: SegmentId) -> Arc<[DocId]> {
        self.by_segment
            .get(&segment)
            .cloned()
            .unwrap_or_else(|| Arc::from(Vec::new()))
    }

    /// Whether document `doc` of `segment` is listed.
    pub(crate) fn contains(&self, segment: SegmentId, doc: DocId) -> bool {
        self.by_segment
            .get(&segment)
            .is_some_and(|docs| docs.binary_search(&doc).is_ok())
    }

    fn of(&self, reader: &SegmentReader) -> Arc<[DocId]> {
        self.in_segment(reader.segment_id())
    }
}

/// One segment's listed documents as a doc set.
struct ListedDocSet {
    docs: Arc<[DocId]>,
    at: usize,
}

impl DocSet for ListedDocSet {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.docs.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let rest = &self.docs[self.at..];
        self.at += rest.partition_point(|doc| *doc < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        u32::try_from(self.docs.len() - self.at).unwrap_or(u32::MAX)
    }
}

impl Query for ListedDocs {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for ListedDocs {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = ListedDocSet {
            docs: self.of(reader),
            at: 0,
        };
        Ok(Box::new(ConstScorer::new(docs, boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.of(reader).binary_search(&doc).is_ok() {
            Ok(Explanation::new("listed document", 1.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document #{doc} is not listed"
            )))
        }
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        let alive = reader.alive_bitset();
        let listed = self.of(reader);
        let count = match alive {
            Some(alive) => listed.iter().filter(|doc| alive.is_alive(**doc)).count(),
            None => listed.len(),
        };
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, DocSetCollector};
    use tantivy::query::{BooleanQuery, Occur};

    use tantivy::query::TermQuery;
    use tantivy::schema::IndexRecordOption;
    use tantivy::{doc, Index, IndexWriter, Term};

    use super::*;
    use crate::index::schema::{build_schema, register_analyzers, Fields};

    /// Nine documents in three segments; every third one has the topic `chips`.
    fn sample() -> (Index, Fields) {
        let index = Index::create_in_ram(build_schema());
        register_analyzers(&index);
        let fields = Fields::resolve(&index.schema()).unwrap();
        let mut writer: IndexWriter = index.writer(15_000_000).unwrap();
        for segment in 0..3 {
            for doc in 0..3 {
                let mut document = doc!(fields.id => format!("doc{segment}-{doc}"));
                if (segment + doc) % 3 == 0 {
                    document.add_text(fields.topic, "chips");
                }
                writer.add_document(document).unwrap();
            }
            writer.commit().unwrap();
        }
        (index, fields)
    }

    fn term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    }

    #[test]
    fn only_the_listed_documents_match_alone_and_beside_other_queries() {
        let (index, fields) = sample();
        let searcher = index.reader().unwrap().searcher();
        // Every other document of each segment.
        let lists: HashMap<SegmentId, Vec<DocId>> = searcher
            .segment_readers()
            .iter()
            .map(|reader| {
                (
                    reader.segment_id(),
                    (0..reader.max_doc()).step_by(2).collect(),
                )
            })
            .collect();
        let listed = ListedDocs::new(lists);
        let found = searcher.search(&listed, &DocSetCollector).unwrap();
        let mut found: Vec<(u32, DocId)> = found
            .iter()
            .map(|address| (address.segment_ord, address.doc_id))
            .collect();
        found.sort_unstable();
        let halves: usize = searcher
            .segment_readers()
            .iter()
            .map(|reader| reader.max_doc().div_ceil(2) as usize)
            .sum();
        assert!(
            halves > 1 && halves < 8,
            "the sample spans several segments"
        );
        assert_eq!(found.len(), halves);
        assert!(found.iter().all(|(_, doc)| doc % 2 == 0));
        assert_eq!(searcher.search(&listed, &Count).unwrap(), halves);
        // Beside a term query, the documents both take.
        let chips: Vec<(u32, DocId)> = searcher
            .search(&*term(fields.topic, "chips"), &DocSetCollector)
            .unwrap()
            .iter()
            .map(|address| (address.segment_ord, address.doc_id))
            .collect();
        let mut expected: Vec<(u32, DocId)> = found
            .iter()
            .filter(|doc| chips.contains(doc))
            .copied()
            .collect();
        expected.sort_unstable();
        assert!(!expected.is_empty());
        let chips_and_listed = BooleanQuery::new(vec![
            (Occur::Must, term(fields.topic, "chips")),
            (Occur::Must, Box::new(listed.clone()) as Box<dyn Query>),
        ]);
        let mut both: Vec<(u32, DocId)> = searcher
            .search(&chips_and_listed, &DocSetCollector)
            .unwrap()
            .iter()
            .map(|address| (address.segment_ord, address.doc_id))
            .collect();
        both.sort_unstable();
        assert_eq!(both, expected);
        assert_eq!(searcher.search(&ListedDocs::default(), &Count).unwrap(), 0);
    }
}

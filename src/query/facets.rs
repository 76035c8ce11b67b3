//! Facet counts (topic, entity, tag, language, source, year) of the documents matching a query.
//!
//! One custom collector reads the keyword fast columns by term ordinal, so counting touches no
//! stored document. Runs of consecutive documents (all documents, say) are counted by decoding
//! their rows in order, with no look-up per document in the column index. Ordinals become strings
//! once per segment, not once per document, and only the ordinals that can make the top `N` do:
//! with one segment its counts are final; with several, `segment_top` finds the exact top `N`
//! from a few candidates per segment. A document with two topics counts once for each.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, Column, StrColumn};
use tantivy::query::Query;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::filters::Filters;
use super::segment_top::{exact_top, kind_ranges, ranges_by_kind, SegmentGroup};
use crate::index::schema::Fields;
use crate::taxonomy::Taxonomy;

/// One value of a facet and how many matching documents carry it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

/// The `facets --json` contract: the number of matches and the counts of each group.
#[derive(Clone, Debug, Serialize)]
pub struct FacetCounts {
    pub total: u64,
    /// Matching documents without a publication date (absent from `year`).
    pub undated: u64,
    pub facets: FacetGroups,
}

/// Each group ordered by count descending, then value ascending.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FacetGroups {
    pub topic: Vec<FacetValue>,
    /// Top `N` entities of each kind (`org/…`, `person/…`, `place/…`), merged into one list.
    pub entity: Vec<FacetValue>,
    pub tag: Vec<FacetValue>,
    pub lang: Vec<FacetValue>,
    pub source: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
}

/// Counts the facets of the documents matching `query`, keeping the `top` values of each group
/// (of each entity kind for entities); `top == 0` keeps them all.
pub fn count_facets(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    top: usize,
) -> tantivy::Result<FacetCounts> {
    count_facets_with_parents(searcher, fields, query, top, &[])
}

/// Facet counts as users see them: parent topics of the taxonomy are counted as "the parent itself
/// or any of its children" (documents are only ever tagged with leaf topics).
pub fn count_facets_for_taxonomy(
    searcher: &Searcher,
    fields: &Fields,
    taxonomy: &Taxonomy,
    query: &dyn Query,
    top: usize,
) -> crate::Result<FacetCounts> {
    let mut parents = Vec::new();
    for topic in &taxonomy.topics {
        let is_parent = taxonomy
            .topics
            .iter()
            .any(|child| child.parent.as_deref() == Some(topic.id.as_str()));
        if is_parent {
            let only = Filters {
                topics: vec![topic.id.clone()],
                ..Filters::default()
            };
            parents.push((
                topic.id.clone(),
                only.apply(query.box_clone(), fields, taxonomy)?,
            ));
        }
    }
    Ok(count_facets_with_parents(
        searcher, fields, query, top, &parents,
    )?)
}

/// `count_facets`, with parent topics counted too: each `(parent id, query)` pair gives the
/// documents matching `query` (the caller's query restricted to the parent or any of its
/// children), counted once each however many children they carry.
pub fn count_facets_with_parents(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    top: usize,
    parents: &[(String, Box<dyn Query>)],
) -> tantivy::Result<FacetCounts> {
    let name = |field| fields.schema.get_field_name(field).to_string();
    let collector = FacetCollector {
        keyword_fields: [
            name(fields.topic),
            name(fields.entity),
            name(fields.tag),
            name(fields.lang),
            name(fields.source),
        ],
        day_field: name(fields.day),
        top,
        // Their own counts are replaced below, so they must not take a place in the top `N`.
        excluded_topics: parents.iter().map(|(parent, _)| parent.clone()).collect(),
    };
    let raw = searcher.search(query, &collector)?;
    let [mut topic, entity, tag, lang, source] = raw.keywords;
    for (parent, parent_query) in parents {
        let count = searcher.search(parent_query.as_ref(), &tantivy::collector::Count)?;
        topic.retain(|(value, _)| value != parent);
        topic.push((parent.clone(), count as u64));
    }
    let mut years: Vec<(String, u64)> = raw
        .years
        .into_iter()
        .map(|(year, count)| (format!("{year:04}"), count))
        .collect();
    years.sort();
    Ok(FacetCounts {
        total: raw.total,
        undated: raw.undated,
        facets: FacetGroups {
            topic: ranked(topic, top),
            entity: ranked_per_kind(entity, top),
            tag: ranked(tag, top),
            lang: ranked(lang, top),
            source: ranked(source, top),
            year: ranked(years, top),
        },
    })
}

/// Sorts by count descending then value ascending, and keeps `top` (all when 0).
pub fn ranked(values: impl IntoIterator<Item = (String, u64)>, top: usize) -> Vec<FacetValue> {
    let mut out: Vec<FacetValue> = values
        .into_iter()
        .filter(|(_, count)| *count > 0)
        .map(|(value, count)| FacetValue { value, count })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    if top > 0 {
        out.truncate(top);
    }
    out
}

/// `ranked` applied to each entity kind (the part before `/`), then merged and sorted again.
pub(crate) fn ranked_per_kind(values: Vec<(String, u64)>, top: usize) -> Vec<FacetValue> {
    let mut kinds: HashMap<String, Vec<(String, u64)>> = HashMap::new();
    for (value, count) in values {
        let kind = value
            .split_once('/')
            .map_or("", |(kind, _)| kind)
            .to_string();
        kinds.entry(kind).or_default().push((value, count));
    }
    let merged = kinds
        .into_values()
        .flat_map(|group| ranked(group, top))
        .map(|v| (v.value, v.count));
    ranked(merged, 0)
}

/// Rows decoded at a time when counting a contiguous run of documents.
pub(crate) const RANGE_CHUNK: u32 = 4096;

/// Calls `each` with the value of every row in `rows` of a single-valued column, decoding
/// `RANGE_CHUNK` rows at a time into `buffer`.
pub(crate) fn for_each_row_value(
    column: &Column<u64>,
    rows: Range<u32>,
    buffer: &mut Vec<u64>,
    mut each: impl FnMut(u64),
) {
    let mut start = rows.start;
    while start < rows.end {
        let len = (rows.end - start).min(RANGE_CHUNK);
        buffer.clear();
        buffer.resize(len as usize, 0);
        column.values.get_range(u64::from(start), buffer);
        for &value in buffer.iter() {
            each(value);
        }
        start += len;
    }
}

/// Calls `each` with the day of every document of the run `docs` that has one, reading the day
/// column in row order, and returns how many documents of the run have no day. `None` when that
/// order cannot be used — no column (all undated) or several days per document, of which only
/// the first counts — and the caller must look the documents up one by one.
pub(crate) fn for_each_day_of_run(
    column: Option<&Column<u64>>,
    docs: Range<DocId>,
    each: impl FnMut(u64),
) -> Option<u64> {
    let column = column.filter(|c| c.get_cardinality() != Cardinality::Multivalued)?;
    let rows = column.index.docid_range_to_rowids(docs.clone());
    for_each_row_value(column, rows.clone(), &mut Vec::new(), each);
    Some(u64::from(
        (docs.end - docs.start).saturating_sub(rows.end - rows.start),
    ))
}

/// Calls `each` with the documents of the run `docs` in blocks of at most [`RANGE_CHUNK`], for
/// counters that look documents up one by one.
pub(crate) fn for_each_block_of_run(docs: Range<DocId>, mut each: impl FnMut(&[DocId])) {
    let docs: Vec<DocId> = docs.collect();
    for block in docs.chunks(RANGE_CHUNK as usize) {
        each(block);
    }
}

/// The run of consecutive documents `docs` covers, if it has no gaps.
pub(crate) fn contiguous(docs: &[DocId]) -> Option<Range<DocId>> {
    let (&first, &last) = (docs.first()?, docs.last()?);
    let end = last.checked_add(1)?;
    (usize::try_from(end - first).ok() == Some(docs.len())).then_some(first..end)
}

/// Counts per term ordinal of one keyword column in one segment.
pub(crate) struct OrdCounter {
    column: Option<StrColumn>,
    counts: Vec<u64>,
    /// Reused buffers for block-wise reads.
    block: OrdBlock,
}

/// Reusable buffers for reading the term ordinals of a block of documents in one batch.
#[derive(Default)]
pub(crate) struct OrdBlock {
    /// The document of each entry of `ords`.
    pub docs: Vec<DocId>,
    rows: Vec<u32>,
    pub ords: Vec<u64>,
}

impl OrdBlock {
    /// Fills `docs` and `ords` with one entry per value the documents `docs` (ascending) have in
    /// `column`, in document order: a document with two values appears twice, one with none not.
    pub(crate) fn read(&mut self, column: &StrColumn, docs: &[DocId]) {
        let ords = column.ords();
        self.docs.clear();
        self.rows.clear();
        ords.row_ids_for_docs(docs, &mut self.docs, &mut self.rows);
        self.ords.clear();
        self.ords.resize(self.rows.len(), 0);
        ords.values.get_vals(&self.rows, &mut self.ords);
    }
}

impl OrdCounter {
    pub(crate) fn open(reader: &SegmentReader, field: &str) -> tantivy::Result<OrdCounter> {
        let column = reader.fast_fields().str(field)?;
        let terms = column.as_ref().map_or(0, |c| c.num_terms());
        Ok(OrdCounter {
            column,
            counts: vec![0; terms],
            block: OrdBlock::default(),
        })
    }

    /// Counts the terms of a block of documents, reading the ordinals in one batch.
    pub(crate) fn add_block(&mut self, docs: &[DocId]) {
        let Some(column) = &self.column else {
            return;
        };
        self.block.read(column, docs);
        for &ord in &self.block.ords {
            if let Some(count) = usize::try_from(ord)
                .ok()
                .and_then(|o| self.counts.get_mut(o))
            {
                *count += 1;
            }
        }
    }

    /// Counts the terms of a contiguous run of documents: their values sit in one contiguous run
    /// of rows, decoded in order without looking up each document in the column index.
    pub(crate) fn add_range(&mut self, docs: Range<DocId>) {
        let Some(column) = &self.column else {
            return;
        };
        let ords = column.ords();
        let rows = ords.index.docid_range_to_rowids(docs);
        let counts = &mut self.counts;
        for_each_row_value(ords, rows, &mut self.block.ords, |ord| {
            if let Some(count) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                *count += 1;
            }
        });
    }

    /// Drops the count of `term`, as if no document carried it.
    pub(crate) fn forget(&mut self, term: &str) -> tantivy::Result<()> {
        let Some(column) = &self.column else {
            return Ok(());
        };
        if let Some(ord) = column.dictionary().term_ord(term.as_bytes())? {
            if let Some(count) = usize::try_from(ord)
                .ok()
                .and_then(|o| self.counts.get_mut(o))
            {
                *count = 0;
            }
        }
        Ok(())
    }

    /// The ordinals counted at least once, ascending.
    fn counted(&self) -> Vec<u64> {
        (0u64..)
            .zip(&self.counts)
            .filter(|(_, count)| **count > 0)
            .map(|(ord, _)| ord)
            .collect()
    }

    /// Keeps the `top` ordinals of `ords` by count descending then ordinal ascending (the term
    /// order of the dictionary, so the same as by text), in ascending ordinal order.
    fn keep_top(&self, ords: &mut Vec<u64>, top: usize) {
        let key = |ord: &u64| {
            let count = usize::try_from(*ord)
                .ok()
                .and_then(|o| self.counts.get(o))
                .copied()
                .unwrap_or(0);
            (std::cmp::Reverse(count), *ord)
        };
        if top > 0 && ords.len() > top {
            ords.select_nth_unstable_by_key(top - 1, key);
            ords.truncate(top);
        }
        ords.sort_unstable();
    }

    /// The text and count of ascending ordinals.
    fn resolve(&self, ords: Vec<u64>) -> tantivy::Result<Vec<(String, u64)>> {
        let Some(column) = &self.column else {
            return Ok(Vec::new());
        };
        let counted = ords.into_iter().map(|ord| {
            let count = usize::try_from(ord)
                .ok()
                .and_then(|o| self.counts.get(o))
                .copied()
                .unwrap_or(0);
            (ord, count)
        });
        ords_to_terms(column, counted)
    }

    /// The `top` terms by count (all when 0): only their ordinals become strings.
    pub(crate) fn top_terms(&self, top: usize) -> tantivy::Result<Vec<(String, u64)>> {
        let mut ords = self.counted();
        self.keep_top(&mut ords, top);
        self.resolve(ords)
    }

    /// The `top` terms of each kind (the text before the first `/`, as in `ranked_per_kind`):
    /// the dictionary is read once for the kinds, and only the kept ordinals become strings.
    pub(crate) fn top_terms_per_kind(&self, top: usize) -> tantivy::Result<Vec<(String, u64)>> {
        let Some(column) = &self.column else {
            return Ok(Vec::new());
        };
        let ords = self.counted();
        let mut kinds: Vec<Vec<u8>> = Vec::new();
        let mut groups: Vec<Vec<u64>> = Vec::new();
        let mut current = usize::MAX;
        let mut next = ords.iter();
        let complete = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            let kind = bytes
                .iter()
                .position(|&b| b == b'/')
                .map_or(&[][..], |slash| &bytes[..slash]);
            if kinds.get(current).map(Vec::as_slice) != Some(kind) {
                current = match kinds.iter().position(|known| known.as_slice() == kind) {
                    Some(found) => found,
                    None => {
                        kinds.push(kind.to_vec());
                        groups.push(Vec::new());
                        kinds.len() - 1
                    }
                };
            }
            if let (Some(group), Some(&ord)) = (groups.get_mut(current), next.next()) {
                group.push(ord);
            }
        })?;
        if !complete {
            return Err(tantivy::TantivyError::InternalError(
                "a fast column refers to a term missing from its dictionary".to_string(),
            ));
        }
        let mut kept = Vec::new();
        for mut group in groups {
            self.keep_top(&mut group, top);
            kept.extend(group);
        }
        kept.sort_unstable();
        self.resolve(kept)
    }

    /// The non-zero counts by term text.
    pub(crate) fn into_terms(self) -> tantivy::Result<Vec<(String, u64)>> {
        let counted = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(ord, count)| (ord as u64, *count));
        match self.column {
            Some(column) => ords_to_terms(&column, counted),
            None => Ok(Vec::new()),
        }
    }
}

/// The exact top `top` values (at least) of one group over several segments.
fn top_across_segments(
    counters: &[&OrdCounter],
    top: usize,
) -> tantivy::Result<Vec<(String, u64)>> {
    let groups: Vec<SegmentGroup> = counters
        .iter()
        .filter_map(|counter| {
            let column = counter.column.as_ref()?;
            Some(SegmentGroup {
                column,
                counts: &counter.counts,
                ranges: std::iter::once(0..column.num_terms() as u64).collect(),
            })
        })
        .collect();
    Ok(exact_top(&groups, top)?)
}

/// The exact top `top` values (at least) of each entity kind over several segments; each kind is
/// a contiguous run of ordinals in every segment's dictionary.
fn top_across_segments_per_kind(
    counters: &[&OrdCounter],
    top: usize,
) -> tantivy::Result<Vec<(String, u64)>> {
    let present: Vec<(&StrColumn, &[u64])> = counters
        .iter()
        .filter_map(|counter| Some((counter.column.as_ref()?, counter.counts.as_slice())))
        .collect();
    let mut per_segment = Vec::with_capacity(present.len());
    for (column, _) in &present {
        per_segment.push(kind_ranges(column)?);
    }
    let mut out = Vec::new();
    for (_, ranges) in ranges_by_kind(&per_segment) {
        let groups: Vec<SegmentGroup> = present
            .iter()
            .zip(ranges)
            .map(|(&(column, counts), ranges)| SegmentGroup {
                column,
                counts,
                ranges,
            })
            .collect();
        out.extend(exact_top(&groups, top)?);
    }
    Ok(out)
}

/// Looks up the text of ascending term ordinals, reading the dictionary once in order (each
/// lookup on its own would decompress a dictionary block per term).
pub(crate) fn ords_to_terms<T>(
    column: &StrColumn,
    sorted: impl Iterator<Item = (u64, T)>,
) -> tantivy::Result<Vec<(String, T)>> {
    let (ords, values): (Vec<u64>, Vec<T>) = sorted.unzip();
    let mut texts = Vec::with_capacity(ords.len());
    let complete = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        texts.push(String::from_utf8_lossy(bytes).into_owned());
    })?;
    if !complete || texts.len() != ords.len() {
        return Err(tantivy::TantivyError::InternalError(
            "a fast column refers to a term missing from its dictionary".to_string(),
        ));
    }
    Ok(texts.into_iter().zip(values).collect())
}

/// Widest year span counted; a `day` value beyond it (never written by the indexer) is skipped.
const MAX_YEAR_SLOTS: usize = 100_000;

struct FacetCollector {
    keyword_fields: [String; 5],
    day_field: String,
    /// Values kept per group (per entity kind), 0 for all.
    top: usize,
    /// Topics left out of the counts (parents, counted by their own query).
    excluded_topics: Vec<String>,
}

struct FacetSegment {
    keywords: [OrdCounter; 5],
    day: Option<Column<u64>>,
    /// Documents per year, indexed from `first_year` (the segment's smallest).
    years: Vec<u64>,
    first_year: u64,
    day_buffer: Vec<Option<u64>>,
    /// Consecutive documents collected but not counted yet: runs of whole blocks (all documents,
    /// or long stretches of them) are counted in one pass over the column rows.
    pending: Option<Range<DocId>>,
    total: u64,
    undated: u64,
}

struct RawFacets {
    total: u64,
    undated: u64,
    /// For each keyword group, every value that can make its top `N` (all values when `N` is 0),
    /// with exact counts.
    keywords: [Vec<(String, u64)>; 5],
    years: HashMap<u64, u64>,
}

type SegmentFacets = (u64, u64, [OrdCounter; 5], HashMap<u64, u64>);

/// Position of the topic group in `keywords`.
const TOPIC: usize = 0;
/// Position of the entity group in `keywords`, the one ranked per kind.
const ENTITY: usize = 1;

impl Collector for FacetCollector {
    type Fruit = RawFacets;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let [a, b, c, d, e] = &self.keyword_fields;
        let day = reader.fast_fields().column_opt::<u64>(&self.day_field)?;
        Ok(FacetSegment {
            keywords: [
                OrdCounter::open(reader, a)?,
                OrdCounter::open(reader, b)?,
                OrdCounter::open(reader, c)?,
                OrdCounter::open(reader, d)?,
                OrdCounter::open(reader, e)?,
            ],
            years: Vec::new(),
            first_year: day.as_ref().map_or(0, |c| c.min_value() / 10_000),
            day,
            day_buffer: Vec::new(),
            pending: None,
            total: 0,
            undated: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<tantivy::Result<SegmentFacets>>,
    ) -> tantivy::Result<RawFacets> {
        let mut raw = RawFacets {
            total: 0,
            undated: 0,
            keywords: Default::default(),
            years: HashMap::new(),
        };
        let mut segments = Vec::with_capacity(fruits.len());
        for fruit in fruits {
            let (total, undated, keywords, years) = fruit?;
            raw.total += total;
            raw.undated += undated;
            for (year, count) in years {
                *raw.years.entry(year).or_default() += count;
            }
            segments.push(keywords);
        }
        for keywords in &mut segments {
            for topic in &self.excluded_topics {
                keywords[TOPIC].forget(topic)?;
            }
        }
        if segments.len() > 1 && self.top > 0 {
            for (group, out) in raw.keywords.iter_mut().enumerate() {
                let counters: Vec<&OrdCounter> = segments.iter().map(|k| &k[group]).collect();
                *out = if group == ENTITY {
                    top_across_segments_per_kind(&counters, self.top)?
                } else {
                    top_across_segments(&counters, self.top)?
                };
            }
            return Ok(raw);
        }
        if segments.len() == 1 && self.top > 0 {
            // One segment: its counts are final, so only the values that make the top `N`
            // become strings.
            if let Some(keywords) = segments.pop() {
                for (group, (out, counter)) in raw.keywords.iter_mut().zip(keywords).enumerate() {
                    *out = if group == ENTITY {
                        counter.top_terms_per_kind(self.top)?
                    } else {
                        counter.top_terms(self.top)?
                    };
                }
            }
            return Ok(raw);
        }
        let mut maps: [HashMap<String, u64>; 5] = Default::default();
        for keywords in segments {
            for (map, counter) in maps.iter_mut().zip(keywords) {
                for (term, count) in counter.into_terms()? {
                    *map.entry(term).or_default() += count;
                }
            }
        }
        for (out, map) in raw.keywords.iter_mut().zip(maps) {
            *out = map.into_iter().collect();
        }
        Ok(raw)
    }
}

impl FacetSegment {
    /// Counts the pending run of consecutive documents, if any.
    fn flush(&mut self) {
        let Some(run) = self.pending.take() else {
            return;
        };
        for counter in &mut self.keywords {
            counter.add_range(run.clone());
        }
        let years = &mut self.years;
        let first_year = self.first_year;
        let undated = for_each_day_of_run(self.day.as_ref(), run.clone(), |day| {
            add_day(years, first_year, day)
        });
        match undated {
            Some(undated) => self.undated += undated,
            None => for_each_block_of_run(run, |block| self.count_days(block)),
        }
    }

    /// Counts the terms and years of documents in any order.
    fn count_docs(&mut self, docs: &[DocId]) {
        for counter in &mut self.keywords {
            counter.add_block(docs);
        }
        self.count_days(docs);
    }

    fn count_days(&mut self, docs: &[DocId]) {
        let Some(column) = &self.day else {
            self.undated += docs.len() as u64;
            return;
        };
        self.day_buffer.clear();
        self.day_buffer.resize(docs.len(), None);
        column.first_vals(docs, &mut self.day_buffer);
        let buffer = std::mem::take(&mut self.day_buffer);
        for value in &buffer {
            match value {
                Some(day) => add_day(&mut self.years, self.first_year, *day),
                None => self.undated += 1,
            }
        }
        self.day_buffer = buffer;
    }
}

/// Counts one document dated `day` in `years` (indexed from `first_year`).
fn add_day(years: &mut Vec<u64>, first_year: u64, day: u64) {
    // Years below the segment minimum cannot occur; saturate rather than trust it.
    let slot = usize::try_from((day / 10_000).saturating_sub(first_year)).unwrap_or(usize::MAX);
    if slot >= years.len() && slot < MAX_YEAR_SLOTS {
        years.resize(slot + 1, 0);
    }
    if let Some(count) = years.get_mut(slot) {
        *count += 1;
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = tantivy::Result<SegmentFacets>;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.collect_block(&[doc]);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.total += docs.len() as u64;
        let run = contiguous(docs);
        if let (Some(pending), Some(run)) = (&mut self.pending, &run) {
            if pending.end == run.start {
                pending.end = run.end;
                return;
            }
        }
        self.flush();
        match run {
            Some(run) => self.pending = Some(run),
            None => self.count_docs(docs),
        }
    }

    fn harvest(mut self) -> tantivy::Result<SegmentFacets> {
        self.flush();
        let keywords = self.keywords;
        let first_year = self.first_year;
        let years = self
            .years
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(slot, count)| (first_year + slot as u64, *count))
            .collect();
        Ok((self.total, self.undated, keywords, years))
    }
}

#[cfg(test)]
mod tests;

//! Facet counts (topic, entity, tag, language, source, year) of the documents matching a query.
//!
//! One custom collector reads the keyword fast columns by term ordinal (through `columns`), so
//! counting touches no stored document. Ordinals become strings once per segment, not once per
//! document, and only the ordinals that can make the top `N` do: with one segment its counts are
//! final; with several, `segment_top` finds the exact top `N` from a few candidates per segment.
//! A document with two topics counts once for each. This module owns the collector, the ranking
//! of values and the `facets --json` types.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::columns::{for_each_block_of_run, for_each_day_of_run, OrdCounter, PendingRun, ToCount};
use super::filters::Filters;
use super::segment_top::{top_across_segments, top_across_segments_per_kind};
use crate::index::schema::Fields;
use crate::index::OpenIndex;
use crate::keys::{DayKey, EntityKey};

/// One value of a facet and how many matching documents carry it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

/// The `facets --json` contract: the number of matches and the counts of each group.
#[derive(Clone, Debug, Default, Serialize)]
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
/// or any of its children" (documents are only ever tagged with leaf topics), and user topics by
/// their members (kept beside the segments, not in the topic column).
pub fn count_facets_for_taxonomy(
    opened: &OpenIndex,
    searcher: &Searcher,
    query: &dyn Query,
    top: usize,
) -> crate::Result<FacetCounts> {
    let taxonomy = opened.taxonomy();
    let members = opened.members(searcher)?;
    let mut counted_by_query = Vec::new();
    for topic in &taxonomy.topics {
        if taxonomy.has_children(&topic.id) || members.get(&topic.id).is_some() {
            let only = Filters {
                topics: vec![topic.id.clone()],
                ..Filters::default()
            };
            counted_by_query.push((
                topic.id.clone(),
                only.apply(query.box_clone(), opened, searcher)?,
            ));
        }
    }
    Ok(count_facets_with_parents(
        searcher,
        &opened.fields,
        query,
        top,
        &counted_by_query,
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

/// `ranked` applied to each entity kind (see [`EntityKey::kind_prefix`]), then merged and sorted
/// again.
pub(crate) fn ranked_per_kind(values: Vec<(String, u64)>, top: usize) -> Vec<FacetValue> {
    let mut kinds: HashMap<Vec<u8>, Vec<(String, u64)>> = HashMap::new();
    for (value, count) in values {
        let kind = EntityKey::kind_prefix(value.as_bytes()).to_vec();
        kinds.entry(kind).or_default().push((value, count));
    }
    let merged = kinds
        .into_values()
        .flat_map(|group| ranked(group, top))
        .map(|v| (v.value, v.count));
    ranked(merged, 0)
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
    pending: PendingRun,
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
            first_year: day
                .as_ref()
                .map_or(0, |c| DayKey::from_raw(c.min_value()).year()),
            day,
            day_buffer: Vec::new(),
            pending: PendingRun::default(),
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
    /// Counts the terms and years of a run of consecutive documents.
    fn count_run(&mut self, run: Range<DocId>) {
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
                Some(day) => add_day(&mut self.years, self.first_year, DayKey::from_raw(*day)),
                None => self.undated += 1,
            }
        }
        self.day_buffer = buffer;
    }
}

/// Counts one document dated `day` in `years` (indexed from `first_year`).
fn add_day(years: &mut Vec<u64>, first_year: u64, day: DayKey) {
    // Years below the segment minimum cannot occur; saturate rather than trust it.
    let slot = usize::try_from(day.year().saturating_sub(first_year)).unwrap_or(usize::MAX);
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
        let ToCount { run, scattered } = self.pending.offer(docs);
        if let Some(run) = run {
            self.count_run(run);
        }
        if let Some(docs) = scattered {
            self.count_docs(docs);
        }
    }

    fn harvest(mut self) -> tantivy::Result<SegmentFacets> {
        if let Some(run) = self.pending.finish() {
            self.count_run(run);
        }
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

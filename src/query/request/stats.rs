//! `stats`: how big the index is, which dates and languages it covers, how much is undated.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use tantivy::query::AllQuery;

use crate::error::Result;
use crate::index::OpenIndex;
use crate::keys::DayKey;
use crate::query::facets::count_facets;

/// `stats`: the whole index; it takes no filters.
#[derive(Debug, Clone, Copy, Default)]
pub struct StatsRequest;

#[derive(Debug, Serialize)]
pub struct Stats {
    pub documents: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub undated: u64,
    pub languages: BTreeMap<String, u64>,
    /// Distinct topics and entities found in the documents.
    pub topics: u64,
    pub entities: u64,
    pub index_bytes: u64,
}

fn folder_bytes(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.metadata().ok())
        .filter(|metadata| metadata.is_file())
        .map(|metadata| metadata.len())
        .sum()
}

pub fn stats(opened: &OpenIndex, _: &StatsRequest) -> Result<Stats> {
    let searcher = opened.reader()?.searcher();
    let mut first: Option<u64> = None;
    let mut last: Option<u64> = None;
    let mut dated: u64 = 0;
    for segment in searcher.segment_readers() {
        let column = segment
            .fast_fields()
            .u64(opened.fields.schema.get_field_name(opened.fields.day))
            .map_err(|err| opened.explain(err))?;
        for doc in segment.doc_ids_alive() {
            if let Some(day) = column.first(doc) {
                dated += 1;
                first = Some(first.map_or(day, |known| known.min(day)));
                last = Some(last.map_or(day, |known| known.max(day)));
            }
        }
    }
    let counts = count_facets(&searcher, &opened.fields, &AllQuery, usize::MAX)
        .map_err(|err| opened.explain(err))?;
    let documents = searcher.num_docs();
    let format = |day: Option<u64>| {
        day.and_then(|day| DayKey::from_raw(day).date())
            .map(|day| day.format("%Y-%m-%d").to_string())
    };
    Ok(Stats {
        documents,
        first_date: format(first),
        last_date: format(last),
        undated: documents.saturating_sub(dated),
        languages: counts
            .facets
            .lang
            .iter()
            .map(|value| (value.value.clone(), value.count))
            .collect(),
        topics: counts.facets.topic.len() as u64,
        entities: counts.facets.entity.len() as u64,
        index_bytes: folder_bytes(&opened.path),
    })
}

//! `stats`: how big the index is, which dates and languages it covers, how much is undated.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::AllQuery;
use tantivy::Searcher;

use crate::error::Result;
use crate::index::OpenIndex;
use crate::query::day_counts::day_counts;
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
    let days =
        day_counts(&searcher, &opened.fields, &AllQuery).map_err(|err| opened.explain(err))?;
    let counts = count_facets(&searcher, &opened.fields, &AllQuery, usize::MAX)
        .map_err(|err| opened.explain(err))?;
    let documents = searcher.num_docs();
    let format = |day: Option<NaiveDate>| day.map(|day| day.format("%Y-%m-%d").to_string());
    Ok(Stats {
        documents,
        first_date: format(days.first()),
        last_date: format(days.last()),
        undated: days.undated,
        languages: counts
            .facets
            .lang
            .iter()
            .map(|value| (value.value.clone(), value.count))
            .collect(),
        // User topics are not in the topic column: each counts when it has a member.
        topics: (counts.facets.topic.len() + user_topics_with_members(opened, &searcher)?) as u64,
        entities: counts.facets.entity.len() as u64,
        index_bytes: folder_bytes(&opened.path),
    })
}

/// How many user topics have at least one live member.
fn user_topics_with_members(opened: &OpenIndex, searcher: &Searcher) -> Result<usize> {
    let mut found = 0;
    for topic in opened.members(searcher)?.iter() {
        let count = searcher
            .search(&*topic.query(), &Count)
            .map_err(|err| opened.explain(err))?;
        found += usize::from(count > 0);
    }
    Ok(found)
}

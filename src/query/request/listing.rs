//! The `topics` and `entities` requests: each topic or entity with its document count, first and last
//! day seen and its peak month, over the documents a set of filters selects.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::query::{AllQuery, Query};

use crate::error::{Error, Field, Result};
use crate::index::OpenIndex;
use crate::keys::{EntityKey, EntityKind};
use crate::query::day_counts::day_counts;
use crate::query::filters::Filters;
use crate::query::periods::Interval;
use crate::query::summary::{summarize, summarize_peaks_for, summary_from_days};

/// `topics`: every topic of the index's taxonomy over the documents the filters select.
#[derive(Debug, Clone, Default)]
pub struct TopicsRequest {
    pub filters: Filters,
}

/// `entities`: the most named entities, of one kind if `kind` is given (`org`, `person`, `place`,
/// `other`, or a synonym such as `organisation`).
#[derive(Debug, Clone)]
pub struct EntitiesRequest {
    pub filters: Filters,
    pub kind: Option<String>,
    pub top: usize,
}

#[derive(Debug, Serialize)]
pub struct TopicRow {
    pub id: String,
    pub label: String,
    pub parent: Option<String>,
    pub count: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    /// The month with most documents, and how many.
    pub peak: Option<String>,
    pub peak_count: u64,
}

#[derive(Debug, Serialize)]
pub struct EntityRow {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub count: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    pub peak: Option<String>,
    pub peak_count: u64,
    /// Spellings seen, with the documents each appeared in.
    pub aliases: Vec<AliasCount>,
}

#[derive(Debug, Serialize)]
pub struct AliasCount {
    pub alias: String,
    pub count: u64,
}

fn day(date: Option<NaiveDate>) -> Option<String> {
    date.map(|date| date.format("%Y-%m-%d").to_string())
}

/// Every topic of the index's taxonomy, most documents first; parent topics count every topic below.
pub fn topics(opened: &OpenIndex, request: &TopicsRequest) -> Result<Vec<TopicRow>> {
    let filters = &request.filters;
    filters.check_range()?;
    let taxonomy = opened.taxonomy();
    let searcher = opened.reader()?.searcher();
    let query = filters.apply(Box::new(AllQuery), opened, &searcher)?;
    let mut summaries = summarize(
        &searcher,
        &opened.fields,
        opened.fields.topic,
        &*query,
        Interval::Month,
    )
    .map_err(|err| opened.explain(err))?;
    // A parent topic is rarely tagged itself: summarise "itself or any topic below" from its days.
    // So are user topics, whose members are kept beside the segments, not in the topic column.
    let members = opened.members(&searcher)?;
    for topic in taxonomy
        .topics
        .iter()
        .filter(|topic| taxonomy.has_children(&topic.id) || members.get(&topic.id).is_some())
    {
        let only = Filters {
            topics: vec![topic.id.clone()],
            ..Filters::default()
        };
        let parent_query: Box<dyn Query> = only.apply(query.box_clone(), opened, &searcher)?;
        let days = day_counts(&searcher, &opened.fields, &*parent_query)
            .map_err(|err| opened.explain(err))?;
        summaries.retain(|summary| summary.value != topic.id);
        summaries.push(summary_from_days(topic.id.clone(), &days, Interval::Month));
    }
    let mut rows: Vec<TopicRow> = taxonomy
        .topics
        .iter()
        .map(|topic| {
            let summary = summaries.iter().find(|summary| summary.value == topic.id);
            let peak = summary.and_then(|summary| summary.peak.clone());
            TopicRow {
                id: topic.id.clone(),
                label: topic.label.clone(),
                parent: topic.parent.clone(),
                count: summary.map_or(0, |summary| summary.count),
                first: day(summary.and_then(|summary| summary.first)),
                last: day(summary.and_then(|summary| summary.last)),
                peak_count: peak.as_ref().map_or(0, |(_, count)| *count),
                peak: peak.map(|(period, _)| period),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.id.cmp(&b.id)));
    Ok(rows)
}

/// The `top` most named entities (of one kind, if asked), with the spellings seen.
pub fn entities(opened: &OpenIndex, request: &EntitiesRequest) -> Result<Vec<EntityRow>> {
    let filters = &request.filters;
    filters.check_range()?;
    let kind = match request.kind.as_deref() {
        Some(text) => Some(EntityKind::parse(text).ok_or_else(|| {
            Error::bad_argument(
                Field::Kind,
                format!("{text:?} is not a type; use org, person, place or other"),
            )
        })?),
        None => None,
    };
    let top = request.top;
    let searcher = opened.reader()?.searcher();
    let query = filters.apply(Box::new(AllQuery), opened, &searcher)?;
    // Two passes: counts and first/last seen for every entity, then peak periods only for the
    // rows shown (per-period cells for every entity of a large index cost far more).
    let summarize_for = |peaks_for: &HashSet<String>| {
        summarize_peaks_for(
            &searcher,
            &opened.fields,
            opened.fields.entity,
            &*query,
            Interval::Month,
            peaks_for,
        )
        .map_err(|err| opened.explain(err))
    };
    let shown: Vec<_> = summarize_for(&HashSet::new())?
        .into_iter()
        .filter(|summary| {
            EntityKey::parse(&summary.value)
                .is_some_and(|key| kind.is_none_or(|wanted| wanted == key.kind))
        })
        .take(top)
        .collect();
    let wanted: HashSet<String> = shown.iter().map(|summary| summary.value.clone()).collect();
    let peaks: HashMap<String, (String, u64)> = if wanted.is_empty() {
        HashMap::new()
    } else {
        summarize_for(&wanted)?
            .into_iter()
            .filter_map(|summary| Some((summary.value, summary.peak?)))
            .collect()
    };
    Ok(shown
        .into_iter()
        .filter_map(|summary| {
            let key = EntityKey::parse(&summary.value)?;
            let peak = peaks.get(&summary.value).cloned();
            Some(EntityRow {
                name: key.name.to_string(),
                kind: key.kind.as_str().to_string(),
                count: summary.count,
                first: day(summary.first),
                last: day(summary.last),
                peak_count: peak.as_ref().map_or(0, |(_, count)| *count),
                peak: peak.map(|(period, _)| period),
                aliases: summary
                    .aliases
                    .into_iter()
                    .map(|(alias, count)| AliasCount { alias, count })
                    .collect(),
            })
        })
        .collect())
}

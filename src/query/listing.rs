//! `topics` and `entities` listings: each topic or entity with its document count, first and last
//! day seen and its peak month, over the documents a set of filters selects.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::query::{AllQuery, Query};

use super::day_counts::day_counts;
use super::filters::Filters;
use super::periods::Interval;
use super::summary::{summarize, summarize_peaks_for, summary_from_days};
use crate::error::Result;
use crate::index::{rules, OpenIndex};
use crate::taxonomy::defs::EntityKind;
use crate::taxonomy::Taxonomy;

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

fn is_parent(taxonomy: &Taxonomy, id: &str) -> bool {
    taxonomy
        .topics
        .iter()
        .any(|child| child.parent.as_deref() == Some(id))
}

/// Every topic of the index's taxonomy, most documents first; parent topics count their children.
pub fn list_topics(opened: &OpenIndex, filters: &Filters) -> Result<Vec<TopicRow>> {
    let taxonomy = rules::load(&opened.path);
    let query = filters.apply(Box::new(AllQuery), &opened.fields, &taxonomy)?;
    let searcher = opened.reader()?.searcher();
    let mut summaries = summarize(
        &searcher,
        &opened.fields,
        opened.fields.topic,
        &*query,
        Interval::Month,
    )
    .map_err(|err| opened.damaged(err))?;
    // A parent topic is never tagged itself: summarise "itself or any child" from its days.
    for topic in taxonomy
        .topics
        .iter()
        .filter(|topic| is_parent(&taxonomy, &topic.id))
    {
        let only = Filters {
            topics: vec![topic.id.clone()],
            ..Filters::default()
        };
        let parent_query: Box<dyn Query> =
            only.apply(query.box_clone(), &opened.fields, &taxonomy)?;
        let days = day_counts(&searcher, &opened.fields, &*parent_query)
            .map_err(|err| opened.damaged(err))?;
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

/// The `top` most named entities (of one kind, if given), with the spellings seen.
pub fn list_entities(
    opened: &OpenIndex,
    filters: &Filters,
    kind: Option<EntityKind>,
    top: usize,
) -> Result<Vec<EntityRow>> {
    let taxonomy = rules::load(&opened.path);
    let query = filters.apply(Box::new(AllQuery), &opened.fields, &taxonomy)?;
    let searcher = opened.reader()?.searcher();
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
        .map_err(|err| opened.damaged(err))
    };
    let shown: Vec<_> = summarize_for(&HashSet::new())?
        .into_iter()
        .filter(|summary| {
            summary
                .value
                .split_once('/')
                .and_then(|(kind_text, _)| EntityKind::parse(kind_text))
                .is_some_and(|found| kind.is_none_or(|wanted| wanted == found))
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
            let (kind_text, name) = summary.value.split_once('/')?;
            let peak = peaks.get(&summary.value).cloned();
            Some(EntityRow {
                name: name.to_string(),
                kind: kind_text.to_string(),
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

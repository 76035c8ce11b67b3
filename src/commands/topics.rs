//! `topictrack topics`

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;
use tantivy::query::AllQuery;
use topictrack::index::rules;
use topictrack::query::filters::Filters;
use topictrack::query::periods::Interval;
use topictrack::query::summary::{summarize, summary_from_days};
use topictrack::query::timeline::day_counts;

use super::{open, print, print_json};
use crate::cli::SummaryArgs;
use crate::exit;

#[derive(Serialize)]
struct TopicRow {
    id: String,
    label: String,
    parent: Option<String>,
    count: u64,
    first: Option<String>,
    last: Option<String>,
    peak: Option<String>,
    peak_count: u64,
}

pub fn run(index_dir: &Path, args: SummaryArgs) -> anyhow::Result<ExitCode> {
    let filters = Filters::default().with_dates(args.from.as_deref(), args.to.as_deref())?;
    let opened = open(index_dir)?;
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
    for topic in &taxonomy.topics {
        let is_parent = taxonomy
            .topics
            .iter()
            .any(|child| child.parent.as_deref() == Some(topic.id.as_str()));
        if !is_parent {
            continue;
        }
        let only = Filters {
            topics: vec![topic.id.clone()],
            ..Filters::default()
        };
        let parent_query = only.apply(query.box_clone(), &opened.fields, &taxonomy)?;
        let days = day_counts(&searcher, &opened.fields, &*parent_query)
            .map_err(|err| opened.damaged(err))?;
        summaries.retain(|summary| summary.value != topic.id);
        summaries.push(summary_from_days(topic.id.clone(), &days, Interval::Month));
    }
    let day =
        |date: Option<chrono::NaiveDate>| date.map(|date| date.format("%Y-%m-%d").to_string());
    let mut rows: Vec<TopicRow> = taxonomy
        .topics
        .iter()
        .map(|topic| {
            let summary = summaries.iter().find(|summary| summary.value == topic.id);
            TopicRow {
                id: topic.id.clone(),
                label: topic.label.clone(),
                parent: topic.parent.clone(),
                count: summary.map_or(0, |summary| summary.count),
                first: day(summary.and_then(|summary| summary.first)),
                last: day(summary.and_then(|summary| summary.last)),
                peak: summary
                    .and_then(|summary| summary.peak.as_ref().map(|(period, _)| period.clone())),
                peak_count: summary
                    .and_then(|summary| summary.peak.as_ref().map(|(_, count)| *count))
                    .unwrap_or(0),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.id.cmp(&b.id)));
    if args.json {
        print_json(&rows)?;
        return Ok(exit::SUCCESS);
    }
    let mut out = format!(
        "{:<32} {:>6}  {:<10}  {:<10}  {}\n",
        "topic", "docs", "first", "last", "peak month"
    );
    for row in &rows {
        out.push_str(&format!(
            "{:<32} {:>6}  {:<10}  {:<10}  {}\n",
            row.id,
            row.count,
            row.first.as_deref().unwrap_or("-"),
            row.last.as_deref().unwrap_or("-"),
            row.peak
                .as_ref()
                .map(|peak| format!("{peak} ({})", row.peak_count))
                .unwrap_or_else(|| "-".into())
        ));
    }
    print(&out)?;
    Ok(exit::SUCCESS)
}

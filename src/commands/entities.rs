//! `topictrack entities`

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;
use tantivy::query::AllQuery;
use topictrack::index::rules;
use topictrack::query::filters::Filters;
use topictrack::query::periods::Interval;
use topictrack::query::summary::summarize_peaks_for;
use topictrack::taxonomy::defs::EntityKind;
use topictrack::Error;

use super::{open, print, print_json};
use crate::cli::EntitiesArgs;
use crate::exit;

#[derive(Serialize)]
struct EntityRow {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    count: u64,
    first: Option<String>,
    last: Option<String>,
    peak: Option<String>,
    peak_count: u64,
    aliases: Vec<AliasCount>,
}

#[derive(Serialize)]
struct AliasCount {
    alias: String,
    count: u64,
}

pub fn run(index_dir: &Path, args: EntitiesArgs) -> anyhow::Result<ExitCode> {
    let kind = match &args.kind {
        Some(text) => Some(EntityKind::parse(text).ok_or_else(|| {
            Error::bad_argument(
                "--type",
                format!("{text:?} is not a type; use org, person, place or other"),
            )
        })?),
        None => None,
    };
    let summary = &args.summary;
    let filters = Filters::default().with_dates(summary.from.as_deref(), summary.to.as_deref())?;
    let opened = open(index_dir)?;
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
        .take(args.top)
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
    let day =
        |date: Option<chrono::NaiveDate>| date.map(|date| date.format("%Y-%m-%d").to_string());
    let rows: Vec<EntityRow> = shown
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
        .collect();
    if summary.json {
        print_json(&rows)?;
        return Ok(exit::SUCCESS);
    }
    let mut out = format!(
        "{:<28} {:<7} {:>6}  {:<10}  {:<10}  {:<14}  {}\n",
        "entity", "type", "docs", "first", "last", "peak month", "spellings"
    );
    for row in &rows {
        let aliases: Vec<String> = row
            .aliases
            .iter()
            .map(|alias| format!("{} ({})", alias.alias, alias.count))
            .collect();
        out.push_str(&format!(
            "{:<28} {:<7} {:>6}  {:<10}  {:<10}  {:<14}  {}\n",
            row.name,
            row.kind,
            row.count,
            row.first.as_deref().unwrap_or("-"),
            row.last.as_deref().unwrap_or("-"),
            row.peak
                .as_ref()
                .map(|peak| format!("{peak} ({})", row.peak_count))
                .unwrap_or_else(|| "-".into()),
            aliases.join(", ")
        ));
    }
    print(&out)?;
    Ok(exit::SUCCESS)
}

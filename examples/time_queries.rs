//! Times the timeline and facet queries inside one process (index already open), to set against
//! whole-process wall times of the same commands.
//!
//! Run: `cargo run --release --example time_queries -- INDEX_DIR [TOPIC] [RUNS]`. TOPIC defaults
//! to the topic with most documents; RUNS (default 10) is how many timings each median takes.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use tantivy::query::{AllQuery, Query};
use tantivy::Searcher;
use topictrack::index::{open_existing, rules, OpenIndex};
use topictrack::query::facets::count_facets_with_parents;
use topictrack::query::filters::Filters;
use topictrack::query::parse::parse_query;
use topictrack::query::periods::Interval;
use topictrack::query::timeline::{build_timeline, SeriesSpec, TimelineRequest};
use topictrack::taxonomy::Taxonomy;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<T>(runs: usize, mut work: impl FnMut() -> anyhow::Result<T>) -> anyhow::Result<Duration> {
    work()?; // Warm-up: the page cache and lazily opened columns.
    let mut all = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        work()?;
        all.push(start.elapsed());
    }
    Ok(median(all))
}

/// The facets command's work: counts plus one "itself or any child" count per parent topic.
fn facets(
    opened: &OpenIndex,
    searcher: &Searcher,
    taxonomy: &Taxonomy,
    query: &dyn Query,
) -> anyhow::Result<u64> {
    let mut parents = Vec::new();
    for topic in &taxonomy.topics {
        if taxonomy
            .topics
            .iter()
            .any(|child| child.parent.as_deref() == Some(topic.id.as_str()))
        {
            let only = Filters {
                topics: vec![topic.id.clone()],
                ..Filters::default()
            };
            parents.push((
                topic.id.clone(),
                only.apply(query.box_clone(), &opened.fields, taxonomy)?,
            ));
        }
    }
    Ok(count_facets_with_parents(searcher, &opened.fields, query, 10, &parents)?.total)
}

fn timeline(
    opened: &OpenIndex,
    searcher: &Searcher,
    name: &str,
    query: Box<dyn Query>,
) -> anyhow::Result<u64> {
    let series = [SeriesSpec {
        name: name.to_string(),
        query,
    }];
    let request = TimelineRequest {
        interval: Interval::Month,
        from: None,
        to: None,
        smooth: None,
    };
    let line = build_timeline(searcher, &opened.fields, &series, &request)?;
    Ok(line.series.first().map_or(0, |s| s.total))
}

fn run() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let index = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "topictrack-index".to_string()),
    );
    let topic_arg = args.next().filter(|topic| !topic.is_empty());
    let runs: usize = match args.next() {
        Some(text) => text.parse()?,
        None => 10,
    };
    let start = Instant::now();
    let opened = open_existing(&index)?;
    let taxonomy = rules::load(&opened.path);
    let searcher = opened.reader()?.searcher();
    println!(
        "opened {} ({} documents, {} segments) in {:.1} ms",
        index.display(),
        searcher.num_docs(),
        searcher.segment_readers().len(),
        start.elapsed().as_secs_f64() * 1e3
    );
    let topic = match topic_arg {
        Some(topic) => topic,
        None => {
            let counts =
                topictrack::query::facets::count_facets(&searcher, &opened.fields, &AllQuery, 1)?;
            counts
                .facets
                .topic
                .first()
                .map(|v| v.value.clone())
                .ok_or_else(|| anyhow::anyhow!("the index has no topics"))?
        }
    };
    let topic_query = || -> anyhow::Result<Box<dyn Query>> {
        let only = Filters {
            topics: vec![topic.clone()],
            ..Filters::default()
        };
        Ok(only.apply(Box::new(AllQuery), &opened.fields, &taxonomy)?)
    };
    let report = |label: &str, median: Duration, result: u64| {
        println!(
            "{label:<40} median {:>8.1} ms  ({result} documents)",
            median.as_secs_f64() * 1e3
        );
    };

    let mut total = 0;
    let t = time(runs, || {
        total = timeline(&opened, &searcher, &topic, topic_query()?)?;
        Ok(())
    })?;
    report(&format!("timeline {topic} --by month"), t, total);
    let t = time(runs, || {
        total = timeline(&opened, &searcher, "all", Box::new(AllQuery))?;
        Ok(())
    })?;
    report("timeline --all --by month", t, total);
    let t = time(runs, || {
        total = facets(&opened, &searcher, &taxonomy, &AllQuery)?;
        Ok(())
    })?;
    report("facets", t, total);
    let t = time(runs, || {
        total = facets(&opened, &searcher, &taxonomy, topic_query()?.as_ref())?;
        Ok(())
    })?;
    report(&format!("facets --topic {topic}"), t, total);
    let t = time(runs, || {
        let oil = parse_query(&opened, "oil")?;
        let filters = Filters::default().with_dates(Some("1990"), None)?;
        let query = filters.apply(oil, &opened.fields, &taxonomy)?;
        total = facets(&opened, &searcher, &taxonomy, query.as_ref())?;
        Ok(())
    })?;
    report("facets 'oil' --from 1990", t, total);
    Ok(())
}

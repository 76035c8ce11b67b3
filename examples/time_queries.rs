//! Times the timeline and facet queries inside one process (index already open), to set against
//! whole-process wall times of the same commands.
//!
//! Run: `cargo run --release --example time_queries -- INDEX_DIR [TOPIC] [RUNS]`. TOPIC defaults
//! to the topic with most documents; RUNS (default 10) is how many timings each median takes.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use topictrack::index::open_existing;
use topictrack::query::{
    facets, stats, timeline, FacetsRequest, Filters, Interval, Series, StatsRequest,
    TimelineRequest,
};

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

/// A month-by-month timeline of one series, as `topictrack timeline` draws it.
fn by_month(series: Series) -> TimelineRequest {
    TimelineRequest {
        series: vec![series],
        interval: Interval::Month,
        filters: Filters::default(),
        filter_query: None,
        smooth: None,
        bursts: false,
        burst_documents: 0,
    }
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
    let documents = stats(&opened, &StatsRequest)?.documents;
    println!(
        "opened {} ({documents} documents) in {:.1} ms",
        index.display(),
        start.elapsed().as_secs_f64() * 1e3
    );
    let facets_of = |query: &str, filters: Filters| FacetsRequest {
        query: query.to_string(),
        filters,
        top: 10,
    };
    let topic = match topic_arg {
        Some(topic) => topic,
        None => facets(&opened, &facets_of("*", Filters::default()))?
            .facets
            .topic
            .first()
            .map(|v| v.value.clone())
            .ok_or_else(|| anyhow::anyhow!("the index has no topics"))?,
    };
    let report = |label: &str, median: Duration, result: u64| {
        println!(
            "{label:<40} median {:>8.1} ms  ({result} documents)",
            median.as_secs_f64() * 1e3
        );
    };
    let mut total = 0;
    for (label, request) in [
        (
            format!("timeline {topic} --by month"),
            by_month(Series::Topic(topic.clone())),
        ),
        (
            "timeline --all --by month".to_string(),
            by_month(Series::All),
        ),
    ] {
        let t = time(runs, || {
            total = timeline(&opened, &request)?.series[0].total;
            Ok(())
        })?;
        report(&label, t, total);
    }
    let only_topic = Filters {
        topics: vec![topic.clone()],
        ..Filters::default()
    };
    for (label, request) in [
        ("facets".to_string(), facets_of("*", Filters::default())),
        (
            format!("facets --topic {topic}"),
            facets_of("*", only_topic),
        ),
        (
            "facets 'oil' --from 1990".to_string(),
            facets_of("oil", Filters::default().with_dates(Some("1990"), None)?),
        ),
    ] {
        let t = time(runs, || {
            total = facets(&opened, &request)?.total;
            Ok(())
        })?;
        report(&label, t, total);
    }
    Ok(())
}

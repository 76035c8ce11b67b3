//! In-process query timings through the library API (the engine without process start-up), as JSON.
//!
//! Opens the index once, then runs each query `--runs` times after `--warmup` untimed runs and
//! prints p50/p95 in milliseconds. `bench/run.sh` calls it; it can also be run by hand:
//!
//! ```text
//! cargo run --release --example bench_queries -- --index DIR --keyword "oil prices" \
//!     --filtered oil --from 1987-03-01 --to 1987-04-30 --by tag --filter-value crude \
//!     --series crude --series grain --series trade --series interest --series money-fx
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use serde_json::{json, Value};
use topictrack::index::open_existing;
use topictrack::query::{
    facets, search, timeline, FacetsRequest, Filters, Interval, SearchRequest, Series, SortOrder,
    TimelineRequest,
};

/// What to time, from the command line.
struct Plan {
    index: PathBuf,
    runs: usize,
    warmup: usize,
    keyword: String,
    filtered: String,
    from: Option<String>,
    to: Option<String>,
    /// Whether the filter and the timeline series are tags or topics.
    by_topic: bool,
    filter_value: Option<String>,
    series: Vec<String>,
}

const USAGE: &str = "usage: bench_queries --index DIR [--runs N] [--warmup N] [--keyword Q] \
[--filtered Q] [--from DATE] [--to DATE] [--by tag|topic] [--filter-value V] [--series V]...";

fn parse_args() -> Result<Plan, String> {
    let mut plan = Plan {
        index: PathBuf::from("topictrack-index"),
        runs: 20,
        warmup: 3,
        keyword: "oil prices".into(),
        filtered: "oil".into(),
        from: None,
        to: None,
        by_topic: false,
        filter_value: None,
        series: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--index" => plan.index = PathBuf::from(value()?),
            "--runs" => plan.runs = number(&flag, &value()?)?,
            "--warmup" => plan.warmup = number(&flag, &value()?)?,
            "--keyword" => plan.keyword = value()?,
            "--filtered" => plan.filtered = value()?,
            "--from" => plan.from = Some(value()?),
            "--to" => plan.to = Some(value()?),
            "--by" => {
                plan.by_topic = match value()?.as_str() {
                    "tag" => false,
                    "topic" => true,
                    other => return Err(format!("--by wants tag or topic, not {other:?}")),
                }
            }
            "--filter-value" => plan.filter_value = Some(value()?),
            "--series" => plan.series.push(value()?),
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if plan.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    Ok(plan)
}

fn number(flag: &str, text: &str) -> Result<usize, String> {
    text.parse()
        .map_err(|_| format!("{flag} wants a whole number, not {text:?}"))
}

/// Times `work` and returns p50, p95 and the runs in milliseconds.
fn time_it(
    plan: &Plan,
    mut work: impl FnMut() -> topictrack::Result<u64>,
) -> topictrack::Result<Value> {
    let mut matched = 0;
    for _ in 0..plan.warmup {
        matched = work()?;
    }
    let mut millis = Vec::with_capacity(plan.runs);
    for _ in 0..plan.runs {
        let started = Instant::now();
        matched = work()?;
        millis.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let mut sorted = millis.clone();
    sorted.sort_by(f64::total_cmp);
    Ok(json!({
        "p50_ms": percentile(&sorted, 50.0),
        "p95_ms": percentile(&sorted, 95.0),
        "runs": plan.runs,
        "matched": matched,
    }))
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], pct: f64) -> f64 {
    let rank = ((pct / 100.0) * sorted.len() as f64).ceil() as usize;
    let value = sorted[rank.clamp(1, sorted.len()) - 1];
    (value * 1000.0).round() / 1000.0
}

/// Filters keeping one tag or one topic.
fn only(by_topic: bool, values: &[String]) -> Filters {
    if by_topic {
        Filters {
            topics: values.to_vec(),
            ..Filters::default()
        }
    } else {
        Filters {
            tags: values.to_vec(),
            ..Filters::default()
        }
    }
}

/// One series per value, as `topictrack timeline` builds them.
fn series(by_topic: bool, values: &[String]) -> Vec<Series> {
    values
        .iter()
        .cloned()
        .map(|value| {
            if by_topic {
                Series::Topic(value)
            } else {
                Series::Tag(value)
            }
        })
        .collect()
}

fn run(plan: &Plan) -> topictrack::Result<Value> {
    let opened = open_existing(&plan.index)?;
    let keyword = SearchRequest {
        query: plan.keyword.clone(),
        filters: Filters::default(),
        limit: 10,
        offset: 0,
        sort: SortOrder::Relevance,
        facets: None,
    };
    let filtered = SearchRequest {
        query: plan.filtered.clone(),
        filters: only(
            plan.by_topic,
            &plan.filter_value.iter().cloned().collect::<Vec<_>>(),
        )
        .with_dates(plan.from.as_deref(), plan.to.as_deref())?,
        ..keyword.clone()
    };
    let mut out = serde_json::Map::new();
    out.insert(
        "search".into(),
        time_it(plan, || Ok(search(&opened, &keyword)?.total as u64))?,
    );
    out.insert(
        "filtered".into(),
        time_it(plan, || Ok(search(&opened, &filtered)?.total as u64))?,
    );
    let all = FacetsRequest {
        query: "*".into(),
        filters: Filters::default(),
        top: 10,
    };
    out.insert(
        "facets".into(),
        time_it(plan, || Ok(facets(&opened, &all)?.total))?,
    );
    let mut timeline = |name: &str, values: &[String]| -> topictrack::Result<()> {
        if values.is_empty() {
            return Ok(());
        }
        let request = TimelineRequest {
            series: series(plan.by_topic, values),
            interval: Interval::Month,
            filters: Filters::default(),
            filter_query: None,
            smooth: None,
            bursts: false,
            burst_documents: 0,
        };
        let timing = time_it(plan, || {
            let built = timeline(&opened, &request)?;
            Ok(built.series.iter().map(|line| line.total).sum())
        })?;
        out.insert(name.into(), timing);
        Ok(())
    };
    timeline("timeline1", &plan.series[..plan.series.len().min(1)])?;
    timeline("timeline5", &plan.series[..plan.series.len().min(5)])?;
    Ok(Value::Object(out))
}

fn main() -> ExitCode {
    let plan = match parse_args() {
        Ok(plan) => plan,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&plan) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("bench_queries: {err}");
            ExitCode::FAILURE
        }
    }
}

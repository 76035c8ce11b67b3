//! `topictrack trends [QUERY]`: what rises in a window against a baseline; with `--bursts`, the
//! strongest bursts over the whole range.

use std::path::Path;
use std::process::ExitCode;

use topictrack::error::Field;
use topictrack::query::{
    bursts, parse_date_arg, trends, Baseline, BurstsRequest, RangeEnd, TrendKind, TrendsRequest,
};
use topictrack::render::trends as render;

use super::timeline::interval;
use super::{filters, open, print, print_json};
use crate::cli::TrendsArgs;
use crate::exit;

pub fn run(index_dir: &Path, args: TrendsArgs) -> anyhow::Result<ExitCode> {
    if args.bursts {
        return run_bursts(index_dir, &args);
    }
    let baseline = if args.baseline_from.is_some() || args.baseline_to.is_some() {
        let day = |text: Option<&str>, end| {
            text.map(|text| parse_date_arg(Field::Baseline, text, end))
                .transpose()
        };
        Baseline::Range(
            day(args.baseline_from.as_deref(), RangeEnd::Start)?,
            day(args.baseline_to.as_deref(), RangeEnd::End)?,
        )
    } else {
        Baseline::parse(&args.baseline)?
    };
    let request = TrendsRequest {
        query: args.query.unwrap_or_else(|| "*".to_string()),
        filters: filters(&args.filters)?,
        window_days: topictrack::query::parse_days(Field::Window, &args.window)?,
        baseline,
        kinds: kinds(&args.kind)?,
        top: args.top,
        min_count: args.min_count,
        min_score: args.min_score,
        examples: args.examples,
    };
    let opened = open(index_dir)?;
    let report = trends(&opened, &request)?;
    if args.json {
        print_json(&report)?;
    } else if args.csv {
        print(&render::report_csv(&report))?;
    } else {
        print(&render::report(&report))?;
    }
    Ok(exit::SUCCESS)
}

fn kinds(texts: &[String]) -> anyhow::Result<Vec<TrendKind>> {
    let mut kinds = Vec::new();
    for text in texts {
        let kind = TrendKind::parse(text)?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Ok(kinds)
}

/// `trends --bursts`: the strongest bursts over the whole range.
fn run_bursts(index_dir: &Path, args: &TrendsArgs) -> anyhow::Result<ExitCode> {
    let request = BurstsRequest {
        query: args.query.clone().unwrap_or_else(|| "*".to_string()),
        filters: filters(&args.filters)?,
        kinds: kinds(&args.kind)?,
        interval: args.by.map(interval),
        top: args.top,
        examples: args.examples,
    };
    let opened = open(index_dir)?;
    let report = bursts(&opened, &request)?;
    if args.json {
        print_json(&report)?;
    } else if args.csv {
        print(&render::bursts_csv(&report))?;
    } else {
        print(&render::bursts(&report))?;
    }
    Ok(exit::SUCCESS)
}

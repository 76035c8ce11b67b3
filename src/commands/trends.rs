//! `topictrack trends [QUERY]`: what rises in a window against a baseline.

use std::path::Path;
use std::process::ExitCode;

use topictrack::error::Field;
use topictrack::query::{parse_date_arg, trends, Baseline, RangeEnd, TrendKind, TrendsRequest};
use topictrack::render::trends as render;

use super::{filters, open, print, print_json};
use crate::cli::TrendsArgs;
use crate::exit;

pub fn run(index_dir: &Path, args: TrendsArgs) -> anyhow::Result<ExitCode> {
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
    let mut kinds = Vec::new();
    for text in &args.kind {
        let kind = TrendKind::parse(text)?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    let request = TrendsRequest {
        query: args.query.unwrap_or_else(|| "*".to_string()),
        filters: filters(&args.filters)?,
        window_days: topictrack::query::parse_days(Field::Window, &args.window)?,
        baseline,
        kinds,
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

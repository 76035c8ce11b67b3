//! `topictrack timeline SERIES...`

use std::path::Path;
use std::process::ExitCode;

use topictrack::query::{timeline, Filters, Interval, Series, TimelineRequest};
use topictrack::render::{chart, csv, table};
use topictrack::text::counted;
use topictrack::Error;

use super::{open, paint, print, print_json};
use crate::cli::{IntervalArg, TimelineArgs};
use crate::exit;

pub fn run(index_dir: &Path, args: TimelineArgs) -> anyhow::Result<ExitCode> {
    let filters = Filters {
        langs: args.lang.clone(),
        sources: args.source.clone(),
        ..Filters::default()
    }
    .with_dates(args.from.as_deref(), args.to.as_deref())?
    .with_indexed_since(args.indexed.indexed_since.as_deref())?;
    let mut series: Vec<Series> = args.topics.iter().cloned().map(Series::Topic).collect();
    series.extend(args.entity.iter().cloned().map(Series::Entity));
    series.extend(args.tag.iter().cloned().map(Series::Tag));
    series.extend(args.query.iter().cloned().map(Series::Query));
    if args.all {
        series.push(Series::All);
    }
    let request = TimelineRequest {
        series,
        interval: interval(args.by),
        filters,
        filter_query: args.filter.clone(),
        smooth: args.smooth,
        bursts: args.bursts,
        burst_documents: 3,
    };
    let opened = open(index_dir)?;
    let timeline = timeline(&opened, &request)?;
    if let Some(path) = &args.svg {
        let names: Vec<&str> = timeline
            .series
            .iter()
            .map(|line| line.name.as_str())
            .collect();
        let title = format!("{} per {}", names.join(", "), request.interval.as_str());
        std::fs::write(path, chart::timeline_svg(&timeline, &title, args.normalize))
            .map_err(|err| Error::io(format!("writing {}", path.display()), err))?;
    }
    if args.json {
        print_json(&timeline)?;
    } else if args.csv {
        print(&csv::timeline_csv(&timeline, args.normalize))?;
        // CSV rows are periods, so undated documents cannot be rows: say so where a user sees it.
        for line in &timeline.series {
            if line.undated > 0 {
                eprintln!(
                    "{}: {} (in no period)",
                    line.name,
                    counted(line.undated, "undated document", "undated documents")
                );
            }
        }
    } else {
        print(&table::timeline_table(
            &timeline,
            args.normalize,
            paint().on,
        ))?;
        if let Some(path) = &args.svg {
            eprintln!("chart written to {}", path.display());
        }
    }
    Ok(exit::SUCCESS)
}

pub(super) fn interval(arg: IntervalArg) -> Interval {
    match arg {
        IntervalArg::Day => Interval::Day,
        IntervalArg::Week => Interval::Week,
        IntervalArg::Month => Interval::Month,
        IntervalArg::Quarter => Interval::Quarter,
        IntervalArg::Year => Interval::Year,
    }
}

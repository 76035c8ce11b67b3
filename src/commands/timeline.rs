//! `topictrack timeline SERIES...`

use std::path::Path;
use std::process::ExitCode;

use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};
use topictrack::index::rules;
use topictrack::query::filters::{parse_date_arg, Filters, RangeEnd};
use topictrack::query::parse::parse_query;
use topictrack::query::periods::Interval;
use topictrack::query::timeline::{build_timeline, SeriesSpec, TimelineRequest};
use topictrack::render::{chart, csv, table};
use topictrack::Error;

use super::{open, paint, print, print_json};
use crate::cli::{IntervalArg, TimelineArgs};
use crate::exit;

pub fn run(index_dir: &Path, args: TimelineArgs) -> anyhow::Result<ExitCode> {
    let from = args
        .from
        .as_deref()
        .map(|text| parse_date_arg("--from", text, RangeEnd::Start))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|text| parse_date_arg("--to", text, RangeEnd::End))
        .transpose()?;
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(Error::bad_argument(
                "--from/--to",
                format!("--from {from} is after --to {to}; swap them"),
            )
            .into());
        }
    }
    if args.smooth == Some(0) {
        return Err(Error::bad_argument("--smooth", "use a window of 1 or more periods").into());
    }
    let opened = open(index_dir)?;
    let taxonomy = rules::load(&opened.path);
    let fields = &opened.fields;

    // Filters every series shares: language, source and an optional query.
    let shared = Filters {
        langs: args.lang.clone(),
        sources: args.source.clone(),
        ..Filters::default()
    };
    let restrict = |series_query: Box<dyn Query>| -> anyhow::Result<Box<dyn Query>> {
        let mut query = shared.apply(series_query, fields, &taxonomy)?;
        if let Some(filter) = &args.filter {
            let extra = parse_query(&opened, filter)?;
            query = Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (Occur::Must, extra),
            ]));
        }
        Ok(query)
    };
    let searcher = opened.reader()?.searcher();
    // One series per topic, entity and tag: all documents narrowed by that one filter.
    let single_filters = args
        .topics
        .iter()
        .map(|topic| {
            let filter = Filters {
                topics: vec![topic.clone()],
                ..Filters::default()
            };
            (topic.clone(), filter)
        })
        .chain(args.entity.iter().map(|entity| {
            let filter = Filters {
                entities: vec![entity.clone()],
                ..Filters::default()
            };
            (entity.clone(), filter)
        }))
        .chain(args.tag.iter().map(|tag| {
            let filter = Filters {
                tags: vec![tag.clone()],
                ..Filters::default()
            };
            (format!("tag:{tag}"), filter)
        }));
    let mut series = Vec::new();
    for (name, mut filter) in single_filters {
        filter.resolve_entities(&searcher, fields, &taxonomy)?;
        series.push(SeriesSpec {
            name,
            query: restrict(filter.apply(Box::new(AllQuery), fields, &taxonomy)?)?,
        });
    }
    for text in &args.query {
        series.push(SeriesSpec {
            name: text.clone(),
            query: restrict(parse_query(&opened, text)?)?,
        });
    }
    if args.all || series.is_empty() {
        series.push(SeriesSpec {
            name: "all documents".into(),
            query: restrict(Box::new(AllQuery))?,
        });
    }

    let request = TimelineRequest {
        interval: interval(args.by),
        from,
        to,
        smooth: args.smooth,
    };
    let timeline =
        build_timeline(&searcher, fields, &series, &request).map_err(|err| opened.damaged(err))?;
    if let Some(path) = &args.svg {
        let names: Vec<&str> = series.iter().map(|spec| spec.name.as_str()).collect();
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
                    "{}: {} undated documents (in no period)",
                    line.name, line.undated
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

fn interval(arg: IntervalArg) -> Interval {
    match arg {
        IntervalArg::Day => Interval::Day,
        IntervalArg::Week => Interval::Week,
        IntervalArg::Month => Interval::Month,
        IntervalArg::Quarter => Interval::Quarter,
        IntervalArg::Year => Interval::Year,
    }
}

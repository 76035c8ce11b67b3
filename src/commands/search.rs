//! `topictrack search QUERY`

use std::path::Path;
use std::process::ExitCode;

use topictrack::query::{search, SearchRequest, SortOrder};
use topictrack::render::csv;
use topictrack::render::text::search_results;

use super::{filters, open, paint, print, print_json};
use crate::cli::{SearchArgs, SortArg};
use crate::exit;

pub fn run(index_dir: &Path, args: SearchArgs) -> anyhow::Result<ExitCode> {
    let request = SearchRequest {
        query: args.query,
        filters: filters(&args.filters)?,
        limit: args.limit,
        offset: args.offset,
        sort: match args.sort {
            SortArg::Relevance => SortOrder::Relevance,
            SortArg::Date => SortOrder::Date,
            SortArg::Oldest => SortOrder::Oldest,
        },
        facets: args.facets.then_some(10),
    };
    let opened = open(index_dir)?;
    let results = search(&opened, &request)?;
    if args.json {
        print_json(&results)?;
    } else if args.csv {
        print(&csv::search_csv(&results))?;
    } else {
        print(&search_results(&results, args.offset, paint()))?;
    }
    Ok(exit::SUCCESS)
}

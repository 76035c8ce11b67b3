//! `topictrack facets [QUERY]`

use std::path::Path;
use std::process::ExitCode;

use topictrack::index::rules;
use topictrack::query::facets::count_facets;
use topictrack::query::parse::parse_query;
use topictrack::render::{csv, table};

use super::{filters, open, paint, print, print_json};
use crate::cli::FacetsArgs;
use crate::exit;

pub fn run(index_dir: &Path, args: FacetsArgs) -> anyhow::Result<ExitCode> {
    let filters = filters(&args.filters)?;
    let opened = open(index_dir)?;
    let taxonomy = rules::load(&opened.path);
    let query = parse_query(&opened, args.query.as_deref().unwrap_or("*"))?;
    let query = filters.apply(query, &opened.fields, &taxonomy)?;
    let searcher = opened.reader()?.searcher();
    let counts = count_facets(&searcher, &opened.fields, &*query, args.top)
        .map_err(|err| opened.damaged(err))?;
    if args.json {
        print_json(&counts)?;
    } else if args.csv {
        print(&csv::facets_csv(&counts))?;
    } else {
        print(&table::facets_table(&counts, paint().on))?;
    }
    Ok(exit::SUCCESS)
}

//! `topictrack facets [QUERY]`

use std::path::Path;
use std::process::ExitCode;

use topictrack::index::rules;
use topictrack::query::facets::count_facets_for_taxonomy;
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
    let searcher = opened.reader()?.searcher();
    let mut filters = filters;
    filters.resolve_entities(&searcher, &opened.fields, &taxonomy)?;
    let query = filters.apply(query, &opened.fields, &taxonomy)?;
    let counts =
        count_facets_for_taxonomy(&searcher, &opened.fields, &taxonomy, &*query, args.top)?;
    if args.json {
        print_json(&counts)?;
    } else if args.csv {
        print(&csv::facets_csv(&counts))?;
    } else {
        print(&table::facets_table(&counts, paint().on))?;
    }
    Ok(exit::SUCCESS)
}

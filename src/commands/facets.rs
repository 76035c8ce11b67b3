//! `topictrack facets [QUERY]`

use std::path::Path;
use std::process::ExitCode;

use topictrack::query::{facets, FacetsRequest};
use topictrack::render::{csv, table};

use super::{filters, open, paint, print, print_json};
use crate::cli::FacetsArgs;
use crate::exit;

pub fn run(index_dir: &Path, args: FacetsArgs) -> anyhow::Result<ExitCode> {
    let request = FacetsRequest {
        query: args.query.unwrap_or_else(|| "*".to_string()),
        filters: filters(&args.filters)?,
        top: args.top,
    };
    let opened = open(index_dir)?;
    let counts = facets(&opened, &request)?;
    if args.json {
        print_json(&counts)?;
    } else if args.csv {
        print(&csv::facets_csv(&counts))?;
    } else {
        print(&table::facets_table(&counts, paint().on))?;
    }
    Ok(exit::SUCCESS)
}

//! `topictrack topics`

use std::path::Path;
use std::process::ExitCode;

use topictrack::query::filters::Filters;
use topictrack::query::listing::list_topics;
use topictrack::render::text::topics_table;

use super::{open, print, print_json};
use crate::cli::SummaryArgs;
use crate::exit;

pub fn run(index_dir: &Path, args: SummaryArgs) -> anyhow::Result<ExitCode> {
    let filters = Filters::default().with_dates(args.from.as_deref(), args.to.as_deref())?;
    let opened = open(index_dir)?;
    let rows = list_topics(&opened, &filters)?;
    if args.json {
        print_json(&rows)?;
    } else {
        print(&topics_table(&rows))?;
    }
    Ok(exit::SUCCESS)
}

//! `topictrack topics`

use std::path::Path;
use std::process::ExitCode;

use topictrack::query::{topics, TopicsRequest};
use topictrack::render::text::topics_table;

use super::{date_filters, open, print, print_json};
use crate::cli::SummaryArgs;
use crate::exit;

pub fn run(index_dir: &Path, args: SummaryArgs) -> anyhow::Result<ExitCode> {
    let request = TopicsRequest {
        filters: date_filters(args.from.as_deref(), args.to.as_deref(), &args.indexed)?,
    };
    let opened = open(index_dir)?;
    let rows = topics(&opened, &request)?;
    if args.json {
        print_json(&rows)?;
    } else {
        print(&topics_table(&rows))?;
    }
    Ok(exit::SUCCESS)
}

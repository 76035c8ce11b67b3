//! `topictrack entities`

use std::path::Path;
use std::process::ExitCode;

use topictrack::query::{entities, EntitiesRequest};
use topictrack::render::text::entities_table;

use super::{date_filters, open, print, print_json};
use crate::cli::EntitiesArgs;
use crate::exit;

pub fn run(index_dir: &Path, args: EntitiesArgs) -> anyhow::Result<ExitCode> {
    let summary = &args.summary;
    let request = EntitiesRequest {
        filters: date_filters(
            summary.from.as_deref(),
            summary.to.as_deref(),
            &summary.indexed,
        )?,
        kind: args.kind,
        top: args.top,
    };
    let opened = open(index_dir)?;
    let rows = entities(&opened, &request)?;
    if summary.json {
        print_json(&rows)?;
    } else {
        print(&entities_table(&rows))?;
    }
    Ok(exit::SUCCESS)
}

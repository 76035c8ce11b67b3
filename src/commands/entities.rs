//! `topictrack entities`

use std::path::Path;
use std::process::ExitCode;

use topictrack::query::filters::Filters;
use topictrack::query::listing::list_entities;
use topictrack::render::text::entities_table;
use topictrack::taxonomy::defs::EntityKind;
use topictrack::Error;

use super::{open, print, print_json};
use crate::cli::EntitiesArgs;
use crate::exit;

pub fn run(index_dir: &Path, args: EntitiesArgs) -> anyhow::Result<ExitCode> {
    let kind = match &args.kind {
        Some(text) => Some(EntityKind::parse(text).ok_or_else(|| {
            Error::bad_argument(
                "--type",
                format!("{text:?} is not a type; use org, person, place or other"),
            )
        })?),
        None => None,
    };
    let summary = &args.summary;
    let filters = Filters::default().with_dates(summary.from.as_deref(), summary.to.as_deref())?;
    let opened = open(index_dir)?;
    let rows = list_entities(&opened, &filters, kind, args.top)?;
    if summary.json {
        print_json(&rows)?;
    } else {
        print(&entities_table(&rows))?;
    }
    Ok(exit::SUCCESS)
}

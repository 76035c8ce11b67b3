//! `topictrack show ID`

use std::path::Path;
use std::process::ExitCode;

use topictrack::query::{show, ShowRequest};
use topictrack::render::text::document;

use super::{open, paint, print, print_json};
use crate::cli::ShowArgs;
use crate::exit;

pub fn run(index_dir: &Path, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let opened = open(index_dir)?;
    let shown = show(&opened, &ShowRequest { id: args.id })?;
    if args.json {
        print_json(&shown)?;
    } else {
        print(&document(&shown, paint()))?;
    }
    Ok(exit::SUCCESS)
}

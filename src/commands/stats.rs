//! `topictrack stats`

use std::path::Path;
use std::process::ExitCode;

use topictrack::query::{stats, StatsRequest};
use topictrack::render::text;

use super::{open, print, print_json};
use crate::exit;

pub fn run(index_dir: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let opened = open(index_dir)?;
    let stats = stats(&opened, &StatsRequest)?;
    if json {
        print_json(&stats)?;
    } else {
        print(&text::stats(&stats))?;
    }
    Ok(exit::SUCCESS)
}

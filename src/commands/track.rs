//! `topictrack track [TOPIC...]`: what is new since the last look; moves the checkpoints unless
//! `--peek` or `--since`.

use std::path::Path;
use std::process::ExitCode;

use topictrack::error::Field;
use topictrack::query::{parse_since, track, TrackRequest};
use topictrack::render::track as render;

use super::{open, print, print_json};
use crate::cli::TrackArgs;
use crate::exit;

pub fn run(index_dir: &Path, args: TrackArgs) -> anyhow::Result<ExitCode> {
    let since = args
        .since
        .as_deref()
        .map(|text| parse_since(Field::Since, text, chrono::Utc::now()))
        .transpose()?;
    let opened = open(index_dir)?;
    let request = TrackRequest {
        topics: args.topics,
        since,
        limit: args.limit,
    };
    let report = track(&opened, &request)?;
    if !args.peek && since.is_none() {
        report.checkpoints.save(opened.path())?;
    }
    if args.json {
        print_json(&report)?;
    } else if !args.quiet {
        print(&render::report(&report))?;
    }
    Ok(if report.new_documents > 0 {
        exit::SUCCESS
    } else {
        ExitCode::from(exit::NOTHING_NEW)
    })
}

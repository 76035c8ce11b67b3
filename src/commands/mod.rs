//! One module per command; each turns parsed flags into a library request and prints the result.

mod completions;
mod entities;
mod facets;
mod index;
mod roots;
mod search;
mod serve;
mod show;
mod stats;
mod timeline;
mod topic;
mod topics;
mod track;
mod trends;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use topictrack::index::OpenIndex;
use topictrack::query::Filters;
use topictrack::render::style::{color_enabled, Paint};

use crate::cli::{Cli, Command, FilterArgs, IndexedSinceArg};

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let index_dir = cli
        .index
        .unwrap_or_else(|| PathBuf::from("topictrack-index"));
    match cli.command {
        Command::Index(args) => index::run(&index_dir, args),
        Command::Search(args) => search::run(&index_dir, args),
        Command::Facets(args) => facets::run(&index_dir, args),
        Command::Timeline(args) => timeline::run(&index_dir, args),
        Command::Topics(args) => topics::run(&index_dir, args),
        Command::Entities(args) => entities::run(&index_dir, args),
        Command::Show(args) => show::run(&index_dir, args),
        Command::Stats(args) => stats::run(&index_dir, args.json),
        Command::Roots(args) => roots::run(&index_dir, args),
        Command::Topic(args) => topic::run(&index_dir, args),
        Command::Track(args) => track::run(&index_dir, args),
        Command::Trends(args) => trends::run(&index_dir, args),
        Command::Serve(args) => serve::run(&index_dir, args),
        Command::Completions(args) => completions::completions(args.shell),
        Command::Man => completions::man(),
    }
}

fn open(index_dir: &Path) -> anyhow::Result<OpenIndex> {
    Ok(topictrack::index::open_existing(index_dir)?)
}

/// Converts the shared filter flags into the library's filters.
fn filters(args: &FilterArgs) -> anyhow::Result<Filters> {
    let filters = Filters {
        tags: args.tag.clone(),
        langs: args.lang.clone(),
        sources: args.source.clone(),
        topics: args.topic.clone(),
        entities: args.entity.clone(),
        ..Filters::default()
    };
    Ok(filters
        .with_dates(args.from.as_deref(), args.to.as_deref())?
        .with_indexed_since(args.indexed.indexed_since.as_deref())?)
}

/// Only the date range and `--indexed-since`, for the commands that take no other filter.
fn date_filters(
    from: Option<&str>,
    to: Option<&str>,
    indexed: &IndexedSinceArg,
) -> anyhow::Result<Filters> {
    Ok(Filters::default()
        .with_dates(from, to)?
        .with_indexed_since(indexed.indexed_since.as_deref())?)
}

fn paint() -> Paint {
    Paint {
        on: color_enabled(),
    }
}

/// Writes to stdout; a closed pipe surfaces as an error that `main` treats as success.
fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    print(&text)
}

//! `topictrack roots [remove PATH... | prune [--dry-run]]`: the indexed roots, and removing their
//! documents through an index run that only removes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use topictrack::index::{ForgottenRoot, IndexRequest, Silent};
use topictrack::render::roots as render;

use super::{print, print_json};
use crate::cli::{RootsAction, RootsArgs};
use crate::exit;

/// What `roots remove` and `roots prune` print with `--json`.
#[derive(Serialize)]
struct Removal {
    dry_run: bool,
    /// The roots removed (or, in a dry run, that would be), with their files and documents.
    roots: Vec<ForgottenRoot>,
    removed_documents: u64,
    /// Documents in the index after the run; absent in a dry run.
    documents: Option<u64>,
}

pub fn run(index_dir: &Path, args: RootsArgs) -> anyhow::Result<ExitCode> {
    match args.action {
        None => list(index_dir, args.json),
        Some(RootsAction::Remove { paths, json }) => remove(index_dir, paths, false, json),
        Some(RootsAction::Prune {
            dry_run: true,
            json,
        }) => prune_dry_run(index_dir, json),
        Some(RootsAction::Prune {
            dry_run: false,
            json,
        }) => remove(index_dir, Vec::new(), true, json),
    }
}

fn list(index_dir: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let roots = topictrack::index::list_roots(index_dir)?;
    if json {
        print_json(&roots)?;
    } else {
        print(&render::list(&roots))?;
    }
    Ok(exit::SUCCESS)
}

fn remove(
    index_dir: &Path,
    forget: Vec<PathBuf>,
    prune_missing: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let request = IndexRequest::forgetting(index_dir, forget, prune_missing);
    let report = topictrack::index::run(&request, &Silent)?;
    let removal = Removal {
        dry_run: false,
        removed_documents: report
            .forgotten_roots
            .iter()
            .map(|root| root.documents)
            .sum(),
        roots: report.forgotten_roots,
        documents: Some(report.documents),
    };
    show(&removal, json)
}

fn prune_dry_run(index_dir: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let roots: Vec<ForgottenRoot> = topictrack::index::missing_roots(index_dir)?
        .into_iter()
        .filter_map(|root| {
            Some(ForgottenRoot {
                path: root.path?,
                files: root.files,
                documents: root.documents,
            })
        })
        .collect();
    let removal = Removal {
        dry_run: true,
        removed_documents: roots.iter().map(|root| root.documents).sum(),
        roots,
        documents: None,
    };
    show(&removal, json)
}

fn show(removal: &Removal, json: bool) -> anyhow::Result<ExitCode> {
    if json {
        print_json(removal)?;
    } else {
        print(&render::removed(&removal.roots, removal.documents))?;
    }
    Ok(exit::SUCCESS)
}

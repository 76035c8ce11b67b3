//! `topictrack index PATH...`

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use topictrack::corpus::{
    is_url, read_url_list, FetchOptions, FieldMap, Format, ReadOptions, STDIN_FORMATS,
};
use topictrack::error::Field;
use topictrack::index::{IndexRequest, Progress, StdinSource};
use topictrack::render::text::index_summary;
use topictrack::text::counted;

use super::print_json;
use crate::cli::IndexArgs;
use crate::exit;

pub fn run(index_dir: &Path, args: IndexArgs) -> anyhow::Result<ExitCode> {
    let mut fields = FieldMap::default();
    for spec in &args.fields {
        fields
            .set_override(spec)
            .map_err(|err| topictrack::Error::bad_argument(Field::FieldMap, err.to_string()))?;
    }
    let (stdin, roots): (Vec<_>, Vec<_>) = args
        .paths
        .into_iter()
        .partition(|path| path.as_os_str() == "-");
    let stdin = match Format::from_name(&args.format) {
        Some(format) if !format.is_archive() => (!stdin.is_empty()).then(|| StdinSource {
            prefix: args.id_prefix.clone(),
            format,
        }),
        _ => {
            return Err(topictrack::Error::bad_argument(
                Field::Format,
                format!(
                "`{}` is not a format standard input can be read as; use one of {STDIN_FORMATS}",
                args.format
            ),
            )
            .into())
        }
    };
    // An argument that starts with http:// or https:// is a URL; every other one is a path.
    let (urls, roots): (Vec<PathBuf>, Vec<PathBuf>) = roots
        .into_iter()
        .partition(|path| path.to_str().is_some_and(is_url));
    let mut urls: Vec<String> = urls
        .iter()
        .map(|url| url.to_string_lossy().into_owned())
        .collect();
    if let Some(list) = &args.urls {
        for url in read_url_list(list)? {
            if !urls.contains(&url) {
                urls.push(url);
            }
        }
    }
    let request = IndexRequest {
        roots,
        index_dir: index_dir.to_path_buf(),
        rebuild: args.rebuild,
        read: ReadOptions {
            max_bytes: args.max_file_size.saturating_mul(1024 * 1024),
            fields,
        },
        taxonomy_files: args.taxonomy.into_iter().collect(),
        entity_files: args.entities.into_iter().collect(),
        full_enrichment: !args.no_enrich,
        // clap keeps `--memory` within 32..=4095 MiB, which fits a `usize` on every target we build.
        memory_budget: usize::try_from(args.memory.saturating_mul(1024 * 1024))
            .unwrap_or(usize::MAX),
        forget: Vec::new(),
        prune_missing: false,
        stdin,
        urls,
        fetch: FetchOptions {
            timeout: Duration::from_secs(args.timeout),
            ..FetchOptions::default()
        },
    };
    let bar = Bar::new();
    let report = topictrack::index::run(&request, &bar)?;
    if args.json {
        print_json(&report)?;
    } else {
        eprint!("{}", index_summary(&report));
    }
    Ok(if report.skipped.is_empty() {
        exit::SUCCESS
    } else {
        ExitCode::from(exit::BAD_INPUT)
    })
}

/// A progress bar on stderr, drawn only when stderr is a terminal.
///
/// indicatif draws and rate-limits the bar; it hides itself when the output is not a terminal.
struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    fn new() -> Bar {
        Bar {
            bar: std::io::stderr().is_terminal().then(ProgressBar::hidden),
        }
    }
}

impl Progress for Bar {
    fn start(&self, files: u64, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(bytes);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} {msg} [{elapsed_precise}, eta {eta}]",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_message(counted(files, "file", "files"));
        }
    }

    fn file_done(&self, bytes: u64, documents: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
            bar.set_message(counted(documents, "document", "documents"));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

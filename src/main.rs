//! The `topictrack` binary: parse arguments, run one command, print, and exit with a meaningful code.

mod cli;
mod commands;
mod exit;

use std::process::ExitCode;

use clap::Parser;

/// jemalloc instead of the system allocator: indexing allocates and frees many small strings on
/// several threads, where glibc's malloc spent about a tenth of all indexing instructions. mimalloc
/// was as fast but kept 60 MB more resident from the first document on.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    install_panic_message();
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) if exit::is_broken_pipe(&err) => exit::SUCCESS,
        Err(err) => {
            eprintln!("topictrack: error: {}", message(&err));
            exit::code_for(&err)
        }
    }
}

/// The error in one line; the library's errors name request fields, which become flags here.
/// A library error carries its whole message (an I/O error says its context and the OS error), so
/// its sources are not printed again; other chains are joined, each cause that an earlier part
/// already says left out.
fn message(err: &anyhow::Error) -> String {
    let outermost = err
        .chain()
        .next()
        .and_then(|cause| cause.downcast_ref::<topictrack::Error>());
    if let Some(known) = outermost {
        return known.message_with(cli::flag_for);
    }
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

/// A bug must still end in one readable line (and exit code 101 from the runtime), not a
/// backtrace dump; `RUST_BACKTRACE=1` brings the full report back for debugging.
fn install_panic_message() {
    if std::env::var_os("RUST_BACKTRACE").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|at| format!(" at {}:{}", at.file(), at.line()))
            .unwrap_or_default();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!(
            "topictrack: internal error{place}: {what}; please report it (RUST_BACKTRACE=1 shows more)"
        );
    }));
}

//! The `topictrack` binary: parse arguments, run one command, print, and exit with a meaningful code.

mod cli;
mod commands;
mod exit;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) if exit::is_broken_pipe(&err) => exit::SUCCESS,
        Err(err) => {
            eprintln!("topictrack: error: {err:#}");
            exit::code_for(&err)
        }
    }
}

//! `topictrack completions SHELL` and `topictrack man`: shell completions and a man page generated
//! from the clap definitions in `cli.rs`, so they can never disagree with `--help`.

use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use super::print;
use crate::cli::Cli;
use crate::exit;

/// The completion script for `shell`. It is built in memory first: clap_complete panics when its
/// writer fails, and a closed pipe (`| head`) must stay a quiet success.
pub fn completions(shell: Shell) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    let name = command.get_name().to_string();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    print(&String::from_utf8_lossy(&script))?;
    Ok(exit::SUCCESS)
}

/// The man page for the whole tool, in roff, with every subcommand's flags.
pub fn man() -> anyhow::Result<ExitCode> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    print(&String::from_utf8_lossy(&page))?;
    Ok(exit::SUCCESS)
}

//! `topictrack serve`

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::process::ExitCode;

use topictrack::serve::{ServeConfig, Server};

use super::print;
use crate::cli::{flag_for, ServeArgs};
use crate::exit;

pub fn run(index_dir: &Path, args: ServeArgs) -> anyhow::Result<ExitCode> {
    // Fail now, not on the first page, when there is no index to serve.
    super::open(index_dir)?;
    let bind = SocketAddr::new(args.bind, args.port);
    let server = Server::bind(ServeConfig {
        index_dir: index_dir.to_path_buf(),
        bind,
        field_name: flag_for,
    })?;
    if !is_loopback(args.bind) {
        eprintln!(
            "topictrack: warning: serving on {}: the page has no login, so anyone who can reach this address can read the whole index",
            server.addr()
        );
    }
    // The URL first, on a line of its own, so that scripts (and tests) can read the port chosen.
    print(&format!("{}\n", server.url()))?;
    eprintln!("serving {} until Ctrl-C", index_dir.display());
    server.run()?;
    Ok(exit::SUCCESS)
}

fn is_loopback(ip: IpAddr) -> bool {
    ip.is_loopback()
}

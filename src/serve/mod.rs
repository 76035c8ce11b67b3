//! `topictrack serve`: a read-only web page and JSON API over the index, for people who would rather
//! click than type flags. It sits above [`crate::render`]: every route turns its typed parameters
//! into the same request types the CLI commands build ([`crate::query`]), answers them on a
//! blocking thread, and renders the result as the CLI's JSON (serde of the same types), as HTML
//! ([`pages`]; [`watch`] for trends and what is new; [`overview`] for entities and statistics) or through the CLI's SVG and CSV renderers.
//!
//! The index is opened again for every request, so a page sees each commit of a running `index`
//! (new documents, new user topics, a new taxonomy) without a restart.
//!
//! Safety ([`guard`]): the Host header must name the address served (DNS rebinding), URLs and
//! parameters are capped, bodies are refused, and every response carries a strict
//! Content-Security-Policy; documents are hostile, and maud escapes everything they say.

mod api;
mod assets;
mod guard;
mod html;
mod overview;
mod pages;
mod params;
mod reply;
mod watch;

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;

use axum::routing::get;
use axum::Router;

use crate::error::{Error, Field, Result};
use crate::index::{open_existing, OpenIndex};

/// What `serve` needs: the index folder, the address to listen on, and how error messages name
/// request fields (the binary passes its flag names, so that a message reads as the CLI's).
pub struct ServeConfig {
    pub index_dir: PathBuf,
    pub bind: SocketAddr,
    pub field_name: fn(Field) -> String,
}

/// A bound listener, ready to serve; [`Server::addr`] gives the port chosen for port 0.
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    shared: Arc<Shared>,
}

/// What every handler reads.
pub(crate) struct Shared {
    index_dir: PathBuf,
    field_name: fn(Field) -> String,
    /// The address served, which the Host header must name.
    addr: SocketAddr,
}

impl Shared {
    /// Opens the index as it is now (the last commit).
    fn open(&self) -> Result<OpenIndex> {
        open_existing(&self.index_dir)
    }

    /// An error's one-line message, fields named as the CLI names them.
    fn message(&self, err: &Error) -> String {
        err.message_with(self.field_name)
    }
}

impl Server {
    /// Binds the address (the port may be 0: the system picks one).
    pub fn bind(config: ServeConfig) -> Result<Server> {
        let listener = TcpListener::bind(config.bind)
            .map_err(|err| Error::io(format!("listening on {}", config.bind), err))?;
        let addr = listener
            .local_addr()
            .map_err(|err| Error::io("reading the address listened on", err))?;
        listener
            .set_nonblocking(true)
            .map_err(|err| Error::io("setting up the listener", err))?;
        Ok(Server {
            listener,
            addr,
            shared: Arc::new(Shared {
                index_dir: config.index_dir,
                field_name: config.field_name,
                addr,
            }),
        })
    }

    /// The address listened on, with the real port.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The page's address, as printed for the user.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Serves until Ctrl-C (or SIGTERM).
    pub fn run(self) -> Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|err| Error::io("starting the server's threads", err))?;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener)
                .map_err(|err| Error::io(format!("listening on {}", self.addr), err))?;
            axum::serve(listener, router(self.shared))
                .with_graceful_shutdown(stopped())
                .await
                .map_err(|err| Error::io(format!("serving on {}", self.addr), err))
        })
    }
}

/// Every route; the guard runs before each of them.
fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(pages::search))
        .route("/timeline", get(pages::timeline))
        .route("/timeline.svg", get(pages::timeline_svg))
        .route("/timeline.csv", get(pages::timeline_csv))
        .route("/doc/{id}", get(pages::document))
        .route("/topics", get(pages::topics))
        .route("/trends", get(watch::trends))
        .route("/new", get(watch::new))
        .route("/entities", get(overview::entities))
        .route("/stats", get(overview::stats))
        .route("/style.css", get(assets::style))
        .route("/api/search", get(api::search))
        .route("/api/facets", get(api::facets))
        .route("/api/timeline", get(api::timeline))
        .route("/api/show/{id}", get(api::show))
        .route("/api/stats", get(api::stats))
        .route("/api/topics", get(api::topics))
        .route("/api/entities", get(api::entities))
        .fallback(reply::not_found)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&shared),
            guard::check,
        ))
        .with_state(shared)
}

/// Resolves on Ctrl-C, or on SIGTERM on Unix.
async fn stopped() {
    let interrupt = async {
        // If the handler cannot be installed, serving on until killed is all that is left.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = interrupt => {},
            () = terminate => {},
        }
    }
    #[cfg(not(unix))]
    interrupt.await;
}

impl Shared {
    /// Runs `work` on a blocking thread (reads are synchronous) with the index as it is now,
    /// and turns what it refuses into a status and the CLI's one-line message.
    pub(crate) async fn answer<T, F>(
        self: &Arc<Shared>,
        work: F,
    ) -> std::result::Result<T, reply::Failure>
    where
        T: Send + 'static,
        F: FnOnce(&Shared) -> std::result::Result<T, params::Refused> + Send + 'static,
    {
        let shared = Arc::clone(self);
        let outcome = tokio::task::spawn_blocking(move || {
            work(&shared).map_err(|refused| match refused {
                params::Refused::Server(failure) => failure,
                params::Refused::Library(err) => {
                    reply::Failure::from_error(&err, shared.message(&err))
                }
            })
        })
        .await;
        match outcome {
            Ok(answered) => answered,
            Err(join) => Err(reply::Failure {
                status: axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                message: format!("internal error while answering: {join}"),
            }),
        }
    }
}

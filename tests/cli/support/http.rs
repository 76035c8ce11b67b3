//! A small HTTP server on 127.0.0.1 for the tests that index URLs: each test gives it a routing
//! function, and reads back every request it got. It serves each connection on a thread of its
//! own, answers once and closes; it stops when dropped, and by itself after a minute at most.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The longest a server lives, whatever the test does.
const LIFETIME: Duration = Duration::from_secs(60);

/// What the server got: the path and the headers, names lower-cased.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub headers: HashMap<String, String>,
}

/// What the server sends back.
pub enum Reply {
    /// Status, headers and body, sent with its length.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Headers (which may claim any length), then `chunk` written again and again until `total`
    /// bytes are sent or the client hangs up.
    Stream {
        headers: Vec<(String, String)>,
        chunk: Vec<u8>,
        total: usize,
    },
    /// Nothing at all, for this long, then the connection is closed.
    Silence(Duration),
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply::Full {
            status,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: format!("status {status}").into_bytes(),
        }
    }
}

type Route = dyn Fn(&Request) -> Reply + Send + Sync;

pub struct Server {
    pub port: u16,
    log: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    pub fn start(route: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("loopback port");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let port = listener.local_addr().expect("bound address").port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let route: Arc<Route> = Arc::new(route);
        let (thread_log, thread_stop) = (Arc::clone(&log), Arc::clone(&stop));
        thread::spawn(move || {
            let started = Instant::now();
            while !thread_stop.load(Ordering::Relaxed) && started.elapsed() < LIFETIME {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (route, log) = (Arc::clone(&route), Arc::clone(&thread_log));
                        thread::spawn(move || serve(stream, &*route, &log));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server { port, log, stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Every request so far to `path`.
    pub fn requests(&self, path: &str) -> Vec<Request> {
        self.log
            .lock()
            .map(|log| log.iter().filter(|r| r.path == path).cloned().collect())
            .unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn serve(stream: TcpStream, route: &Route, log: &Mutex<Vec<Request>>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(clone) => clone,
        Err(_) => return,
    });
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let path = first.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line.trim().is_empty() => break,
            Ok(_) => {
                if let Some((name, value)) = line.split_once(':') {
                    headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
                }
            }
        }
    }
    let request = Request { path, headers };
    if let Ok(mut log) = log.lock() {
        log.push(request.clone());
    }
    let mut stream = stream;
    let head = |status: u16, headers: &[(String, String)]| {
        let mut head = format!(
            "HTTP/1.1 {status} {}\r\nConnection: close\r\n",
            reason(status)
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head
    };
    match route(&request) {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut text = head(status, &headers);
            if status != 304 {
                text.push_str(&format!("Content-Length: {}\r\n", body.len()));
            }
            text.push_str("\r\n");
            let _ = stream.write_all(text.as_bytes());
            if status != 304 {
                let _ = stream.write_all(&body);
            }
        }
        Reply::Stream {
            headers,
            chunk,
            total,
        } => {
            let mut text = head(200, &headers);
            text.push_str("\r\n");
            if stream.write_all(text.as_bytes()).is_err() {
                return;
            }
            let mut sent = 0;
            while sent < total && stream.write_all(&chunk).is_ok() {
                sent += chunk.len();
            }
        }
        Reply::Silence(time) => thread::sleep(time),
    }
    let _ = stream.flush();
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

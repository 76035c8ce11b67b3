//! `topictrack serve`: the real binary on a free loopback port, asked over HTTP. Its API must
//! answer as the CLI's `--json` does, refuse a bad query the CLI's way and a foreign Host header,
//! and show a hostile document as text.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};

use serde_json::Value;

use crate::support::{article, Workspace};

/// The server process, killed by PID when the test ends (however it ends).
struct Served {
    child: Child,
    port: u16,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the server answered: status, headers (names lower-cased) and body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(have, _)| have == name)
            .map(|(_, value)| value.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {}", self.body))
    }
}

impl Served {
    /// Starts `serve --port 0` and reads the URL it prints to learn the port.
    fn start(workspace: &Workspace) -> Served {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_topictrack"))
            .env_remove("TOPICTRACK_INDEX")
            .arg("--index")
            .arg(workspace.index_dir())
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve started");
        let stdout = child.stdout.take().expect("stdout piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("URL printed");
        let port = line
            .trim()
            .strip_prefix("http://127.0.0.1:")
            .and_then(|rest| rest.trim_end_matches('/').parse().ok())
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        // The listener is bound before the URL is printed, so the first request is taken.
        Served { child, port }
    }

    fn get(&self, path: &str) -> Answer {
        self.get_with_host(path, &format!("127.0.0.1:{}", self.port))
    }

    fn get_with_host(&self, path: &str, host: &str) -> Answer {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connected");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .expect("request sent");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("answer read");
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").expect("headers end");
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|code| code.parse().ok())
            .expect("status line");
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
            .collect();
        Answer {
            status,
            headers,
            body: body.to_string(),
        }
    }
}

const HOSTILE_TITLE: &str = "<script>alert(1)</script> Nvidia chips";

fn workspace() -> Workspace {
    let workspace = Workspace::new();
    workspace.write(
        "chips.md",
        article(
            "Nvidia H20 export controls",
            "2025-04-15",
            "en",
            "Nvidia said export controls on the H20 chip will cost billions. Washington tightened the rules.",
        ),
    );
    workspace.write(
        "puertos.md",
        article(
            "Huelga en el puerto de Valencia",
            "2024-03-02",
            "es",
            "Los estibadores del puerto de Valencia convocan una huelga por los salarios.",
        ),
    );
    workspace.write(
        "hostile.md",
        article(
            HOSTILE_TITLE,
            "2025-05-01",
            "en",
            "Nvidia <img src=x onerror=alert(2)> and <a href=\"javascript:alert(3)\">a link</a> <script>alert(4)</script>",
        ),
    );
    let (_, code) = workspace.index_corpus();
    assert_eq!(code, 0, "indexing the corpus");
    workspace
}

#[test]
fn serve_api_answers_as_the_cli_json_does() {
    let workspace = workspace();
    let served = Served::start(&workspace);
    let cases: [(&str, &[&str]); 9] = [
        ("/api/search?q=nvidia", &["search", "nvidia", "--json"]),
        (
            "/api/search?q=nvidia&sort=date&limit=1&offset=1&facets=true",
            &[
                "search", "nvidia", "--sort", "date", "--limit", "1", "--offset", "1", "--facets",
                "--json",
            ],
        ),
        (
            "/api/search?q=*&lang=es&from=2024&to=2024-12",
            &[
                "search", "*", "--lang", "es", "--from", "2024", "--to", "2024-12", "--json",
            ],
        ),
        ("/api/facets?q=nvidia", &["facets", "nvidia", "--json"]),
        ("/api/facets?top=3", &["facets", "--top", "3", "--json"]),
        (
            "/api/timeline?all=true&query=nvidia&by=year",
            &[
                "timeline", "--all", "--query", "nvidia", "--by", "year", "--json",
            ],
        ),
        ("/api/stats", &["stats", "--json"]),
        ("/api/topics", &["topics", "--json"]),
        ("/api/entities?top=5", &["entities", "--top", "5", "--json"]),
    ];
    for (path, args) in cases {
        let answer = served.get(path);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        assert_eq!(
            answer.json(),
            workspace.json(args),
            "{path} against {args:?}"
        );
    }
    let hits = workspace.json(&["search", "valencia", "--json"]);
    let id = hits["hits"][0]["id"].as_str().expect("a hit");
    let answer = served.get(&format!("/api/show/{id}"));
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json(), workspace.json(&["show", id, "--json"]));
}

#[test]
fn serve_refuses_a_bad_query_with_the_cli_message() {
    let workspace = workspace();
    let served = Served::start(&workspace);
    let cli = workspace.run(&["search", "\"unclosed", "--json"]);
    assert_eq!(cli.status.code(), Some(2));
    let message = String::from_utf8_lossy(&cli.stderr)
        .trim()
        .trim_start_matches("topictrack: error: ")
        .to_string();
    let answer = served.get("/api/search?q=%22unclosed");
    assert_eq!(answer.status, 400);
    assert_eq!(answer.json()["error"].as_str(), Some(message.as_str()));
    // The page shows the same message inline.
    let page = served.get("/?q=%22unclosed");
    assert_eq!(page.status, 400);
    let escaped = message.replace('"', "&quot;");
    assert!(page.body.contains(&escaped), "{}", page.body);
    // A bad date names the flag, as the CLI does.
    let answer = served.get("/api/search?q=*&from=2025-13");
    assert_eq!(answer.status, 400);
    assert!(answer.json()["error"]
        .as_str()
        .is_some_and(|text| text.contains("--from")));
    // Caps: page size and query length.
    assert_eq!(served.get("/api/search?q=*&limit=101").status, 400);
    let long = "a".repeat(2_001);
    assert_eq!(served.get(&format!("/api/search?q={long}")).status, 400);
    assert_eq!(served.get("/api/search?topics=x").status, 400);
}

#[test]
fn serve_refuses_a_foreign_host_header() {
    let workspace = workspace();
    let served = Served::start(&workspace);
    let answer = served.get_with_host("/api/stats", &format!("evil.example:{}", served.port));
    assert_eq!(answer.status, 421);
    let answer = served.get_with_host("/api/stats", "127.0.0.1:1");
    assert_eq!(answer.status, 421);
    let answer = served.get_with_host("/api/stats", &format!("localhost:{}", served.port));
    assert_eq!(answer.status, 200);
}

#[test]
fn serve_shows_a_hostile_document_as_text() {
    let workspace = workspace();
    let served = Served::start(&workspace);
    let page = served.get("/?q=nvidia");
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").expect("CSP sent");
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert!(
        page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script"), "{}", page.body);
    let hits = workspace.json(&["search", "nvidia", "--json", "--limit", "100"]);
    let id = hits["hits"]
        .as_array()
        .and_then(|hits| {
            hits.iter()
                .find(|hit| hit["title"].as_str() == Some(HOSTILE_TITLE))
        })
        .and_then(|hit| hit["id"].as_str())
        .expect("the hostile document");
    let doc = served.get(&format!("/doc/{id}"));
    assert_eq!(doc.status, 200);
    assert!(doc.header("content-security-policy").is_some());
    assert!(
        doc.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        doc.body
    );
    for raw in ["<script", "<img", "<a href=\"javascript:"] {
        assert!(!doc.body.contains(raw), "{raw} in {}", doc.body);
    }
    // Whatever of the body's markup the reader kept is shown as text.
    let shown = workspace.json(&["show", id, "--json"]);
    let body = shown["body"].as_str().unwrap_or_default();
    if body.contains("onerror") {
        assert!(doc.body.contains("onerror=alert(2)&gt;"), "{}", doc.body);
    }
    for path in [
        "/timeline?q=nvidia",
        "/topics",
        "/timeline.svg?q=nvidia",
        "/timeline.csv",
    ] {
        assert_eq!(served.get(path).status, 200, "{path}");
    }
}

//! `topictrack serve`: the real binary on a free loopback port, asked over HTTP. Its API must
//! answer as the CLI's `--json` does, refuse a bad query the CLI's way and a foreign Host header,
//! and show a hostile document as text.

use crate::support::served::Served;
use crate::support::{article, path_str, sample_corpus, Workspace};

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

#[test]
fn serve_sees_each_new_commit_without_a_restart() {
    let workspace = workspace();
    let served = Served::start(&workspace);
    let documents = |served: &Served| served.get("/api/stats").json()["documents"].as_u64();
    let before = documents(&served).expect("documents");
    let query = "/api/search?q=dockworkers";
    assert_eq!(served.get(query).json()["total"], 0);
    workspace.write(
        "later.md",
        article(
            "Dockworkers strike in Antwerp",
            "2025-06-02",
            "en",
            "Dockworkers in Antwerp walked out over pay.",
        ),
    );
    let (report, code) = workspace.index_corpus();
    assert_eq!(code, 0, "{report}");
    // The same server process answers from the new commit at the next request.
    assert_eq!(documents(&served), Some(before + 1));
    assert_eq!(served.get(query).json()["total"], 1);
}

#[test]
fn the_trends_and_whats_new_pages_show_what_the_cli_finds() {
    let workspace = Workspace::new();
    let output = workspace.run(&["index", path_str(&sample_corpus())]);
    assert!(output.status.success(), "sample indexed");
    let served = Served::start(&workspace);

    // DeepSeek's first quarter of 2025 against the rest of the sample.
    let window = [
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-31",
        "--baseline",
        "all",
    ];
    let mut args = vec!["trends", "--json"];
    args.extend_from_slice(&window);
    let report = workspace.json(&args);
    let entities = report["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .find(|kind| kind["kind"] == "entity")
        .expect("entities");
    let top = entities["items"][0]["value"]
        .as_str()
        .expect("a rising entity in the sample");
    let page = served.get("/trends?from=2025-01-01&to=2025-03-31&baseline=all");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Rising entities"), "{}", page.body);
    let link = format!("/?entity={}\"", top.replace('/', "%2F"));
    assert!(
        page.body.contains(&link),
        "the top entity links to its search ({link}): {}",
        page.body
    );
    let bad = served.get("/trends?window=0d");
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("class=\"error\""), "{}", bad.body);

    // What's new, before any topic of the user's own: the CLI's advice, on the page.
    let none = served.get("/new");
    assert_eq!(none.status, 400, "{}", none.body);
    assert!(none.body.contains("topic add"), "{}", none.body);
    workspace.json(&[
        "topic",
        "add",
        "huawei-watch",
        "--query",
        "huawei",
        "--json",
    ]);
    let tracked = workspace.json(&["track", "--peek", "--json"]);
    let first = tracked["topics"][0]["stories"][0]["title"]
        .as_str()
        .expect("a new story")
        .replace('&', "&amp;")
        .replace('\'', "&#39;");
    let new = served.get("/new");
    assert_eq!(new.status, 200, "{}", new.body);
    let count = tracked["new_documents"].as_u64().expect("count");
    assert!(
        new.body
            .contains(&format!("{count} new documents on your topics")),
        "{}",
        new.body
    );
    assert!(new.body.contains(&first), "{first} in {}", new.body);
    // Looking is a peek: the checkpoint did not move, so `track` still finds them new.
    let (after, code) = {
        let output = workspace.run(&["track", "--json"]);
        (
            serde_json::from_slice::<serde_json::Value>(&output.stdout).expect("JSON"),
            output.status.code(),
        )
    };
    assert_eq!(code, Some(0));
    assert_eq!(after["new_documents"].as_u64(), Some(count));
}

#[test]
fn the_entities_and_stats_pages_show_what_the_cli_counts() {
    let workspace = Workspace::new();
    let output = workspace.run(&["index", path_str(&sample_corpus())]);
    assert!(output.status.success(), "sample indexed");
    let served = Served::start(&workspace);

    let people = workspace.json(&["entities", "--type", "person", "--json"]);
    let top = &people[0];
    let page = served.get("/entities?type=person");
    assert_eq!(page.status, 200, "{}", page.body);
    let name = top["name"].as_str().expect("a person");
    let row = format!(
        "{name}</a></td><td>person</td><td class=\"num\">{}</td>",
        top["count"]
    );
    assert!(page.body.contains(&row), "{row} in {}", page.body);
    let bad = served.get("/entities?type=planet");
    assert_eq!(bad.status, 400, "{}", bad.body);

    let stats = workspace.json(&["stats", "--json"]);
    let page = served.get("/stats");
    assert_eq!(page.status, 200, "{}", page.body);
    let documents = format!(
        "<th>documents</th><td class=\"num\">{}</td>",
        stats["documents"]
    );
    assert!(
        page.body.contains(&documents),
        "{documents} in {}",
        page.body
    );
}

#[test]
fn the_timeline_page_draws_several_series_side_by_side() {
    let workspace = Workspace::new();
    let output = workspace.run(&["index", path_str(&sample_corpus())]);
    assert!(output.status.success(), "sample indexed");
    let served = Served::start(&workspace);
    let total = |args: &[&str]| {
        let mut all = vec!["timeline", "--json"];
        all.extend_from_slice(args);
        workspace.json(&all)["series"][0]["total"]
            .as_u64()
            .expect("total")
    };
    let chips = total(&["ai-chips"]);
    let huawei = total(&["--entity", "Huawei"]);
    let path = "/timeline?q=nvidia&compare=topic%3Aai-chips&compare=entity%3AHuawei&bursts=true";
    let page = served.get(path);
    assert_eq!(page.status, 200, "{}", page.body);
    for expected in [
        format!("ai-chips: {chips} documents"),
        format!("Huawei: {huawei} documents"),
    ] {
        assert!(page.body.contains(&expected), "{expected} in {}", page.body);
    }
    // The chart and its download take the same state: three series, bursts asked for.
    let chart = served.get(&path.replacen("/timeline?", "/timeline.csv?", 1));
    assert_eq!(chart.status, 200, "{}", chart.body);
    let header = chart.body.lines().next().expect("a header row");
    assert!(
        header.contains("ai-chips") && header.contains("Huawei"),
        "{header}"
    );
}

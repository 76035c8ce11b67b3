//! The web page in a real browser: headless Chromium (Debian's `chromium`) loads the pages
//! `topictrack serve` answers on the sample corpus, and what it renders is checked against the
//! CLI's own answers — counts, a facet click, the inline error of a bad query, the chart, a
//! document — and a hostile document's scripts must not run. Screenshots of every page are kept
//! under `target/tmp/screenshots/` for a person to look at.
//!
//! Without a browser the tests print that they skipped; `.ci/run` installs Chromium and sets
//! `TOPICTRACK_REQUIRE_BROWSER`, under which a missing browser fails instead.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::support::served::Served;
use crate::support::{path_str, sample_corpus, Workspace};

/// The longest one page may take to load and render.
const PAGE_TIMEOUT: Duration = Duration::from_secs(60);

/// The browser to drive: `TOPICTRACK_CHROMIUM`, else the first Chromium on the PATH.
fn browser() -> Option<PathBuf> {
    if let Some(chosen) = std::env::var_os("TOPICTRACK_CHROMIUM") {
        return Some(PathBuf::from(chosen));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| {
            ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name))
        })
        .find(|candidate| candidate.is_file())
}

/// The browser, or `None` after saying the test skipped (a failure when CI requires one).
fn browser_or_skip(test: &str) -> Option<PathBuf> {
    let found = browser();
    if found.is_none() {
        assert!(
            std::env::var_os("TOPICTRACK_REQUIRE_BROWSER").is_none(),
            "{test}: TOPICTRACK_REQUIRE_BROWSER is set but no chromium is on the PATH"
        );
        eprintln!("skipped {test}: no chromium on the PATH (apt-get install chromium)");
    }
    found
}

/// One headless browser run over `url` with `action` (`--dump-dom`, `--screenshot=…`); its
/// standard output. Killed by PID if it outlives [`PAGE_TIMEOUT`].
fn headless(browser: &Path, profile: &Path, action: &[&str], url: &str) -> String {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            // Tests run as root in containers, where Chromium's sandbox cannot start.
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--window-size=1280,1000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(action)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium started");
    let started = Instant::now();
    while child.try_wait().expect("chromium polled").is_none() {
        if started.elapsed() > PAGE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium took more than {PAGE_TIMEOUT:?} over {url}");
        }
        thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("chromium output");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The DOM the browser built for `path` of the server.
fn rendered(browser: &Path, workspace: &Workspace, served: &Served, path: &str) -> String {
    let profile = workspace.corpus().join("chromium-profile");
    let dom = headless(browser, &profile, &["--dump-dom"], &served.url(path));
    assert!(
        dom.contains("</html>"),
        "no page rendered for {path}: {dom}"
    );
    dom
}

/// Saves the browser's picture of `path` as `target/tmp/screenshots/NAME` and checks that it is
/// a PNG image of a page, not a blank.
fn screenshot(browser: &Path, workspace: &Workspace, served: &Served, path: &str, name: &str) {
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let shot = shots.join(name);
    let _ = std::fs::remove_file(&shot);
    let profile = workspace.corpus().join("chromium-profile");
    let action = format!("--screenshot={}", shot.display());
    headless(browser, &profile, &[&action], &served.url(path));
    let png = std::fs::read(&shot).expect("a screenshot was written");
    assert!(png.starts_with(b"\x89PNG"), "{name} is a PNG image");
    assert!(
        png.len() > 10_000,
        "{name} shows a page: {} bytes",
        png.len()
    );
}

/// The number in the page's "N documents" summary line.
fn summary_count(dom: &str) -> u64 {
    let start = dom
        .find("<p class=\"summary\">")
        .unwrap_or_else(|| panic!("no summary in {dom}"));
    dom[start..]
        .trim_start_matches("<p class=\"summary\">")
        .split_whitespace()
        .next()
        .and_then(|count| count.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("no count in {}", &dom[start..]))
}

/// A document whose title and text would, if the page ever let them run as HTML, mark the page:
/// a script setting the title, and an image whose error handler sets an attribute.
const HOSTILE: &str = "---\ntitle: \"Nvidia <script>document.title='pwned'</script>\"\ndate: 2025-05-01\nlang: en\n---\n\nNvidia <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> chips <script>document.body.setAttribute('data-pwned','2')</script>\n";

fn sample_workspace() -> Workspace {
    let workspace = Workspace::new();
    workspace.write("hostile.md", HOSTILE);
    let output = workspace.run(&[
        "index",
        path_str(&sample_corpus()),
        path_str(&workspace.corpus()),
    ]);
    assert!(output.status.success(), "sample indexed");
    workspace
}

/// Whether a script of a document ran in the page `dom` is of: the attribute its handlers set on
/// the body, or the title its script sets (its text, escaped, may show anywhere).
fn hostile_ran(dom: &str) -> bool {
    dom.contains("<body data-pwned") || dom.contains("<title>pwned</title>")
}

#[test]
fn the_search_page_in_a_browser_counts_as_the_cli_and_a_facet_click_narrows_it() {
    let Some(browser) = browser_or_skip("browser search page") else {
        return;
    };
    let workspace = sample_workspace();
    let served = Served::start(&workspace);
    let total = |args: &[&str]| {
        workspace.search("nvidia", args)["total"]
            .as_u64()
            .expect("total")
    };

    let dom = rendered(&browser, &workspace, &served, "/?q=nvidia");
    assert!(dom.contains("<title>nvidia · topictrack</title>"), "{dom}");
    assert_eq!(summary_count(&dom), total(&[]));
    // The hostile document is among the hits, shown as text, and none of its scripts ran.
    assert!(dom.contains("document.title='pwned'"), "{dom}");
    assert!(
        !hostile_ran(&dom),
        "a document's script ran in the search page: {dom}"
    );
    // The facet sidebar links each value to the same search narrowed by it.
    let facet = "/?q=nvidia&amp;topic=ai-chips";
    assert!(dom.contains(&format!("href=\"{facet}\"")), "{dom}");

    // Following the link narrows the results as `--topic` does, and shows the filter as a chip.
    let narrowed = rendered(&browser, &workspace, &served, "/?q=nvidia&topic=ai-chips");
    assert_eq!(summary_count(&narrowed), total(&["--topic", "ai-chips"]));
    assert!(narrowed.contains("class=\"chip\""), "{narrowed}");
    assert!(summary_count(&narrowed) < summary_count(&dom));

    // A bad query is answered on the page, in the CLI's words.
    let cli = workspace.run(&["search", "title:(nvidia"]);
    assert_eq!(cli.status.code(), Some(2));
    let bad = rendered(&browser, &workspace, &served, "/?q=title%3A%28nvidia");
    assert!(bad.contains("class=\"error\""), "{bad}");
    assert!(bad.contains("title:(nvidia"), "{bad}");

    screenshot(&browser, &workspace, &served, "/?q=nvidia", "search.png");
}

#[test]
fn the_timeline_document_and_topics_pages_render_in_a_browser() {
    let Some(browser) = browser_or_skip("browser timeline, document and topics pages") else {
        return;
    };
    let workspace = sample_workspace();
    let served = Served::start(&workspace);

    let timeline = rendered(&browser, &workspace, &served, "/timeline?q=nvidia&by=month");
    // The chart is the server's SVG, shown as an image and offered for download beside the CSV.
    assert!(
        timeline.contains("<img src=\"/timeline.svg?q=nvidia&amp;by=month\""),
        "the chart is shown: {timeline}"
    );
    assert!(timeline.contains("/timeline.csv?"), "{timeline}");
    let chart = served.get("/timeline.svg?q=nvidia&by=month");
    assert_eq!(chart.status, 200);
    assert!(chart
        .header("content-type")
        .is_some_and(|kind| kind.starts_with("image/svg+xml")));
    assert!(chart.body.contains("<svg"), "{}", chart.body);
    screenshot(
        &browser,
        &workspace,
        &served,
        "/timeline?q=nvidia&by=month",
        "timeline.png",
    );

    // The document page shows what `show` knows: its title and where its date came from.
    let results = workspace.search("nvidia", &[]);
    let hit = &results["hits"][0];
    let id = hit["id"].as_str().expect("id");
    let title = hit["title"].as_str().expect("title");
    let shown = workspace.json(&["show", id, "--json"]);
    let doc = rendered(&browser, &workspace, &served, &format!("/doc/{id}"));
    let escaped = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    assert!(doc.contains(&escaped), "{title} in {doc}");
    let date_source = shown["date_source"].as_str().expect("date source");
    assert!(doc.contains(date_source), "{date_source} in {doc}");

    let hostile = workspace.search("pwned", &[]);
    let hostile_id = hostile["hits"][0]["id"]
        .as_str()
        .expect("the hostile document");
    let hostile_page = rendered(&browser, &workspace, &served, &format!("/doc/{hostile_id}"));
    assert!(
        hostile_page.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"),
        "its title is shown as text: {hostile_page}"
    );
    assert!(
        !hostile_ran(&hostile_page),
        "a document's script ran: {hostile_page}"
    );
    screenshot(
        &browser,
        &workspace,
        &served,
        &format!("/doc/{id}"),
        "document.png",
    );
    for (path, name) in [
        ("/topics", "topics.png"),
        ("/entities", "entities.png"),
        (
            "/trends?from=2025-01-01&to=2025-03-31&baseline=all",
            "trends.png",
        ),
        ("/stats", "stats.png"),
    ] {
        screenshot(&browser, &workspace, &served, path, name);
    }

    // The topics page lists every topic the CLI counts, with its count.
    let topics = rendered(&browser, &workspace, &served, "/topics");
    let listed = workspace.json(&["topics", "--json"]);
    let first = &listed[0];
    let (top_id, top_count) = (
        first["id"].as_str().expect("id"),
        first["count"].as_u64().expect("count"),
    );
    assert!(topics.contains(top_id), "{top_id} in {topics}");
    assert!(
        topics.contains(&top_count.to_string()),
        "{top_count} in {topics}"
    );
}

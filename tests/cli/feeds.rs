//! Feeds (issue 17): RSS, Atom and JSON Feed files read item by item, and feeds and pages fetched
//! by URL from a loopback server — conditional requests, items kept when they drop out of a feed,
//! and every fetch error one line that costs nothing else.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::support::http::{Reply, Server};
use crate::support::{path_str, stderr, titles, Workspace};

/// An RSS 2.0 feed of the given items: (guid, title, RFC 822 date, text).
fn rss(items: &[(&str, &str, &str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, title, date, text)| {
            format!(
                "<item><title>{title}</title><guid>{guid}</guid><link>https://diario.test/{guid}</link>\
                 <pubDate>{date}</pubDate><category>Chips</category>\
                 <description><![CDATA[<p>{text}</p>]]></description></item>\n"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Diario de Prueba</title><language>es</language>\n{items}</channel></rss>\n"
    )
}

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Wire Test</title><id>urn:wire</id><updated>2025-05-16T12:00:00Z</updated>
  <entry>
    <title>Huawei founder says partners eased the chip shortage</title>
    <id>urn:wire:ren</id><link href="https://wire.test/ren"/>
    <published>2025-02-17T10:00:00Z</published>
    <category term="semiconductors"/>
    <content type="html">&lt;p&gt;Ren Zhengfei told Xi Jinping that more than 2,000 companies aim for self-sufficiency by 2028.&lt;/p&gt;</content>
  </entry>
</feed>
"#;

const JSON_FEED: &str = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "JSON Desk",
 "items": [{"id": "desk-1", "title": "DeepSeek R1 shook technology shares",
  "content_text": "The R1 model was reportedly trained on about 2,000 older Nvidia GPUs.",
  "date_published": "2025-01-27T09:00:00Z", "tags": ["models"]}]}"#;

fn index(ws: &Workspace, args: &[&str]) -> (Value, i32, String) {
    ws.index_json(args)
}

fn count(report: &Value, key: &str) -> u64 {
    report[key].as_u64().unwrap_or(u64::MAX)
}

fn notices(report: &Value, key: &str) -> Vec<(String, String)> {
    report[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|notice| {
            (
                notice["path"].as_str().unwrap_or_default().to_owned(),
                notice["reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn feed_files_of_every_kind_are_read_item_by_item() {
    let ws = Workspace::new();
    ws.write(
        "diario.rss",
        rss(&[
            (
                "d-1",
                "Controles a la exportación de chips",
                "Thu, 15 May 2025 09:30:00 +0200",
                "Tencent dijo que sus GPU de Nvidia bastan.",
            ),
            (
                "d-2",
                "Alibaba y ByteDance compraron chips H20",
                "Fri, 16 May 2025 08:00:00 GMT",
                "Pedidos por 16.000 millones de dólares.",
            ),
        ]),
    );
    ws.write("wire.atom", ATOM);
    ws.write("desk.json", JSON_FEED);
    ws.write(
        "feed.xml",
        rss(&[(
            "x-1",
            "Una noticia en .xml",
            "Sat, 17 May 2025 08:00:00 GMT",
            "Texto del xml.",
        )]),
    );
    ws.write(
        "settings.xml",
        "<?xml version=\"1.0\"?>\n<settings><a/></settings>\n",
    );
    let (report, code, _) = index(&ws, &[path_str(&ws.corpus())]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(count(&report, "added"), 5, "{report}");
    let warnings = notices(&report, "warnings");
    let unsupported: Vec<_> = warnings
        .iter()
        .filter(|(path, _)| path.ends_with("settings.xml"))
        .collect();
    assert_eq!(unsupported.len(), 1, "{report}");
    assert!(unsupported[0]
        .1
        .starts_with("unsupported XML file (its root element is <settings>)"));

    let hits = ws.search("exportación", &[]);
    assert_eq!(hits["total"], 1, "{hits}");
    let hit = &hits["hits"][0];
    assert_eq!(hit["date"], "2025-05-15", "{hit}");
    assert_eq!(hit["source"], "Diario de Prueba", "{hit}");
    assert_eq!(hit["lang"], "es", "{hit}");
    assert_eq!(hit["id"], "d-1", "{hit}");
    assert_eq!(ws.search("*", &["--tag", "Chips"])["total"], 3);
    let ren = ws.search("Zhengfei", &[]);
    assert_eq!(ren["hits"][0]["date"], "2025-02-17", "{ren}");
    assert_eq!(ren["hits"][0]["source"], "Wire Test", "{ren}");
    let deepseek = ws.search("older GPUs", &[]);
    assert_eq!(titles(&deepseek), ["DeepSeek R1 shook technology shares"]);
    let shown = ws.json(&["show", "d-2", "--json"]);
    assert_eq!(shown["url"], "https://diario.test/d-2", "{shown}");
}

#[test]
fn a_feed_with_a_bad_item_loses_that_item_only() {
    let ws = Workspace::new();
    let good = rss(&[
        (
            "b-1",
            "Primera",
            "Thu, 15 May 2025 09:30:00 GMT",
            "primerapalabra",
        ),
        (
            "b-2",
            "Segunda",
            "Thu, 15 May 2025 10:30:00 GMT",
            "segundapalabra",
        ),
        (
            "b-3",
            "Tercera",
            "Thu, 15 May 2025 11:30:00 GMT",
            "tercerapalabra",
        ),
    ]);
    ws.write(
        "bad.rss",
        good.replace("<title>Segunda</title>", "<title>Segunda</titel>"),
    );
    let (report, code, err) = index(&ws, &[path_str(&ws.corpus())]);
    assert_eq!(code, 2, "{report}");
    assert_eq!(count(&report, "added"), 2, "{report}");
    let skipped = notices(&report, "skipped");
    assert_eq!(skipped.len(), 1, "{report}");
    assert!(skipped[0].0.ends_with("bad.rss"), "{report}");
    assert!(skipped[0].1.starts_with("item 2 is not valid"), "{report}");
    assert_eq!(report["skipped"][0]["line"], 4, "{report}");
    assert_eq!(ws.search("tercerapalabra", &[])["total"], 1);
    assert_eq!(ws.search("segundapalabra", &[])["total"], 0);
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );
}

#[test]
fn a_feed_file_that_gains_items_adds_only_them() {
    let ws = Workspace::new();
    let first = [
        ("g-1", "Primera", "Thu, 15 May 2025 09:30:00 GMT", "uno"),
        ("g-2", "Segunda", "Thu, 15 May 2025 10:30:00 GMT", "dos"),
    ];
    ws.write("grow.rss", rss(&first));
    let (report, _, _) = index(&ws, &[path_str(&ws.corpus())]);
    assert_eq!(count(&report, "added"), 2, "{report}");
    let mut grown = vec![("g-3", "Tercera", "Fri, 16 May 2025 09:30:00 GMT", "tres")];
    grown.extend(first);
    ws.write("grow.rss", rss(&grown));
    let (report, code, _) = index(&ws, &[path_str(&ws.corpus())]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(count(&report, "added"), 1, "{report}");
    assert_eq!(count(&report, "removed"), 0, "{report}");
    assert_eq!(count(&report, "documents"), 3, "{report}");
    let all = ws.search("*", &[]);
    let mut ids = crate::support::ids(&all);
    ids.sort();
    assert_eq!(ids, ["g-1", "g-2", "g-3"]);
}

/// A feed that answers 304 to a request carrying the ETag it sent.
fn conditional_feed(body: String) -> impl Fn(&crate::support::http::Request) -> Reply {
    move |request| {
        if request.headers.get("if-none-match").map(String::as_str) == Some("\"v1\"") {
            return Reply::Full {
                status: 304,
                headers: vec![("ETag".into(), "\"v1\"".into())],
                body: Vec::new(),
            };
        }
        Reply::Full {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "application/rss+xml".into()),
                ("ETag".into(), "\"v1\"".into()),
                (
                    "Last-Modified".into(),
                    "Thu, 15 May 2025 12:00:00 GMT".into(),
                ),
            ],
            body: body.clone().into_bytes(),
        }
    }
}

#[test]
fn a_second_run_asks_conditionally_and_a_304_reads_nothing() {
    let body = rss(&[
        ("c-1", "Primera", "Thu, 15 May 2025 09:30:00 GMT", "uno"),
        ("c-2", "Segunda", "Thu, 15 May 2025 10:30:00 GMT", "dos"),
    ]);
    let server = Server::start(conditional_feed(body));
    let ws = Workspace::new();
    let url = server.url("/feed.xml");
    let (report, code, _) = index(&ws, &[&url]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(count(&report, "added"), 2, "{report}");
    let first = &server.requests("/feed.xml")[0];
    assert!(
        first
            .headers
            .get("user-agent")
            .is_some_and(|agent| agent.starts_with("topictrack/")),
        "{first:?}"
    );
    assert!(!first.headers.contains_key("if-none-match"), "{first:?}");

    let (report, code, _) = index(&ws, &[&url]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(count(&report, "added"), 0, "{report}");
    assert_eq!(count(&report, "updated"), 0, "{report}");
    assert_eq!(count(&report, "unchanged"), 2, "{report}");
    assert_eq!(count(&report, "documents"), 2, "{report}");
    let requests = server.requests("/feed.xml");
    assert_eq!(requests.len(), 2);
    let second = &requests[1].headers;
    assert_eq!(
        second.get("if-none-match").map(String::as_str),
        Some("\"v1\""),
        "{second:?}"
    );
    assert_eq!(
        second.get("if-modified-since").map(String::as_str),
        Some("Thu, 15 May 2025 12:00:00 GMT"),
        "{second:?}"
    );
    let hit = &ws.search("segunda", &[])["hits"][0];
    assert_eq!(hit["path"], url.as_str(), "{hit}");

    // `roots` lists the URL beside the folders, with its documents.
    let roots = ws.json(&["roots", "--json"]);
    let row = roots
        .as_array()
        .expect("roots")
        .iter()
        .find(|root| root["url"] == url.as_str())
        .unwrap_or_else(|| panic!("{url} in {roots}"));
    assert_eq!(row["documents"], 2, "{row}");
    assert_eq!(row["path"], serde_json::Value::Null, "{row}");
    let listed = ws.run(&["roots"]);
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains(&format!("{url}  1 file, 2 documents")),
        "{}",
        String::from_utf8_lossy(&listed.stdout)
    );
}

#[test]
fn items_that_drop_out_of_a_feed_stay_and_only_new_ones_are_added() {
    let version = Arc::new(AtomicUsize::new(1));
    let served = Arc::clone(&version);
    let server = Server::start(move |_| {
        let items: &[(&str, &str, &str, &str)] = if served.load(Ordering::Relaxed) == 1 {
            &[
                (
                    "n-2",
                    "Segunda",
                    "Thu, 15 May 2025 10:30:00 GMT",
                    "dospalabra",
                ),
                (
                    "n-1",
                    "Primera",
                    "Thu, 15 May 2025 09:30:00 GMT",
                    "unopalabra",
                ),
            ]
        } else {
            &[
                (
                    "n-3",
                    "Tercera",
                    "Fri, 16 May 2025 09:30:00 GMT",
                    "trespalabra",
                ),
                (
                    "n-2",
                    "Segunda",
                    "Thu, 15 May 2025 10:30:00 GMT",
                    "dospalabra",
                ),
            ]
        };
        Reply::ok("application/rss+xml", rss(items))
    });
    let ws = Workspace::new();
    let list = ws.dir.path().join("feeds.txt");
    std::fs::write(
        &list,
        format!("# the feeds I follow\n\n{}\n", server.url("/news")),
    )
    .expect("list written");
    let (report, _, _) = index(&ws, &["--urls", path_str(&list)]);
    assert_eq!(count(&report, "added"), 2, "{report}");
    version.store(2, Ordering::Relaxed);
    let (report, code, _) = index(&ws, &["--urls", path_str(&list)]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(count(&report, "added"), 1, "{report}");
    assert_eq!(count(&report, "unchanged"), 1, "{report}");
    assert_eq!(count(&report, "removed"), 0, "{report}");
    assert_eq!(count(&report, "documents"), 3, "{report}");
    assert_eq!(
        ws.search("unopalabra", &[])["total"],
        1,
        "the dropped item stays"
    );
    assert_eq!(ws.search("trespalabra", &[])["total"], 1);
}

#[test]
fn every_fetch_error_is_one_line_and_the_rest_is_indexed() {
    let server = Server::start(|request| {
        match request.path.as_str() {
        "/good" => Reply::ok("application/atom+xml", ATOM),
        "/page" => Reply::ok(
            "text/html; charset=utf-8",
            "<html><head><title>Página suelta</title></head><body><p>paginapalabra</p></body></html>",
        ),
        "/missing" => Reply::status(404),
        "/broken" => Reply::status(500),
        "/slow" => Reply::Silence(Duration::from_secs(5)),
        "/huge" => Reply::Stream {
            headers: vec![
                ("Content-Type".into(), "application/rss+xml".into()),
                ("Content-Length".into(), "2147483648".into()),
            ],
            chunk: vec![b'x'; 64 * 1024],
            total: 4 * 1024 * 1024,
        },
        "/endless" => Reply::Stream {
            headers: vec![("Content-Type".into(), "application/rss+xml".into())],
            chunk: b"<item><title>x</title></item>".repeat(1000),
            total: 4 * 1024 * 1024,
        },
        "/loop" => Reply::Full {
            status: 302,
            headers: vec![("Location".into(), "/loop".into())],
            body: Vec::new(),
        },
        _ => Reply::status(404),
    }
    });
    let ws = Workspace::new();
    let bad = ["/missing", "/broken", "/slow", "/huge", "/endless", "/loop"];
    let mut args: Vec<String> = vec![server.url("/good"), server.url("/page")];
    args.extend(bad.iter().map(|path| server.url(path)));
    args.extend(["--timeout", "1", "--max-file-size", "1"].map(String::from));
    let mut text_args = vec!["index".to_owned()];
    text_args.extend(args.iter().cloned());
    let refs: Vec<&str> = text_args.iter().map(String::as_str).collect();
    let output = ws.run(&refs);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stderr(&output);
    for path in bad {
        let lines: Vec<&str> = text
            .lines()
            .filter(|line| line.contains(&server.url(path)))
            .collect();
        assert_eq!(lines.len(), 1, "{path}: {text}");
        assert!(lines[0].starts_with("skipped: "), "{path}: {text}");
    }
    let reason = |path: &str| {
        text.lines()
            .find(|line| line.contains(&server.url(path)))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(reason("/missing").contains("HTTP 404"), "{text}");
    assert!(reason("/broken").contains("HTTP 500"), "{text}");
    assert!(
        reason("/slow").contains("raise it with --timeout"),
        "{text}"
    );
    assert!(
        reason("/huge").contains("response is 2048 MiB, over the limit of 1 MiB"),
        "{text}"
    );
    assert!(
        reason("/endless").contains("over the limit of 1 MiB"),
        "{text}"
    );
    assert!(reason("/loop").contains("redirects"), "{text}");
    assert!(
        !text.contains("internal error") && !text.contains("panicked"),
        "{text}"
    );
    assert_eq!(ws.search("Zhengfei", &[])["total"], 1);
    let page = ws.search("paginapalabra", &[]);
    assert_eq!(titles(&page), ["Página suelta"]);
    assert_eq!(page["hits"][0]["path"], server.url("/page").as_str());
    // The JSON report names each URL once among the skipped.
    let json_args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (report, code, _) = index(&ws, &json_args);
    assert_eq!(code, 2);
    assert_eq!(notices(&report, "skipped").len(), bad.len(), "{report}");
}

#[test]
fn a_bad_url_list_is_one_line_naming_file_and_line() {
    let ws = Workspace::new();
    let list = ws.dir.path().join("feeds.txt");
    std::fs::write(&list, "https://a.test/rss\nnot a url\n").expect("list written");
    let output = ws.run(&["index", "--urls", path_str(&list)]);
    crate::support::assert_user_error(
        &output,
        "feeds.txt: line 2: \"not a url\" is not an http:// or https:// URL",
    );
    let missing = ws.run(&["index", "--urls", "nowhere.txt"]);
    crate::support::assert_user_error(&missing, "nowhere.txt: the list of URLs could not be read");
}

//! Concurrency: a second `index` on a busy index is refused at once with "in use", while
//! `search`, `facets` and `timeline` keep answering from the last commit.

mod common;

use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::Duration;

use common::{article, path_str, stderr, Workspace};

#[test]
fn a_second_index_run_is_refused_and_readers_see_the_last_commit() {
    let ws = Workspace::new();
    ws.write(
        "base.md",
        article("Base", "2024-01-01", "en", "baseword chips"),
    );
    let (_, code) = ws.index_corpus();
    assert_eq!(code, 0);
    // Enough new documents to keep the first run busy for a while in a debug build.
    for file in 0..4 {
        let lines: Vec<String> = (0..200)
            .map(|n| {
                let words: Vec<String> = (0..120).map(|w| format!("t{}", n * 131 + w)).collect();
                format!(
                    "{{\"title\":\"R{file}-{n}\",\"text\":\"busyword {}\"}}",
                    words.join(" ")
                )
            })
            .collect();
        ws.write(&format!("busy/p{file}.jsonl"), lines.join("\n"));
    }
    let mut first = Command::new(assert_cmd::cargo::cargo_bin("topictrack"))
        .arg("--index")
        .arg(ws.index_dir())
        .args(["index", path_str(&ws.corpus())])
        .env_remove("TOPICTRACK_INDEX")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("first run spawned");
    // Give it time to take the writer lock.
    sleep(Duration::from_millis(400));
    let still_running = first.try_wait().expect("polled").is_none();

    let second = ws.run(&["index", path_str(&ws.corpus())]);
    let readers = [
        ws.run(&["search", "chips", "--json"]),
        ws.run(&["facets", "--json"]),
        ws.run(&["timeline", "--all", "--json"]),
    ];
    let searched = ws.search("*", &[]);
    let status = first.wait().expect("first run finished");
    assert_eq!(status.code(), Some(0));
    if !still_running {
        eprintln!("skipping: the first run finished before the second started");
        return;
    }
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    let text = stderr(&second);
    assert!(text.contains("in use"), "{text}");
    assert_eq!(text.trim_end().lines().count(), 1, "{text}");
    for output in &readers {
        assert!(output.status.success(), "reader failed: {}", stderr(output));
    }
    // Readers saw the last commit (the base document) or, at the latest, the finished run.
    let seen = searched["total"].as_u64().unwrap_or(0);
    assert!(seen == 1 || seen == 801, "{seen}");
    assert_eq!(ws.search("busyword", &[])["total"].as_u64(), Some(800));
}

#[test]
fn rebuild_is_refused_too_while_another_run_holds_the_index() {
    let ws = Workspace::new();
    ws.write("a.md", article("Alpha", "2024-01-01", "en", "alphaword"));
    let (_, code) = ws.index_corpus();
    assert_eq!(code, 0);
    let index = tantivy::Index::open_in_dir(ws.index_dir()).expect("opens");
    let _held = index
        .writer::<tantivy::TantivyDocument>(15_000_000)
        .expect("this test holds the writer lock");
    let output = ws.run(&["index", "--rebuild", path_str(&ws.corpus())]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("in use"), "{}", stderr(&output));
    // Nothing was deleted.
    assert_eq!(ws.search("alphaword", &[])["total"].as_u64(), Some(1));
}

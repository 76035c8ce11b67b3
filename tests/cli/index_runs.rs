//! What one `index` run leaves for the next: a rebuild that never empties the index, reading
//! options that count as a change, skips that are listed again on every run, and an enrichment
//! version that retags old documents (issue 13, items 5, 6 and 15).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{article, path_str, sample_corpus, stderr, Workspace};

/// Runs `index ARGS... --json` and returns the report and the exit code.
fn index(ws: &Workspace, args: &[&str]) -> (Value, i32) {
    let mut all = vec!["index"];
    all.extend_from_slice(args);
    all.push("--json");
    let output = ws.run(&all);
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("{all:?} printed no JSON ({err}): {}", stderr(&output)));
    (report, output.status.code().unwrap_or(-1))
}

fn count(report: &Value, key: &str) -> u64 {
    report[key].as_u64().unwrap_or(u64::MAX)
}

fn skipped_lines(report: &Value) -> Vec<(String, Option<u64>)> {
    report["skipped"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|notice| {
            (
                notice["reason"].as_str().unwrap_or_default().to_owned(),
                notice["line"].as_u64(),
            )
        })
        .collect()
}

// ---- item 6: reading options are part of change detection; skips are listed again ----

#[test]
fn mapping_a_field_as_advised_rereads_the_file() {
    let ws = Workspace::new();
    let corpus = ws.corpus();
    ws.write(
        "feed.jsonl",
        "{\"title\":\"Good record\",\"story\":\"alpha\"}\n{\"story\":\"storyword about chips\"}\n",
    );
    let (first, code) = index(&ws, &[path_str(&corpus)]);
    assert_eq!(code, 2, "{first}");
    let advice = skipped_lines(&first);
    assert_eq!(advice.len(), 1, "{first}");
    assert!(advice[0].0.contains("--field body=KEY"), "{first}");

    let (second, code) = index(&ws, &[path_str(&corpus), "--field", "body=story"]);
    assert_eq!(code, 0, "{second}");
    assert_eq!(count(&second, "unchanged"), 0, "{second}");
    assert_eq!(count(&second, "documents"), 2, "{second}");
    assert_eq!(ws.search("storyword", &[])["total"].as_u64(), Some(1));
}

#[test]
fn raising_max_file_size_as_advised_rereads_the_file() {
    let ws = Workspace::new();
    let corpus = ws.corpus();
    let long = "w ".repeat(800 * 1024);
    ws.write(
        "feed.jsonl",
        format!(
            "{{\"title\":\"Small\",\"text\":\"small record\"}}\n{{\"title\":\"Large\",\"text\":\"largeword {long}\"}}\n"
        ),
    );
    let (first, code) = index(&ws, &[path_str(&corpus), "--max-file-size", "1"]);
    assert_eq!(code, 2, "{first}");
    assert!(skipped_lines(&first)[0].0.contains("--max-file-size"));

    let (second, code) = index(&ws, &[path_str(&corpus), "--max-file-size", "4"]);
    assert_eq!(code, 0, "{second}");
    assert_eq!(count(&second, "unchanged"), 0, "{second}");
    assert_eq!(ws.search("largeword", &[])["total"].as_u64(), Some(1));
}

#[test]
fn a_rerun_lists_the_records_that_remain_skipped() {
    let ws = Workspace::new();
    let corpus = ws.corpus();
    ws.write(
        "feed.jsonl",
        "{\"title\":\"One\",\"text\":\"first\"}\n{not json\n{\"title\":\"Three\",\"text\":\"third\"}\n",
    );
    let (first, code) = index(&ws, &[path_str(&corpus)]);
    assert_eq!(code, 2, "{first}");
    let (second, code) = index(&ws, &[path_str(&corpus)]);
    assert_eq!(code, 2, "same data, same verdict: {second}");
    assert_eq!(count(&second, "unchanged"), 2, "{second}");
    assert_eq!(skipped_lines(&second), skipped_lines(&first));
    assert_eq!(skipped_lines(&second)[0].1, Some(2));
    // Once the line is mended, the notice goes.
    ws.write(
        "feed.jsonl",
        "{\"title\":\"One\",\"text\":\"first\"}\n{\"title\":\"Two\",\"text\":\"second\"}\n{\"title\":\"Three\",\"text\":\"third\"}\n",
    );
    let (third, code) = index(&ws, &[path_str(&corpus)]);
    assert_eq!(code, 0, "{third}");
    let (fourth, code) = index(&ws, &[path_str(&corpus)]);
    assert_eq!(code, 0, "{fourth}");
    assert_eq!(count(&fourth, "unchanged"), 3, "{fourth}");
}

// ---- item 15: the enrichment version is part of the fingerprint ----

fn state(ws: &Workspace) -> Value {
    let text = fs::read_to_string(ws.index_dir().join("files.json")).expect("files.json");
    serde_json::from_str(&text).expect("files.json is JSON")
}

#[test]
fn documents_tagged_by_an_older_enrichment_version_are_retagged() {
    let ws = Workspace::new();
    ws.write("a.md", article("A", "2024-01-01", "en", "Nvidia chips"));
    let (_, code) = ws.index_corpus();
    assert_eq!(code, 0);
    let mut saved = state(&ws);
    let fingerprint = saved["enrichment_fingerprint"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // "enrichment-vN/…": the version the documents were tagged with.
    let rest = fingerprint
        .strip_prefix("enrichment-v")
        .unwrap_or_else(|| panic!("no enrichment version in {fingerprint:?}"));
    let (version, tail) = rest.split_once('/').expect("version, then the rest");
    let version: u64 = version.parse().expect("a number");
    saved["enrichment_fingerprint"] =
        Value::from(format!("enrichment-v{}/{tail}", version.saturating_sub(1)));
    fs::write(ws.index_dir().join("files.json"), saved.to_string()).expect("state written");

    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["retagged"], Value::Bool(true), "{report}");
    assert_eq!(count(&report, "unchanged"), 0, "{report}");
    assert_eq!(count(&report, "updated"), 1, "{report}");
}

/// The committed record of what enrichment finds in `sample_corpus/`.
fn snapshot_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/sample_corpus_enrichment.txt")
}

/// One line per document of the sample corpus, sorted: path (from the corpus folder), date,
/// topics and entity keys.
fn enrichment_lines(ws: &Workspace, corpus: &Path) -> String {
    let results = ws.json(&["search", "*", "--json", "--limit", "1000"]);
    let root = format!("{}/", corpus.display());
    let mut lines: Vec<String> = results["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|hit| {
            let path = hit["path"].as_str().unwrap_or_default();
            let list = |key: &str| {
                let mut items: Vec<String> = hit[key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|item| match item.as_str() {
                        Some(text) => text.to_owned(),
                        None => item.to_string(),
                    })
                    .collect();
                items.sort();
                if items.is_empty() {
                    "-".to_owned()
                } else {
                    items.join(", ")
                }
            };
            format!(
                "{} | {} | topics: {} | entities: {}",
                path.strip_prefix(&root).unwrap_or(path),
                hit["date"].as_str().unwrap_or("undated"),
                list("topics"),
                list("entities"),
            )
        })
        .collect();
    lines.sort();
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// Fails when enrichment finds something else in the sample corpus than the committed snapshot
/// says. Then bump `ENRICHMENT_VERSION` in src/enrich/mod.rs (so that existing indexes retag
/// their unchanged files) and regenerate the snapshot with
/// `UPDATE_SNAPSHOT=1 cargo test --test cli index_runs::enrichment_snapshot`.
#[test]
fn enrichment_snapshot_of_the_sample_corpus() {
    let ws = Workspace::new();
    let corpus = sample_corpus()
        .canonicalize()
        .expect("sample corpus exists");
    let (report, code) = index(&ws, &[path_str(&corpus)]);
    assert_eq!(code, 0, "{report}");
    let now = enrichment_lines(&ws, &corpus);
    let path = snapshot_path();
    if std::env::var_os("UPDATE_SNAPSHOT").is_some_and(|value| value == "1") {
        fs::create_dir_all(path.parent().expect("a parent")).expect("snapshot folder");
        fs::write(&path, &now).expect("snapshot written");
        return;
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    if committed != now {
        let first_difference = committed
            .lines()
            .zip(now.lines())
            .find(|(was, is)| was != is)
            .map(|(was, is)| format!("\n  was: {was}\n  now: {is}"))
            .unwrap_or_else(|| "\n  (one side has more lines)".to_owned());
        panic!(
            "enrichment output over sample_corpus/ changed ({}).{first_difference}\n\
             If the change is intended: bump ENRICHMENT_VERSION in src/enrich/mod.rs, so that \
             existing indexes retag their unchanged files, and regenerate the snapshot with \
             `UPDATE_SNAPSHOT=1 cargo test --test cli index_runs::enrichment_snapshot`.",
            path.display()
        );
    }
}

// ---- item 5: a rebuild builds beside the old index ----

#[cfg(unix)]
mod rebuild {
    use std::io::Write;
    use std::process::{Child, Command, Stdio};

    use super::*;
    use crate::support::pipe::{make_pipe, open_when_read};

    fn spawn_rebuild(ws: &Workspace, pipe: &Path) -> Child {
        Command::new(assert_cmd::cargo::cargo_bin("topictrack"))
            .env_remove("TOPICTRACK_INDEX")
            .env("NO_COLOR", "1")
            .arg("--index")
            .arg(ws.index_dir())
            .args([
                "index",
                "--rebuild",
                "--no-enrich",
                path_str(&ws.corpus()),
                path_str(pipe),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("rebuild spawned")
    }

    fn total(ws: &Workspace) -> u64 {
        ws.search("*", &[])["total"].as_u64().unwrap_or(u64::MAX)
    }

    /// Entries of the folder holding the index, other than the index and the corpus.
    fn leftovers(ws: &Workspace) -> Vec<String> {
        fs::read_dir(ws.dir.path())
            .expect("workspace listed")
            .filter_map(Result::ok)
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name != "index" && name != "corpus" && !name.ends_with(".jsonl"))
            .collect()
    }

    fn two_documents(ws: &Workspace) {
        ws.write("a.md", article("A", "2024-01-01", "en", "oldword one"));
        ws.write("b.md", article("B", "2024-01-02", "en", "oldword two"));
        let (report, code) = ws.index_corpus();
        assert_eq!(code, 0, "{report}");
    }

    #[test]
    fn a_killed_rebuild_leaves_the_old_index_readable_and_complete() {
        let ws = Workspace::new();
        two_documents(&ws);
        let pipe = make_pipe(&ws, "arriving.jsonl");
        let mut child = spawn_rebuild(&ws, &pipe);
        let mut arriving = open_when_read(&pipe, &mut child);
        arriving
            .write_all(b"{\"title\":\"New\",\"text\":\"newword\"}\n")
            .expect("record fed");
        // Mid-rebuild: readers still see the whole old index, and a second run is refused.
        assert_eq!(total(&ws), 2, "readers during the rebuild");
        let concurrent = ws.run(&["index", path_str(&ws.corpus())]);
        assert!(
            stderr(&concurrent).contains("in use"),
            "{}",
            stderr(&concurrent)
        );
        child.kill().expect("SIGKILL sent");
        child.wait().expect("reaped");
        drop(arriving);

        assert_eq!(total(&ws), 2, "after the kill");
        assert_eq!(ws.search("oldword", &[])["total"].as_u64(), Some(2));
        // The next run clears what the killed rebuild left beside the index.
        let (report, code) = ws.index_corpus();
        assert_eq!(code, 0, "{report}");
        assert_eq!(count(&report, "unchanged"), 2, "{report}");
        assert_eq!(leftovers(&ws), Vec::<String>::new());
    }

    #[test]
    fn a_finished_rebuild_switches_to_the_new_index() {
        let ws = Workspace::new();
        two_documents(&ws);
        let pipe = make_pipe(&ws, "arriving.jsonl");
        let mut child = spawn_rebuild(&ws, &pipe);
        let mut arriving = open_when_read(&pipe, &mut child);
        arriving
            .write_all(b"{\"title\":\"New\",\"text\":\"newword\"}\n")
            .expect("record fed");
        drop(arriving);
        let output = child.wait_with_output().expect("rebuild ended");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(total(&ws), 3);
        assert_eq!(ws.search("newword", &[])["total"].as_u64(), Some(1));
        assert_eq!(leftovers(&ws), Vec::<String>::new());
        let (report, code) = index(&ws, &[path_str(&ws.corpus()), "--no-enrich"]);
        assert_eq!(code, 0, "{report}");
        assert_eq!(count(&report, "unchanged"), 2, "{report}");
    }
}

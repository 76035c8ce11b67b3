//! Crash safety: `kill -9` at any moment of `index` leaves an index that opens at its last
//! commit, and the next run completes the work with no duplicates and no orphan files.
//! These tests really spawn the binary and kill it.

use std::collections::HashSet;
use std::fs;
#[cfg(unix)]
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::Duration;

#[cfg(unix)]
use crate::support::pipe::{make_pipe, open_when_read};
use crate::support::{self, article, path_str, Workspace};

const RECORDS_PER_FILE: usize = 150;
const FILES: usize = 2;

/// Records with many distinct words, so tantivy flushes segments often. The same seed gives
/// the same records.
struct Records {
    seed: u64,
}

impl Records {
    fn new() -> Records {
        Records {
            seed: 0x9E37_79B9_7F4A_7C15,
        }
    }

    /// One JSON Lines record, newline included.
    fn line(&mut self, file: usize, record: usize) -> String {
        let body: Vec<String> = (0..250)
            .map(|_| format!("w{}", self.next_word() % 200_000))
            .collect();
        format!(
            "{{\"title\":\"Record {file}-{record}\",\"text\":\"bulkword {}\",\"date\":\"2024-03-{:02}\"}}\n",
            body.join(" "),
            record % 28 + 1
        )
    }

    fn next_word(&mut self) -> u64 {
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        self.seed
    }
}

/// JSON Lines files of [`Records`] in the corpus; returns how many records they hold.
fn write_big_corpus(ws: &Workspace) -> u64 {
    let mut records = Records::new();
    for file in 0..FILES {
        let text: String = (0..RECORDS_PER_FILE)
            .map(|record| records.line(file, record))
            .collect();
        ws.write(&format!("big/part{file}.jsonl"), text);
    }
    (FILES * RECORDS_PER_FILE) as u64
}

fn binary(ws: &Workspace, args: &[&str]) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("topictrack"));
    command
        .env_remove("TOPICTRACK_INDEX")
        .env("NO_COLOR", "1")
        .arg("--index")
        .arg(ws.index_dir())
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// `index PATH` with a small memory budget, so segments are flushed early.
fn spawn_index(ws: &Workspace, path: &Path) -> Child {
    binary(
        ws,
        &["index", path_str(path), "--memory", "32", "--no-enrich"],
    )
    .spawn()
    .expect("index spawned")
}

/// `search '*'`'s total, failing the test when the index does not open.
fn total(ws: &Workspace) -> u64 {
    ws.search("*", &[])["total"].as_u64().expect("search total")
}

/// Segment ids (32 hex digits, no dashes) that meta.json lists.
fn committed_segments(index: &Path) -> HashSet<String> {
    let Ok(text) = fs::read_to_string(index.join("meta.json")) else {
        return HashSet::new();
    };
    let meta: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    meta["segments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|segment| segment["segment_id"].as_str())
        .map(|id| id.replace('-', ""))
        .collect()
}

/// Segment files in the folder that belong to no committed segment.
fn orphan_files(index: &Path) -> Vec<String> {
    let committed = committed_segments(index);
    fs::read_dir(index)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| {
                    let stem = name.split('.').next().unwrap_or("");
                    stem.len() == 32
                        && stem.chars().all(|c| c.is_ascii_hexdigit())
                        && !committed.contains(stem)
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(unix)]
#[test]
fn kill_at_several_moments_keeps_the_last_commit_and_the_rerun_completes() {
    let ws = Workspace::new();
    ws.write("base.md", article("Base", "2024-01-01", "en", "baseword"));
    let (_, code) = ws.index_corpus();
    assert_eq!(code, 0);
    let records = write_big_corpus(&ws);
    let everything = records + 1;

    for millis in [100, 300, 600, 1200] {
        let mut child = spawn_index(&ws, &ws.corpus());
        sleep(Duration::from_millis(millis));
        child.kill().expect("SIGKILL sent"); // std sends SIGKILL on Unix
        let status = child.wait().expect("reaped");
        // The index opens and shows its last commit: the base document, or everything if
        // the run happened to commit before the kill landed.
        let seen = total(&ws);
        assert!(
            seen == 1 || seen == everything,
            "after kill at {millis} ms ({status:?}): {seen} documents"
        );
        assert_eq!(ws.search("baseword", &[])["total"].as_u64(), Some(1));
    }

    let output = binary(&ws, &["index", path_str(&ws.corpus()), "--json"])
        .stdout(Stdio::piped())
        .output()
        .expect("index ran");
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    assert_eq!(report["documents"].as_u64(), Some(everything), "{report}");
    assert_eq!(total(&ws), everything, "no duplicates after the rerun");
    assert_eq!(ws.search("bulkword", &[])["total"].as_u64(), Some(records));
    assert_eq!(
        ws.search("\"Record 1-7\"", &[])["total"].as_u64(),
        Some(1),
        "each record exactly once"
    );
    assert_eq!(orphan_files(&ws.index_dir()), Vec::<String>::new());
}

/// The run reads its records from a named pipe, so the test feeds it until tantivy has written
/// a segment that no commit lists, and kills it then: the moment is certain, not a guess.
#[cfg(unix)]
#[test]
fn kill_right_after_a_segment_flush_leaves_no_orphans_after_the_next_run() {
    let ws = Workspace::new();
    let pipe = make_pipe(&ws, "arriving.jsonl");
    let mut child = spawn_index(&ws, &pipe);
    let mut arriving = open_when_read(&pipe, &mut child);
    let mut records = Records::new();
    let mut fed = 0;
    let mut orphans = Vec::new();
    while orphans.is_empty() {
        assert!(fed < 20_000, "no segment was written after {fed} records");
        for _ in 0..50 {
            arriving
                .write_all(records.line(0, fed).as_bytes())
                .expect("record fed to the run");
            fed += 1;
        }
        orphans = orphan_files(&ws.index_dir());
    }
    child.kill().expect("SIGKILL sent");
    child.wait().expect("reaped");
    drop(arriving);
    // Killed mid-run before any commit: the index opens, empty.
    assert_eq!(total(&ws), 0, "after {fed} records fed");

    let records = write_big_corpus(&ws);
    let output = binary(&ws, &["index", path_str(&ws.corpus())])
        .output()
        .expect("index ran");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(total(&ws), records);
    let left = orphan_files(&ws.index_dir());
    assert!(
        left.is_empty(),
        "orphans {left:?} (killed with {orphans:?} uncommitted)"
    );
}

#[test]
fn a_folder_left_half_created_is_completed_by_the_next_run() {
    // A kill between creating the index folder and stamping it leaves tantivy files with no
    // topictrack.json; one with a stamp but no meta.json is the other half.
    let ws = Workspace::new();
    ws.write("a.md", article("Alpha", "2024-01-01", "en", "alphaword"));
    let (_, code) = ws.index_corpus();
    assert_eq!(code, 0);
    // The first half: an empty tantivy index without a stamp (old versions wrote it first).
    fs::remove_dir_all(ws.index_dir()).expect("cleared");
    fs::create_dir_all(ws.index_dir()).expect("folder");
    let schema = tantivy::schema::Schema::builder().build();
    drop(tantivy::Index::create_in_dir(ws.index_dir(), schema).expect("bare tantivy index"));
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(ws.search("alphaword", &[])["total"].as_u64(), Some(1));

    let ws = Workspace::new();
    ws.write("a.md", article("Alpha", "2024-01-01", "en", "alphaword"));
    fs::create_dir_all(ws.index_dir()).expect("folder");
    let (_, code) = ws.index_corpus();
    assert_eq!(code, 0);
    let stamp = fs::read(ws.index_dir().join("topictrack.json")).expect("stamp");
    fs::remove_dir_all(ws.index_dir()).expect("cleared");
    fs::create_dir_all(ws.index_dir()).expect("folder");
    fs::write(ws.index_dir().join("topictrack.json"), stamp).expect("stamp only");
    // Readers say there is no index yet (not "damaged"); the next run completes it.
    let search = ws.run(&["search", "*"]);
    assert_eq!(search.status.code(), Some(2));
    assert!(
        support::stderr(&search).contains("first"),
        "{}",
        support::stderr(&search)
    );
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(ws.search("alphaword", &[])["total"].as_u64(), Some(1));
}

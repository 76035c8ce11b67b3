//! A temporary workspace with a corpus folder and an index folder, and helpers to run the real binary in it.

pub mod http;
#[cfg(unix)]
pub mod pipe;
pub mod served;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub struct Workspace {
    pub dir: TempDir,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    pub fn index_dir(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Writes a file under the corpus folder, creating folders as needed.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.corpus().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder created");
        }
        std::fs::write(&path, contents).expect("file written");
        path
    }

    /// A command for the binary with `--index` pointing at this workspace's index.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("topictrack").expect("binary built");
        cmd.current_dir(self.dir.path())
            .env_remove("TOPICTRACK_INDEX")
            .env("NO_COLOR", "1")
            .arg("--index")
            .arg(self.index_dir())
            .args(args);
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("binary ran")
    }

    /// Runs a command that must succeed and print JSON; returns the JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
            panic!(
                "{args:?} printed no JSON ({err}): {}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
    }

    /// Indexes the corpus folder with `--json` and returns the report, whatever the exit code.
    pub fn index_corpus(&self) -> (Value, i32) {
        let corpus = self.corpus();
        let output = self.run(&["index", path_str(&corpus), "--json"]);
        let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
            panic!(
                "index printed no JSON ({err}); stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (report, output.status.code().unwrap_or(-1))
    }

    /// Runs `index ARGS... --json`; returns the report, the exit code and what was said on stderr.
    pub fn index_json(&self, args: &[&str]) -> (Value, i32, String) {
        let mut all = vec!["index"];
        all.extend_from_slice(args);
        all.push("--json");
        let output = self.run(&all);
        let report = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|err| panic!("{all:?} printed no JSON ({err}): {}", stderr(&output)));
        (report, output.status.code().unwrap_or(-1), stderr(&output))
    }

    /// `search QUERY --json` plus extra arguments; returns the JSON.
    pub fn search(&self, query: &str, extra: &[&str]) -> Value {
        let mut args = vec!["search", query, "--json", "--limit", "100"];
        args.extend_from_slice(extra);
        self.json(&args)
    }
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// The project's sample corpus, next to Cargo.toml.
pub fn sample_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_corpus")
}

/// The environment variable naming the shared folder (`corpora/`, `tools/`), as bench/bench.py
/// and the examples read it.
pub const SHARED_VAR: &str = "TOPICTRACK_SHARED";

/// The shared folder: `TOPICTRACK_SHARED`, or `../shared` next to the crate.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os(SHARED_VAR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")),
    }
}

/// `relative` inside the shared folder when it exists. Otherwise the test `test` says, on stdout
/// and stderr, that it is skipped, what is missing and how to provide it, and gets `None`.
pub fn shared_file(test: &str, relative: &str) -> Option<PathBuf> {
    let path = shared_dir().join(relative);
    if path.exists() {
        return Some(path);
    }
    let note = format!(
        "skipped {test}: {} is absent; set {SHARED_VAR} to a folder holding {relative} \
         (default: ../shared next to the crate)",
        path.display()
    );
    println!("{note}");
    eprintln!("{note}");
    None
}

/// A Markdown article with YAML front matter.
pub fn article(title: &str, date: &str, lang: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: {date}\nlang: {lang}\n---\n\n{body}\n")
}

pub fn ids(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter_map(|hit| hit["id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

pub fn titles(results: &Value) -> Vec<String> {
    let mut titles: Vec<String> = results["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter_map(|hit| hit["title"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    titles.sort();
    titles
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The command failed as a user error should: exit code 2, one line on stderr containing `expected`,
/// no panic and nothing on stdout. `what` labels the case in failure messages.
pub fn assert_one_line_error(output: &Output, expected: &str, what: &str) {
    assert_no_panic(output, what);
    let text = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{what}: {text}");
    assert!(
        text.contains(expected),
        "{what}: expected {expected:?} in {text:?}"
    );
    assert_eq!(text.trim_end().lines().count(), 1, "{what}: {text:?}");
    assert!(output.stdout.is_empty(), "{what}: printed output too");
}

/// The exit code the Rust runtime gives a process that ended in a panic.
const PANIC_EXIT_CODE: i32 = 101;

/// How a panic shows on stderr: the binary's panic hook (`install_panic_message` in src/main.rs)
/// and the file reader's caught-panic notice both say "internal error"; the hook stands aside when
/// `RUST_BACKTRACE` is set, so the runtime's own "panicked at" is looked for too.
const PANIC_TEXTS: [&str; 2] = ["internal error", "panicked at"];

/// The command did not panic: not the runtime's panic exit code, and no panic report on stderr.
/// Checked before any other expectation, so that a panic is reported as one. `what` labels the
/// case in failure messages.
pub fn assert_no_panic(output: &Output, what: &str) {
    let text = stderr(output);
    assert_ne!(
        output.status.code(),
        Some(PANIC_EXIT_CODE),
        "{what} panicked: {text}"
    );
    for report in PANIC_TEXTS {
        assert!(!text.contains(report), "{what} panicked: {text}");
    }
}

pub fn assert_user_error(output: &Output, expected: &str) {
    assert_one_line_error(output, expected, "command");
}

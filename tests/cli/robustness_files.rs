//! Hostile input files: each bad file is reported (path, line, reason) in the summary and in
//! `index --json` `skipped`, every other document is still indexed, and the exit code says
//! whether anything was skipped.

use std::fs::{self, File};
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use crate::support::{self, article, path_str, stderr, Workspace};
use serde_json::Value;

/// A workspace holding two good articles, so every case can check that they survive.
fn with_good_docs() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "good/one.md",
        article("Good one", "2025-01-10", "en", "Alpha chips ship."),
    );
    ws.write(
        "good/two.md",
        article("Good two", "2025-02-11", "en", "Beta chips ship."),
    );
    ws
}

/// The skipped notices whose path ends with `name`.
fn skipped_for<'a>(report: &'a Value, name: &str) -> Vec<&'a Value> {
    report["skipped"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|notice| notice["path"].as_str().is_some_and(|p| p.ends_with(name)))
                .collect()
        })
        .unwrap_or_default()
}

/// Asserts that `name` was skipped once with a reason containing `reason`, that the good
/// documents are searchable, and that the exit code is 2.
fn assert_skipped(ws: &Workspace, report: &Value, code: i32, name: &str, reason: &str) {
    let notices = skipped_for(report, name);
    assert_eq!(notices.len(), 1, "one notice for {name}: {report}");
    let text = notices[0]["reason"].as_str().unwrap_or("");
    assert!(text.contains(reason), "{name}: {text:?} lacks {reason:?}");
    assert_eq!(code, 2, "anything skipped means exit 2: {report}");
    assert_eq!(
        ws.search("chips", &[])["total"].as_u64(),
        Some(2),
        "{report}"
    );
}

fn assert_clean(report: &Value, code: i32) {
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        report["skipped"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
}

#[test]
fn binary_and_empty_files_are_skipped_and_named_in_the_summary() {
    let ws = with_good_docs();
    ws.write("bad/picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    ws.write("bad/empty.md", b"");
    let (report, code) = ws.index_corpus();
    assert_skipped(&ws, &report, code, "picture.txt", "binary file");
    assert_skipped(&ws, &report, code, "empty.md", "empty file");

    // The text summary on stderr names the same files, and the exit code stays 2.
    let rebuilt = ws.run(&["index", "--rebuild", path_str(&ws.corpus())]);
    assert_eq!(rebuilt.status.code(), Some(2));
    let summary = stderr(&rebuilt);
    assert!(
        summary.contains("skipped: ") && summary.contains("picture.txt: binary file"),
        "{summary}"
    );
    assert!(summary.contains("empty.md: empty file"), "{summary}");
}

#[test]
fn legacy_encodings_boms_and_crlf_are_read_not_skipped() {
    let ws = with_good_docs();
    ws.write(
        "enc/latin1.txt",
        b"Caf\xe9 ol\xe9\n\nLa pol\xedtica arancelaria de Espa\xf1a.\n",
    );
    ws.write(
        "enc/cp1252.txt",
        b"Quotes\n\nHe said \x93smartquotes\x94 \x96 and left.\n",
    );
    ws.write(
        "enc/invalid.md",
        b"# Broken bytes\n\nValid words then \xff\xfe\xc3 invalidbytesword here.\n",
    );
    ws.write(
        "enc/bom.md",
        "\u{feff}---\ntitle: \"Bom title\"\ndate: 2024-03-05\n---\n\nbomword body.\n",
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Utf16 title\r\n\r\nutfsixteenword en el cuerpo.".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    ws.write("enc/utf16.txt", utf16);
    ws.write(
        "enc/crlf.md",
        "---\r\ntitle: \"Crlf title\"\r\ndate: 2023-07-08\r\n---\r\n\r\ncrlfword body.\r\n",
    );
    let (report, code) = ws.index_corpus();
    assert_clean(&report, code);
    assert_eq!(report["documents"].as_u64(), Some(8), "{report}");
    for word in [
        "arancelaria",
        "smartquotes",
        "invalidbytesword",
        "bomword",
        "utfsixteenword",
        "crlfword",
    ] {
        assert_eq!(ws.search(word, &[])["total"].as_u64(), Some(1), "{word}");
    }
    // Front matter behind a BOM or with CRLF endings is still front matter.
    let bom = ws.search("bomword", &[]);
    assert_eq!(bom["hits"][0]["title"].as_str(), Some("Bom title"));
    assert_eq!(
        bom["hits"][0]["date"].as_str().map(|d| &d[..10]),
        Some("2024-03-05")
    );
    let crlf = ws.search("crlfword", &[]);
    assert_eq!(crlf["hits"][0]["title"].as_str(), Some("Crlf title"));
    assert_eq!(
        crlf["hits"][0]["date"].as_str().map(|d| &d[..10]),
        Some("2023-07-08")
    );
    // The Latin-1 file decodes to real accents, and the fallback is reported as a warning.
    assert_eq!(ws.search("política", &[])["total"].as_u64(), Some(1));
    let warned: Vec<&str> = report["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w["path"].as_str())
        .collect();
    assert!(warned.iter().any(|p| p.ends_with("latin1.txt")), "{report}");
}

/// Writes `head`, then a hole of `gap` bytes (zeros, allocated lazily), then `tail`.
fn write_sparse(path: &Path, head: &[u8], gap: u64, tail: &[u8]) {
    fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    let mut file = File::create(path).expect("created");
    file.write_all(head).expect("head");
    file.seek(SeekFrom::Current(gap as i64)).expect("seek");
    file.write_all(tail).expect("tail");
}

#[test]
fn a_200_mib_single_line_is_skipped_for_its_size() {
    const GAP: u64 = 200 * 1024 * 1024;
    let ws = with_good_docs();
    // A text file of one 200 MiB line: refused from its size, without being read.
    write_sparse(&ws.corpus().join("big/line.txt"), b"word ", GAP, b" end");
    // A JSON Lines file whose second line is 200 MiB: the lines around it are kept.
    // A JSON Lines file whose second line is 200 MiB of letters (written in 1 MiB chunks):
    // the lines around it are kept.
    let jsonl = ws.corpus().join("big/records.jsonl");
    let mut file = File::create(&jsonl).expect("created");
    file.write_all(
        b"{\"title\":\"before\",\"text\":\"beforeword\"}\n{\"title\":\"huge\",\"text\":\"",
    )
    .expect("head");
    let chunk = vec![b'a'; 1024 * 1024];
    for _ in 0..GAP / (1024 * 1024) {
        file.write_all(&chunk).expect("chunk");
    }
    file.write_all(b"\"}\n{\"title\":\"after\",\"text\":\"afterword\"}\n")
        .expect("tail");
    drop(file);
    let (report, code) = ws.index_corpus();
    assert_skipped(&ws, &report, code, "line.txt", "over the limit of 64 MiB");
    assert_skipped(&ws, &report, code, "records.jsonl", "line is 200 MiB");
    assert_eq!(
        skipped_for(&report, "records.jsonl")[0]["line"].as_u64(),
        Some(2)
    );
    assert_eq!(ws.search("beforeword", &[])["total"].as_u64(), Some(1));
    assert_eq!(ws.search("afterword", &[])["total"].as_u64(), Some(1));
}

#[test]
fn deeply_nested_and_huge_json() {
    let ws = with_good_docs();
    let depth = 100_000;
    ws.write(
        "json/nested.json",
        format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
    );
    ws.write(
        "json/nested_object.json",
        format!(
            "{{\"title\":\"x\",\"text\":{}1{}}}",
            "{\"a\":".repeat(depth),
            "}".repeat(depth)
        ),
    );
    let records: Vec<String> = (0..3000)
        .map(|n| format!("{{\"title\":\"Record {n}\",\"text\":\"hugejsonword number {n}\"}}"))
        .collect();
    ws.write("json/huge.json", format!("[{}]", records.join(",\n")));
    let (report, code) = ws.index_corpus();
    assert_skipped(&ws, &report, code, "nested.json", "not valid JSON");
    assert_skipped(&ws, &report, code, "nested_object.json", "not valid JSON");
    assert_eq!(ws.search("hugejsonword", &[])["total"].as_u64(), Some(3000));
}

#[test]
fn broken_json_lines_cost_only_their_line() {
    let ws = with_good_docs();
    ws.write(
        "feed.jsonl",
        "{\"title\":\"L1\",\"text\":\"linesword one\"}\n\
         {\"title\":\"L2\",\"text\":\"linesword two\"\n\
         \n\
         [1, 2, 3]\n\
         {\"title\":\"L5\",\"text\":\"linesword five\"}\n\
         {\"title\":\"L6\",\"text\":\"linesword six\"}",
    );
    let (report, code) = ws.index_corpus();
    let notices = skipped_for(&report, "feed.jsonl");
    let lines: Vec<u64> = notices.iter().filter_map(|n| n["line"].as_u64()).collect();
    assert_eq!(lines, [2, 4], "{report}");
    assert_eq!(code, 2);
    assert_eq!(ws.search("linesword", &[])["total"].as_u64(), Some(3));
    assert_eq!(ws.search("chips", &[])["total"].as_u64(), Some(2));
}

#[test]
fn front_matter_that_never_closes_is_skipped_with_its_line() {
    let ws = with_good_docs();
    ws.write(
        "open.md",
        "---\ntitle: Never closed\ndate: 2025-01-01\n\nBody text goes on.\n",
    );
    let (report, code) = ws.index_corpus();
    assert_skipped(&ws, &report, code, "open.md", "never closes");
    assert_eq!(skipped_for(&report, "open.md")[0]["line"].as_u64(), Some(1));
}

#[test]
fn html_scripts_styles_and_broken_tags() {
    let ws = with_good_docs();
    ws.write(
        "page.html",
        "<html><head><title>Broken page</title><style>.stylewordx { color: red }</style>\
         <script>var scriptwordx = '<div><p>';</script></head>\
         <body><div><p>Visible htmlbodyword text<b>unclosed <i>tags\
         <p>more <a href=\"x\">link</div></span></table>\
         <script>if (a < b && c > d) { document.write('scriptwordy') }</script>",
    );
    let (report, code) = ws.index_corpus();
    assert_clean(&report, code);
    assert_eq!(ws.search("htmlbodyword", &[])["total"].as_u64(), Some(1));
    for hidden in ["stylewordx", "scriptwordx", "scriptwordy"] {
        assert_eq!(
            ws.search(hidden, &[])["total"].as_u64(),
            Some(0),
            "{hidden}"
        );
    }
    assert_eq!(
        ws.search("htmlbodyword", &[])["hits"][0]["title"].as_str(),
        Some("Broken page")
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_broken_links_are_reported_not_followed_forever() {
    let ws = with_good_docs();
    let corpus = ws.corpus();
    std::os::unix::fs::symlink(&corpus, corpus.join("good/loop")).expect("symlink");
    std::os::unix::fs::symlink(corpus.join("gone.md"), corpus.join("dangling.md"))
        .expect("symlink");
    let (report, code) = ws.index_corpus();
    assert_skipped(&ws, &report, code, "loop", "symlink loop");
    assert_skipped(&ws, &report, code, "dangling.md", "broken symbolic link");
    assert_eq!(report["documents"].as_u64(), Some(2), "{report}");
}

/// A named pipe nobody writes to would stall a folder walk for ever; it is reported instead, and
/// a symbolic link to a device is too.
#[cfg(unix)]
#[test]
fn named_pipes_and_devices_in_a_folder_are_reported_not_waited_on() {
    let ws = with_good_docs();
    let corpus = ws.corpus();
    support::pipe::make_pipe_at(&corpus.join("stuck.jsonl"));
    std::os::unix::fs::symlink("/dev/zero", corpus.join("endless.txt")).expect("symlink");

    let mut run = binary(&ws, &["index", path_str(&corpus), "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("index spawned");
    let started = std::time::Instant::now();
    while run.try_wait().expect("polled").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = run.kill();
            panic!("index is still waiting on a special file after two minutes");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = run.wait_with_output().expect("index finished");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let code = output.status.code().unwrap_or(-1);
    assert_skipped(
        &ws,
        &report,
        code,
        "stuck.jsonl",
        "name it on the command line",
    );
    assert_skipped(&ws, &report, code, "endless.txt", "not a regular file");
    assert_eq!(report["documents"].as_u64(), Some(2), "{report}");
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names_are_indexed_and_reported_readably() {
    use std::os::unix::ffi::OsStrExt;
    let ws = with_good_docs();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9-noticia.md");
    let path = ws.corpus().join(name);
    if fs::write(
        &path,
        article("Latin name", "2025-03-03", "es", "nombreraro aqui."),
    )
    .is_err()
    {
        eprintln!("skipping: this file system refuses non-UTF-8 names");
        return;
    }
    fs::write(
        ws.corpus()
            .join(std::ffi::OsStr::from_bytes(b"bin\xff.txt")),
        b"\x00\x01",
    )
    .expect("written");
    let (report, code) = ws.index_corpus();
    assert_skipped(&ws, &report, code, "bin\u{FFFD}.txt", "binary file");
    let hits = ws.search("nombreraro", &[]);
    assert_eq!(hits["total"].as_u64(), Some(1));
    let shown = hits["hits"][0]["path"].as_str().unwrap_or("");
    assert!(shown.ends_with("caf\u{FFFD}-noticia.md"), "{shown}");
    // A second run sees the file as unchanged (the non-UTF-8 key round-trips).
    let (again, code) = ws.index_corpus();
    assert_eq!(code, 2, "the binary file is still skipped: {again}");
    assert_eq!(again["added"].as_u64(), Some(0), "{again}");
    assert_eq!(again["documents"].as_u64(), Some(3), "{again}");
}

#[cfg(unix)]
#[test]
fn very_long_paths_are_reported_or_read_never_fatal() {
    let ws = with_good_docs();
    // 30 levels of 200-byte names: about 6000 bytes, past PATH_MAX (4096). The tree is built
    // bottom-up (each level renamed into a new parent) so no call ever needs the long path.
    let part = "d".repeat(200);
    let scratch = ws.dir.path().join("deep-build");
    fs::create_dir_all(&scratch).expect("scratch");
    let mut top = scratch.join("level");
    fs::create_dir(&top).expect("bottom level");
    fs::write(top.join("deep.md"), "# Deep\n\ndeepword\n").expect("deep file");
    for level in 0..30 {
        let parent = scratch.join(format!("p{level}"));
        fs::create_dir(&parent).expect("parent level");
        fs::rename(&top, parent.join(&part)).expect("moved down a level");
        top = parent;
    }
    fs::rename(&top, ws.corpus().join("deep")).expect("moved into the corpus");
    // A long (but legal) file name next to the good documents is read normally.
    ws.write(
        &format!("good/{}.md", "n".repeat(240)),
        "# Long name\n\nlongnameword\n",
    );
    let (report, code) = ws.index_corpus();
    assert_eq!(ws.search("longnameword", &[])["total"].as_u64(), Some(1));
    assert_eq!(ws.search("chips", &[])["total"].as_u64(), Some(2));
    let deep_found = ws.search("deepword", &[])["total"].as_u64() == Some(1);
    let deep_reported = report["skipped"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|n| n["path"].as_str().is_some_and(|p| p.contains(&part)));
    assert!(deep_found || (deep_reported && code == 2), "{report}");
}

/// True when this process ignores file permissions (root), so permission tests prove nothing.
#[cfg(unix)]
fn permissions_are_ignored(probe_dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = probe_dir.join("probe");
    fs::write(&probe, "x").expect("probe");
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).expect("chmod");
    let ignored = fs::read(&probe).is_ok();
    let _ = fs::remove_file(&probe);
    if ignored {
        eprintln!("skipping: running as root, permissions are not enforced");
    }
    ignored
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_skipped_with_permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let ws = with_good_docs();
    if permissions_are_ignored(ws.dir.path()) {
        return;
    }
    let file = ws.write("locked.md", article("Locked", "2025-01-01", "en", "secret"));
    ws.write(
        "closed/inner.md",
        article("Inner", "2025-01-01", "en", "secret"),
    );
    fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).expect("chmod");
    let folder = ws.corpus().join("closed");
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o000)).expect("chmod");
    let (report, code) = ws.index_corpus();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).expect("chmod back");
    assert_skipped(&ws, &report, code, "locked.md", "permission denied");
    assert_skipped(&ws, &report, code, "closed", "permission denied");
}

#[test]
fn files_that_vanish_or_change_during_a_run_cost_nothing_else() {
    let ws = Workspace::new();
    let count = 400;
    for n in 0..count {
        ws.write(
            &format!("churn/f{n:04}.md"),
            article(
                &format!("Doc {n}"),
                "2025-01-10",
                "en",
                "stable churnword text",
            ),
        );
    }
    // While the binary runs, another thread deletes every third file and rewrites every
    // fifth one; whatever the timing, the run must finish without a panic.
    let mut child = binary(&ws, &["index", path_str(&ws.corpus()), "--json"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawned");
    let corpus = ws.corpus();
    for n in 0..count {
        let path = corpus.join(format!("churn/f{n:04}.md"));
        if n % 3 == 0 {
            let _ = fs::remove_file(&path);
        } else if n % 5 == 0 {
            let _ = fs::write(
                &path,
                article("Changed", "2025-02-02", "en", "rewritten churnword"),
            );
        }
    }
    let status = child.wait().expect("index finished");
    assert!(matches!(status.code(), Some(0 | 2)), "{status:?}");
    // The next run settles on exactly the files that exist, each once.
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    let remaining = (0..count).filter(|n| n % 3 != 0).count() as u64;
    assert_eq!(report["documents"].as_u64(), Some(remaining), "{report}");
    assert_eq!(
        ws.search("churnword", &[])["total"].as_u64(),
        Some(remaining)
    );
    let rewritten = (0..count).filter(|n| n % 3 != 0 && n % 5 == 0).count() as u64;
    assert_eq!(
        ws.search("rewritten", &[])["total"].as_u64(),
        Some(rewritten)
    );
}

/// The real binary on this workspace's index, as a plain `std` command (to spawn and wait).
fn binary(ws: &Workspace, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("topictrack"));
    command
        .env_remove("TOPICTRACK_INDEX")
        .env("NO_COLOR", "1")
        .arg("--index")
        .arg(ws.index_dir())
        .args(args);
    command
}

//! Concurrency: a second `index` on a busy index is refused at once with "in use", while
//! `search`, `facets` and `timeline` keep answering from the last commit.

use crate::support::{article, path_str, stderr, Workspace};

/// A first run that reads a file arriving through a named pipe holds the index for as long as
/// the test keeps the pipe open: no sleeps, and no race with a fast build.
#[cfg(unix)]
mod busy_index {
    use std::io::Write;
    use std::process::{Command, Stdio};

    use super::*;
    use crate::support::pipe::{make_pipe, open_when_read};

    #[test]
    fn a_second_index_run_is_refused_and_readers_see_the_last_commit() {
        let ws = Workspace::new();
        ws.write(
            "base.md",
            article("Base", "2024-01-01", "en", "baseword chips"),
        );
        let (_, code) = ws.index_corpus();
        assert_eq!(code, 0);
        let pipe = make_pipe(&ws, "arriving.jsonl");

        let mut first = Command::new(assert_cmd::cargo::cargo_bin("topictrack"))
            .arg("--index")
            .arg(ws.index_dir())
            .args(["index", path_str(&ws.corpus()), path_str(&pipe)])
            .env_remove("TOPICTRACK_INDEX")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("first run spawned");
        // The first run takes the writer lock before it reads any file, so once it has opened
        // the pipe, the index is busy until the pipe is closed.
        let mut arriving = open_when_read(&pipe, &mut first);

        let second = ws.run(&["index", path_str(&ws.corpus())]);
        assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
        let text = stderr(&second);
        assert!(text.contains("in use"), "{text}");
        assert_eq!(text.trim_end().lines().count(), 1, "{text}");
        for args in [
            &["search", "chips", "--json"][..],
            &["facets", "--json"],
            &["timeline", "--all", "--json"],
        ] {
            let output = ws.run(args);
            assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        }
        assert_eq!(ws.search("*", &[])["total"].as_u64(), Some(1));
        assert_eq!(ws.search("chips", &[])["total"].as_u64(), Some(1));

        for n in 0..800 {
            writeln!(
                arriving,
                "{{\"title\":\"Arrived {n}\",\"text\":\"busyword number {n}\"}}"
            )
            .expect("line written to the pipe");
        }
        drop(arriving);
        let finished = first.wait_with_output().expect("first run finished");
        assert_eq!(
            finished.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&finished.stderr)
        );
        assert_eq!(ws.search("*", &[])["total"].as_u64(), Some(801));
        assert_eq!(ws.search("busyword", &[])["total"].as_u64(), Some(800));
    }
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

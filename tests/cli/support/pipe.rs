//! Named pipes that hold an `index` run mid-way for as long as a test wants (Unix only).

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::Workspace;

/// Makes a named pipe `name` in the workspace folder, outside the corpus.
pub fn make_pipe(ws: &Workspace, name: &str) -> PathBuf {
    let pipe = ws.dir.path().join(name);
    make_pipe_at(&pipe);
    pipe
}

/// Makes a named pipe at `pipe`.
pub fn make_pipe_at(pipe: &Path) {
    let made = Command::new("mkfifo")
        .arg(pipe)
        .status()
        .expect("mkfifo ran");
    assert!(made.success(), "mkfifo failed for {}", pipe.display());
}

/// Opens the writing end of `pipe` once `reader` has opened the other end, so the caller
/// knows the run is past its start (it takes the writer lock before reading any file).
/// Fails the test, with the reader's error output, if it exits first or never gets there.
pub fn open_when_read(pipe: &Path, reader: &mut Child) -> File {
    let (opened, wait_for_open) = mpsc::channel();
    let path = pipe.to_path_buf();
    thread::spawn(move || {
        let writer = OpenOptions::new().write(true).open(path);
        let _ = opened.send(writer);
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match wait_for_open.recv_timeout(Duration::from_millis(50)) {
            Ok(writer) => return writer.expect("the pipe opens for writing"),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(err) => panic!("the pipe opener stopped: {err}"),
        }
        if let Some(status) = reader.try_wait().expect("polled") {
            // Opening the reading end unblocks the opener thread before the test fails.
            let _ = File::open(pipe);
            let mut text = String::new();
            if let Some(mut err) = reader.stderr.take() {
                let _ = err.read_to_string(&mut text);
            }
            panic!("the run ended ({status}) before it read the pipe: {text}");
        }
        assert!(Instant::now() < deadline, "the run never opened the pipe");
    }
}

//! Splits an mbox stream into its messages, one at a time, so that memory stays bounded by the
//! largest message whatever the size of the file. A message starts at a `From ` line at the start of
//! the file or after a blank line; `>From ` lines are unquoted as mboxrd writes them.
//!
//! The split is written here rather than taken from `mail-parser`'s mbox iterator because a reader
//! must name the line of a message it cannot read, and refuse a message over the size limit
//! without holding it.

use std::io::BufRead;
use std::path::Path;

use super::message_doc;
use crate::corpus::{human_size, io_problem_at, DocSink, Problem, ReadOptions};

/// One message being collected: the line of its `From ` separator and its bytes.
struct Collecting {
    line: u64,
    bytes: Vec<u8>,
    /// Bytes seen when the message went over the limit (and stopped being kept).
    too_large: Option<u64>,
}

/// Reads every message of an mbox stream into the sink; a message that cannot be read costs only
/// itself, reported with the line of its `From ` separator.
pub(crate) fn read_mbox(
    path: &Path,
    reader: &mut dyn BufRead,
    options: &ReadOptions,
    sink: &mut dyn DocSink,
) {
    let mut line = Vec::with_capacity(256);
    let mut line_no = 0u64;
    let mut current: Option<Collecting> = None;
    let mut previous_blank = true;
    let mut messages = 0u64;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(err) => {
                sink.skipped(io_problem_at(path, &err, line_no + 1));
                break;
            }
        }
        line_no += 1;
        if previous_blank && line.starts_with(b"From ") {
            if let Some(done) = current.take() {
                finish(path, done, options, sink);
            }
            messages += 1;
            current = Some(Collecting {
                line: line_no,
                bytes: Vec::new(),
                too_large: None,
            });
            previous_blank = false;
            continue;
        }
        previous_blank = line.iter().all(u8::is_ascii_whitespace);
        let Some(collecting) = current.as_mut() else {
            if previous_blank {
                continue;
            }
            sink.skipped(Problem::new(
                path,
                Some(line_no),
                "not an mbox: the first message does not start with a `From ` line; \
                 a single message should be named .eml",
            ));
            return;
        };
        let content = unquote_from(&line);
        if let Some(seen) = collecting.too_large.as_mut() {
            *seen += content.len() as u64;
            continue;
        }
        if (collecting.bytes.len() + content.len()) as u64 > options.max_bytes {
            collecting.too_large = Some((collecting.bytes.len() + content.len()) as u64);
            collecting.bytes = Vec::new();
            continue;
        }
        collecting.bytes.extend_from_slice(content);
    }
    if let Some(done) = current.take() {
        finish(path, done, options, sink);
    }
    if messages == 0 {
        sink.skipped(Problem::new(path, None, "empty file"));
    }
}

/// `>From ` (any number of `>`) loses one `>`, as mboxrd quoting asks.
fn unquote_from(line: &[u8]) -> &[u8] {
    let quotes = line.iter().take_while(|&&b| b == b'>').count();
    if quotes > 0
        && line
            .get(quotes..)
            .is_some_and(|rest| rest.starts_with(b"From "))
    {
        line.get(1..).unwrap_or(line)
    } else {
        line
    }
}

fn finish(path: &Path, message: Collecting, options: &ReadOptions, sink: &mut dyn DocSink) {
    if let Some(size) = message.too_large {
        sink.skipped(Problem::new(
            path,
            Some(message.line),
            format!(
                "message is {}, over the limit of {} (raise it with --max-file-size)",
                human_size(size),
                human_size(options.max_bytes)
            ),
        ));
        return;
    }
    match message_doc(path, &message.bytes, Some(message.line)) {
        Ok(doc) => sink.document(doc),
        Err(problem) => sink.skipped(problem),
    }
}

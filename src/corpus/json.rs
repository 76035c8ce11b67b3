//! Reads `.json` (one object or an array of objects) and `.jsonl` / `.ndjson` (one object
//! per line). Records stream into the sink one at a time; a bad record or line is reported
//! with its position and costs nothing else.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, ErrorKind, Read};
use std::path::Path;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::decode::{decode_unmarked, BINARY_SNIFF_BYTES};
use super::fields::{map_record, unmapped_long_text, Field, TagStrings};
use super::{human_size, io_problem, path_id, DocSink, FoundFile, Problem, ReadOptions};
use crate::document::SourceDoc;

/// Where a record sits in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// The file's only object.
    Whole,
    /// 1-based position in a top-level array.
    Item(u64),
    /// 1-based line of a JSON Lines file.
    Line(u64),
}

impl Position {
    fn line(self) -> Option<u64> {
        match self {
            Position::Whole => None,
            Position::Item(n) | Position::Line(n) => Some(n),
        }
    }

    /// What to call the record in a message.
    fn noun(self) -> String {
        match self {
            Position::Whole | Position::Line(_) => "record".to_owned(),
            Position::Item(n) => format!("item {n} of the array"),
        }
    }

    fn problem_line(self) -> Option<u64> {
        match self {
            Position::Line(n) => Some(n),
            Position::Whole | Position::Item(_) => None,
        }
    }
}

/// The records of one file whose body was taken from an unmapped key, counted per key, so
/// that the file gets one warning (per key) instead of one per record.
#[derive(Debug, Default)]
struct BodyFallbacks {
    /// Key, records that used it, and the first record's line or array position.
    keys: Vec<(String, u64, Option<u64>)>,
}

impl BodyFallbacks {
    fn note(&mut self, key: &str, at: Position) {
        match self.keys.iter_mut().find(|(known, _, _)| known == key) {
            Some((_, count, _)) => *count += 1,
            None => self.keys.push((key.to_owned(), 1, at.problem_line())),
        }
    }

    /// One warning per key, naming the flag that makes the choice explicit.
    fn report(self, path: &Path, options: &ReadOptions, sink: &mut dyn DocSink) {
        let tried = options.fields.keys(Field::Body).join(", ");
        for (key, count, line) in self.keys {
            let records = if count == 1 {
                "1 record".to_owned()
            } else {
                format!("{count} records")
            };
            let line = if count == 1 { line } else { None };
            sink.warning(Problem::new(
                path,
                line,
                format!(
                    "{records} had no text under the body keys ({tried}); the text under \
                     `{key}` was used instead; make this explicit with --field body={key}"
                ),
            ));
        }
    }
}

/// Turns one record into a document, or reports why it cannot be one.
fn emit_record(
    path: &Path,
    record: &Map<String, Value>,
    at: Position,
    options: &ReadOptions,
    fallbacks: &mut BodyFallbacks,
    sink: &mut dyn DocSink,
) {
    let mut mapped = map_record(record, &options.fields, TagStrings::Whole);
    if mapped.body.is_none() {
        if let Some((key, text)) = unmapped_long_text(record, &options.fields) {
            // The text is the body now; `show` need not list it again as metadata.
            mapped.metadata.retain(|(known, _)| *known != key);
            fallbacks.note(&key, at);
            mapped.body = Some(text);
        }
    }
    if mapped.title.is_none() && mapped.body.is_none() {
        sink.skipped(Problem::new(
            path,
            at.problem_line(),
            format!(
                "{} has no title or text (map a field with --field body=KEY)",
                at.noun()
            ),
        ));
        return;
    }
    let id = mapped.id.unwrap_or_else(|| {
        let base = path_id(path);
        match at {
            Position::Whole => base,
            Position::Item(n) => format!("{base}#{n}"),
            Position::Line(n) => format!("{base}#L{n}"),
        }
    });
    sink.document(SourceDoc {
        id,
        path: path.to_path_buf(),
        line: at.line(),
        title: mapped.title,
        body: mapped.body.unwrap_or_default(),
        date_raw: mapped.date_raw,
        date_key: mapped.date_key,
        source: mapped.source,
        url: mapped.url,
        lang: mapped.lang,
        tags: mapped.tags,
        metadata: mapped.metadata,
    });
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads a whole `.json` file's text, streaming records as the parser reaches them so a
/// large array never exists as one `Value` tree.
pub(crate) fn read_json(path: &Path, text: &str, options: &ReadOptions, sink: &mut dyn DocSink) {
    if !matches!(text.trim_start().chars().next(), Some('{' | '[')) {
        sink.skipped(Problem::new(
            path,
            None,
            "not a JSON object or array of objects; check the file's contents",
        ));
        return;
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let mut fallbacks = BodyFallbacks::default();
    let top = TopLevel {
        path,
        options,
        fallbacks: &mut fallbacks,
        sink: &mut *sink,
    };
    let result = top.deserialize(&mut de).and_then(|()| de.end());
    fallbacks.report(path, options, sink);
    if let Err(err) = result {
        let mut reason = format!("not valid JSON: {err}");
        if err.to_string().starts_with("trailing characters") {
            reason.push_str(" (one object per line is JSON Lines: rename the file to .jsonl)");
        }
        sink.skipped(Problem::new(path, Some(err.line() as u64), reason));
    }
}

/// The top-level JSON value: one record, or an array of records.
struct TopLevel<'a, 's> {
    path: &'a Path,
    options: &'a ReadOptions,
    fallbacks: &'s mut BodyFallbacks,
    sink: &'s mut dyn DocSink,
}

impl<'de> DeserializeSeed<'de> for TopLevel<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or an array of objects")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut record = Map::new();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            record.insert(key, value);
        }
        emit_record(
            self.path,
            &record,
            Position::Whole,
            self.options,
            self.fallbacks,
            self.sink,
        );
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut n = 0u64;
        while let Some(item) = seq.next_element::<Value>()? {
            n += 1;
            match item {
                Value::Object(record) => {
                    emit_record(
                        self.path,
                        &record,
                        Position::Item(n),
                        self.options,
                        self.fallbacks,
                        self.sink,
                    );
                }
                other => self.sink.skipped(Problem::new(
                    self.path,
                    None,
                    format!(
                        "item {n} of the array is {}, not an object",
                        kind_of(&other)
                    ),
                )),
            }
        }
        Ok(())
    }
}

/// Outcome of reading one line with a length limit.
#[derive(Debug, PartialEq, Eq)]
enum LineRead {
    Eof,
    Line,
    /// The line was longer than the limit; it was read and dropped, this many bytes.
    TooLong(u64),
}

/// Reads one line (with its `\n`) into `buf`, holding at most `max + 1` bytes of it; a
/// longer line is consumed in buffer-sized chunks and dropped.
fn read_bounded_line<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    max: u64,
) -> std::io::Result<LineRead> {
    buf.clear();
    let read = reader
        .by_ref()
        .take(max.saturating_add(1))
        .read_until(b'\n', buf)?;
    if read == 0 {
        return Ok(LineRead::Eof);
    }
    if buf.ends_with(b"\n") || (buf.len() as u64) <= max {
        return Ok(LineRead::Line);
    }
    let mut total = buf.len() as u64;
    buf.clear();
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(err) if err.kind() == ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if chunk.is_empty() {
            break;
        }
        let (used, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(end) => (end + 1, true),
            None => (chunk.len(), false),
        };
        reader.consume(used);
        total += used as u64;
        if done {
            break;
        }
    }
    Ok(LineRead::TooLong(total))
}

/// Reads a JSON Lines file line by line; memory is bounded by the longest accepted line.
pub(crate) fn read_lines(file: &FoundFile, options: &ReadOptions, sink: &mut dyn DocSink) {
    let path = file.path.as_path();
    let mut reader = match File::open(path) {
        Ok(handle) => BufReader::with_capacity(64 * 1024, handle),
        Err(err) => return sink.skipped(io_problem(path, &err)),
    };
    match reader.fill_buf() {
        Ok(head) if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) => {
            return sink.skipped(Problem::new(
                path,
                None,
                "UTF-16 JSON Lines files are not supported; convert the file to UTF-8",
            ));
        }
        Ok(head) if head.get(..BINARY_SNIFF_BYTES).unwrap_or(head).contains(&0) => {
            return sink.skipped(Problem::new(path, None, "binary file"));
        }
        Ok(_) => {}
        Err(err) => return sink.skipped(io_problem(path, &err)),
    }
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut any_record = false;
    let mut legacy_lines = 0u64;
    let mut fallbacks = BodyFallbacks::default();
    loop {
        let read = match read_bounded_line(&mut reader, &mut buf, options.max_bytes) {
            Ok(read) => read,
            Err(err) => {
                let mut problem = io_problem(path, &err);
                problem.line = Some(line_no + 1);
                sink.skipped(problem);
                break;
            }
        };
        line_no += 1;
        match read {
            LineRead::Eof => break,
            LineRead::TooLong(size) => {
                any_record = true;
                sink.skipped(Problem::new(
                    path,
                    Some(line_no),
                    format!(
                        "line is {}, over the limit of {} (raise it with --max-file-size)",
                        human_size(size),
                        human_size(options.max_bytes)
                    ),
                ));
            }
            LineRead::Line => {
                let mut bytes = buf.as_slice();
                if line_no == 1 {
                    bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
                }
                let (text, warning) = decode_unmarked(bytes);
                let text = text.trim();
                if text.is_empty() {
                    continue;
                }
                any_record = true;
                if let Some(warning) = warning {
                    legacy_lines += 1;
                    if legacy_lines == 1 {
                        sink.warning(Problem::new(path, Some(line_no), warning));
                    }
                }
                read_line_record(path, text, line_no, options, &mut fallbacks, sink);
            }
        }
    }
    fallbacks.report(path, options, sink);
    if legacy_lines > 1 {
        sink.warning(Problem::new(
            path,
            None,
            format!("{legacy_lines} lines were not valid UTF-8; they were decoded as Windows-1252"),
        ));
    }
    if !any_record {
        sink.skipped(Problem::new(path, None, "empty file"));
    }
}

fn read_line_record(
    path: &Path,
    text: &str,
    line: u64,
    options: &ReadOptions,
    fallbacks: &mut BodyFallbacks,
    sink: &mut dyn DocSink,
) {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(record)) => emit_record(
            path,
            &record,
            Position::Line(line),
            options,
            fallbacks,
            sink,
        ),
        Ok(other) => sink.skipped(Problem::new(
            path,
            Some(line),
            format!("line holds {}, not an object", kind_of(&other)),
        )),
        Err(err) => {
            // serde_json appends "at line 1 column N"; within one line only the column helps.
            let message = err.to_string();
            let suffix = format!(" at line {} column {}", err.line(), err.column());
            let message = message.strip_suffix(&suffix).unwrap_or(&message);
            sink.skipped(Problem::new(
                path,
                Some(line),
                format!("not valid JSON: {message} at column {}", err.column()),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{read_bytes, read_one};
    use super::*;

    #[test]
    fn jsonl_broken_line_in_the_middle() {
        let text = "{\"title\":\"Uno\",\"body\":\"a\"}\r\n\n{\"title\": \"Dos\", oops}\n{\"id\": 7, \"text\":\"tres\"}\n[1]\n";
        let sink = read_one("a.jsonl", text.as_bytes());
        assert_eq!(sink.docs.len(), 2);
        assert_eq!(sink.docs[0].title.as_deref(), Some("Uno"));
        assert_eq!(sink.docs[0].line, Some(1));
        assert!(sink.docs[0].id.ends_with("#L1"));
        assert_eq!(sink.docs[1].id, "7");
        assert_eq!(sink.docs[1].line, Some(4));
        assert_eq!(sink.docs[1].body, "tres");
        assert_eq!(sink.skipped.len(), 2);
        assert_eq!(sink.skipped[0].line, Some(3));
        assert!(
            sink.skipped[0]
                .reason
                .starts_with("not valid JSON: key must be a string at column"),
            "{}",
            sink.skipped[0].reason
        );
        assert_eq!(sink.skipped[1].line, Some(5));
        assert_eq!(sink.skipped[1].reason, "line holds an array, not an object");
    }

    #[test]
    fn jsonl_long_line_is_skipped_and_reading_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let options = ReadOptions {
            max_bytes: 100,
            ..ReadOptions::default()
        };
        let long = format!("{{\"title\":\"{}\"}}", "x".repeat(300_000));
        let text = format!("{{\"title\":\"a\"}}\n{long}\n{{\"title\":\"b\"}}");
        let sink = read_bytes(&dir, "a.ndjson", text.as_bytes(), &options);
        let titles: Vec<_> = sink
            .docs
            .iter()
            .filter_map(|d| d.title.as_deref())
            .collect();
        assert_eq!(titles, ["a", "b"]);
        assert_eq!(sink.docs[1].line, Some(3));
        assert_eq!(sink.skipped[0].line, Some(2));
        assert!(
            sink.skipped[0]
                .reason
                .starts_with("line is 293 KiB, over the limit of 100 bytes"),
            "{}",
            sink.skipped[0].reason
        );
    }

    #[test]
    fn bounded_line_reader_edges() {
        let mut reader = BufReader::with_capacity(4, &b"abc\nabcd\nabcde\nxy"[..]);
        let mut buf = Vec::new();
        let mut got = Vec::new();
        loop {
            let read = read_bounded_line(&mut reader, &mut buf, 4).unwrap();
            if read == LineRead::Eof {
                break;
            }
            got.push((read, String::from_utf8_lossy(&buf).into_owned()));
        }
        assert_eq!(
            got,
            vec![
                (LineRead::Line, "abc\n".to_owned()),
                (LineRead::Line, "abcd\n".to_owned()),
                (LineRead::TooLong(6), String::new()),
                (LineRead::Line, "xy".to_owned()),
            ]
        );
    }

    #[test]
    fn jsonl_legacy_line_warns_and_reads() {
        let sink = read_one("a.jsonl", b"{\"title\":\"caf\xE9\"}\n{\"title\":\"ok\"}\n");
        assert_eq!(sink.docs[0].title.as_deref(), Some("café"));
        assert_eq!(sink.warnings.len(), 1);
        assert_eq!(sink.warnings[0].line, Some(1));
        assert_eq!(
            sink.warnings[0].reason,
            "not valid UTF-8; decoded as Windows-1252"
        );
    }

    #[test]
    fn jsonl_empty_binary_and_bom() {
        assert_eq!(
            read_one("a.jsonl", b"\n \n").skipped[0].reason,
            "empty file"
        );
        assert_eq!(
            read_one("a.jsonl", b"{\"a\":\x00}").skipped[0].reason,
            "binary file"
        );
        let bom = read_one("a.jsonl", b"\xEF\xBB\xBF{\"title\":\"t\"}");
        assert_eq!(bom.docs[0].title.as_deref(), Some("t"));
    }

    #[test]
    fn json_array_streams_items_and_reports_bad_ones() {
        let text = r#"[{"headline":"A","content":"x","category":"tech","pages":3},
            42, {"note":"no text"}, {"_id":"abc","title":"C"}]"#;
        let sink = read_one("a.json", text.as_bytes());
        assert_eq!(sink.docs.len(), 2);
        assert_eq!(sink.docs[0].title.as_deref(), Some("A"));
        assert_eq!(sink.docs[0].line, Some(1));
        assert!(sink.docs[0].id.ends_with("#1"));
        assert_eq!(sink.docs[0].tags, vec!["tech"]);
        assert_eq!(
            sink.docs[0].metadata,
            vec![("pages".to_owned(), "3".to_owned())]
        );
        assert_eq!(sink.docs[1].id, "abc");
        assert_eq!(sink.docs[1].line, Some(4));
        assert_eq!(
            sink.skipped[0].reason,
            "item 2 of the array is a number, not an object"
        );
        assert_eq!(
            sink.skipped[1].reason,
            "item 3 of the array has no title or text (map a field with --field body=KEY)"
        );
    }

    #[test]
    fn json_single_object_and_errors() {
        let one = read_one("a.json", br#"{"title":"Solo","text":"cuerpo"}"#);
        assert_eq!(one.docs[0].line, None);
        assert_eq!(one.docs[0].id.len(), 16);
        let broken = read_one("b.json", b"{\"title\":\n\"x\",,}");
        assert!(broken.docs.is_empty());
        assert_eq!(broken.skipped[0].line, Some(2));
        assert!(broken.skipped[0].reason.starts_with("not valid JSON: "));
        let lines = read_one("c.json", b"{\"title\":\"a\"}\n{\"title\":\"b\"}\n");
        assert!(
            lines.skipped[0]
                .reason
                .ends_with("rename the file to .jsonl)"),
            "{}",
            lines.skipped[0].reason
        );
        let scalar = read_one("d.json", b"\"just a string\"");
        assert!(scalar.skipped[0].reason.starts_with("not a JSON object"));
    }

    #[test]
    fn field_override_is_used() {
        let dir = tempfile::tempdir().unwrap();
        let mut options = ReadOptions::default();
        options.fields.set_override("body=cuerpo").unwrap();
        options.fields.set_override("tags=lugares").unwrap();
        let text =
            r#"{"titulo":"T","cuerpo":"texto","text":"otro","lugares":["Taiwán"]}"#.as_bytes();
        let sink = read_bytes(&dir, "a.json", text, &options);
        assert_eq!(sink.docs[0].body, "texto");
        assert_eq!(sink.docs[0].tags, vec!["Taiwán"]);
        let plain = read_bytes(&dir, "a.json", br#"{"titulo":"T"}"#, &options);
        assert_eq!(
            plain.skipped[0].reason,
            "record has no title or text (map a field with --field body=KEY)"
        );
    }

    #[test]
    fn long_unmapped_text_is_the_body_with_one_warning_per_file() {
        let long = "Long abstract text. ".repeat(12);
        let text = format!(
            "{{\"title\":\"A\",\"abstract\":\"{long}\"}}\n{{\"title\":\"B\",\"abstract\":\"{long}\",\"n\":1}}\n{{\"title\":\"C\",\"body\":\"own\"}}\n"
        );
        let sink = read_one("fr.jsonl", text.as_bytes());
        assert_eq!(sink.docs.len(), 3);
        assert_eq!(sink.docs[0].body, long.trim());
        assert_eq!(sink.docs[2].body, "own");
        assert_eq!(
            sink.docs[1].metadata,
            vec![("n".to_owned(), "1".to_owned())]
        );
        assert_eq!(sink.warnings.len(), 1, "{:?}", sink.warnings);
        assert_eq!(sink.warnings[0].line, None);
        assert!(
            sink.warnings[0]
                .reason
                .starts_with("2 records had no text under the body keys (body, text,"),
            "{}",
            sink.warnings[0].reason
        );
        assert!(sink.warnings[0].reason.ends_with(
            "`abstract` was used instead; make this explicit with --field body=abstract"
        ));

        let array = format!("[{{\"id\":\"x\",\"abstract\":\"{long}\"}}]");
        let sink = read_one("fr.json", array.as_bytes());
        assert_eq!(sink.docs[0].body, long.trim());
        assert_eq!(sink.warnings.len(), 1);
        // Array items have positions, not lines; the message is about the file.
        assert_eq!(sink.warnings[0].line, None);
        assert!(sink.warnings[0].reason.starts_with("1 record had no text"));
    }

    #[test]
    fn ids_are_stable_across_reads() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"{\"title\":\"a\"}\n{\"title\":\"b\"}\n";
        let options = ReadOptions::default();
        let first = read_bytes(&dir, "a.jsonl", text, &options);
        let second = read_bytes(&dir, "a.jsonl", text, &options);
        let ids = |sink: &super::super::testutil::Collect| {
            sink.docs.iter().map(|d| d.id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(ids(&first), ids(&second));
        assert_ne!(first.docs[0].id, first.docs[1].id);
    }
}

//! Reads `.json` (one object or an array of objects) and `.jsonl` / `.ndjson` (one object
//! per line). Records stream into the sink one at a time; a bad record or line is reported
//! with its position and costs nothing else.

use std::fmt;
use std::io::{BufRead, ErrorKind, Read};
use std::path::Path;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::decode::{decode_unmarked, BINARY_SNIFF_BYTES};
use super::fields::{map_record, unmapped_long_text, Field, TagStrings};
use super::{human_size, io_problem, io_problem_at, path_id, DocSink, Problem, ReadOptions};
use crate::document::SourceDoc;

/// Where a record sits in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Position {
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
pub(super) struct BodyFallbacks {
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
    pub(super) fn report(self, path: &Path, options: &ReadOptions, sink: &mut dyn DocSink) {
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

/// Records of one file that were not valid UTF-8: the first is named by its line, the rest
/// counted in one warning at the end.
#[derive(Debug)]
pub(super) struct LegacyRecords {
    /// What a record is called in the count: "lines", "rows".
    pub noun: &'static str,
    pub count: u64,
}

impl LegacyRecords {
    pub(super) fn note(&mut self, path: &Path, line: u64, warning: &str, sink: &mut dyn DocSink) {
        self.count += 1;
        if self.count == 1 {
            sink.warning(Problem::new(path, Some(line), warning));
        }
    }

    pub(super) fn report(self, path: &Path, sink: &mut dyn DocSink) {
        if self.count > 1 {
            sink.warning(Problem::new(
                path,
                None,
                format!(
                    "{} {} were not valid UTF-8; they were decoded as Windows-1252",
                    self.count, self.noun
                ),
            ));
        }
    }
}

/// Turns one record into a document, or reports why it cannot be one.
pub(super) fn emit_record(
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
        mail: false,
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
fn read_bounded_line<R: BufRead + ?Sized>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    max: u64,
) -> std::io::Result<LineRead> {
    buf.clear();
    let read = (&mut *reader)
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
pub(crate) fn read_lines(
    path: &Path,
    reader: &mut dyn BufRead,
    options: &ReadOptions,
    sink: &mut dyn DocSink,
) {
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
    let mut legacy = LegacyRecords {
        noun: "lines",
        count: 0,
    };
    let mut fallbacks = BodyFallbacks::default();
    loop {
        let read = match read_bounded_line(reader, &mut buf, options.max_bytes) {
            Ok(read) => read,
            Err(err) => {
                sink.skipped(io_problem_at(path, &err, line_no + 1));
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
                    legacy.note(path, line_no, warning, sink);
                }
                read_line_record(path, text, line_no, options, &mut fallbacks, sink);
            }
        }
    }
    fallbacks.report(path, options, sink);
    legacy.report(path, sink);
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
mod tests;

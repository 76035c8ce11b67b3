//! Reads `.csv` and `.tsv` files with a header row, as Media Cloud and GDELT export them: each
//! row a document, its columns mapped to document fields by the same `--field` mapping as JSON
//! records (the row becomes a record keyed by the header). Rows stream one at a time, so memory
//! stays flat on a large file; a bad row is reported with its line and costs nothing else.
//!
//! The `csv` crate does the quoting rules of RFC 4180 (quoted fields over several lines,
//! doubled quotes), which a split on commas gets wrong.

use std::io::BufRead;
use std::path::Path;

use serde_json::{Map, Value};

use super::decode::{decode_unmarked, BINARY_SNIFF_BYTES};
use super::fields::FieldMap;
use super::json::{emit_record, BodyFallbacks, LegacyRecords, Position};
use super::{human_size, io_problem, DocSink, Problem, ReadOptions};

/// The record key for a header cell: as written, unless only its lower-case form is one the map
/// knows (GDELT writes `Date`, `Title`, `URL`), so that the defaults apply to either spelling.
fn header_key(cell: &str, fields: &FieldMap) -> String {
    let cell = cell.trim();
    let lower = cell.to_lowercase();
    let known = |key: &str| {
        super::Field::ALL
            .into_iter()
            .any(|field| fields.keys(field).iter().any(|mapped| mapped == key))
    };
    if !known(cell) && known(&lower) {
        lower
    } else {
        cell.to_owned()
    }
}

/// Reads a header row and then every row as a document. `delimiter` is `,` or `\t`; tab-separated
/// files are read without quoting, as GDELT writes them (a `"` there is part of the text).
pub(crate) fn read_csv(
    path: &Path,
    reader: &mut dyn BufRead,
    delimiter: u8,
    options: &ReadOptions,
    sink: &mut dyn DocSink,
) {
    match reader.fill_buf() {
        Ok(head) if head.get(..BINARY_SNIFF_BYTES).unwrap_or(head).contains(&0) => {
            return sink.skipped(Problem::new(
                path,
                None,
                "binary file (or UTF-16, which is not supported: convert it to UTF-8)",
            ));
        }
        Ok(head) if head.starts_with(b"\xEF\xBB\xBF") => reader.consume(3),
        Ok(_) => {}
        Err(err) => return sink.skipped(io_problem(path, &err)),
    }
    let mut csv = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(delimiter != b'\t')
        .flexible(false)
        .from_reader(reader);
    let headers: Vec<String> = match csv.byte_headers() {
        Ok(headers) if headers.iter().any(|cell| !cell.is_empty()) => headers
            .iter()
            .map(|cell| header_key(&decode_unmarked(cell).0, &options.fields))
            .collect(),
        Ok(_) => return sink.skipped(Problem::new(path, None, "empty file")),
        Err(err) => return sink.skipped(csv_problem(path, &err)),
    };
    let mut fallbacks = BodyFallbacks::default();
    let mut row = ::csv::ByteRecord::new();
    let mut legacy = LegacyRecords {
        noun: "rows",
        count: 0,
    };
    loop {
        match csv.read_byte_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => {
                let fatal = matches!(err.kind(), ::csv::ErrorKind::Io(_));
                sink.skipped(csv_problem(path, &err));
                if fatal {
                    break;
                }
                continue;
            }
        }
        let line = row.position().map_or(0, ::csv::Position::line);
        let size = row.as_slice().len() as u64;
        if size > options.max_bytes {
            sink.skipped(Problem::new(
                path,
                Some(line),
                format!(
                    "row is {}, over the limit of {} (raise it with --max-file-size)",
                    human_size(size),
                    human_size(options.max_bytes)
                ),
            ));
            continue;
        }
        let mut record = Map::new();
        let mut legacy_warning = None;
        for (key, cell) in headers.iter().zip(row.iter()) {
            let (text, warning) = decode_unmarked(cell);
            legacy_warning = legacy_warning.or(warning);
            if !text.trim().is_empty() && !key.is_empty() {
                record.insert(key.clone(), Value::String(text));
            }
        }
        if let Some(warning) = legacy_warning {
            legacy.note(path, line, warning, sink);
        }
        emit_record(
            path,
            &record,
            Position::Line(line),
            options,
            &mut fallbacks,
            sink,
        );
    }
    fallbacks.report(path, options, sink);
    legacy.report(path, sink);
}

/// One line for a row the csv crate could not read.
fn csv_problem(path: &Path, err: &::csv::Error) -> Problem {
    let line = err.position().map(::csv::Position::line);
    match err.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Problem::new(
            path,
            line,
            format!(
                "row has {len} fields where the header has {expected_len}; check its quotes \
                 and delimiters"
            ),
        ),
        ::csv::ErrorKind::Io(io) => {
            let mut problem = io_problem(path, io);
            problem.line = line;
            problem
        }
        _ => Problem::new(path, line, format!("not valid CSV: {err}")),
    }
}

#[cfg(test)]
mod tests {
    use crate::corpus::testutil::read_one;

    #[test]
    fn media_cloud_rows_are_documents_and_a_bad_row_costs_itself() {
        let csv = "id,publish_date,title,url,language,media_name\n\
                   101,2025-05-15 10:00:00,\"Tencent, chips y reservas\",https://a.example/1,es,Diario Uno\n\
                   102,2025-05-16,Solo dos,campos\n\
                   103,2025-05-17,\"Una línea\nen dos\",https://a.example/3,es,Diario Dos\n";
        let sink = read_one("export.csv", csv.as_bytes());
        assert_eq!(sink.docs.len(), 2, "{sink:?}");
        let first = &sink.docs[0];
        assert_eq!(first.id, "101");
        assert_eq!(first.title.as_deref(), Some("Tencent, chips y reservas"));
        assert_eq!(first.date_raw.as_deref(), Some("2025-05-15 10:00:00"));
        assert_eq!(first.source.as_deref(), Some("Diario Uno"));
        assert_eq!(first.lang.as_deref(), Some("es"));
        assert_eq!(first.line, Some(2));
        assert_eq!(sink.docs[1].line, Some(4));
        assert_eq!(sink.skipped.len(), 1);
        assert_eq!(sink.skipped[0].line, Some(3));
        assert_eq!(
            sink.skipped[0].reason,
            "row has 4 fields where the header has 6; check its quotes and delimiters"
        );
    }

    #[test]
    fn gdelt_tsv_headers_match_in_any_case() {
        let tsv = "URL\tDate\tTitle\n\
                   https://b.example/x\t20250515T101500Z\tChip \"curbs\" widen\n";
        let sink = read_one("gdelt.tsv", tsv.as_bytes());
        assert_eq!(sink.docs.len(), 1, "{sink:?}");
        let doc = &sink.docs[0];
        assert_eq!(doc.title.as_deref(), Some("Chip \"curbs\" widen"));
        assert_eq!(doc.url.as_deref(), Some("https://b.example/x"));
        assert_eq!(doc.date_raw.as_deref(), Some("20250515T101500Z"));
        assert!(doc.id.ends_with("#L2"), "{}", doc.id);
    }

    #[test]
    fn a_header_alone_is_no_document() {
        let sink = read_one("empty.csv", b"");
        assert_eq!(sink.skipped[0].reason, "empty file");
        let header = read_one("header.csv", b"title,body\n");
        assert!(header.docs.is_empty() && header.skipped.is_empty());
    }
}

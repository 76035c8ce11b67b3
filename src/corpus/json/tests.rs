//! Unit tests of the JSON and JSON Lines readers.

use super::super::testutil::{read_bytes, read_one};
use super::*;
use std::io::BufReader;

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
    let text = r#"{"titulo":"T","cuerpo":"texto","text":"otro","lugares":["Taiwán"]}"#.as_bytes();
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
    assert!(sink.warnings[0]
        .reason
        .ends_with("`abstract` was used instead; make this explicit with --field body=abstract"));

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

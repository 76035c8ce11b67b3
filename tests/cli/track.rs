//! `track`: new documents of a topic are shown once, then nothing, then only what a later index
//! run added; copies of one story appear once; exit codes tell the three cases apart.

use serde_json::Value;

use crate::support::{article, assert_one_line_error, Workspace};

const WIRE: &str = "Dockworkers went on strike at the port over wages; the union said cranes at \
                    the container terminal will stay idle until the employers raise the wage offer \
                    for all shifts and all terminals.";

fn track(ws: &Workspace, args: &[&str]) -> (Value, i32) {
    let mut all = vec!["track", "--json"];
    all.extend_from_slice(args);
    let output = ws.run(&all);
    let report = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (report, output.status.code().unwrap_or(-1))
}

#[test]
fn new_documents_are_shown_once_then_only_what_a_later_run_added() {
    let ws = Workspace::new();
    ws.write(
        "a.md",
        article("Strike at the port", "2025-04-01", "en", WIRE),
    );
    ws.write(
        "b.md",
        format!("---\ntitle: \"Port workers walk out\"\nsource: Other Wire\ndate: 2025-04-01\n---\n\n{WIRE}\n"),
    );
    ws.write(
        "c.md",
        article(
            "Olive harvest",
            "2025-04-01",
            "en",
            "The olive harvest is early.",
        ),
    );
    ws.index_corpus();
    let output = ws.run(&["track"]);
    assert_one_line_error(&output, "no topics of your own", "track without topics");

    ws.json(&[
        "topic",
        "add",
        "strikes",
        "--query",
        "strike OR wages",
        "--json",
    ]);
    let (first, code) = track(&ws, &[]);
    assert_eq!(code, 0, "{first}");
    let topic = &first["topics"][0];
    assert_eq!(topic["new"], 2, "{first}");
    // The two copies of the wire story are one story.
    let stories = topic["stories"].as_array().expect("stories");
    assert_eq!(stories.len(), 1, "{first}");
    assert_eq!(
        stories[0]["also_in"].as_array().map(Vec::len),
        Some(1),
        "{first}"
    );
    assert!(stories[0]["why"]
        .to_string()
        .contains("query: strike OR wages"));

    let (again, code) = track(&ws, &[]);
    assert_eq!(code, 3, "nothing new: {again}");
    assert_eq!(again["topics"][0]["new"], 0);

    // The stamps are whole seconds: the next run must start in a later one.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    ws.write(
        "d.md",
        article(
            "Airport strike",
            "2025-03-01",
            "en",
            "A strike closed the airport for a day.",
        ),
    );
    ws.index_corpus();
    let (peeked, code) = track(&ws, &["--peek"]);
    assert_eq!(code, 0, "{peeked}");
    assert_eq!(peeked["topics"][0]["new"], 1, "{peeked}");
    assert_eq!(peeked["topics"][0]["stories"][0]["title"], "Airport strike");
    // A peek moved nothing; --quiet prints nothing and says it by the exit code.
    let quiet = ws.run(&["track", "--quiet"]);
    assert_eq!(quiet.status.code(), Some(0));
    assert!(quiet.stdout.is_empty());
    let (after, code) = track(&ws, &[]);
    assert_eq!(code, 3, "{after}");
    // --since looks back without moving the checkpoint.
    let (back, code) = track(&ws, &["--since", "1d"]);
    assert_eq!(code, 0, "{back}");
    assert_eq!(back["topics"][0]["new"], 3, "{back}");
    let (after, code) = track(&ws, &[]);
    assert_eq!(code, 3, "{after}");

    let output = ws.run(&["track", "--since", "soon"]);
    assert_one_line_error(&output, "--since", "a bad --since");
    let output = ws.run(&["track", "nosuchtopic"]);
    assert_one_line_error(&output, "nosuchtopic", "an unknown topic");
}

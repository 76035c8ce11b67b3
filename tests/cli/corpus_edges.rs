//! Corpus shapes that used to lose or double documents without a word: JSON text held in
//! arrays or under an unmapped key, files reached twice through symbolic links, and a
//! topictrack index folder lying inside the corpus.

use assert_cmd::Command;
use serde_json::Value;

use crate::support::{article, path_str, stderr, Workspace};

/// The notices of `kind` (`skipped` or `warnings`) in an `index --json` report.
fn notices<'a>(report: &'a Value, kind: &str) -> Vec<&'a Value> {
    report[kind]
        .as_array()
        .map(|all| all.iter().collect())
        .unwrap_or_default()
}

fn reason(notice: &Value) -> &str {
    notice["reason"].as_str().unwrap_or_default()
}

/// The `path` of every hit of a search, as the index stored it.
fn hit_paths(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter_map(|hit| hit["path"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn json_body_given_as_an_array_of_paragraphs_is_indexed() {
    let ws = Workspace::new();
    ws.write(
        "news/arrays.json",
        r#"{"title": "Paragraphs", "date": "2025-03-01",
            "body": ["The first paragraph names a zeppelin.", "The second names a quokka."]}"#,
    );
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["added"], 1, "{report}");
    for word in ["zeppelin", "quokka"] {
        let results = ws.search(word, &[]);
        assert_eq!(
            results["total"], 1,
            "{word} not found in the body: {results}"
        );
    }
}

#[test]
fn long_text_under_an_unmapped_key_becomes_the_body_with_one_warning_per_file() {
    let ws = Workspace::new();
    let abstract_text = |n: usize| {
        format!(
            "In this rule number {n} the bureau amends the regulations on the export of \
             advanced computing items and adds a licence requirement for the wombat \
             accelerator family to all destinations, so that the items cannot reach a \
             military end use; the rule takes effect on publication."
        )
    };
    let lines: Vec<String> = (1..=3)
        .map(|n| {
            serde_json::json!({
                "id": format!("fr-{n}"),
                "date": "2025-01-0{n}",
                "title": format!("Rule {n}"),
                "abstract": abstract_text(n),
                "note": "a short aardvark note",
            })
            .to_string()
        })
        .collect();
    ws.write("fr/rules.jsonl", lines.join("\n"));
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["added"], 3, "{report}");

    assert_eq!(ws.search("wombat", &[])["total"], 3, "abstract not indexed");
    // Short strings are metadata, not text: only the long field is taken as the body.
    assert_eq!(ws.search("aardvark", &[])["total"], 0);

    let warnings = notices(&report, "warnings");
    let about_body: Vec<_> = warnings
        .iter()
        .filter(|notice| reason(notice).contains("abstract"))
        .collect();
    assert_eq!(about_body.len(), 1, "one warning per file: {report}");
    let notice = about_body[0];
    assert!(
        notice["path"]
            .as_str()
            .is_some_and(|path| path.ends_with("rules.jsonl")),
        "{notice}"
    );
    assert!(
        reason(notice).contains("--field body=abstract"),
        "the warning must name the flag that makes it explicit: {notice}"
    );
}

#[cfg(unix)]
#[test]
fn symlinked_files_and_folders_are_indexed_once() {
    use std::os::unix::fs::symlink;
    let ws = Workspace::new();
    ws.write(
        "a/in.txt",
        "Real file\n\nThe only copy of the platypus story.\n",
    );
    std::fs::create_dir_all(ws.corpus().join("b")).expect("folder created");
    symlink("../a/in.txt", ws.corpus().join("b/link.txt")).expect("file link made");
    symlink("a", ws.corpus().join("c")).expect("folder link made");

    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["added"], 1, "{report}");
    assert_eq!(report["documents"], 1, "{report}");

    let results = ws.search("platypus", &[]);
    assert_eq!(results["total"], 1, "{results}");
    // The first path of a sorted walk wins: a/in.txt before b/link.txt and c/in.txt.
    let paths = hit_paths(&results);
    assert!(
        paths.iter().all(|path| path.ends_with("a/in.txt")),
        "{paths:?}"
    );

    let (again, code) = ws.index_corpus();
    assert_eq!(code, 0, "{again}");
    assert_eq!(again["unchanged"], 1, "{again}");
    assert_eq!(again["documents"], 1, "{again}");
}

#[test]
fn a_topictrack_index_inside_the_corpus_is_not_walked() {
    let ws = Workspace::new();
    ws.write(
        "articles/one.md",
        article("One", "2025-01-10", "en", "Chips ship."),
    );
    ws.write(
        "articles/two.md",
        article("Two", "2025-01-11", "en", "More chips ship."),
    );
    // An index someone built inside the corpus folder, and not the one this workspace uses.
    let inner = ws.corpus().join("old-index");
    let built = Command::cargo_bin("topictrack")
        .expect("binary built")
        .env_remove("TOPICTRACK_INDEX")
        .arg("--index")
        .arg(&inner)
        .arg("index")
        .arg(ws.corpus().join("articles"))
        .output()
        .expect("binary ran");
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(inner.join("topictrack.json").exists());
    assert!(inner.join("meta.json").exists());

    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert!(notices(&report, "skipped").is_empty(), "{report}");
    assert_eq!(report["added"], 2, "{report}");

    // Named on its own, the index folder is refused with a reason, not read as articles.
    let named = ws.run(&["index", path_str(&inner), "--json"]);
    assert_eq!(named.status.code(), Some(2), "{}", stderr(&named));
    let named: Value = serde_json::from_slice(&named.stdout).expect("index printed JSON");
    let skipped = notices(&named, "skipped");
    assert_eq!(skipped.len(), 1, "{named}");
    assert!(
        reason(skipped[0]).contains("topictrack index"),
        "{}",
        skipped[0]
    );
    assert_eq!(named["documents"], 2, "{named}");
}

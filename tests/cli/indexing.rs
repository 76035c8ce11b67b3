//! Indexing folders: formats, counts, incremental runs and bad files.

use crate::support::{self, article, path_str, sample_corpus, stderr, Workspace};

#[test]
fn sample_corpus_has_both_languages_and_every_document_is_counted() {
    let ws = Workspace::new();
    let corpus = sample_corpus();
    let report = ws.json(&["index", path_str(&corpus), "--json"]);
    let added = report["added"].as_u64().expect("added count");
    assert!(added >= 60, "sample corpus gave only {added} documents");
    assert_eq!(
        report["skipped"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );

    let stats = ws.json(&["stats", "--json"]);
    assert_eq!(stats["documents"].as_u64(), Some(added));
    let spanish = stats["languages"]["es"].as_u64().unwrap_or(0);
    let english = stats["languages"]["en"].as_u64().unwrap_or(0);
    assert!(spanish >= 25, "{stats}");
    assert!(english >= 25, "{stats}");
    let by_language: u64 = stats["languages"]
        .as_object()
        .expect("languages object")
        .values()
        .filter_map(|count| count.as_u64())
        .sum();
    assert_eq!(by_language, added);
    assert!(
        stats["first_date"].as_str().unwrap_or("") >= "2022-01-01",
        "{stats}"
    );
    assert!(
        stats["last_date"].as_str().unwrap_or("") <= "2026-12-31",
        "{stats}"
    );
}

#[test]
fn every_format_becomes_documents_with_titles_dates_and_tags() {
    let ws = Workspace::new();
    ws.write(
        "md/chips.md",
        article(
            "Chip curbs widen",
            "2025-05-15",
            "en",
            "Export controls on Nvidia chips widened again.",
        ),
    );
    ws.write(
        "toml.md",
        "+++\ntitle = \"Fábricas de chips\"\ndate = \"2024-03-02\"\ntags = [\"industria\"]\n+++\nLas fábricas de semiconductores crecen en Taiwán.\n",
    );
    ws.write(
        "plain.txt",
        "Harvest report\n\nOlive growers in Jaén finished the harvest on 3 March 2024 with record yields.\n",
    );
    ws.write(
        "page.html",
        "<html lang=\"en\"><head><title>Data centres</title><meta property=\"article:published_time\" content=\"2023-07-01T10:00:00Z\"><script>var junk = 'scriptword';</script></head><body><nav>Menu</nav><article><p>New data centres need power.</p></article></body></html>",
    );
    ws.write(
        "feed.json",
        r#"[{"id": "j-1", "headline": "Array one", "text": "First record text.", "published": "2022-01-10", "category": "tech"},
            {"id": "j-2", "headline": "Array two", "text": "Second record text.", "published": "2022-01-11"}]"#,
    );
    ws.write(
        "lines.jsonl",
        "{\"id\": \"l-1\", \"title\": \"Line one\", \"body\": \"Line body one.\", \"date\": \"2021-06-01\", \"tags\": [\"trade\"]}\n{\"id\": \"l-2\", \"title\": \"Line two\", \"body\": \"Line body two.\", \"date\": \"2021-06-02\", \"section\": \"markets\"}\n",
    );
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["added"].as_u64(), Some(8), "{report}");

    let all = ws.search("*", &[]);
    assert_eq!(all["total"].as_u64(), Some(8));
    let dates: Vec<&str> = all["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|hit| hit["date"].as_str())
        .collect();
    for expected in [
        "2025-05-15",
        "2024-03-02",
        "2024-03-03",
        "2023-07-01",
        "2022-01-10",
        "2021-06-02",
    ] {
        assert!(
            dates.contains(&expected),
            "{expected} missing from {dates:?}"
        );
    }
    assert_eq!(
        ws.search("scriptword", &[])["total"].as_u64(),
        Some(0),
        "script text was indexed"
    );
    assert_eq!(
        ws.search("*", &["--tag", "trade"])["total"].as_u64(),
        Some(1)
    );
    assert_eq!(
        ws.search("*", &["--tag", "markets"])["total"].as_u64(),
        Some(1)
    );
    assert_eq!(
        ws.search("*", &["--tag", "tech"])["total"].as_u64(),
        Some(1)
    );
    assert_eq!(
        ws.search("*", &["--tag", "industria"])["total"].as_u64(),
        Some(1)
    );
    let titles = support::titles(&ws.search("*", &[]));
    assert!(titles.contains(&"Harvest report".to_string()), "{titles:?}");
    assert!(titles.contains(&"Data centres".to_string()), "{titles:?}");
}

#[test]
fn incremental_runs_skip_update_and_remove_without_duplicates() {
    let ws = Workspace::new();
    for n in 0..4 {
        ws.write(
            &format!("a{n}.md"),
            article(
                &format!("Story {n}"),
                "2025-01-0{n}",
                "en",
                "Semiconductor news of the day.",
            ),
        );
    }
    ws.write(
        "b.jsonl",
        "{\"id\": \"r1\", \"title\": \"R1\", \"body\": \"Record one\"}\n{\"id\": \"r2\", \"title\": \"R2\", \"body\": \"Record two\"}\n",
    );
    let (first, _) = ws.index_corpus();
    assert_eq!(first["added"].as_u64(), Some(6), "{first}");

    let (again, code) = ws.index_corpus();
    assert_eq!(code, 0);
    assert_eq!(again["unchanged"].as_u64(), Some(6), "{again}");
    assert_eq!(again["added"].as_u64(), Some(0), "{again}");
    assert_eq!(again["updated"].as_u64(), Some(0), "{again}");

    ws.write(
        "a1.md",
        article(
            "Story 1 revised",
            "2025-01-01",
            "en",
            "Semiconductor news, revised.",
        ),
    );
    let (edited, _) = ws.index_corpus();
    assert_eq!(edited["updated"].as_u64(), Some(1), "{edited}");
    assert_eq!(edited["unchanged"].as_u64(), Some(5), "{edited}");
    assert_eq!(ws.search("revised", &[])["total"].as_u64(), Some(1));

    std::fs::remove_file(ws.corpus().join("a2.md")).expect("removed");
    let (removed, _) = ws.index_corpus();
    assert_eq!(removed["removed"].as_u64(), Some(1), "{removed}");

    let stats = ws.json(&["stats", "--json"]);
    assert_eq!(stats["documents"].as_u64(), Some(5), "{stats}");
    assert_eq!(ws.search("semiconductor", &[])["total"].as_u64(), Some(3));
}

#[test]
fn bad_files_are_reported_and_the_good_ones_indexed() {
    let ws = Workspace::new();
    ws.write(
        "good.md",
        article(
            "Good one",
            "2025-02-01",
            "en",
            "A perfectly fine report about chips.",
        ),
    );
    ws.write(
        "binary.txt",
        [0x89u8, b'P', b'N', b'G', 0, 0, 0, 13, 0, 1, 2, 3],
    );
    ws.write("empty.md", "");
    ws.write(
        "latin1.txt",
        b"Informe de exportaci\xf3n\n\nEl gobierno anunci\xf3 nuevas reglas de exportaci\xf3n.\n",
    );
    ws.write(
        "broken.jsonl",
        "{\"id\": \"ok-1\", \"title\": \"Fine line\", \"body\": \"First\"}\n{\"id\": \"bad\", \"title\": oops}\n{\"id\": \"ok-3\", \"title\": \"Third line\", \"body\": \"Third\"}\n",
    );
    ws.write(
        "unclosed.md",
        "---\ntitle: never closed\ndate: 2025-01-01\n\nBody without the closing line.\n",
    );
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 2, "skipped files must give exit code 2: {report}");
    assert_eq!(report["added"].as_u64(), Some(4), "{report}");

    let skipped = report["skipped"].as_array().expect("skipped list");
    let reason_for = |name: &str| -> String {
        skipped
            .iter()
            .find(|item| {
                item["path"]
                    .as_str()
                    .is_some_and(|path| path.ends_with(name))
            })
            .and_then(|item| item["reason"].as_str())
            .unwrap_or_else(|| panic!("{name} not reported in {report}"))
            .to_string()
    };
    assert!(reason_for("binary.txt").contains("binary"));
    assert!(reason_for("empty.md").contains("empty"));
    assert!(reason_for("unclosed.md").contains("front matter"));
    let broken = skipped
        .iter()
        .find(|item| {
            item["path"]
                .as_str()
                .is_some_and(|path| path.ends_with("broken.jsonl"))
        })
        .expect("broken line reported");
    assert_eq!(broken["line"].as_u64(), Some(2));
    assert!(skipped
        .iter()
        .all(|item| !item["path"].as_str().unwrap_or("").ends_with("latin1.txt")));
    assert_eq!(skipped.len(), 4, "{report}");

    assert_eq!(
        ws.search("exportación", &[])["total"].as_u64(),
        Some(1),
        "Latin-1 file lost"
    );
    assert_eq!(ws.search("third", &[])["total"].as_u64(), Some(1));
}

#[test]
fn the_summary_line_counts_what_happened() {
    let ws = Workspace::new();
    ws.write("one.md", article("One", "2025-02-01", "en", "Text."));
    let output = ws.run(&["index", path_str(&ws.corpus())]);
    assert!(output.status.success());
    let text = stderr(&output);
    assert!(text.contains("1 document in the index: 1 added"), "{text}");
}

#[test]
fn the_index_folder_inside_the_corpus_is_not_indexed() {
    let ws = Workspace::new();
    ws.write("one.md", article("One", "2025-02-01", "en", "Text."));
    ws.write(
        ".git/config.md",
        article("Hidden", "2025-02-01", "en", "Text."),
    );
    let corpus = ws.corpus();
    let inner_index = corpus.join("idx");
    let run = |ws: &Workspace| {
        let mut cmd = assert_cmd::Command::cargo_bin("topictrack").expect("binary");
        cmd.current_dir(ws.dir.path())
            .args([
                "--index",
                path_str(&inner_index),
                "index",
                path_str(&corpus),
                "--json",
            ])
            .output()
            .expect("ran")
    };
    run(&ws);
    let second = run(&ws);
    let report: serde_json::Value = serde_json::from_slice(&second.stdout).expect("json");
    assert_eq!(report["unchanged"].as_u64(), Some(1), "{report}");
    assert_eq!(report["added"].as_u64(), Some(0), "{report}");
}

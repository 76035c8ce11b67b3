//! Compressed files, zip and tar archives, standard input and CSV/TSV: every fixture is built here,
//! indexed by the real binary, and checked by what a user sees (counts, paths with `!/`, ids, the
//! one line a bad member or row costs, the exit code).

use std::io::Write;

use serde_json::Value;

use crate::support::{article, path_str, stderr, Workspace};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("compressed");
    encoder.finish().expect("finished")
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).expect("compressed")
}

fn bzip2(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    encoder.write_all(bytes).expect("compressed");
    encoder.finish().expect("finished")
}

/// A zip archive of `(name, contents)`, deflated.
fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, contents) in members {
        writer.start_file(*name, options).expect("member started");
        writer.write_all(contents).expect("member written");
    }
    writer.finish().expect("archive finished").into_inner()
}

/// A tar archive of `(name, contents)`; names are written as given, `..` included.
fn tar(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, contents) in members {
        let mut header = tar::Header::new_gnu();
        header.set_size(contents.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        // `set_path` refuses `..`; a hostile archive does not, so the name goes in raw.
        let raw = header.as_old_mut();
        raw.name.fill(0);
        if let Some(slot) = raw.name.get_mut(..name.len()) {
            slot.copy_from_slice(name.as_bytes());
        }
        header.set_cksum();
        builder.append(&header, *contents).expect("member written");
    }
    builder.into_inner().expect("archive finished")
}

/// The lines of a plain (not `--json`) index run's summary that name `name`: an unchanged rerun
/// says again what stays skipped.
fn summary_lines(ws: &Workspace, name: &str) -> Vec<String> {
    let corpus = ws.corpus();
    let output = ws.run(&["index", path_str(&corpus), "--no-enrich"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    stderr(&output)
        .lines()
        .filter(|line| line.contains(name))
        .map(str::to_owned)
        .collect()
}

fn index(ws: &Workspace, extra: &[&str]) -> (Value, i32, String) {
    let corpus = ws.corpus();
    let mut args = vec!["index", path_str(&corpus), "--json", "--no-enrich"];
    args.extend_from_slice(extra);
    let output = ws.run(&args);
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("no JSON ({err}): {}", stderr(&output)));
    (report, output.status.code().unwrap_or(-1), stderr(&output))
}

/// The values under `a` and `b` of every object in the JSON array `list`.
fn pairs(list: &Value, a: &str, b: &str) -> Vec<(String, String)> {
    let text = |item: &Value, key: &str| item[key].as_str().unwrap_or_default().to_owned();
    list.as_array()
        .into_iter()
        .flatten()
        .map(|item| (text(item, a), text(item, b)))
        .collect()
}

/// The `(path, reason)` of every skipped notice.
fn skipped(report: &Value) -> Vec<(String, String)> {
    pairs(&report["skipped"], "path", "reason")
}

/// Every hit's path for `query`, sorted, with the workspace's corpus folder cut off.
fn paths(ws: &Workspace, query: &str) -> Vec<String> {
    let corpus = format!("{}/", path_str(&ws.corpus()));
    let mut found: Vec<String> = ws.search(query, &[])["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|hit| hit["path"].as_str())
        .map(|path| path.strip_prefix(&corpus).unwrap_or(path).to_owned())
        .collect();
    found.sort();
    found
}

fn jsonl(records: &[(&str, &str)]) -> String {
    records
        .iter()
        .map(|(title, text)| format!("{{\"title\":\"{title}\",\"text\":\"{text}\"}}\n"))
        .collect()
}

#[test]
fn gzip_zstd_and_bzip2_files_are_read_by_their_inner_format() {
    let ws = Workspace::new();
    ws.write(
        "wire.jsonl.gz",
        gzip(jsonl(&[("Uno", "gzword one"), ("Dos", "gzword two")]).as_bytes()),
    );
    ws.write(
        "note.md.zst",
        zstd(article("Zstd note", "2025-05-15", "en", "zstword chips").as_bytes()),
    );
    ws.write(
        "plain.txt.bz2",
        bzip2(b"Bzip title\n\nbzword on 15 May 2025\n"),
    );
    let (report, code, _) = index(&ws, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["added"], 4, "{report}");
    assert_eq!(paths(&ws, "gzword"), ["wire.jsonl.gz", "wire.jsonl.gz"]);
    assert_eq!(paths(&ws, "zstword"), ["note.md.zst"]);
    let bz = ws.search("bzword", &[]);
    assert_eq!(bz["hits"][0]["title"], "Bzip title", "{bz}");
    assert_eq!(bz["hits"][0]["date"], "2025-05-15", "{bz}");
}

#[test]
fn zip_and_tar_gz_members_are_documents_under_bang_paths() {
    let ws = Workspace::new();
    let two_lines = jsonl(&[("Line one", "memberword a"), ("Line two", "memberword b")]);
    ws.write(
        "bundle.zip",
        zip(&[
            (
                "in/a.md",
                article("Zip article", "2025-05-15", "en", "memberword zipped").as_bytes(),
            ),
            ("in/b.jsonl", two_lines.as_bytes()),
            ("in/photo.png", b"\x89PNG not read"),
            ("in/c.md.gz", &gzip(b"# Gz in zip\n\nmemberword inner\n")),
        ]),
    );
    ws.write(
        "more.tar.gz",
        gzip(&tar(&[
            ("d/c.txt", b"Tar text\n\nmemberword tarred\n"),
            (
                "d/e.html",
                b"<html><head><title>Tar page</title></head><body><p>memberword page</p></body></html>",
            ),
        ])),
    );
    let (report, code, _) = index(&ws, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["added"], 6, "{report}");
    assert_eq!(
        paths(&ws, "memberword"),
        [
            "bundle.zip!/in/a.md",
            "bundle.zip!/in/b.jsonl",
            "bundle.zip!/in/b.jsonl",
            "bundle.zip!/in/c.md.gz",
            "more.tar.gz!/d/c.txt",
            "more.tar.gz!/d/e.html",
        ]
    );
    // Ids are distinct per member and line, and `show` names the member.
    let hits = ws.search("memberword", &[]);
    let mut ids: Vec<&str> = hits["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|hit| hit["id"].as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 6, "{hits}");
    let zipped = ws.search("zipped", &[]);
    let id = zipped["hits"][0]["id"].as_str().expect("an id").to_owned();
    let shown = ws.json(&["show", &id, "--json"]);
    assert!(
        shown["path"]
            .as_str()
            .is_some_and(|path| path.ends_with("bundle.zip!/in/a.md")),
        "{shown}"
    );
    // Unchanged archives are not read again.
    let (again, code, _) = index(&ws, &[]);
    assert_eq!(code, 0, "{again}");
    assert_eq!(again["unchanged"], 6, "{again}");
    assert_eq!(again["added"], 0, "{again}");
}

#[test]
fn a_zip_bomb_member_costs_one_line_and_the_rest_is_indexed() {
    let ws = Workspace::new();
    let zeros = vec![b' '; 8 * 1024 * 1024];
    ws.write(
        "bomb.zip",
        zip(&[
            ("first.md", b"# First\n\nbombword safe\n".as_slice()),
            ("huge.txt", &zeros),
            ("last.md", b"# Last\n\nbombword after\n".as_slice()),
        ]),
    );
    let (report, code, _) = index(&ws, &[]);
    assert_eq!(code, 2, "{report}");
    let skipped = skipped(&report);
    assert_eq!(skipped.len(), 1, "{report}");
    assert!(skipped[0].0.ends_with("bomb.zip!/huge.txt"), "{skipped:?}");
    assert!(
        skipped[0]
            .1
            .contains("grew past 100 times its compressed size"),
        "{skipped:?}"
    );
    assert_eq!(paths(&ws, "bombword").len(), 2);
    let err = summary_lines(&ws, "huge.txt");
    assert_eq!(err.len(), 1, "{err:?}");
}

#[test]
fn members_climbing_out_of_the_archive_are_refused() {
    let ws = Workspace::new();
    ws.write(
        "evil.zip",
        zip(&[
            ("../escape.md", b"# Escape\n\nclimbword out\n".as_slice()),
            ("ok.md", b"# Fine\n\nclimbword in\n".as_slice()),
        ]),
    );
    ws.write(
        "evil.tar",
        tar(&[
            ("a/../../up.txt", b"Up\n\nclimbword up\n"),
            ("/etc/abs.txt", b"Abs\n\nclimbword abs\n"),
            ("fine.txt", b"Fine\n\nclimbword tar\n"),
        ]),
    );
    let (report, code, _) = index(&ws, &[]);
    assert_eq!(code, 2, "{report}");
    let refused: Vec<String> = skipped(&report)
        .into_iter()
        .inspect(|(_, reason)| assert!(reason.contains("climbs out"), "{reason}"))
        .map(|(path, _)| {
            path.rsplit_once(".zip!/")
                .map_or(path.clone(), |(_, m)| m.to_owned())
        })
        .collect();
    assert_eq!(refused.len(), 3, "{report}");
    assert_eq!(
        paths(&ws, "climbword"),
        ["evil.tar!/fine.txt", "evil.zip!/ok.md"]
    );
}

#[test]
fn a_truncated_gzip_is_one_line_and_costs_no_other_file() {
    let ws = Workspace::new();
    let records: Vec<(String, String)> = (1..=3000)
        .map(|n| {
            (
                format!("Record {n}"),
                format!("cutword number {n} with some text"),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = records
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let whole = gzip(jsonl(&borrowed).as_bytes());
    ws.write("cut.jsonl.gz", whole.get(..whole.len() / 2).expect("half"));
    ws.write("cut.md.gz", whole.get(..whole.len() / 3).expect("third"));
    ws.write("fine.md", article("Fine", "2025-01-02", "en", "fineword"));
    let (report, code, _) = index(&ws, &[]);
    assert_eq!(code, 2, "{report}");
    let skipped = skipped(&report);
    assert_eq!(skipped.len(), 2, "{report}");
    for (_, reason) in &skipped {
        assert!(
            reason.starts_with("damaged or truncated gzip data"),
            "{reason}"
        );
    }
    assert_eq!(ws.search("fineword", &[])["total"], 1);
    // What came before the cut is kept.
    let kept = ws.search("cutword", &[])["total"].as_u64().unwrap_or(0);
    assert!(kept > 100 && kept < 3000, "{kept}");
}

#[test]
fn two_streams_on_stdin_keep_apart_and_outlive_folder_runs() {
    let ws = Workspace::new();
    ws.write(
        "folder.md",
        article("Folder", "2025-01-02", "en", "folderword"),
    );
    let stream = |prefix: &str, text: String| {
        let output = ws
            .cmd(&["index", "-", "--id-prefix", prefix, "--json", "--no-enrich"])
            .write_stdin(text)
            .output()
            .expect("ran");
        assert!(output.status.success(), "{}", stderr(&output));
        serde_json::from_slice::<Value>(&output.stdout).expect("JSON")
    };
    stream(
        "wire",
        jsonl(&[("Wire one", "streamword a"), ("Wire two", "streamword b")]),
    );
    stream("blogs", jsonl(&[("Blog one", "streamword c")]));
    let (report, code, _) = index(&ws, &[]);
    assert_eq!(code, 0, "{report}");
    let hits = ws.search("streamword", &[]);
    let mut seen = pairs(&hits["hits"], "id", "path");
    seen.sort();
    assert_eq!(
        seen,
        [
            ("blogs#L1".to_owned(), "stdin:blogs".to_owned()),
            ("wire#L1".to_owned(), "stdin:wire".to_owned()),
            ("wire#L2".to_owned(), "stdin:wire".to_owned()),
        ]
    );
    // The same prefix again replaces what that stream gave.
    let again = stream("wire", jsonl(&[("Wire new", "streamword fresh")]));
    assert_eq!(again["updated"], 1, "{again}");
    assert_eq!(again["removed"], 1, "{again}");
    assert_eq!(ws.search("streamword", &[])["total"], 2);

    // Other formats by flag; a bad format or prefix is one line naming the flag.
    let md = ws
        .cmd(&[
            "index",
            "-",
            "--format",
            "md",
            "--id-prefix",
            "memo",
            "--no-enrich",
        ])
        .write_stdin("# Memo\n\nmemoword\n")
        .output()
        .expect("ran");
    assert!(md.status.success(), "{}", stderr(&md));
    assert_eq!(ws.search("memoword", &[])["hits"][0]["id"], "memo");
    let bad = ws
        .cmd(&["index", "-", "--format", "zip"])
        .write_stdin("x")
        .output()
        .expect("ran");
    crate::support::assert_user_error(&bad, "--format");
    let bad = ws
        .cmd(&["index", "-", "--id-prefix", "a b"])
        .write_stdin("{}")
        .output()
        .expect("ran");
    crate::support::assert_user_error(&bad, "--id-prefix");
}

#[test]
fn csv_rows_are_documents_and_a_bad_row_costs_one_line() {
    let ws = Workspace::new();
    ws.write(
        "mediacloud.csv",
        "id,publish_date,title,url,language,media_name\n\
         mc-1,2025-05-15 08:00:00,Tencent csvword stockpile,https://a.example/1,en,Daily One\n\
         mc-2,2025-05-16,broken,row\n\
         mc-3,2025-05-17 09:30:00,\"Huawei, csvword partners\",https://a.example/3,en,Daily Two\n",
    );
    ws.write(
        "gdelt.tsv",
        "URL\tDate\tTitle\nhttps://b.example/x\t2025-05-18\tChip csvword curbs\n",
    );
    let (report, code, _) = index(&ws, &[]);
    assert_eq!(code, 2, "{report}");
    assert_eq!(report["added"], 3, "{report}");
    let skipped = &report["skipped"];
    assert_eq!(skipped.as_array().map(Vec::len), Some(1), "{report}");
    assert_eq!(skipped[0]["line"], 3, "{report}");
    let err = summary_lines(&ws, "mediacloud.csv");
    assert_eq!(err.len(), 1, "{err:?}");
    assert!(
        err[0].contains("mediacloud.csv:3: row has 4 fields"),
        "{err:?}"
    );
    let hits = ws.search("csvword", &["--sort", "date"]);
    let got: Vec<(String, String, String)> = hits["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|hit| {
            (
                hit["id"].as_str().unwrap_or_default().to_owned(),
                hit["date"].as_str().unwrap_or_default().to_owned(),
                hit["source"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(got.len(), 3, "{hits}");
    assert!(got.contains(&(
        "mc-1".to_owned(),
        "2025-05-15".to_owned(),
        "Daily One".to_owned()
    )));
    assert!(got.contains(&(
        "mc-3".to_owned(),
        "2025-05-17".to_owned(),
        "Daily Two".to_owned()
    )));
    assert!(
        got.iter().any(|(_, date, _)| date == "2025-05-18"),
        "{hits}"
    );
}

#[test]
fn changing_one_member_of_a_zip_replaces_only_its_documents() {
    let ws = Workspace::new();
    let a = article("Member A", "2025-05-15", "en", "keepword alpha");
    let c = article("Member C", "2025-05-17", "en", "keepword gamma");
    ws.write(
        "set.zip",
        zip(&[
            ("a.md", a.as_bytes()),
            ("b.md", b"# Member B\n\noldword beta\n".as_slice()),
            ("c.md", c.as_bytes()),
        ]),
    );
    index(&ws, &[]);
    let before = ws.search("keepword", &[]);
    ws.write(
        "set.zip",
        zip(&[
            ("a.md", a.as_bytes()),
            (
                "b.md",
                b"# Member B\n\nnewword beta, longer now\n".as_slice(),
            ),
        ]),
    );
    let (report, code, _) = index(&ws, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(ws.search("oldword", &[])["total"], 0);
    assert_eq!(paths(&ws, "newword"), ["set.zip!/b.md"]);
    // The member that left the archive left the index; the one that stayed kept its id.
    let after = ws.search("keepword", &[]);
    assert_eq!(after["total"], 1, "{after}");
    let id_of = |results: &Value, title: &str| {
        results["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|hit| hit["title"] == title)
            .map(|hit| hit["id"].clone())
    };
    assert_eq!(id_of(&after, "Member A"), id_of(&before, "Member A"));
    assert_eq!(report["removed"], 1, "{report}");
    assert_eq!(
        ws.json(&["stats", "--json"])["documents"],
        2,
        "two members are left"
    );
}

#[test]
fn federal_register_jsonl_gz_records_index_with_their_ids_and_dates() {
    const RECORDS: usize = 1500;
    let Some(path) = crate::support::shared_file(
        "federal_register_jsonl_gz_records_index_with_their_ids_and_dates",
        "corpora/federal_register/federal_register_2020-2026.jsonl.gz",
    ) else {
        return;
    };
    // The first records of the shipped file, compressed again: the whole file takes minutes in a
    // debug build.
    let file = std::fs::File::open(path).expect("corpus readable");
    let lines: Vec<String> = std::io::BufRead::lines(std::io::BufReader::new(
        flate2::read::MultiGzDecoder::new(file),
    ))
    .take(RECORDS)
    .map(|line| line.expect("line"))
    .collect();
    let first: Value = serde_json::from_str(&lines[0]).expect("a record");
    let ws = Workspace::new();
    ws.write("fr.jsonl.gz", gzip(lines.join("\n").as_bytes()));
    let (report, code, _) = index(&ws, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["added"], RECORDS, "{report}");
    let id = first["id"].as_str().expect("an id");
    let shown = ws.json(&["show", id, "--json"]);
    assert_eq!(shown["date"], first["date"], "{shown}");
    assert!(
        shown["path"]
            .as_str()
            .is_some_and(|path| path.ends_with("fr.jsonl.gz")),
        "{shown}"
    );
}

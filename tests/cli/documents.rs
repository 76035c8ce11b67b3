//! Document files as a user meets them: PDF (text layer, information dictionary, XMP; scanned,
//! encrypted and damaged files), DOCX and ODT (body, tables, core properties), HTML pages that
//! describe their article in JSON-LD, and Markdown whose syntax must stay out of the index.
//!
//! The binary fixtures are written by `tests/fixtures/documents/make_fixtures.py` (standard
//! library only); each test copies the ones it needs into a fresh corpus folder.

use std::path::Path;

use serde_json::Value;

use crate::support::{assert_no_panic, stderr, Workspace};

/// Copies fixtures from `tests/fixtures/documents/` into the workspace's corpus folder.
fn with_fixtures(names: &[&str]) -> Workspace {
    let ws = Workspace::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents");
    for name in names {
        let bytes = std::fs::read(fixtures.join(name)).expect("fixture present");
        ws.write(name, bytes);
    }
    ws
}

/// `show ID --json` of the one document whose path ends with `file`.
fn shown(ws: &Workspace, file: &str) -> Value {
    let all = ws.search("*", &[]);
    let hit = all["hits"]
        .as_array()
        .and_then(|hits| {
            hits.iter().find(|hit| {
                hit["path"]
                    .as_str()
                    .is_some_and(|path| path.ends_with(file))
            })
        })
        .unwrap_or_else(|| panic!("{file} is not in the index: {all}"));
    let id = hit["id"].as_str().expect("an id");
    ws.json(&["show", id, "--json"])
}

/// Indexes the one fixture `name`, which must give one document, and returns its `show --json`.
fn index_one(name: &str) -> (Workspace, Value) {
    let ws = with_fixtures(&[name]);
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["added"], 1, "{report}");
    let doc = shown(&ws, name);
    (ws, doc)
}

/// The document has this title, and a date read from its own metadata under `key`.
fn assert_metadata_date(doc: &Value, title: &str, date: &str, key: &str) {
    assert_eq!(doc["title"], title, "{doc}");
    assert_eq!(doc["date"], date, "{doc}");
    assert_eq!(doc["date_source"], "metadata", "{doc}");
    assert_eq!(doc["metadata"]["date_key"], key, "{doc}");
}

fn total(ws: &Workspace, query: &str) -> u64 {
    ws.search(query, &[])["total"].as_u64().unwrap_or(u64::MAX)
}

fn skipped_reasons(report: &Value) -> Vec<(String, String)> {
    report["skipped"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|notice| {
                    let path = notice["path"].as_str().unwrap_or_default();
                    let file = path.rsplit('/').next().unwrap_or_default().to_owned();
                    (
                        file,
                        notice["reason"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn pdf_text_layer_is_searchable_with_title_and_date_from_the_information_dictionary() {
    let (ws, doc) = index_one("informe-chips.pdf");
    // D:20250516093000+02'00' is 07:30 UTC on the same day.
    assert_metadata_date(
        &doc,
        "Reserva de GPU de Tencent",
        "2025-05-16",
        "CreationDate",
    );
    assert_eq!(
        doc["metadata"]["fields"]["ModDate"], "2025-05-20T12:00:00Z",
        "{doc}"
    );
    assert_eq!(
        doc["metadata"]["fields"]["author"], "Mesa de tecnología",
        "{doc}"
    );
    assert_eq!(doc["tags"], serde_json::json!(["chips", "exportación"]));
    // Words of the text layer, accents and all, from a compressed content stream.
    assert_eq!(total(&ws, "existencias"), 1);
    assert_eq!(total(&ws, "\"controles de exportación\""), 1);
    assert_eq!(total(&ws, "Lau"), 1);
}

#[test]
fn pdf_without_information_dictionary_takes_title_and_date_from_xmp() {
    let (ws, doc) = index_one("notas-xmp.pdf");
    assert_metadata_date(
        &doc,
        "Huawei and the chip shortage",
        "2025-02-18",
        "xmp:CreateDate",
    );
    assert_eq!(total(&ws, "semiconductors"), 1);
}

#[test]
fn scanned_encrypted_and_damaged_pdfs_are_one_line_each_and_cost_nothing_else() {
    let ws = with_fixtures(&[
        "escaneado.pdf",
        "cifrado.pdf",
        "danado.pdf",
        "informe-chips.pdf",
        "nota-exportacion.docx",
    ]);
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 2, "something was skipped: {report}");
    assert_eq!(report["added"], 2, "{report}");
    let mut reasons = skipped_reasons(&report);
    reasons.sort();
    assert_eq!(reasons.len(), 3, "{report}");
    assert_eq!(reasons[0].0, "cifrado.pdf");
    assert_eq!(
        reasons[0].1,
        "encrypted PDF: topictrack cannot read password-protected files; index an unprotected copy"
    );
    assert_eq!(reasons[1].0, "danado.pdf");
    assert!(
        reasons[1].1.starts_with("damaged PDF (")
            && reasons[1].1.ends_with("repair it or export it again"),
        "{}",
        reasons[1].1
    );
    assert_eq!(reasons[2].0, "escaneado.pdf");
    assert_eq!(
        reasons[2].1,
        "no text layer (scanned?): 1 page with no text to index; run it through OCR first"
    );
    // Without --json the same three show as one line each on stderr.
    let again = with_fixtures(&[
        "escaneado.pdf",
        "cifrado.pdf",
        "danado.pdf",
        "informe-chips.pdf",
    ]);
    let corpus = again.corpus();
    let output = again.run(&["index", corpus.to_str().expect("UTF-8 path")]);
    assert_no_panic(&output, "index of broken PDFs");
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    for (file, reason) in [
        ("cifrado.pdf", "encrypted PDF"),
        ("danado.pdf", "damaged PDF"),
        ("escaneado.pdf", "no text layer (scanned?)"),
    ] {
        let lines: Vec<&str> = text.lines().filter(|line| line.contains(file)).collect();
        assert_eq!(lines.len(), 1, "{file}: {text}");
        assert!(lines[0].contains(reason), "{file}: {text}");
    }
    assert_eq!(total(&again, "existencias"), 1);
}

#[test]
fn docx_body_tables_and_core_properties() {
    let (ws, doc) = index_one("nota-exportacion.docx");
    assert_metadata_date(
        &doc,
        "Nota sobre los pedidos de H20",
        "2025-04-22",
        "dcterms:created",
    );
    assert_eq!(
        doc["metadata"]["fields"]["dcterms:modified"], "2025-04-23T18:00:00Z",
        "{doc}"
    );
    assert_eq!(doc["lang"], "es", "{doc}");
    assert_eq!(doc["tags"], serde_json::json!(["chips", "Nvidia"]));
    let body = doc["body"].as_str().unwrap_or_default();
    // Paragraphs a blank line apart; each table row on a line of its own.
    assert!(
        body.starts_with(
            "Pedidos de chips antes de las restricciones\n\nTencent, Alibaba y ByteDance"
        ),
        "{body}"
    );
    assert!(body.ends_with("Empresa Chip\n\nAlibaba H20"), "{body}");
    assert_eq!(total(&ws, "trimestre"), 1);
}

#[test]
fn odt_body_and_meta() {
    let (ws, doc) = index_one("resumen-huawei.odt");
    assert_metadata_date(
        &doc,
        "Resumen: Huawei y la autosuficiencia",
        "2025-02-19",
        "meta:creation-date",
    );
    assert_eq!(doc["metadata"]["fields"]["author"], "Redacción", "{doc}");
    assert_eq!(
        doc["tags"],
        serde_json::json!(["Huawei", "semiconductores"])
    );
    assert_eq!(total(&ws, "autosuficiencia"), 1);
    assert_eq!(total(&ws, "escasez"), 1);
}

#[test]
fn damaged_docx_is_one_line_and_the_rest_indexed() {
    let ws = with_fixtures(&["roto.docx", "resumen-huawei.odt"]);
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 2, "{report}");
    assert_eq!(report["added"], 1, "{report}");
    let reasons = skipped_reasons(&report);
    assert_eq!(reasons.len(), 1, "{report}");
    assert_eq!(reasons[0].0, "roto.docx");
    assert!(
        reasons[0]
            .1
            .starts_with("damaged DOCX file: not a readable zip archive"),
        "{}",
        reasons[0].1
    );
}

#[test]
fn html_json_ld_article_in_a_graph_gives_headline_date_author_and_keywords() {
    let (ws, doc) = index_one("pagina-jsonld.html");
    // datePublished wins over the page's `<time datetime="2024-01-01">`.
    assert_metadata_date(
        &doc,
        "Nvidia vende menos chips en China tras los nuevos controles",
        "2025-05-15",
        "json-ld datePublished",
    );
    assert_eq!(doc["metadata"]["fields"]["author"], "Lucía Ferrer", "{doc}");
    assert_eq!(doc["source"], "Diario de Ejemplo", "{doc}");
    assert_eq!(
        ws.search("*", &["--tag", "controles de exportación"])["total"],
        1
    );
    // The JSON-LD itself is not page text.
    assert_eq!(total(&ws, "BreadcrumbList"), 0);
    assert_eq!(total(&ws, "aceleradores"), 1);
}

#[test]
fn markdown_syntax_stays_out_of_the_index_and_snippets() {
    let (ws, doc) = index_one("apuntes-markdown.md");
    // The leading heading is the title, without its emphasis marks.
    assert_eq!(
        doc["title"], "Apuntes sobre la inferencia eficiente",
        "{doc}"
    );
    // Link and image URLs, the comment and the fence's info string are not indexed.
    for hidden in [
        "zanahoria",
        "pepinillo",
        "enlaces.example",
        "berenjena",
        "python",
    ] {
        assert_eq!(total(&ws, hidden), 0, "{hidden} should not be indexed");
    }
    // Link text, image descriptions and code are.
    for shown_word in ["llamada", "diagrama", "modelos", "ASIC"] {
        assert_eq!(total(&ws, shown_word), 1, "{shown_word} should be indexed");
    }
    let hits = ws.search("optimización", &[]);
    let snippet = hits["hits"][0]["snippet"].as_str().unwrap_or_default();
    // Snippets mark the matched word with `**` themselves; the source's own marks are gone.
    assert!(
        snippet.contains("la **optimización** del software deja"),
        "{hits}"
    );
    let snippet = snippet.replace("**optimización**", "optimización");
    for mark in ["**", "](", "```", "_Nota_"] {
        assert!(!snippet.contains(mark), "{mark:?} in snippet {snippet:?}");
    }
    let body = doc["body"].as_str().unwrap_or_default();
    for mark in ["**", "](", "```", "<!--", "!["] {
        assert!(!body.contains(mark), "{mark:?} in body {body:?}");
    }
}

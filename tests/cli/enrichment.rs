//! Enrichment seen through the binary: language, publication date and its source, mentioned dates,
//! entities and topics of damaged real-world-like documents (tests/fixtures/messy and
//! tests/fixtures/enrich, whose README and EXPECTED files describe them).

use std::collections::HashMap;
use std::path::Path;

use crate::support::{self, path_str, Workspace};
use serde_json::Value;

/// Copies the documents of a fixture folder (not its notes) into the workspace corpus.
fn copy_fixtures(ws: &Workspace, folder: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder);
    for entry in std::fs::read_dir(&dir).expect("fixture folder") {
        let path = entry.expect("fixture entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("fixture name")
            .to_string();
        if name == "EXPECTED.md" || name == "README.md" {
            continue;
        }
        ws.write(&name, std::fs::read(&path).expect("fixture read"));
    }
}

/// `show --json` of every indexed document, by file name.
fn shown_by_file(ws: &Workspace) -> HashMap<String, Value> {
    let all = ws.search("*", &[]);
    let mut out = HashMap::new();
    for hit in all["hits"].as_array().expect("hits") {
        let id = hit["id"].as_str().expect("id");
        let shown = ws.json(&["show", id, "--json"]);
        let name = Path::new(shown["path"].as_str().expect("path"))
            .file_name()
            .and_then(|n| n.to_str())
            .expect("file name")
            .to_string();
        out.insert(name, shown);
    }
    out
}

fn topic_ids(doc: &Value) -> Vec<String> {
    doc["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .map(|t| t["id"].as_str().expect("topic id").to_string())
        .collect()
}

fn entity_names(doc: &Value) -> Vec<String> {
    doc["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .map(|e| {
            format!(
                "{}/{}",
                e["type"].as_str().expect("type"),
                e["name"].as_str().expect("name")
            )
        })
        .collect()
}

fn mentioned(doc: &Value) -> Vec<String> {
    doc["mentioned_dates"]
        .as_array()
        .expect("mentioned_dates")
        .iter()
        .map(|m| m["date"].as_str().expect("date").to_string())
        .collect()
}

/// What EXPECTED.md calls "must" for one document.
struct Expect {
    file: &'static str,
    lang: &'static str,
    date: Option<(&'static str, &'static str)>,
    mentioned: &'static [&'static str],
    entities: &'static [&'static str],
    topics: &'static [&'static str],
}

const MESSY: &[Expect] = &[
    Expect {
        file: "mt-tencent-tuit.txt",
        lang: "es",
        date: Some(("2025-05-15", "text")),
        mentioned: &["2025-04-01"],
        entities: &[
            "org/Tencent",
            "org/Nvidia",
            "org/ByteDance",
            "org/Alibaba",
            "place/United States",
            "person/Martin Lau",
        ],
        topics: &["export-controls", "ai-chips"],
    },
    Expect {
        file: "mt-huawei-sin-fecha.txt",
        lang: "es",
        date: None,
        mentioned: &["2022-01-01", "2028-01-01"],
        entities: &[
            "org/Huawei",
            "person/Ren Zhengfei",
            "person/Xi Jinping",
            "place/United States",
            "org/DeepSeek",
        ],
        topics: &["semiconductor-self-sufficiency"],
    },
    Expect {
        file: "wire-dateline-h20.txt",
        lang: "en",
        date: Some(("2025-04-16", "text")),
        mentioned: &["2025-04-15"],
        entities: &[
            "org/Nvidia",
            "place/United States",
            "place/China",
            "org/Tencent",
            "org/Alibaba",
            "org/ByteDance",
            "org/Huawei",
            "person/Jensen Huang",
        ],
        topics: &["export-controls", "ai-chips"],
    },
    Expect {
        file: "curly-quotes-nbsp.md",
        lang: "en",
        date: Some(("2025-05-16", "metadata")),
        mentioned: &["2025-05-15", "2025-04-01"],
        entities: &[
            "org/Tencent",
            "person/Martin Lau",
            "org/Nvidia",
            "org/Alibaba",
            "org/ByteDance",
            "org/DeepSeek",
            "place/United States",
        ],
        topics: &["ai-chips", "inference-efficiency"],
    },
    Expect {
        file: "2025-06-03-mt-taiwan-papas.txt",
        lang: "es",
        date: Some(("2025-06-03", "filename")),
        mentioned: &["2025-04-01"],
        entities: &[
            "place/Taiwan",
            "person/Elon Musk",
            "place/United States",
            "org/TSMC",
            "org/Nvidia",
            "org/Huawei",
            "place/China",
        ],
        topics: &["taiwan-supply-risk"],
    },
    Expect {
        file: "sin-titulo-metadatos.md",
        lang: "es",
        date: Some(("2025-05-15", "metadata")),
        mentioned: &["2025-04-01", "2025-01-01"],
        entities: &[
            "org/Tencent",
            "person/Martin Lau",
            "org/ByteDance",
            "org/Alibaba",
            "org/Nvidia",
            "place/United States",
            "org/DeepSeek",
        ],
        topics: &["export-controls", "ai-chips"],
    },
    Expect {
        file: "bom-crlf-small-models.txt",
        lang: "en",
        date: Some(("2023-03-02", "text")),
        mentioned: &[],
        entities: &[
            "org/Alibaba",
            "org/Tencent",
            "org/Nvidia",
            "place/United States",
            "place/Taiwan",
            "place/China",
        ],
        topics: &["inference-efficiency"],
    },
    Expect {
        file: "cp1252-exportaciones.txt",
        lang: "es",
        date: Some(("2022-10-09", "text")),
        mentioned: &[],
        entities: &["place/United States", "place/China", "org/Huawei"],
        topics: &["export-controls"],
    },
    Expect {
        file: "2024-11-20-dutch-lithography.txt",
        lang: "en",
        date: Some(("2024-11-20", "filename")),
        mentioned: &["2024-03-01", "2028-01-01"],
        entities: &[
            "org/ASML",
            "org/SMIC",
            "place/Netherlands",
            "place/China",
            "person/Christophe Fouquet",
        ],
        topics: &["export-controls"],
    },
    Expect {
        file: "pekin-jensen-tuit.md",
        lang: "es",
        date: Some(("2024-03-07", "metadata")),
        mentioned: &["2024-03-01"],
        entities: &[
            "person/Jensen Huang",
            "place/Beijing",
            "org/Nvidia",
            "org/Tencent",
        ],
        topics: &["export-controls", "ai-chips"],
    },
];

#[test]
fn messy_documents_get_language_dates_entities_and_topics() {
    let ws = Workspace::new();
    copy_fixtures(&ws, "messy");
    copy_fixtures(&ws, "enrich");
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    let docs = shown_by_file(&ws);
    assert_eq!(docs.len(), MESSY.len(), "{:?}", docs.keys());

    let mut problems = Vec::new();
    for expect in MESSY {
        let doc = docs.get(expect.file).expect("document indexed");
        if doc["lang"] != expect.lang {
            problems.push(format!("{}: lang {}", expect.file, doc["lang"]));
        }
        let date = (doc["date"].as_str(), doc["date_source"].as_str());
        let wanted = expect
            .date
            .map_or((None, None), |(d, s)| (Some(d), Some(s)));
        if date != wanted {
            problems.push(format!("{}: date {date:?}, wanted {wanted:?}", expect.file));
        }
        let dates = mentioned(doc);
        for day in expect.mentioned {
            if !dates.iter().any(|d| d == day) {
                problems.push(format!("{}: no mentioned {day} in {dates:?}", expect.file));
            }
        }
        let entities = entity_names(doc);
        for entity in expect.entities {
            if !entities.iter().any(|e| e == entity) {
                problems.push(format!("{}: no {entity} in {entities:?}", expect.file));
            }
        }
        let topics = topic_ids(doc);
        for topic in expect.topics {
            if !topics.iter().any(|t| t == topic) {
                problems.push(format!("{}: no {topic} in {topics:?}", expect.file));
            }
        }
        // Each topic shows the phrases that matched, with counts adding up to its hits.
        for topic in doc["topics"].as_array().expect("topics") {
            let evidence = topic["evidence"].as_array().expect("evidence");
            let sum: u64 = evidence.iter().filter_map(|e| e["hits"].as_u64()).sum();
            if evidence.is_empty() || Some(sum) != topic["hits"].as_u64() {
                problems.push(format!("{}: evidence {topic}", expect.file));
            }
        }
        // Nationality adjectives, closing adverts and credit lines never become names.
        for entity in &entities {
            let noise = [
                "Chinese",
                "Dutch",
                "European",
                "Vuelos",
                "Reformas",
                "Publicidad",
                "Anuncio",
                "Advertisement",
                "Editing",
                "Updated",
                "Ascend",
                "Presi",
                "EE.UU.porque",
            ];
            if noise.iter().any(|n| entity == &format!("other/{n}")) {
                problems.push(format!("{}: noise entity {entity}", expect.file));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The BOM stays out of the title; a front matter without a title does not become one.
    assert_eq!(
        docs["bom-crlf-small-models.txt"]["title"],
        "Alibaba and Tencent turn to smaller models as chip supply tightens"
    );
    let untitled = docs["sin-titulo-metadatos.md"]["title"]
        .as_str()
        .unwrap_or("");
    assert!(!untitled.contains("date:"), "{untitled}");

    // `stats` counts the undated document; `--lang` and the lang facet agree with the documents.
    let stats = ws.json(&["stats", "--json"]);
    assert_eq!(stats["undated"], 1, "{stats}");
    let spanish = MESSY.iter().filter(|e| e.lang == "es").count();
    assert_eq!(
        ws.search("*", &["--lang", "es"])["total"],
        spanish as u64,
        "--lang es"
    );
    assert_eq!(stats["languages"]["es"], spanish as u64, "{stats}");

    // `--entity` takes an alias: "EE.UU." finds the United States documents and nothing else.
    let us: Vec<&str> = MESSY
        .iter()
        .filter(|e| e.entities.contains(&"place/United States"))
        .map(|e| e.file)
        .collect();
    let found = ws.search("*", &["--entity", "EE.UU."]);
    let mut paths: Vec<String> = found["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            Path::new(h["path"].as_str().expect("path"))
                .file_name()
                .and_then(|n| n.to_str())
                .expect("name")
                .to_string()
        })
        .collect();
    paths.sort();
    let mut wanted: Vec<String> = us.iter().map(|s| s.to_string()).collect();
    wanted.sort();
    assert_eq!(paths, wanted);

    // `entities --type org`: Tencent with its spellings merged, and only organisations.
    let orgs = ws.json(&["entities", "--type", "org", "--json"]);
    let orgs = orgs.as_array().expect("entity list");
    assert!(orgs.iter().all(|e| e["type"] == "org"), "{orgs:?}");
    let tencent = orgs
        .iter()
        .find(|e| e["name"] == "Tencent")
        .expect("Tencent listed");
    let tencent_docs = MESSY
        .iter()
        .filter(|e| e.entities.contains(&"org/Tencent"))
        .count();
    assert!(tencent["count"].as_u64() >= Some(tencent_docs as u64));
    let aliases: Vec<&str> = tencent["aliases"]
        .as_array()
        .expect("aliases")
        .iter()
        .filter_map(|a| a["alias"].as_str())
        .collect();
    for alias in ["Tencent", "Holdings de Tencent", "Tencent Holdings"] {
        assert!(aliases.contains(&alias), "{alias} not in {aliases:?}");
    }
}

#[test]
fn show_explains_topics_and_names_the_date_source() {
    let ws = Workspace::new();
    copy_fixtures(&ws, "messy");
    let (_, code) = ws.index_corpus();
    assert_eq!(code, 0);
    let hit = ws.search("Musk", &[]);
    let id = hit["hits"][0]["id"].as_str().expect("a hit for Musk");
    let output = ws.run(&["show", id]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("2025-06-03 (from filename)"), "{text}");
    assert!(text.contains("taiwan-supply-risk"), "{text}");
    // The evidence line quotes a rule phrase with its count.
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("taiwan-supply-risk"))
        .expect("topic line");
    assert!(line.contains('"') && line.contains('×'), "{line}");
    assert!(text.contains("en abril"), "mentioned date shown: {text}");
}

#[test]
fn no_enrich_keeps_language_and_date_only() {
    let ws = Workspace::new();
    copy_fixtures(&ws, "messy");
    let corpus = ws.corpus();
    let output = ws.run(&["index", path_str(&corpus), "--no-enrich", "--json"]);
    assert!(output.status.success(), "{}", support::stderr(&output));
    let all = ws.search("*", &[]);
    let hits = all["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    for hit in hits {
        assert_eq!(hit["topics"].as_array().map(Vec::len), Some(0), "{hit}");
        assert_eq!(hit["entities"].as_array().map(Vec::len), Some(0), "{hit}");
        assert!(hit["lang"] == "es" || hit["lang"] == "en", "{hit}");
    }
    assert_eq!(ws.json(&["stats", "--json"])["undated"], 1);
}

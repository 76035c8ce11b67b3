//! User taxonomies and gazetteers through the binary: `topictrack.toml` at a corpus root, `--taxonomy`
//! and `--entities` files, re-tagging when they change, `query` topics and clear errors for bad files.

use crate::support::{self, article, path_str, titles, Workspace};
use serde_json::Value;

const ROOT_RULES: &str = r#"
[[topic]]
id = "potato-metaphor"
label = "Chips called potatoes"
parent = "technology"
phrases = ["papas fritas avanzadas"]

[[entity]]
name = "Hoja Verde Labs"
type = "org"
aliases = ["HojaVerde", "Laboratorios Hoja Verde"]
"#;

fn small_corpus(ws: &Workspace) {
    ws.write(
        "huawei.md",
        article(
            "Huawei alivia la escasez",
            "2025-03-01",
            "es",
            "Huawei dice que la falta de papas fritas avanzadas se alivio gracias a sus socios.",
        ),
    );
    ws.write(
        "musk.md",
        article(
            "Musk y las papas",
            "2025-06-03",
            "es",
            "Elon Musk advirtio que Taiwán fabrica casi todas las papas fritas de IA. \
             Laboratorios Hoja Verde compra chips de IA a Nvidia.",
        ),
    );
    ws.write(
        "olive.md",
        article(
            "Olive harvest",
            "2025-01-10",
            "en",
            "The olive harvest in Jaén is ahead of schedule after autumn rain.",
        ),
    );
}

fn topic_titles(ws: &Workspace, topic: &str) -> Vec<String> {
    titles(&ws.search("*", &["--topic", topic]))
}

fn entity_listed(ws: &Workspace, name: &str) -> Option<Value> {
    let orgs = ws.json(&["entities", "--type", "org", "--json"]);
    orgs.as_array()?.iter().find(|e| e["name"] == name).cloned()
}

#[test]
fn root_file_adds_topics_and_entities_and_edits_retag_without_rebuild() {
    let ws = Workspace::new();
    small_corpus(&ws);
    ws.write("topictrack.toml", ROOT_RULES);
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        topic_titles(&ws, "potato-metaphor"),
        vec!["Huawei alivia la escasez".to_string()]
    );
    let facets = ws.json(&["facets", "--json"]);
    assert!(
        facets["facets"]["topic"]
            .as_array()
            .expect("topic facet")
            .iter()
            .any(|f| f["value"] == "potato-metaphor" && f["count"] == 1),
        "{facets}"
    );
    let hit = ws.search("*", &["--topic", "potato-metaphor"]);
    let shown = ws.json(&["show", hit["hits"][0]["id"].as_str().expect("id"), "--json"]);
    assert!(
        shown["topics"]
            .to_string()
            .contains("/topic/technology/potato-metaphor"),
        "{shown}"
    );
    let lab = entity_listed(&ws, "Hoja Verde Labs").expect("user entity listed");
    assert_eq!(lab["count"], 1);
    assert_eq!(
        titles(&ws.search("*", &["--entity", "HojaVerde"])),
        vec!["Musk y las papas".to_string()]
    );

    // A changed phrase: the next plain `index` re-tags, with no --rebuild.
    ws.write(
        "topictrack.toml",
        ROOT_RULES.replace("papas fritas avanzadas", "papas fritas de IA"),
    );
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["retagged"], true, "{report}");
    assert_eq!(
        topic_titles(&ws, "potato-metaphor"),
        vec!["Musk y las papas".to_string()]
    );

    // Unchanged rules and files: nothing is re-read.
    let (report, _) = ws.index_corpus();
    assert_eq!(report["retagged"], false, "{report}");
    assert_eq!(report["updated"], 0, "{report}");
    assert_eq!(report["unchanged"], 3, "{report}");

    // Removing the file drops the user topic on the next run.
    std::fs::remove_file(ws.corpus().join("topictrack.toml")).expect("removed");
    let (report, _) = ws.index_corpus();
    assert_eq!(report["retagged"], true, "{report}");
    let output = ws.run(&["search", "*", "--topic", "potato-metaphor"]);
    assert!(!output.status.success(), "the topic is no longer known");
    assert!(entity_listed(&ws, "Hoja Verde Labs").is_none());
}

#[test]
fn taxonomy_file_can_replace_the_defaults() {
    let ws = Workspace::new();
    small_corpus(&ws);
    let rules = ws.dir.path().join("only-potatoes.toml");
    std::fs::write(
        &rules,
        "[topics]\nreplace = true\n\n[[topic]]\nid = \"potatoes\"\nlabel = \"Potatoes\"\n\
         phrases = [\"papas fritas\", \"olive harvest\"]\n",
    )
    .expect("rules written");
    let corpus = ws.corpus();
    let output = ws.run(&[
        "index",
        path_str(&corpus),
        "--taxonomy",
        path_str(&rules),
        "--json",
    ]);
    assert!(output.status.success(), "{}", support::stderr(&output));
    let topics = ws.json(&["topics", "--json"]);
    let ids: Vec<&str> = topics
        .as_array()
        .expect("topic list")
        .iter()
        .filter_map(|t| t["id"].as_str())
        .collect();
    assert_eq!(ids, vec!["potatoes"]);
    assert_eq!(topics[0]["count"], 3);
    assert_eq!(topics[0]["first"], "2025-01-10");
    assert_eq!(topics[0]["last"], "2025-06-03");
    // "chips de IA" would be ai-chips under the defaults; that topic is gone.
    let output = ws.run(&["search", "*", "--topic", "ai-chips"]);
    assert!(!output.status.success());
    assert!(support::stderr(&output).contains("ai-chips"));
}

#[test]
fn query_topics_are_tagged_with_their_query_as_evidence() {
    let ws = Workspace::new();
    small_corpus(&ws);
    ws.write(
        "topictrack.toml",
        r#"
[[topic]]
id = "musk-on-chips"
label = "Musk on chips"
parent = "industry"
query = 'entity:"person/Elon Musk" AND topic:ai-chips'

[[topic]]
id = "harvest"
label = "Harvest news"
query = 'olive OR aceituna'
"#,
    );
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        topic_titles(&ws, "musk-on-chips"),
        vec!["Musk y las papas".to_string()]
    );
    assert_eq!(
        topic_titles(&ws, "harvest"),
        vec!["Olive harvest".to_string()]
    );
    let hit = ws.search("*", &["--topic", "musk-on-chips"]);
    let id = hit["hits"][0]["id"].as_str().expect("id");
    let shown = ws.json(&["show", id, "--json"]);
    let topic = shown["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .find(|t| t["id"] == "musk-on-chips")
        .cloned()
        .expect("query topic shown");
    assert_eq!(topic["facet"], "/topic/industry/musk-on-chips");
    assert!(
        topic["evidence"][0]["phrase"]
            .as_str()
            .is_some_and(|p| p.starts_with("query: ")),
        "{topic}"
    );
}

#[test]
fn bad_taxonomy_files_fail_with_one_line_naming_file_and_line() {
    let ws = Workspace::new();
    small_corpus(&ws);
    let corpus = ws.corpus();
    let cases = [
        (
            "syntax.toml",
            "[[topic]]\nid = \"x\"\nlabel = \"X\"\nphrases = [\"chips\"\n",
            "line 5",
        ),
        (
            "parent.toml",
            "[[topic]]\nid = \"ok\"\nlabel = \"Ok\"\nphrases = [\"chips\"]\n\n\
             [[topic]]\nid = \"orphan\"\nlabel = \"Orphan\"\nparent = \"nowhere\"\nphrases = [\"chips\"]\n",
            "line 7",
        ),
        (
            "unknown-key.toml",
            "[[topic]]\nid = \"x\"\nlabel = \"X\"\nphrasez = [\"chips\"]\n",
            "line 4",
        ),
    ];
    for (name, text, line) in cases {
        let path = ws.dir.path().join(name);
        std::fs::write(&path, text).expect("written");
        let output = ws.run(&["index", path_str(&corpus), "--taxonomy", path_str(&path)]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        let stderr = support::stderr(&output);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{name}: {stderr}");
        assert!(
            lines[0].contains(name) && lines[0].contains(line),
            "{name}: {stderr}"
        );
    }
    // A query that does not parse names its topic.
    let path = ws.dir.path().join("query.toml");
    std::fs::write(
        &path,
        "[[topic]]\nid = \"broken\"\nlabel = \"B\"\nquery = \"title:((\"\n",
    )
    .expect("written");
    let output = ws.run(&["index", path_str(&corpus), "--taxonomy", path_str(&path)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(support::stderr(&output).contains("\"broken\""));
}

#[test]
fn entities_file_adds_aliases_to_a_default_entity() {
    let ws = Workspace::new();
    small_corpus(&ws);
    ws.write(
        "extra.md",
        article(
            "Grandes pedidos",
            "2025-02-02",
            "es",
            "El gigante de Shenzhen, conocido como Tengxun, encargó más GPU a Nvidia.",
        ),
    );
    let gazetteer = ws.dir.path().join("gazetteer.toml");
    std::fs::write(
        &gazetteer,
        "[[entity]]\nname = \"Tencent\"\ntype = \"org\"\naliases = [\"Tengxun\"]\n",
    )
    .expect("written");
    let corpus = ws.corpus();
    let output = ws.run(&[
        "index",
        path_str(&corpus),
        "--entities",
        path_str(&gazetteer),
    ]);
    assert!(output.status.success(), "{}", support::stderr(&output));
    let tencent = entity_listed(&ws, "Tencent").expect("Tencent listed");
    assert!(
        tencent["aliases"].to_string().contains("Tengxun"),
        "{tencent}"
    );
    assert_eq!(
        titles(&ws.search("*", &["--entity", "Tencent"])),
        vec!["Grandes pedidos".to_string()]
    );
}

/// Writes `files` under a folder `name` of the workspace (not its corpus) and returns the folder.
fn root_with(ws: &Workspace, name: &str, files: &[(&str, String)]) -> std::path::PathBuf {
    let root = ws.dir.path().join(name);
    for (file, text) in files {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(path, text).expect("written");
    }
    root
}

fn potato_article(title: &str) -> String {
    article(
        title,
        "2025-04-04",
        "es",
        "Los fabricantes de papas fritas avanzadas anuncian nuevas plantas.",
    )
}

fn index_roots(ws: &Workspace, extra: &[&str]) -> Value {
    let mut args = vec!["index"];
    args.extend_from_slice(extra);
    args.push("--json");
    ws.json(&args)
}

#[test]
fn one_taxonomy_applies_to_every_root_whatever_root_brought_it() {
    let ws = Workspace::new();
    let root_a = root_with(
        &ws,
        "a",
        &[
            ("topictrack.toml", ROOT_RULES.to_owned()),
            ("same.md", potato_article("Copia A")),
        ],
    );
    let root_b = root_with(&ws, "b", &[("same.md", potato_article("Copia B"))]);
    index_roots(&ws, &[path_str(&root_a)]);
    // Root b has no topictrack.toml of its own: the index's taxonomy tags it all the same.
    let report = index_roots(&ws, &[path_str(&root_b)]);
    assert_eq!(report["retagged"], false, "{report}");
    let mut tagged = topic_titles(&ws, "potato-metaphor");
    tagged.sort();
    assert_eq!(tagged, vec!["Copia A".to_owned(), "Copia B".to_owned()]);
    assert!(
        report["taxonomy"].to_string().contains("topictrack.toml"),
        "{report}"
    );

    // Editing root a's file and indexing root a re-tags root b's document too.
    std::fs::write(
        root_a.join("topictrack.toml"),
        ROOT_RULES.replace("papas fritas avanzadas", "nuevas plantas de papas"),
    )
    .expect("edited");
    std::fs::write(
        root_b.join("same.md"),
        potato_article("Copia B").replace("nuevas plantas", "nuevas plantas de papas"),
    )
    .expect("edited");
    let report = index_roots(&ws, &[path_str(&root_a)]);
    assert_eq!(report["retagged"], true, "{report}");
    assert_eq!(report["documents"], 2, "{report}");
    // Root b's file changed on disk, but this run did not read it: its stored text is re-tagged.
    assert!(topic_titles(&ws, "potato-metaphor").is_empty());
}

#[test]
fn a_taxonomy_file_is_kept_until_another_is_given_and_changing_it_retags_every_root() {
    let ws = Workspace::new();
    let root_a = root_with(&ws, "a", &[("one.md", potato_article("Uno"))]);
    let root_b = root_with(&ws, "b", &[("two.md", potato_article("Dos"))]);
    let rules = ws.dir.path().join("potatoes.toml");
    std::fs::write(&rules, ROOT_RULES).expect("written");
    index_roots(&ws, &[path_str(&root_a), "--taxonomy", path_str(&rules)]);

    // A plain run of another root keeps the file's topics (once the built-in taxonomy came back
    // here, silently).
    let report = index_roots(&ws, &[path_str(&root_b)]);
    assert_eq!(report["retagged"], false, "{report}");
    let mut tagged = topic_titles(&ws, "potato-metaphor");
    tagged.sort();
    assert_eq!(tagged, vec!["Dos".to_owned(), "Uno".to_owned()]);

    // The index keeps its own copy: the file may go.
    std::fs::remove_file(&rules).expect("removed");
    let report = index_roots(&ws, &[path_str(&root_a)]);
    assert_eq!(report["retagged"], false, "{report}");
    assert_eq!(report["unchanged"], 1, "{report}");

    // Another file re-tags every document, root a's too, and says so.
    let other = ws.dir.path().join("other.toml");
    std::fs::write(
        &other,
        ROOT_RULES.replace("papas fritas avanzadas", "nuevas plantas"),
    )
    .expect("written");
    let output = ws.run(&["index", path_str(&root_b), "--taxonomy", path_str(&other)]);
    assert!(output.status.success(), "{}", support::stderr(&output));
    let said = support::stderr(&output);
    assert!(
        said.contains("re-tagged") && said.contains("other.toml"),
        "{said}"
    );
    let mut tagged = topic_titles(&ws, "potato-metaphor");
    tagged.sort();
    assert_eq!(tagged, vec!["Dos".to_owned(), "Uno".to_owned()]);
    let hit = ws.search("Uno", &[]);
    let id = hit["hits"][0]["id"].as_str().expect("id");
    let shown = ws.json(&["show", id, "--json"]);
    assert!(
        shown["topics"].to_string().contains("nuevas plantas"),
        "re-tagged with the new phrase: {shown}"
    );
}

/// Every document as `show --json` prints it, by id, without when it entered the index (the two
/// indexes compared are written at different times; re-tagging keeps the stamp, see stamps.rs).
fn every_document(ws: &Workspace) -> std::collections::BTreeMap<String, Value> {
    let all = ws.json(&["search", "*", "--json", "--limit", "1000"]);
    support::ids(&all)
        .into_iter()
        .map(|id| {
            let mut shown = ws.json(&["show", &id, "--json"]);
            if let Some(fields) = shown.as_object_mut() {
                fields.remove("indexed");
            }
            (id, shown)
        })
        .collect()
}

#[test]
fn retagging_from_the_index_gives_what_reading_the_files_gives() {
    let rules = "[[topic]]\nid = \"nvidia-watch\"\nlabel = \"Nvidia watch\"\n\
                 query = 'entity:Nvidia'\n\n[[entity]]\nname = \"Jensen Huang\"\ntype = \"person\"\n\
                 aliases = [\"Huang\"]\n";
    let fresh = Workspace::new();
    let retagged = Workspace::new();
    let rules_path = fresh.dir.path().join("rules.toml");
    std::fs::write(&rules_path, rules).expect("written");
    let sample = support::sample_corpus();
    let sample = path_str(&sample);
    index_roots(&fresh, &[sample, "--taxonomy", path_str(&rules_path)]);
    index_roots(&retagged, &[sample]);
    let report = index_roots(&retagged, &[sample, "--taxonomy", path_str(&rules_path)]);
    assert_eq!(report["retagged"], true, "{report}");
    assert_eq!(report["unchanged"], 0, "{report}");
    let expected = every_document(&fresh);
    assert!(expected.len() > 10, "the sample corpus is indexed");
    assert!(
        expected
            .values()
            .any(|doc| doc["topics"].to_string().contains("nvidia-watch")),
        "the rules tag something"
    );
    assert_eq!(every_document(&retagged), expected);
}

#[test]
fn removing_a_root_takes_its_taxonomy_file_out_at_the_next_run() {
    let ws = Workspace::new();
    let root_a = root_with(
        &ws,
        "a",
        &[
            ("topictrack.toml", ROOT_RULES.to_owned()),
            ("one.md", potato_article("Uno")),
        ],
    );
    let root_b = root_with(&ws, "b", &[("two.md", potato_article("Dos"))]);
    index_roots(&ws, &[path_str(&root_a), path_str(&root_b)]);
    assert_eq!(topic_titles(&ws, "potato-metaphor").len(), 2);
    let output = ws.run(&["roots", "remove", path_str(&root_a)]);
    assert!(output.status.success(), "{}", support::stderr(&output));
    let report = index_roots(&ws, &[path_str(&root_b)]);
    assert_eq!(report["retagged"], true, "{report}");
    assert_eq!(report["documents"], 1, "{report}");
    let output = ws.run(&["search", "*", "--topic", "potato-metaphor"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "the topic left with its file"
    );
}

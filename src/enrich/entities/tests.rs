//! Tests of the public entity API against the embedded gazetteer.

use std::collections::HashMap;

use super::*;
use crate::taxonomy::Taxonomy;

/// The gazetteer the binary ships with.
fn default_entities() -> Vec<EntityDef> {
    Taxonomy::embedded().entities
}

fn matcher() -> EntityMatcher {
    match EntityMatcher::new(&default_entities()) {
        Ok(matcher) => matcher,
        Err(error) => panic!("default entities do not build: {error}"),
    }
}

fn curated_names(text: &str) -> Vec<String> {
    matcher()
        .find_spans(Lang::Other, text)
        .into_iter()
        .filter(|s| s.curated)
        .map(|s| s.name)
        .collect()
}

fn discovered_names(text: &str) -> Vec<String> {
    matcher()
        .find_spans(Lang::Other, text)
        .into_iter()
        .filter(|s| !s.curated)
        .map(|s| s.name)
        .collect()
}

#[test]
fn embedded_gazetteer_parses_and_is_large_enough() {
    let entities = match Taxonomy::try_embedded() {
        Ok(taxonomy) => taxonomy.entities,
        Err(error) => panic!("{error}"),
    };
    assert!(entities.len() >= 150, "only {} entities", entities.len());
}

#[test]
fn embedded_gazetteer_has_no_spelling_shared_by_two_entities() {
    let mut owner: HashMap<String, String> = HashMap::new();
    for def in default_entities() {
        for alias in std::iter::once(&def.name)
            .chain(&def.aliases)
            .chain(&def.case_sensitive)
        {
            let previous = owner.insert(fold(alias), def.name.clone());
            if let Some(previous) = previous {
                assert_eq!(previous, def.name, "{alias:?} belongs to two entities");
            }
        }
    }
}

#[test]
fn aliases_in_both_languages_give_canonical_names() {
    assert_eq!(
        curated_names("Holdings de Tencent, Grupo Alibaba y bytedance compraron chips de NVIDIA; Deepseek también."),
        vec!["Tencent", "Alibaba", "ByteDance", "Nvidia", "DeepSeek"]
    );
    assert_eq!(
        curated_names(
            "Tencent Holdings and Alibaba Group buy from Nvidia in Taiwán and EE. UU. and the U.S."
        ),
        vec![
            "Tencent",
            "Alibaba",
            "Nvidia",
            "Taiwan",
            "United States",
            "United States"
        ]
    );
    assert_eq!(
        curated_names("La Comisión Europea y la Casa Blanca"),
        vec!["European Commission", "White House"]
    );
}

#[test]
fn case_rules_keep_common_words_out() {
    assert_eq!(curated_names("US curbs hit us all"), vec!["United States"]);
    assert_eq!(curated_names("la meta de ventas de Meta"), vec!["Meta"]);
    assert_eq!(curated_names("an arm of Arm"), vec!["Arm"]);
}

#[test]
fn word_boundaries_are_respected() {
    assert!(curated_names("Artificial Intelligence over USB").is_empty());
    assert_eq!(
        curated_names("Intel's chips, US-China talks"),
        vec!["Intel", "United States", "China"]
    );
}

#[test]
fn people_with_titles_and_companies() {
    assert_eq!(
        curated_names("Martin Lau de Tencent dijo"),
        vec!["Martin Lau", "Tencent"]
    );
    let text = "el fundador de Huawei, Ren Zhengfei, habló con Xi Jinping el 17 de febrero";
    assert_eq!(
        curated_names(text),
        vec!["Huawei", "Ren Zhengfei", "Xi Jinping"]
    );
    assert!(
        discovered_names(text).is_empty(),
        "{:?}",
        discovered_names(text)
    );
}

#[test]
fn surnames_after_a_full_name_point_to_the_person() {
    let spans = matcher().find_spans(
        Lang::Other,
        "Martin Lau habló. Lau dijo que Tencent tiene GPU.",
    );
    let lau: Vec<&EntitySpan> = spans.iter().filter(|s| s.name == "Martin Lau").collect();
    assert_eq!(lau.len(), 2);
}

#[test]
fn discovers_unknown_names_but_not_sentence_starts_or_months() {
    let text = "Según el analista Wolfgang Pröbst, la empresa Zorvex Labs creció en Mayo. Después, todo cambió.";
    assert_eq!(
        discovered_names(text),
        vec!["Wolfgang Pröbst", "Zorvex Labs"]
    );
    assert!(discovered_names("In January the market fell. However, Monday was calm.").is_empty());
}

#[test]
fn find_counts_mentions_and_keeps_surfaces() {
    let body = "Tencent Holdings compró GPU. Holdings de Tencent dijo que Tencent seguirá. \
                La firma Zorvex Labs y ZORVEX LABS crecen; Zorvex Labs también.";
    let hits = matcher().find(Lang::Other, Some("Tencent Says Chip Stock Will Last"), body);
    let tencent = hits.iter().find(|h| h.name == "Tencent");
    let Some(tencent) = tencent else {
        panic!("no Tencent in {hits:?}")
    };
    assert_eq!(tencent.count, 4);
    assert_eq!(
        tencent.surfaces,
        vec!["Tencent", "Tencent Holdings", "Holdings de Tencent"]
    );
    assert_eq!(tencent.facet(), "/entity/org/Tencent");
    let zorvex = hits
        .iter()
        .find(|h| h.kind == EntityKind::Other && h.name == "Zorvex Labs");
    let Some(zorvex) = zorvex else {
        panic!("no Zorvex Labs in {hits:?}")
    };
    assert_eq!(zorvex.count, 3);
    assert_eq!(zorvex.surfaces, vec!["Zorvex Labs", "ZORVEX LABS"]);
    // Title-case words of the headline ("Says", "Chip Stock Will Last") are not names.
    assert!(hits.iter().all(|h| !h.name.contains("Stock")), "{hits:?}");
}

#[test]
fn bad_definitions_are_errors() {
    let def = EntityDef {
        name: "X".into(),
        kind: EntityKind::Org,
        aliases: vec![String::new()],
        case_sensitive: vec![],
    };
    assert!(matches!(
        EntityMatcher::new(&[def]),
        Err(EntityError::EmptyAlias { .. })
    ));
}

#[test]
fn typographic_and_plain_apostrophes_name_the_same_entity() {
    let def = |name: &str, kind| EntityDef {
        name: name.into(),
        kind,
        aliases: vec![],
        case_sensitive: vec![],
    };
    let defs = [
        def("McDonald’s", EntityKind::Org),
        def("Conan O'Brien", EntityKind::Person),
    ];
    let matcher = match EntityMatcher::new(&defs) {
        Ok(matcher) => matcher,
        Err(error) => panic!("{error}"),
    };
    // Each ’ is three bytes in the text and one in its folded form: the spans must still be exact.
    let text = "Conan O’Brien ate at McDonald's, then at McDonald’s again.";
    let found: Vec<(String, Option<&str>)> = matcher
        .find_spans(Lang::Other, text)
        .into_iter()
        .filter(|span| span.curated)
        .map(|span| (span.name, text.get(span.start..span.end)))
        .collect();
    assert_eq!(
        found,
        vec![
            ("Conan O'Brien".to_string(), Some("Conan O’Brien")),
            ("McDonald’s".to_string(), Some("McDonald's")),
            ("McDonald’s".to_string(), Some("McDonald’s")),
        ]
    );
}

/// Throughput on Reuters-21578 bodies; run with
/// `cargo test --release reuters_throughput -- --ignored --nocapture` (skips when the corpus is absent).
#[test]
#[ignore]
fn reuters_throughput() {
    let path = std::env::var("REUTERS_JSONL")
        .unwrap_or_else(|_| "/work/shared/corpora/reuters21578/reuters21578.jsonl".to_string());
    let Ok(raw) = std::fs::read_to_string(&path) else {
        println!("{path} not found; skipped");
        return;
    };
    let docs: Vec<(Option<String>, String)> = raw
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|v| {
            let title = v.get("title").and_then(|t| t.as_str()).map(str::to_string);
            let body = v
                .get("body")
                .and_then(|b| b.as_str())
                .unwrap_or("")
                .to_string();
            (title, body)
        })
        .collect();
    let matcher = matcher();
    let bytes: usize = docs.iter().map(|d| d.1.len()).sum();
    let started = std::time::Instant::now();
    let mut hits = 0;
    for (title, body) in &docs {
        hits += matcher.find(Lang::Other, title.as_deref(), body).len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} documents, {:.1} MB, {hits} hits in {seconds:.2} s: {:.0} docs/s, {:.1} MB/s",
        docs.len(),
        bytes as f64 / 1e6,
        docs.len() as f64 / seconds,
        bytes as f64 / 1e6 / seconds
    );
    assert!(hits > docs.len(), "too few entities found: {hits}");
}

#[test]
fn lone_discovered_words_need_a_second_mention() {
    let names = |body: &str| -> Vec<String> {
        matcher()
            .find(Lang::Other, None, body)
            .into_iter()
            .filter(|h| h.kind == EntityKind::Other)
            .map(|h| h.name)
            .collect()
    };
    let once = names("Shares rose after the talks with Qarvold ended on a quiet note.");
    assert!(once.is_empty(), "{once:?}");
    let twice = names("Talks with Qarvold ended. Analysts said Qarvold would sell more chips.");
    assert_eq!(twice, vec!["Qarvold"]);
    let two_words = names("Talks with Qarvold Mining ended on a quiet note.");
    assert_eq!(two_words, vec!["Qarvold Mining"]);
}

fn hits(lang: Lang, title: Option<&str>, body: &str) -> Vec<(EntityKind, String, u32)> {
    matcher()
        .find(lang, title, body)
        .into_iter()
        .map(|h| (h.kind, h.name, h.count))
        .collect()
}

#[test]
fn tagged_names_get_real_types_without_a_second_mention_and_misc_is_dropped() {
    let found = hits(
        Lang::En,
        None,
        "Czech President Vaclav Havel met officials of Real Madrid in Madrid on Monday.",
    );
    assert_eq!(
        found,
        vec![
            (EntityKind::Org, "Real Madrid".to_string(), 1),
            (EntityKind::Person, "Vaclav Havel".to_string(), 1),
            (EntityKind::Place, "Madrid".to_string(), 1),
        ]
    );
}

#[test]
fn the_gazetteer_names_tagged_spans_in_spanish() {
    let found = hits(
        Lang::Es,
        None,
        "El presidente de Telefónica, Juan Villalonga, viajó ayer a EE.UU. y después a Buenos Aires.",
    );
    assert!(
        found.contains(&(EntityKind::Place, "United States".to_string(), 1)),
        "{found:?}"
    );
    assert!(found.contains(&(EntityKind::Person, "Juan Villalonga".to_string(), 1)));
    assert!(found.contains(&(EntityKind::Org, "Telefónica".to_string(), 1)));
}

#[test]
fn a_place_written_in_lower_case_is_a_word_and_a_place_in_an_event_name_is_part_of_it() {
    let places = |lang: Lang, text: &str| -> Vec<String> {
        hits(lang, None, text)
            .into_iter()
            .filter(|(kind, _, _)| *kind == EntityKind::Place)
            .map(|(_, name, _)| name)
            .collect()
    };
    assert_eq!(
        places(Lang::Es, "La selección argentina ganó en Lima."),
        vec!["Lima"]
    );
    assert_eq!(
        places(Lang::Es, "Argentina ganó en Lima."),
        vec!["Argentina", "Lima"]
    );
    assert_eq!(
        places(
            Lang::En,
            "Sampras won the U.S. Open on Sunday before flying to Paris."
        ),
        vec!["Paris"]
    );
}

#[test]
fn a_common_word_that_starts_a_sentence_is_no_name() {
    let found = hits(
        Lang::En,
        None,
        "Shr 3 cts vs 2 cts.\nBlah blah blah.\nJohn Smith said shares rose.",
    );
    assert!(
        !found.iter().any(|(_, name, _)| name == "Blah"),
        "{found:?}"
    );
    assert!(found.contains(&(EntityKind::Person, "John Smith".to_string(), 1)));
}

#[test]
fn a_surname_alone_is_the_person_named_in_full() {
    let found = hits(
        Lang::En,
        Some("Havel meets the press"),
        "Czech President Vaclav Havel spoke on Monday. Havel said the talks went well.",
    );
    let havel: Vec<_> = found.iter().filter(|h| h.1.contains("Havel")).collect();
    assert_eq!(
        havel,
        vec![&(EntityKind::Person, "Vaclav Havel".to_string(), 3)],
        "{found:?}"
    );
}

#[test]
fn a_user_entity_wins_over_the_tagger() {
    let mut defs = default_entities();
    let user = vec![false; defs.len()];
    defs.push(EntityDef {
        name: "Qarvold Group".into(),
        kind: EntityKind::Org,
        aliases: vec!["Qarvold".into()],
        case_sensitive: vec![],
    });
    let mut user = user;
    user.push(true);
    let matcher = match EntityMatcher::with_user_entities(&defs, &user) {
        Ok(matcher) => matcher,
        Err(error) => panic!("{error}"),
    };
    let found: Vec<(EntityKind, String)> = matcher
        .find(
            Lang::En,
            None,
            "Analysts at Qarvold said on Monday that demand had fallen.",
        )
        .into_iter()
        .map(|h| (h.kind, h.name))
        .collect();
    assert_eq!(found, vec![(EntityKind::Org, "Qarvold Group".to_string())]);
}

#[test]
fn common_words_in_capitals_are_not_tagged_names() {
    // The sample corpus's Tencent story: a tagger trained on 1990s news took GPU for an
    // organisation.
    let text = "Tencent dice que tiene bastantes GPU para entrenar sus modelos. Las restricciones \
                de EEUU a las GPU avanzadas para China empezaron en 2022. La IA china avanza.";
    let found = hits(Lang::Es, None, text);
    let names: Vec<&str> = found.iter().map(|(_, name, _)| name.as_str()).collect();
    assert!(names.contains(&"Tencent"), "{found:?}");
    assert!(names.contains(&"United States"), "{found:?}");
    assert!(
        !names.iter().any(|name| ["GPU", "IA"].contains(name)),
        "{found:?}"
    );
    let english = hits(
        Lang::En,
        None,
        "Nvidia said the AI boom lifted GPU sales, its CEO told analysts on Monday.",
    );
    let names: Vec<&str> = english.iter().map(|(_, name, _)| name.as_str()).collect();
    assert!(names.contains(&"Nvidia"), "{english:?}");
    assert!(
        !names.iter().any(|name| ["AI", "GPU", "CEO"].contains(name)),
        "{english:?}"
    );
}

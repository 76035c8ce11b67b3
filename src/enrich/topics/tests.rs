//! Tests of topic classification: the stem gate, the screen, rule semantics and the embedded taxonomy.

use super::*;

/// The stems `stemmer` gives `word` (one per hyphen-free part).
fn stems(stemmer: Stemmer, word: &str) -> Vec<String> {
    let mut out = Vec::new();
    stemmer.stems_of(word, &mut String::new(), |stem| out.push(stem.to_string()));
    out
}

/// The gate must never turn away a word whose stem a rule uses, or a topic would be missed.
fn gate_admits_its_own_words(word: &str) {
    for lang in StemLang::ALL {
        let stemmer = Stemmer::new(lang);
        for stem in stems(stemmer, word) {
            let mut gate = StemGate::default();
            gate.admit(&stem);
            let mut folded = String::new();
            crate::text::fold_into(word, &mut folded);
            assert!(
                gate.may_stem_to_a_rule(&folded),
                "{lang:?}: {word:?} stems to {stem:?} but the gate turns it away"
            );
        }
    }
}

#[test]
fn gate_admits_words_whose_stems_change_early() {
    for word in [
        "dying",
        "lying",
        "tying",
        "skies",
        "spies",
        "cries",
        "spy",
        "ugly",
        "early",
        "only",
        "gently",
        "news",
        "exportaciones",
        "controles",
        "países",
        "fábricas",
        "chips",
        "ai",
    ] {
        gate_admits_its_own_words(word);
    }
}

/// The default taxonomy plus a topic of awkward phrases a user might write, its matcher, and
/// every word of its phrases (built once: the tests share it).
fn screen_test_rules() -> &'static (TopicMatcher, Vec<String>) {
    static RULES: std::sync::OnceLock<(TopicMatcher, Vec<String>)> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let mut taxonomy = Taxonomy::embedded();
        taxonomy.topics.push(topic(
            "awkward",
            &[
                "O'Neill",
                "x86-64 chips",
                "5G",
                "ciber seguridad",
                "hard ware",
                "Пекин",
                "dying industry",
                "naïve policies",
                "Huawei's phones",
                "e-commerce",
                "IA",
            ],
        ));
        let words = taxonomy
            .topics
            .iter()
            .flat_map(|topic| &topic.phrases)
            .flat_map(|phrase| phrase.split_whitespace())
            .map(str::to_string)
            .collect();
        (TopicMatcher::new(&taxonomy).unwrap(), words)
    })
}

#[test]
fn the_screen_keeps_every_sample_document_that_matches() {
    let (m, _) = screen_test_rules();
    assert!(m.screen.is_some(), "every phrase should have anchors");
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_corpus");
    let (mut files, mut matched) = (0, 0);
    for entry in walkdir::WalkDir::new(folder) {
        let entry = entry.unwrap();
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        files += 1;
        for lang in ["en", "es", "other"] {
            let unscreened = m.classify_unscreened(None, &text, lang);
            assert_eq!(
                m.classify(None, &text, lang),
                unscreened,
                "{:?}",
                entry.path()
            );
            matched += usize::from(!unscreened.is_empty());
        }
    }
    assert!(
        files > 20 && matched > 20,
        "{files} files, {matched} matched"
    );
    assert!(!m
        .screen
        .as_ref()
        .unwrap()
        .may_match(None, "Grain prices rose in March."));
}

proptest::proptest! {
    /// Texts made of the phrases' words, inflected, re-cased and shuffled.
    #[test]
    fn screened_and_unscreened_topics_agree(
        picks in proptest::collection::vec((0usize..10_000, 0usize..11, 0usize..9), 1..14)
    ) {
        const ENDINGS: [&str; 11] =
            ["", "s", "es", "ed", "ing", "y", "ción", "ciones", "al", "ly", "'s"];
        const GAPS: [&str; 9] = [" ", " ", " ", ". ", "-", "'", "’", "\n  ", "_"];
        let (m, words) = screen_test_rules();
        let mut text = String::new();
        for (word, ending, gap) in picks {
            let word = &words[word % words.len()];
            let word = if ending % 3 == 0 { word.to_uppercase() } else { word.clone() };
            text.push_str(&word);
            text.push_str(ENDINGS[ending]);
            text.push_str(GAPS[gap]);
        }
        for lang in ["en", "es", "other"] {
            proptest::prop_assert_eq!(
                m.classify(None, &text, lang),
                m.classify_unscreened(None, &text, lang),
                "{}", text
            );
        }
    }
}

proptest::proptest! {
    #[test]
    fn gate_admits_every_word_stemming_to_an_admitted_stem(word in "[a-zñáéíóú]{1,14}") {
        gate_admits_its_own_words(&word);
    }
}

fn topic(id: &str, phrases: &[&str]) -> TopicDef {
    TopicDef {
        id: id.to_string(),
        label: id.to_string(),
        parent: None,
        phrases: phrases.iter().map(|p| p.to_string()).collect(),
        required: Vec::new(),
        excluded: Vec::new(),
        min_hits: 1,
        query: None,
        learned: false,
    }
}

fn matcher(topics: Vec<TopicDef>) -> TopicMatcher {
    TopicMatcher::new(&Taxonomy {
        topics,
        entities: Vec::new(),
    })
    .unwrap()
}

fn ids(found: &[TopicMatch]) -> Vec<&str> {
    found.iter().map(|m| m.id.as_str()).collect()
}

fn hits(matcher: &TopicMatcher, body: &str, lang: &str) -> u32 {
    matcher
        .classify(None, body, lang)
        .first()
        .map_or(0, |m| m.hits)
}

#[test]
fn spanish_inflections_accents_and_stop_words() {
    let m = matcher(vec![topic("ec", &["control de exportación"])]);
    assert_eq!(
        hits(&m, "Los CONTROLES DE EXPORTACIONES de EE.UU.", "es"),
        1
    );
    assert_eq!(hits(&m, "nuevos controles de exportacion", "es"), 1);
    assert_eq!(hits(&m, "el control de las exportaciones", "es"), 1);
    assert_eq!(hits(&m, "control de calidad de la exportación", "es"), 0);
    assert_eq!(hits(&m, "el control. Exportación de vino", "es"), 0);

    let chips = matcher(vec![topic("chips", &["chip de IA"])]);
    assert_eq!(
        hits(&chips, "compró chips de IA y más chips de IA", "es"),
        2
    );
    assert_eq!(hits(&chips, "chips de chocolate", "es"), 0);
}

#[test]
fn english_inflections_and_acronym_plurals() {
    let m = matcher(vec![
        topic("ec", &["export control"]),
        topic("gpu", &["GPU"]),
    ]);
    assert_eq!(hits(&m, "New export controls were announced.", "en"), 1);
    assert_eq!(hits(&m, "Export-control rules", "en"), 1);
    let found = m.classify(None, "It bought GPUs, then more GPUs and one GPU.", "en");
    assert_eq!(ids(&found), vec!["gpu"]);
    assert_eq!(found[0].hits, 3);
    assert!(m.classify(None, "controls on exports", "en").is_empty());
}

/// Two taxonomies used in turn on one thread: each must see its own stems, not the words
/// another rule set cached (a word one gate turns away may be a phrase of the other).
#[test]
fn rule_sets_used_in_turn_do_not_share_cached_words() {
    let exports = matcher(vec![topic("ec", &["export controls"])]);
    let wafers = matcher(vec![topic("fab", &["wafer exports"])]);
    let text = "Export controls hit wafer exports; wafer exports fell.";
    for _ in 0..3 {
        assert_eq!(hits(&exports, text, "en"), 1);
        assert_eq!(hits(&wafers, text, "en"), 2);
    }
}

#[test]
fn other_language_tries_both_stemmers_without_double_counting() {
    let m = matcher(vec![topic(
        "ec",
        &["control de exportación", "export controls"],
    )]);
    let found = m.classify(None, "controles de exportaciones; export controls", "other");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].hits, 2);
    assert_eq!(hits(&m, "controles de exportaciones", "es"), 1);
}

#[test]
fn required_excluded_and_min_hits() {
    let mut training = topic("training", &["entrenamiento de modelos"]);
    training.required = vec!["inteligencia artificial".to_string(), "GPU".to_string()];
    training.excluded = vec!["pasarela".to_string()];
    let mut tariffs = topic("tariffs", &["arancel"]);
    tariffs.min_hits = 2;
    let m = matcher(vec![training, tariffs]);

    assert!(m
        .classify(None, "El entrenamiento de modelos.", "es")
        .is_empty());
    assert_eq!(
        ids(&m.classify(None, "El entrenamiento de modelos usa GPUs.", "es")),
        vec!["training"]
    );
    assert_eq!(
        ids(&m.classify(
            None,
            "Entrenamiento de modelos de inteligencia artificial.",
            "es"
        )),
        vec!["training"]
    );
    assert!(m
        .classify(
            None,
            "Entrenamiento de modelos con GPU para la pasarela.",
            "es"
        )
        .is_empty());

    assert!(m.classify(None, "Un arancel nuevo.", "es").is_empty());
    let two = m.classify(None, "Un arancel nuevo y otros aranceles.", "es");
    assert_eq!(ids(&two), vec!["tariffs"]);
    assert_eq!(two[0].hits, 2);
}

#[test]
fn title_hits_count_and_do_not_join_the_body() {
    let mut ec = topic("ec", &["export controls", "chip sales"]);
    ec.min_hits = 2;
    let m = matcher(vec![ec]);
    let found = m.classify(Some("Export controls"), "They curbed chip sales.", "en");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].hits, 2);
    // "export" ends the title and "controls" starts the body: no phrase across them.
    assert!(m
        .classify(Some("Wine export"), "Controls on chip sales.", "en")
        .is_empty());
}

#[test]
fn evidence_names_rule_phrases_with_counts() {
    let m = matcher(vec![topic(
        "ec",
        &[
            "export controls",
            "chip export controls",
            "export control",
            "H20",
        ],
    )]);
    let found = m.classify(
        None,
        "Chip export controls hit the H20. Export controls again, and the H20 too; H20.",
        "en",
    );
    assert_eq!(found.len(), 1);
    let evidence: Vec<(&str, u32)> = found[0]
        .evidence
        .iter()
        .map(|e| (e.phrase.as_str(), e.hits))
        .collect();
    // The nested "export controls" inside "chip export controls" counts once, for the
    // longer phrase; "export control" stems like "export controls" and adds nothing.
    // Ties keep the order of the definition.
    assert_eq!(
        evidence,
        vec![
            ("H20", 3),
            ("export controls", 1),
            ("chip export controls", 1)
        ]
    );
    assert_eq!(found[0].hits, 5);
    assert_eq!(found[0].facet, "/topic/ec");
}

#[test]
fn facets_include_the_parent() {
    let parent = TopicDef {
        phrases: Vec::new(),
        ..topic("geopolitics", &[])
    };
    let mut child = topic("export-controls", &["export controls"]);
    child.parent = Some("geopolitics".to_string());
    let m = matcher(vec![parent, child]);
    let found = m.classify(None, "export controls", "en");
    assert_eq!(ids(&found), vec!["export-controls"]);
    assert_eq!(found[0].facet, "/topic/geopolitics/export-controls");
}

#[test]
fn query_rules_are_left_to_the_index() {
    let mut by_query = topic("q", &[]);
    by_query.query = Some("nvidia".to_string());
    let m = matcher(vec![by_query]);
    assert!(m.classify(None, "Nvidia nvidia", "en").is_empty());
}

#[test]
fn a_phrase_of_stop_words_only_is_an_error() {
    let result = TopicMatcher::new(&Taxonomy {
        topics: vec![topic("x", &["chips", "a"])],
        entities: Vec::new(),
    });
    let err = result.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("only of stop words"), "{err}");
}

#[test]
fn empty_and_odd_input_gives_nothing() {
    let m = TopicMatcher::new(&Taxonomy::embedded()).unwrap();
    for text in [
        "",
        " ",
        "|||",
        "....",
        "\u{301}\u{301}",
        "a-",
        "-'-",
        "\0\u{feff}",
    ] {
        assert!(m.classify(Some(text), text, "other").is_empty(), "{text:?}");
    }
}

const SPANISH_STORY: &str = "Tencent dijo que su reserva de GPU de gama alta, compradas a \
    Nvidia, basta para entrenar sus modelos durante varias generaciones. Las empresas chinas \
    encargaron chips H20 antes de que Washington impusiera controles a la exportación en abril. \
    El fundador de Huawei afirmó que más de 2.000 empresas buscan la autosuficiencia en \
    semiconductores para 2028. La optimización del software mejora la eficiencia de la \
    inferencia, y Tencent integró su modelo de razonamiento en el chatbot Yuanbao.";

const ENGLISH_STORY: &str = "Musk warned that Taiwan makes nearly all advanced AI chips \
    and that a blockade of Taiwan would break the chip supply chain, as TSMC fabs sit there. \
    The US-China rivalry widened after the Entity List added Chinese firms; new export \
    controls target Nvidia's H20.";

#[test]
fn embedded_topics_find_the_story_in_both_languages() {
    let m = TopicMatcher::new(&Taxonomy::embedded()).unwrap();
    let es = m.classify(None, SPANISH_STORY, "es");
    for id in [
        "export-controls",
        "ai-chips",
        "model-training",
        "semiconductor-self-sufficiency",
        "inference-efficiency",
        "ai-models",
    ] {
        assert!(ids(&es).contains(&id), "{id} missing from {:?}", ids(&es));
    }
    let en = m.classify(None, ENGLISH_STORY, "en");
    for id in [
        "taiwan-supply-risk",
        "us-china-rivalry",
        "sanctions-entity-list",
        "export-controls",
        "ai-chips",
        "chip-manufacturing",
    ] {
        assert!(ids(&en).contains(&id), "{id} missing from {:?}", ids(&en));
    }
}

#[test]
fn embedded_topics_ignore_unrelated_news() {
    let m = TopicMatcher::new(&Taxonomy::embedded()).unwrap();
    let distractors = [
        (
            "es",
            "El Real Madrid ganó el partido por dos goles a uno. El entrenador elogió \
            el entrenamiento de la semana y la defensa controló el juego; la afición celebró \
            en la plaza hasta la medianoche.",
        ),
        (
            "en",
            "United won the match 2-1 after a late header. The manager praised the \
            training sessions and said the squad models its pressing on the best sides in \
            Europe; fans sang until the final whistle.",
        ),
        (
            "es",
            "Receta: pela las patatas, córtalas en láminas finas y fríelas en aceite de \
            oliva caliente. Sirve las patatas fritas con sal y una salsa de yogur; añade \
            chips de chocolate al postre.",
        ),
        (
            "en",
            "Slice the potatoes thinly, fry the chips in hot oil and season them. For \
            dessert, fold chocolate chips into the batter and bake the wafers for 12 minutes.",
        ),
        (
            "es",
            "La cosecha de aceituna en Jaén avanza con buen ritmo gracias a las lluvias \
            de otoño. Las cooperativas esperan una producción de aceite de oliva récord y \
            precios estables en origen, y las exportaciones a Italia crecerán.",
        ),
        (
            "en",
            "The olive harvest in Andalusia is ahead of schedule after autumn rain. \
            Cooperatives expect record olive-oil output, steady farm-gate prices and \
            higher exports of oil to Italy.",
        ),
    ];
    for (lang, text) in distractors {
        let found = m.classify(None, text, lang);
        assert!(found.is_empty(), "{text:?} got {:?}", ids(&found));
        assert!(
            m.classify(None, text, "other").is_empty(),
            "{text:?} as other"
        );
    }
}

/// Throughput on the Reuters-21578 bodies (English newswire, no AI-chip news):
/// `cargo test --release topics_speed -- --ignored --nocapture`. The corpus is read from
/// `TOPICTRACK_REUTERS` or `../shared/corpora/reuters21578/reuters21578.jsonl`.
#[test]
#[ignore = "benchmark; needs the shared Reuters corpus"]
fn topics_speed_on_reuters() {
    let path = std::env::var("TOPICTRACK_REUTERS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpora/reuters21578/reuters21578.jsonl"
        )
        .to_string()
    });
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: no corpus at {path}");
        return;
    };
    let docs: Vec<(Option<String>, String)> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|v| {
            let title = v["title"].as_str().map(str::to_string);
            (title, v["body"].as_str().unwrap_or("").to_string())
        })
        .collect();
    let bytes: usize = docs.iter().map(|(_, body)| body.len()).sum();
    let m = TopicMatcher::new(&Taxonomy::embedded()).unwrap();
    for lang in ["en", "other"] {
        let started = std::time::Instant::now();
        let mut per_topic: HashMap<String, usize> = HashMap::new();
        for (title, body) in &docs {
            for found in m.classify(title.as_deref(), body, lang) {
                *per_topic.entry(found.id).or_default() += 1;
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "lang {lang}: {} docs, {:.1} MB in {seconds:.2} s: {:.0} docs/s, {:.1} MB/s",
            docs.len(),
            bytes as f64 / 1e6,
            docs.len() as f64 / seconds,
            bytes as f64 / 1e6 / seconds
        );
        let mut counts: Vec<_> = per_topic.into_iter().collect();
        counts.sort();
        println!("  documents per topic: {counts:?}");
        assert!(!docs.is_empty());
    }
}

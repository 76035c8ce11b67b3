//! Property tests ("fuzzing" with proptest) for every parser that sees user input: dates,
//! date arguments, file readers (front matter, JSON, JSON Lines, HTML, text), the entity and
//! topic matchers and the query parser. The property is always "no panic, and sane output".
//!
//! `cargo test` runs proptest's default 256 cases; `PROPTEST_CASES=100000 cargo test --release
//! --test cli fuzz_parsers::` runs a long session.

use std::sync::OnceLock;

use proptest::prelude::*;
use topictrack::corpus::{read_file, DocSink, FoundFile, Problem, ReadOptions};
use topictrack::document::SourceDoc;
use topictrack::enrich::Enricher;
use topictrack::error::Field;
use topictrack::index::{IndexRequest, OpenIndex, Silent};
use topictrack::query::{parse_date_arg, search, Filters, RangeEnd, SearchRequest, SortOrder};
use topictrack::taxonomy::Taxonomy;

/// Text that looks like what the parsers expect, broken in random places.
fn date_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9]{1,9}([-/. ][0-9]{1,5}){0,3}( [0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?)?",
        "[0-9]{1,2} (de )?(enero|febrero|May|Sept|dic\\.?|FEB) (de )?[0-9]{1,6}",
        "(lunes|Mon), [0-9]{1,3} [A-Za-z]{3} [0-9]{2,5} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,12})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?",
    ]
}

proptest! {
    #[test]
    fn lenient_dates_never_panic_and_are_real(text in date_like()) {
        // The text is the document's metadata date, its title and its body, so the metadata
        // parser, the date-in-text finder and the mentioned-date scanner all see it.
        let doc = SourceDoc {
            title: Some(text.clone()),
            body: text.clone(),
            date_raw: Some(text.clone()),
            ..SourceDoc::default()
        };
        let enrichment = enricher().enrich(&doc);
        if let Some((parsed, _)) = enrichment.published {
            // A returned date always formats and is within chrono's range.
            prop_assert!(!parsed.to_string().is_empty());
        }
        for mention in &enrichment.mentioned {
            prop_assert!(!mention.text.is_empty());
        }
    }

    #[test]
    fn date_arguments_are_dates_or_errors_naming_the_field(text in date_like()) {
        for end in [RangeEnd::Start, RangeEnd::End] {
            if let Err(err) = parse_date_arg(Field::From, &text, end) {
                prop_assert!(err.to_string().contains("from"), "{}", err);
            }
        }
        let _ = Filters::default().with_dates(Some(&text), Some(&text));
    }
}

/// Collects what a reader produced.
#[derive(Default)]
struct Sink {
    docs: Vec<SourceDoc>,
    skipped: Vec<Problem>,
}

impl DocSink for Sink {
    fn document(&mut self, doc: SourceDoc) {
        self.docs.push(doc);
    }
    fn skipped(&mut self, problem: Problem) {
        self.skipped.push(problem);
    }
    fn warning(&mut self, _: Problem) {}
}

/// Fragments the readers care about, glued together in random order.
fn file_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"---\n".to_vec()),
        Just(b"+++\n".to_vec()),
        Just(b"title: \"x\"\n".to_vec()),
        Just(b"date: 2025-02-30\n".to_vec()),
        Just(b"tags: [a, *b, &c [d]]\n".to_vec()),
        Just(b"{\"title\":\"t\",\"text\":\"b\",\"date\":\"2024-01-01\"}\n".to_vec()),
        Just(b"[{\"a\":[{\"b\":".to_vec()),
        Just(b"}]}\n".to_vec()),
        Just(b"<html><script>x<y</script><p>Hola <b>mundo".to_vec()),
        Just(b"<meta charset=koi8-r>".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xFF\xFE".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\x00".to_vec()),
        "[ -~\n]{0,40}".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..40),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

/// One folder shared by every case. A static is never dropped, so it lives under
/// cargo's scratch folder for integration tests (emptied by `cargo clean`), not in
/// the system temp folder, where each run would leave one behind.
fn scratch() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir"))
}

proptest! {
    #[test]
    fn file_readers_never_panic(bytes in file_like(), ext in prop::sample::select(
        vec!["md", "txt", "html", "json", "jsonl"])) {
        let path = scratch().path().join(format!(
            "f{:?}.{ext}", std::thread::current().id()).replace(['(', ')'], ""));
        std::fs::write(&path, &bytes).expect("written");
        let found = FoundFile::from_path(&path).expect("found");
        let mut sink = Sink::default();
        read_file(&found, &ReadOptions { max_bytes: 4096, ..ReadOptions::default() }, &mut sink);
        for problem in &sink.skipped {
            // The reader's own last-resort message means a panic was caught: a bug.
            prop_assert!(!problem.reason.starts_with("internal error"), "{:?} on {:?}", problem, bytes);
        }
        for doc in &sink.docs {
            prop_assert_eq!(&doc.path, &path);
        }
    }
}

/// Full enrichment with the built-in taxonomy and gazetteer, compiled once.
fn enricher() -> &'static Enricher {
    static ENRICHER: OnceLock<Enricher> = OnceLock::new();
    ENRICHER.get_or_init(|| Enricher::new(&Taxonomy::embedded(), true).expect("embedded taxonomy"))
}

fn news_like() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("Nvidia".to_owned()),
        Just("EE.UU.".to_owned()),
        Just("Banco Central".to_owned()),
        Just("export controls".to_owned()),
        Just("chips".to_owned()),
        Just("ÁÉÍÓÚ".to_owned()),
        Just("S.A.".to_owned()),
        Just("\u{301}".to_owned()),
        Just("İ".to_owned()),
        Just("ß".to_owned()),
        Just("-".to_owned()),
        Just("'".to_owned()),
        "[A-Z][a-z]{0,8}",
        any::<String>(),
    ];
    proptest::collection::vec(word, 0..30).prop_map(|words| words.join(" "))
}

proptest! {
    #[test]
    fn entity_and_topic_matchers_never_panic(title in news_like(), body in news_like(),
        lang in prop::sample::select(vec!["es", "en", "other", ""])) {
        let doc = SourceDoc {
            title: Some(title),
            body,
            lang: Some(lang.to_string()),
            ..SourceDoc::default()
        };
        let enrichment = enricher().enrich(&doc);
        for entity in &enrichment.entities {
            prop_assert!(entity.count >= 1, "{:?}", entity);
            prop_assert!(!entity.name.trim().is_empty(), "{:?}", entity);
            prop_assert!(entity.surfaces.iter().all(|surface| !surface.trim().is_empty()), "{:?}", entity);
        }
        for topic in &enrichment.topics {
            prop_assert!(topic.facet.starts_with("/topic/"), "{:?}", topic);
            prop_assert!(topic.hits >= 1, "{:?}", topic);
        }
    }
}

/// A small real index, built once, for the query parser.
fn query_index() -> &'static OpenIndex {
    static INDEX: OnceLock<OpenIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let root = scratch().path().join("query-corpus");
        std::fs::create_dir_all(&root).expect("corpus folder");
        std::fs::write(
            root.join("a.md"),
            "---\ntitle: A\ndate: 2024-01-01\n---\nNvidia chips.\n",
        )
        .expect("written");
        let index_dir = scratch().path().join("query-index");
        let request = IndexRequest {
            roots: vec![root],
            index_dir: index_dir.clone(),
            rebuild: false,
            read: ReadOptions::default(),
            taxonomy_files: Vec::new(),
            entity_files: Vec::new(),
            full_enrichment: false,
            memory_budget: 32 * 1024 * 1024,
            forget: Vec::new(),
            prune_missing: false,
            stdin: None,
            urls: Vec::new(),
            fetch: topictrack::corpus::FetchOptions::default(),
        };
        topictrack::index::run(&request, &Silent).expect("indexed");
        topictrack::index::open_existing(&index_dir).expect("opens")
    })
}

fn query_like() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("AND"),
        Just("OR"),
        Just("NOT"),
        Just("("),
        Just(")"),
        Just("\""),
        Just("'"),
        Just(":"),
        Just("title:"),
        Just("nosuch:"),
        Just("*"),
        Just("~"),
        Just("^2"),
        Just("["),
        Just("]"),
        Just("{"),
        Just("}"),
        Just("TO"),
        Just("\\"),
        Just("-"),
        Just("+"),
        Just("chips"),
        Just("O'Brien"),
        Just("date:"),
        Just("IN"),
    ]
    .prop_map(str::to_owned);
    let any_token = prop_oneof![token, any::<String>()];
    proptest::collection::vec(any_token, 0..12).prop_map(|tokens| tokens.join(" "))
}

proptest! {
    #[test]
    fn query_parser_never_panics(text in query_like()) {
        // A query that parses also runs, with snippets and facets; one that does not is a
        // user error with a message.
        let request = SearchRequest {
            query: text,
            filters: Filters::default(),
            limit: 5,
            offset: 0,
            sort: SortOrder::Relevance,
            facets: Some(3),
        };
        match search(query_index(), &request) {
            Ok(results) => prop_assert!(results.hits.len() <= results.total),
            Err(err) => {
                prop_assert!(err.is_user_error(), "{}", err);
                prop_assert!(!err.to_string().is_empty());
            }
        }
    }
}

//! Learns the tagger's word clusters from unlabelled news in the shared corpora and writes
//! `models/clusters-en.bin` and `models/clusters-es.bin`, which `train_ner` folds into the models.
//!
//! Run: `cargo run --release --example word_clusters [-- OPTIONS]`
//!   --lang en|es      one language only (default: both)
//!   --min-count N     words seen fewer times get no cluster (default 1: every word)
//!   --passes N        exchange passes per granularity (default 12)
//!   --out DIR         where to write (default `models/` of the crate)
//!
//! The text: English from Reuters-21578, BBC News and the words of the CoNLL-2003 train set; Spanish
//! from Cinco Días, the train and development sets of the Spanish fake-news corpus, Bolivian news of
//! 2020 and the words of the CoNLL-2002 train set. No test set of any corpus is read (CoNLL test A
//! and B, the fake-news test set, MEANTIME). The shared folder is `TOPICTRACK_SHARED`, or `../shared`.

#[path = "support/conll.rs"]
mod conll;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use topictrack::enrich::tagger::exchange::{self, Settings, Text, BOUNDARY};
use topictrack::enrich::tagger::features::word_key;
use topictrack::enrich::tagger::tokens::tokenize;
use topictrack::enrich::Lang;

struct Options {
    langs: Vec<Lang>,
    settings: Settings,
    out: PathBuf,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        langs: vec![Lang::En, Lang::Es],
        settings: Settings {
            min_count: 1,
            passes: 12,
        },
        out: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/models")),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--lang" => o.langs = conll::langs(&value()?)?,
            "--min-count" => {
                o.settings.min_count = value()?.parse().map_err(|e| format!("--min-count: {e}"))?
            }
            "--passes" => {
                o.settings.passes = value()?.parse().map_err(|e| format!("--passes: {e}"))?
            }
            "--out" => o.out = PathBuf::from(value()?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

/// Appends the words of `text`, sentence by sentence, to `words`.
fn add_text(text: &str, words: &mut Vec<u64>) {
    let tokenized = tokenize(text);
    for sentence in &tokenized.sentences {
        for token in tokenized.tokens.get(sentence.clone()).unwrap_or(&[]) {
            if let Some(word) = text.get(token.start..token.end) {
                words.push(word_key(word));
            }
        }
        words.push(BOUNDARY);
    }
}

/// The text fields of each JSON Lines record of `path`.
fn add_json_lines(path: &Path, fields: &[&str], words: &mut Vec<u64>) -> Result<usize, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut records = 0;
    for line in std::io::BufReader::new(file).lines() {
        let line = line.map_err(|e| format!("{}: {e}", path.display()))?;
        let Ok(record) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        for field in fields {
            if let Some(text) = record.get(*field).and_then(|v| v.as_str()) {
                add_text(text, words);
            }
        }
        records += 1;
    }
    Ok(records)
}

/// The words of a CoNLL train set, sentence by sentence (read by the examples' one CoNLL reader).
fn add_conll(path: &Path, lang: Lang, words: &mut Vec<u64>) -> Result<usize, String> {
    let docs = conll::read(path, lang).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut sentences = 0;
    for doc in &docs {
        for sentence in &doc.sentences {
            let sentence_words = doc.words.get(sentence.clone()).unwrap_or(&[]);
            words.extend(sentence_words.iter().map(|word| word_key(word)));
            words.push(BOUNDARY);
            sentences += 1;
        }
    }
    Ok(sentences)
}

fn learn_one(lang: Lang, o: &Options, shared: &Path) -> Result<(), String> {
    let corpora = shared.join("corpora");
    let conll_files = conll::files(lang);
    let conll_train = corpora.join("conll").join(conll_files.train);
    let lang_code = conll_files.code;
    let mut words = Vec::new();
    let started = Instant::now();
    let read = |what: &str, count: Result<usize, String>| -> Result<(), String> {
        println!("[{lang_code}] {what}: {}", count?);
        Ok(())
    };
    if lang == Lang::En {
        let reuters = corpora.join("reuters21578/reuters21578.jsonl");
        read(
            "Reuters-21578 records",
            add_json_lines(&reuters, &["title", "body", "text"], &mut words),
        )?;
        let bbc = corpora.join("bbc/bbc_news.jsonl");
        read(
            "BBC News records",
            add_json_lines(&bbc, &["title", "text"], &mut words),
        )?;
        read(
            "CoNLL-2003 train sentences",
            add_conll(&conll_train, lang, &mut words),
        )?;
    } else {
        let cincodias = corpora.join("cincodias_energia_es/cincodias_energia_es.jsonl");
        read(
            "Cinco Días records",
            add_json_lines(&cincodias, &["title", "summary"], &mut words),
        )?;
        for split in ["train", "development"] {
            let path = corpora.join(format!("fakenews_es/{split}.jsonl"));
            read(
                &format!("fake-news {split} records"),
                add_json_lines(&path, &["headline", "text"], &mut words),
            )?;
        }
        let bolivia = corpora.join("noticias_bolivia_2020/noticias_bolivia_2020.jsonl");
        read(
            "Bolivian news records",
            add_json_lines(&bolivia, &["title", "text"], &mut words),
        )?;
        read(
            "CoNLL-2002 train sentences",
            add_conll(&conll_train, lang, &mut words),
        )?;
    }
    let tokens = words.iter().filter(|&&w| w != BOUNDARY).count();
    println!("[{lang_code}] {tokens} tokens; learning clusters");
    let clusters = exchange::learn(&Text { words }, o.settings);
    println!(
        "[{lang_code}] {} words clustered in {:.1} s",
        clusters.len(),
        started.elapsed().as_secs_f64()
    );
    let probes: &[&str] = if lang == Lang::En {
        &[
            "london", "paris", "germany", "clinton", "john", "monday", "company", "said",
        ]
    } else {
        &[
            "madrid",
            "barcelona",
            "alemania",
            "aznar",
            "juan",
            "lunes",
            "empresa",
            "dijo",
        ]
    };
    for probe in probes {
        println!(
            "[{lang_code}]   {probe}: {:?}",
            clusters.get(word_key(probe))
        );
    }
    let path = o.out.join(format!("clusters-{lang_code}.bin"));
    std::fs::write(&path, clusters.to_file_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    println!("[{lang_code}] wrote {}", path.display());
    Ok(())
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("word_clusters: {e}");
            return ExitCode::from(2);
        }
    };
    let shared = conll::shared_dir();
    if !shared.join("corpora").is_dir() {
        println!(
            "word_clusters: no corpora in {} (set TOPICTRACK_SHARED); nothing learned",
            shared.display()
        );
        return ExitCode::SUCCESS;
    }
    for &lang in &o.langs {
        if let Err(e) = learn_one(lang, &o, &shared) {
            eprintln!("word_clusters: {e}");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

//! Measures our averaged perceptron against the `crfs` crate (a pure-Rust port of CRFsuite: a
//! linear-chain CRF trained with L-BFGS) on the same features, so the choice of our own decoder rests on
//! a measurement. For each language, every token's hashed feature rows (as `features::Extractor`
//! computes them for the shipped model) become crfs attributes (the row number as the name, value 1);
//! a CRF is trained on the CoNLL train set for each setting of a small regularisation grid, scored on
//! test A as `train_ner` scores (per-document typed F1, conlleval mention F1), and the best setting on
//! test A is timed against the shipped model: tokens per second on one thread over the test A words
//! (features and decoding, median of 5 runs), model size and training time. Test B is never read.
//!
//! Run: `cargo run --release --example crf_compare [-- OPTIONS]`
//!   --lang en|es          one language only (default: both)
//!   --max-iterations N    L-BFGS iterations at most per setting (default 60)
//!   --grid c1:c2,...      the settings to try (default `0:0.1,0:1,0.1:0.01`)
//!   --verbose             crfs prints its L-BFGS iterations
//!   --sentences           one CRF sequence per sentence instead of per document (see below)
//! The corpus is found in `corpora/conll` of the shared folder (`TOPICTRACK_SHARED`, or `../shared`).
//!
//! Sequences are whole documents: crfs 0.4.1's L-BFGS objective clears and sums gradient vectors of
//! every feature once per training sequence, so with CoNLL's 14,041 English sentences as sequences one
//! evaluation took about 11 s, and with its 946 documents about 2.5 s. The chain then also links the
//! last word of a sentence to the first of the next; the first- and last-of-sentence features are still
//! attributes, and no entity crosses a sentence end when labels become spans. The iteration cap keeps the
//! grid within about 25 minutes of one core; it stops L-BFGS before CRFsuite's own convergence test.

#[path = "support/conll.rs"]
mod conll;
#[path = "support/scores.rs"]
mod scores;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crfs::{Attribute, Model as CrfModel};
use topictrack::enrich::tagger::clusters::WordClusters;
use topictrack::enrich::tagger::features::{Extractor, Features};
use topictrack::enrich::tagger::train::{TrainDoc, Trainer};
use topictrack::enrich::tagger::{self, Kind, Model};
use topictrack::enrich::Lang;

use conll::Doc;
use scores::{Scores, MAIN};

/// The perceptron's seed and epochs as `train_ner` trained the shipped models
/// (`bench/results/ner-train-testa.txt`); the retrained model is checked against the shipped one.
const SEED: u64 = 0x007a_99e4_2024;
const fn shipped_epochs(lang: Lang) -> usize {
    match lang {
        Lang::En => 14,
        _ => 14,
    }
}

/// Timed runs of each tagging measurement; the median is reported.
const RUNS: usize = 5;

struct Options {
    langs: Vec<Lang>,
    max_iterations: usize,
    grid: Vec<(f64, f64)>,
    verbose: bool,
    sentences: bool,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        langs: vec![Lang::En, Lang::Es],
        max_iterations: 60,
        grid: vec![(0.0, 0.1), (0.0, 1.0), (0.1, 0.01)],
        verbose: false,
        sentences: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--lang" => o.langs = conll::langs(&value()?)?,
            "--max-iterations" => {
                o.max_iterations = value()?
                    .parse()
                    .map_err(|e| format!("--max-iterations: {e}"))?
            }
            "--grid" => o.grid = grid(&value()?)?,
            "--verbose" => o.verbose = true,
            "--sentences" => o.sentences = true,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

/// Parses `c1:c2,c1:c2,...`.
fn grid(text: &str) -> Result<Vec<(f64, f64)>, String> {
    text.split(',')
        .map(|pair| {
            let (c1, c2) = pair
                .split_once(':')
                .ok_or(format!("--grid: {pair:?} is not c1:c2"))?;
            let number = |s: &str| s.parse::<f64>().map_err(|e| format!("--grid {s:?}: {e}"));
            Ok((number(c1)?, number(c2)?))
        })
        .collect()
}

/// A CRF item sequence (a document or a sentence): each token's attributes.
type Sequence = Vec<Vec<Attribute>>;

/// One line of the final table.
struct Row {
    system: String,
    scores: Scores,
    tokens_per_second: f64,
    decode_only: Option<f64>,
    bytes: usize,
    train_seconds: f64,
}

/// The CRF sequences of a document: the whole document, or each sentence with `--sentences`.
fn units(doc: &Doc, by_sentence: bool) -> Vec<Range<usize>> {
    if by_sentence {
        doc.sentences.clone()
    } else {
        std::iter::once(0..doc.words.len()).collect()
    }
}

/// crfs attributes of each sequence of a document: its tokens' feature rows, named by number.
fn sequences(
    doc: &Doc,
    words: &[&str],
    bits: u32,
    clusters: &WordClusters,
    by_sentence: bool,
    extractor: &mut Extractor,
    features: &mut Features,
) -> Vec<Sequence> {
    extractor.document(words, &doc.sentences, bits, clusters, features);
    units(doc, by_sentence)
        .into_iter()
        .map(|unit| {
            unit.map(|at| {
                features
                    .of(at)
                    .iter()
                    .map(|row| Attribute::new(row.to_string(), 1.0))
                    .collect()
            })
            .collect()
        })
        .collect()
}

fn word_refs(doc: &Doc) -> Vec<&str> {
    doc.words.iter().map(String::as_str).collect()
}

/// The median of `RUNS` timings of `run`, in seconds, and what the last run returned.
fn median<T>(mut run: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        last = Some(run());
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let value = last.expect("RUNS is not zero");
    (times[times.len() / 2], value)
}

/// Labels for a sequence from crfs's tags.
fn crf_labels(tagger: &crfs::Tagger, sequence: &Sequence) -> Result<Vec<u8>, String> {
    let tags = tagger.tag(sequence).map_err(|e| format!("crfs tag: {e}"))?;
    Ok(tags.iter().map(|tag| conll::label_of(tag)).collect())
}

fn perceptron(lang: Lang, model: &Model, train: &[Doc], testa: &[Doc]) -> Result<Row, String> {
    // As `train_ner` does by default: English documents also as running text.
    let docs: Vec<TrainDoc> = train
        .iter()
        .flat_map(|doc| {
            let running = (lang == Lang::En).then(|| doc.as_running_text());
            std::iter::once(doc.clone()).chain(running)
        })
        .collect();
    let started = Instant::now();
    let mut trainer = Trainer::new(&docs, model.bits(), model.clusters().clone(), SEED);
    for _ in 0..shipped_epochs(lang) {
        trainer.epoch();
    }
    let retrained = trainer.model(0);
    let train_seconds = started.elapsed().as_secs_f64();
    let bytes = model.to_bytes();
    println!(
        "  perceptron: retrained {} epochs in {train_seconds:.1} s, {} the shipped model",
        shipped_epochs(lang),
        if retrained.to_bytes() == bytes {
            "byte for byte"
        } else {
            "DIFFERENT from"
        }
    );
    let words: Vec<Vec<&str>> = testa.iter().map(word_refs).collect();
    let (seconds, labels) = median(|| {
        testa
            .iter()
            .zip(&words)
            .map(|(doc, words)| tagger::tag_words(model, words, &doc.sentences))
            .collect::<Vec<_>>()
    });
    let mut scores = Scores::default();
    for (doc, labels) in testa.iter().zip(&labels) {
        scores.add(doc, labels);
    }
    Ok(Row {
        system: "perceptron (shipped)".into(),
        scores,
        tokens_per_second: tokens(testa) as f64 / seconds,
        decode_only: None,
        bytes: bytes.len(),
        train_seconds,
    })
}

fn tokens(docs: &[Doc]) -> usize {
    docs.iter().map(|d| d.words.len()).sum()
}

/// Trains one CRF setting; returns its model file's bytes and the training time.
fn train_crf(
    train: &[Vec<Sequence>],
    train_docs: &[Doc],
    c1: f64,
    c2: f64,
    o: &Options,
    path: &Path,
) -> Result<(Vec<u8>, f64), String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| format!("crfs {what}: {e}");
    let started = Instant::now();
    let mut trainer = crfs::Trainer::lbfgs();
    trainer.verbose(o.verbose);
    trainer
        .params_mut()
        .set_c1(c1)
        .map_err(|e| fail("c1", &e))?;
    trainer
        .params_mut()
        .set_c2(c2)
        .map_err(|e| fail("c2", &e))?;
    trainer
        .params_mut()
        .set_max_iterations(o.max_iterations)
        .map_err(|e| fail("max_iterations", &e))?;
    for (sequences, doc) in train.iter().zip(train_docs) {
        for (xseq, unit) in sequences.iter().zip(units(doc, o.sentences)) {
            let yseq: Vec<String> = doc
                .labels
                .get(unit)
                .unwrap_or(&[])
                .iter()
                .map(|&l| conll::tag_of(l))
                .collect();
            trainer
                .append(xseq, &yseq)
                .map_err(|e| fail("append", &e))?;
        }
    }
    trainer.train(path).map_err(|e| fail("train", &e))?;
    let seconds = started.elapsed().as_secs_f64();
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((bytes, seconds))
}

fn crf_scores(model: &CrfModel, testa: &[Doc], seqs: &[Vec<Sequence>]) -> Result<Scores, String> {
    let tagger = model.tagger().map_err(|e| format!("crfs tagger: {e}"))?;
    let mut scores = Scores::default();
    for (doc, sequences) in testa.iter().zip(seqs) {
        let mut labels = Vec::with_capacity(doc.words.len());
        for sequence in sequences {
            labels.extend(crf_labels(&tagger, sequence)?);
        }
        scores.add(doc, &labels);
    }
    Ok(scores)
}

fn compare(
    o: &Options,
    lang: Lang,
    dir: &Path,
    rows: &mut Vec<(String, Row)>,
) -> Result<(), String> {
    let files = conll::files(lang);
    let code = files.code;
    let read = |name: &str| {
        let path = dir.join(name);
        conll::read(&path, lang).map_err(|e| format!("{}: {e}", path.display()))
    };
    let train = read(files.train)?;
    let testa = read(files.testa)?;
    let model = tagger::shipped(lang).ok_or(format!("no usable shipped model for {code}"))?;
    let bits = model.bits();
    let by_sentence = o.sentences;
    println!(
        "[{code}] {} train documents, {} test A documents ({} tokens), bits {bits}",
        train.len(),
        testa.len(),
        tokens(&testa)
    );
    let ours = perceptron(lang, model, &train, &testa)?;
    println!("  perceptron, test A:");
    ours.scores.print();

    let mut extractor = Extractor::default();
    let mut features = Features::default();
    let started = Instant::now();
    let mut all_sequences = |docs: &[Doc]| -> Vec<Vec<Sequence>> {
        docs.iter()
            .map(|d| {
                sequences(
                    d,
                    &word_refs(d),
                    bits,
                    model.clusters(),
                    by_sentence,
                    &mut extractor,
                    &mut features,
                )
            })
            .collect()
    };
    let train_seqs = all_sequences(&train);
    let testa_seqs = all_sequences(&testa);
    let attributes: usize = train_seqs.iter().flatten().flatten().map(Vec::len).sum();
    println!(
        "  crfs: {attributes} attributes over {} train tokens, built in {:.1} s",
        tokens(&train),
        started.elapsed().as_secs_f64()
    );
    let path = std::env::temp_dir().join(format!(
        "crf_compare-{code}-{}.crfsuite",
        std::process::id()
    ));
    let mut best: Option<(f64, String, Vec<u8>, f64, Scores)> = None;
    for &(c1, c2) in &o.grid {
        let setting = format!("c1 {c1} c2 {c2}");
        let (bytes, seconds) = train_crf(&train_seqs, &train, c1, c2, o, &path)?;
        let crf = CrfModel::new(&bytes).map_err(|e| format!("crfs model: {e}"))?;
        let scores = crf_scores(&crf, &testa, &testa_seqs)?;
        let f1 = scores.doc_f1();
        println!(
            "  crfs {setting}: trained in {seconds:.0} s (at most {} iterations), model {:.2} MB; test A per-document F1 {f1:.4}, mentions {:.4}",
            o.max_iterations,
            bytes.len() as f64 / 1e6,
            scores.mention_f1()
        );
        if best.as_ref().is_none_or(|b| f1 > b.0) {
            best = Some((f1, setting, bytes, seconds, scores));
        }
    }
    // The model lives in memory from here on; a leftover file would only be clutter.
    let _ = std::fs::remove_file(&path);
    let Some((_, setting, bytes, train_seconds, scores)) = best else {
        return Err("empty grid".into());
    };
    println!("  crfs, chosen on test A ({setting}):");
    scores.print();

    let crf = CrfModel::new(&bytes).map_err(|e| format!("crfs model: {e}"))?;
    let crf_tagger = crf.tagger().map_err(|e| format!("crfs tagger: {e}"))?;
    let words: Vec<Vec<&str>> = testa.iter().map(word_refs).collect();
    let (full, done) = median(|| -> Result<usize, String> {
        let mut extractor = Extractor::default();
        let mut features = Features::default();
        let mut tagged = 0;
        for (doc, words) in testa.iter().zip(&words) {
            for sequence in sequences(
                doc,
                words,
                bits,
                model.clusters(),
                by_sentence,
                &mut extractor,
                &mut features,
            ) {
                tagged += crf_labels(&crf_tagger, &sequence)?.len();
            }
        }
        Ok(tagged)
    });
    done?;
    let (decode, done) = median(|| -> Result<usize, String> {
        let mut tagged = 0;
        for sequence in testa_seqs.iter().flatten() {
            tagged += crf_labels(&crf_tagger, sequence)?.len();
        }
        Ok(tagged)
    });
    done?;
    let n = tokens(&testa) as f64;
    rows.push((code.to_string(), ours));
    rows.push((
        code.to_string(),
        Row {
            system: format!("crfs {setting}"),
            scores,
            tokens_per_second: n / full,
            decode_only: Some(n / decode),
            bytes: bytes.len(),
            train_seconds,
        },
    ));
    Ok(())
}

fn print_table(rows: &[(String, Row)]) {
    println!();
    println!("Test A. doc: per-document F1 (PER, ORG, LOC, and the three together); mention: conlleval F1");
    println!("(P+O+L, and all four types). tokens/s: test A words, one thread, features and decoding (crfs:");
    println!("with its attribute vectors; tag(): crfs decoding alone), median of {RUNS} runs.");
    println!(
        "{:<4} {:<22} {:>5} {:>5} {:>5} {:>5} {:>7} {:>7} {:>9} {:>9} {:>7} {:>7}",
        "lang",
        "system",
        "PER",
        "ORG",
        "LOC",
        "doc",
        "m P+O+L",
        "m all",
        "tokens/s",
        "tag() t/s",
        "size MB",
        "train s"
    );
    for (code, row) in rows {
        let f1 = |kind: Kind| {
            row.scores
                .doc
                .get(&kind)
                .copied()
                .unwrap_or_default()
                .f1()
                .2
        };
        let main = Scores::total(&row.scores.mention, &MAIN).f1().2;
        println!(
            "{code:<4} {:<22} {:>5.3} {:>5.3} {:>5.3} {:>5.3} {:>7.3} {:>7.3} {:>9.0} {:>9} {:>7.2} {:>7.1}",
            row.system,
            f1(MAIN[0]),
            f1(MAIN[1]),
            f1(MAIN[2]),
            row.scores.doc_f1(),
            main,
            row.scores.mention_f1(),
            row.tokens_per_second,
            row.decode_only.map_or("-".to_string(), |t| format!("{t:.0}")),
            row.bytes as f64 / 1e6,
            row.train_seconds
        );
    }
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let dir: PathBuf = conll::corpus_dir();
    if !dir.is_dir() {
        println!(
            "CoNLL corpus folder {} not found; nothing to do.",
            dir.display()
        );
        return ExitCode::SUCCESS;
    }
    let mut rows = Vec::new();
    for &lang in &o.langs {
        if let Err(e) = compare(&o, lang, &dir, &mut rows) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    print_table(&rows);
    ExitCode::SUCCESS
}

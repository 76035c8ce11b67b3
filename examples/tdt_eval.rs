//! TDT-style tracking quality of learned topics (`topic add --like`), and their speed.
//!
//! For every label with at least 20 documents: learn a profile from the earliest Nt documents of
//! the label (by publication date) with `profile::learn_with`, decide every document published
//! after the Nt-th example with `profile::apply`, and count misses and false alarms. Reported:
//! P_miss, P_FA and the normalised detection cost C_det = P_miss + 4.9 · P_FA, averaged over
//! labels, for all labels and for the two halves of the labels in alphabetical order (even and
//! odd positions: design choices were made on the even half).
//!
//! ```text
//! cargo run --release --example tdt_eval -- [--corpus reuters|cincodias|all] [--nt 1,4,16]
//!     [--index-dir DIR] [--verbose] [--terms N] [--k1 X] [--b X] [--beta X] [--numbers]
//!     [--pseudo N] [--pseudo-weight X] [--idf-power X] [--consistency X] [--title X]
//!     [--rule cost:SPREAD|fraction:F|rate:R]
//! cargo run --release --example tdt_eval -- --time CORPUS.jsonl [--index-dir DIR]
//! ```
//!
//! Corpora are read from `$TOPICTRACK_SHARED/corpora` (default `../shared`). Each corpus is
//! indexed into `--index-dir`/<corpus> (a temporary folder by default; an existing index there
//! is reused, which saves re-indexing between runs).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};
use topictrack::corpus::ReadOptions;
use topictrack::index::profile::{self, LearnOptions, ThresholdRule, FALSE_ALARM_COST};
use topictrack::index::{IndexRequest, OpenIndex, Silent};

/// Labels with fewer documents are not evaluated (as in the issue).
const MIN_DOCS: usize = 20;

struct Args {
    corpus: String,
    nts: Vec<usize>,
    index_dir: Option<PathBuf>,
    verbose: bool,
    options: LearnOptions,
    time: Option<PathBuf>,
    /// Also report the best threshold per topic chosen after seeing the answers (a diagnostic).
    oracle: bool,
    /// Writes every topic's scores (examples left out one at a time, every later document with
    /// its label) as JSON lines to this file, to study threshold rules offline.
    dump: Option<PathBuf>,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        corpus: "all".into(),
        nts: vec![1, 4, 16],
        index_dir: None,
        verbose: false,
        options: LearnOptions::default(),
        time: None,
        oracle: false,
        dump: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--corpus" => args.corpus = value()?,
            "--nt" => {
                args.nts = value()?
                    .split(',')
                    .map(|n| n.trim().parse())
                    .collect::<Result<_, _>>()?
            }
            "--index-dir" => args.index_dir = Some(value()?.into()),
            "--verbose" => args.verbose = true,
            "--oracle" => args.oracle = true,
            "--terms" => args.options.terms = value()?.parse()?,
            "--k1" => args.options.k1 = value()?.parse()?,
            "--b" => args.options.b = value()?.parse()?,
            "--beta" => args.options.beta = value()?.parse()?,
            "--numbers" => args.options.skip_numbers = false,
            "--idf-power" => args.options.idf_power = value()?.parse()?,
            "--consistency" => args.options.consistency = value()?.parse()?,
            "--pseudo" => args.options.pseudo_docs = value()?.parse()?,
            "--pseudo-weight" => args.options.pseudo_weight = value()?.parse()?,
            "--title" => args.options.title_weight = value()?.parse()?,
            "--rule" => args.options.threshold = parse_rule(&value()?)?,
            "--time" => args.time = Some(value()?.into()),
            "--dump" => args.dump = Some(value()?.into()),
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(args)
}

fn parse_rule(text: &str) -> Result<ThresholdRule> {
    let (name, number) = text.split_once(':').unwrap_or((text, ""));
    let number: f32 = number.parse().with_context(|| format!("rule {text}"))?;
    Ok(match name {
        "cost" => ThresholdRule::ExpectedCost { spread: number },
        "fraction" => ThresholdRule::FractionOfExamples(number),
        "rate" => ThresholdRule::BackgroundRate(number),
        "mixture" => ThresholdRule::Mixture { spread: number },
        "lower" => ThresholdRule::Lower {
            spread: 0.5,
            rate: number,
        },
        "higher" => ThresholdRule::Higher {
            spread: 0.5,
            rate: number,
        },
        _ => bail!("unknown rule {text}"),
    })
}

/// One labelled, dated record of a corpus file.
struct Record {
    id: String,
    date: String,
    labels: Vec<String>,
}

/// Reads `path`'s records with the labels `labels` picks from each JSON object.
fn read_records(
    path: &Path,
    labels: &dyn Fn(&serde_json::Value) -> Vec<String>,
) -> Result<Vec<Record>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let value: serde_json::Value = serde_json::from_str(line)?;
        let (Some(id), Some(date)) = (value["id"].as_str(), value["date"].as_str()) else {
            continue;
        };
        // Dates are compared as UTC instants.
        let Ok(date) = chrono::DateTime::parse_from_rfc3339(date) else {
            continue;
        };
        out.push(Record {
            id: id.to_string(),
            date: date.with_timezone(&chrono::Utc).to_rfc3339(),
            labels: labels(&value),
        });
    }
    Ok(out)
}

fn strings(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|item| item.as_str().map(String::from))
            .collect(),
        serde_json::Value::String(text) if !text.is_empty() => vec![text.clone()],
        _ => Vec::new(),
    }
}

/// Indexes `file` into `dir` (kept when it already holds an index) and opens it.
fn index_corpus(file: &Path, dir: &Path) -> Result<OpenIndex> {
    if let Ok(index) = topictrack::index::open_existing(dir) {
        return Ok(index);
    }
    let started = Instant::now();
    let request = IndexRequest {
        roots: vec![file.to_path_buf()],
        index_dir: dir.to_path_buf(),
        rebuild: false,
        read: ReadOptions::default(),
        taxonomy_files: Vec::new(),
        entity_files: Vec::new(),
        full_enrichment: false,
        memory_budget: 400 * 1024 * 1024,
        forget: Vec::new(),
        prune_missing: false,
        stdin: None,
    };
    let report = topictrack::index::run(&request, &Silent)?;
    eprintln!(
        "indexed {} documents of {} in {:.1} s",
        report.documents,
        file.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(topictrack::index::open_existing(dir)?)
}

/// Counts for one label at one Nt.
struct Outcome {
    label: String,
    p_miss: f64,
    p_fa: f64,
    targets: usize,
    false_alarms: usize,
    /// The cost at the best threshold for this topic (with `--oracle`).
    oracle: f64,
}

impl Outcome {
    fn cost(&self) -> f64 {
        self.p_miss + FALSE_ALARM_COST * self.p_fa
    }
}

/// Learns and decides every label with enough documents, at `nt` examples.
fn evaluate(
    index: &OpenIndex,
    records: &[Record],
    nt: usize,
    options: &LearnOptions,
    ids: &HashMap<DocAddress, String>,
    oracle: bool,
    mut dump: Option<&mut dyn Write>,
) -> Result<Vec<Outcome>> {
    let mut by_label: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for record in records {
        for label in &record.labels {
            by_label.entry(label).or_default().push(record);
        }
    }
    let mut out = Vec::new();
    for (label, mut docs) in by_label {
        if docs.len() < MIN_DOCS {
            continue;
        }
        docs.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
        let examples: Vec<String> = docs[..nt].iter().map(|r| r.id.clone()).collect();
        let cutoff = &docs[nt - 1].date;
        let learned = profile::learn_with(index, &examples, &[], options)?;
        let applied = profile::apply(index, &learned)?;
        let joined: HashSet<&str> = applied
            .members
            .iter()
            .filter_map(|member| ids.get(&member.address).map(String::as_str))
            .collect();
        let (mut targets, mut misses, mut others, mut false_alarms) = (0, 0, 0, 0);
        for record in records.iter().filter(|r| &r.date > cutoff) {
            let on_topic = record.labels.iter().any(|l| l == label);
            let flagged = joined.contains(record.id.as_str());
            if on_topic {
                targets += 1;
                misses += usize::from(!flagged);
            } else {
                others += 1;
                false_alarms += usize::from(flagged);
            }
        }
        if targets == 0 || others == 0 {
            continue;
        }
        if let Some(out) = dump.as_deref_mut() {
            let scores = dump_scores(
                index, &learned, &examples, options, records, cutoff, label, ids,
            )?;
            writeln!(out, "{scores}")?;
        }
        let oracle = if oracle {
            oracle_cost(
                index, &learned, records, cutoff, label, ids, targets, others,
            )?
        } else {
            f64::NAN
        };
        out.push(Outcome {
            label: label.to_string(),
            p_miss: misses as f64 / targets as f64,
            p_fa: false_alarms as f64 / others as f64,
            targets,
            false_alarms,
            oracle,
        });
    }
    Ok(out)
}

/// One topic's scores as a JSON object: the threshold chosen, each example's score by a profile
/// learned without it (`loo`) and by the whole profile (`own`), and every other document's
/// positive score (`later`: published after the examples, with whether it is on the topic;
/// `earlier`: the rest).
#[allow(clippy::too_many_arguments)]
fn dump_scores(
    index: &OpenIndex,
    learned: &profile::Profile,
    examples: &[String],
    options: &LearnOptions,
    records: &[Record],
    cutoff: &str,
    label: &str,
    ids: &HashMap<DocAddress, String>,
) -> Result<serde_json::Value> {
    let score_of = |profile: &profile::Profile| -> Result<HashMap<String, f32>> {
        let mut everything = profile.clone();
        everything.threshold = f32::MIN_POSITIVE;
        let applied = profile::apply(index, &everything)?;
        Ok(applied
            .members
            .iter()
            .filter_map(|m| Some((ids.get(&m.address)?.clone(), m.score)))
            .collect())
    };
    let mut loo = Vec::new();
    for left_out in examples {
        if examples.len() < 2 {
            break;
        }
        let others: Vec<String> = examples
            .iter()
            .filter(|e| *e != left_out)
            .cloned()
            .collect();
        let without = profile::learn_with(index, &others, &[], options)?;
        loo.push(score_of(&without)?.get(left_out).copied().unwrap_or(0.0));
    }
    let scores = score_of(learned)?;
    let own: Vec<f32> = examples
        .iter()
        .map(|e| scores.get(e).copied().unwrap_or(0.0))
        .collect();
    let (mut later, mut earlier) = (Vec::new(), Vec::new());
    for record in records {
        if examples.contains(&record.id) {
            continue;
        }
        let score = scores.get(&record.id).copied().unwrap_or(0.0);
        if record.date.as_str() > cutoff {
            let on_topic = record.labels.iter().any(|l| l == label);
            later.push(serde_json::json!([score, on_topic]));
        } else if score > 0.0 {
            earlier.push(score);
        }
    }
    Ok(serde_json::json!({
        "label": label,
        "threshold": learned.threshold,
        "docs": ids.len(),
        "loo": loo,
        "own": own,
        "later": later,
        "earlier": earlier,
    }))
}

/// The lowest C_det any threshold gives this topic's profile.
#[allow(clippy::too_many_arguments)]
fn oracle_cost(
    index: &OpenIndex,
    learned: &profile::Profile,
    records: &[Record],
    cutoff: &str,
    label: &str,
    ids: &HashMap<DocAddress, String>,
    targets: usize,
    others: usize,
) -> Result<f64> {
    let mut everything = learned.clone();
    everything.threshold = f32::MIN_POSITIVE;
    let applied = profile::apply(index, &everything)?;
    let later: HashMap<&str, bool> = records
        .iter()
        .filter(|r| r.date.as_str() > cutoff)
        .map(|r| (r.id.as_str(), r.labels.iter().any(|l| l == label)))
        .collect();
    let mut scored: Vec<(f32, bool)> = applied
        .members
        .iter()
        .filter_map(|m| Some((m.score, *later.get(ids.get(&m.address)?.as_str())?)))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut hits, mut fas) = (0usize, 0usize);
    let mut best = 1.0f64;
    for (_, on_topic) in scored {
        if on_topic {
            hits += 1;
        } else {
            fas += 1;
        }
        let cost = (targets - hits) as f64 / targets as f64
            + FALSE_ALARM_COST * fas as f64 / others as f64;
        best = best.min(cost);
    }
    Ok(best)
}

/// Every live document's id by address.
fn document_ids(index: &OpenIndex) -> Result<HashMap<DocAddress, String>> {
    let applied_searcher = profile::searcher(index)?;
    let id_field = applied_searcher.schema().get_field("id")?;
    let mut out = HashMap::new();
    for (ord, segment) in applied_searcher.segment_readers().iter().enumerate() {
        for doc in segment.doc_ids_alive() {
            let address = DocAddress::new(ord as u32, doc);
            let stored: TantivyDocument = applied_searcher.doc(address)?;
            if let Some(id) = stored.get_first(id_field).and_then(|v| v.as_str()) {
                out.insert(address, id.to_string());
            }
        }
    }
    Ok(out)
}

fn mean(outcomes: &[&Outcome], value: impl Fn(&Outcome) -> f64) -> f64 {
    outcomes.iter().map(|o| value(o)).sum::<f64>() / outcomes.len().max(1) as f64
}

fn report(corpus: &str, nt: usize, outcomes: &[Outcome], verbose: bool) {
    let all: Vec<&Outcome> = outcomes.iter().collect();
    let even: Vec<&Outcome> = outcomes.iter().step_by(2).collect();
    let odd: Vec<&Outcome> = outcomes.iter().skip(1).step_by(2).collect();
    for (half, set) in [("all", &all), ("even", &even), ("odd", &odd)] {
        let oracle = mean(set, |o| o.oracle);
        println!(
            "{corpus:<20} Nt={nt:<3} {half:<5} topics={:<3} P_miss={:.3} P_FA={:.4} C_det={:.3}{}",
            set.len(),
            mean(set, |o| o.p_miss),
            mean(set, |o| o.p_fa),
            mean(set, Outcome::cost),
            if oracle.is_nan() {
                String::new()
            } else {
                format!(" (oracle threshold {oracle:.3})")
            },
        );
    }
    if verbose {
        for o in outcomes {
            println!(
                "    {:<16} targets={:<5} P_miss={:.3} P_FA={:.4} FA={:<5} C_det={:.3} oracle={:.3}",
                o.label,
                o.targets,
                o.p_miss,
                o.p_fa,
                o.false_alarms,
                o.cost(),
                o.oracle
            );
        }
    }
}

fn shared() -> PathBuf {
    std::env::var_os("TOPICTRACK_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// Times learning (4 examples of one tag, with `options`) and `apply` on a big corpus.
fn time(file: &Path, dir: &Path, options: &LearnOptions) -> Result<()> {
    let index = index_corpus(file, &dir.join("time"))?;
    let records = read_records(file, &|v| strings(&v["tags"]))?;
    for tag in ["trade", "crude", "earn"] {
        let mut docs: Vec<&Record> = records
            .iter()
            .filter(|r| r.labels.iter().any(|l| l == tag))
            .collect();
        docs.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
        let examples: Vec<String> = docs.iter().take(4).map(|r| r.id.clone()).collect();
        let mut learn_ms = Vec::new();
        let mut members_ms = Vec::new();
        let mut joined = 0;
        for _ in 0..5 {
            let started = Instant::now();
            let learned = profile::learn_with(&index, &examples, &[], options)?;
            learn_ms.push(started.elapsed().as_secs_f64() * 1e3);
            let started = Instant::now();
            let applied = profile::apply(&index, &learned)?;
            members_ms.push(started.elapsed().as_secs_f64() * 1e3);
            joined = applied.members.len();
        }
        learn_ms.sort_by(f64::total_cmp);
        members_ms.sort_by(f64::total_cmp);
        println!(
            "{tag:<8} docs={} learn p50={:.0} ms (min {:.0}), apply p50={:.0} ms (min {:.0}), members={joined}",
            records.len(),
            learn_ms[2],
            learn_ms[0],
            members_ms[2],
            members_ms[0]
        );
    }
    Ok(())
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let temp = tempfile::tempdir()?;
    let dir = args
        .index_dir
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    if let Some(file) = &args.time {
        return time(file, &dir, &args.options);
    }
    let corpora = shared().join("corpora");
    type Labels = fn(&serde_json::Value) -> Vec<String>;
    type Plan<'a> = (&'a str, PathBuf, Vec<(&'a str, Labels)>);
    let mut plans: Vec<Plan> = Vec::new();
    if args.corpus == "all" || args.corpus == "reuters" {
        plans.push((
            "reuters",
            corpora.join("reuters21578/reuters21578.jsonl"),
            vec![("reuters topics", |v| strings(&v["tags"]))],
        ));
    }
    if args.corpus == "all" || args.corpus == "cincodias" {
        plans.push((
            "cincodias",
            corpora.join("cincodias_energia_es/cincodias_energia_es.jsonl"),
            vec![
                ("cincodias sections", |v| strings(&v["section"])),
                ("cincodias companies", |v| {
                    strings(&v["companies_mentioned"])
                }),
            ],
        ));
    }
    println!("options: {:?}", args.options);
    let mut dump = match &args.dump {
        Some(path) => Some(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => None,
    };
    for (name, file, label_sets) in plans {
        let index = index_corpus(&file, &dir.join(name))?;
        let ids = document_ids(&index)?;
        for (set, labels) in label_sets {
            let records = read_records(&file, &labels)?;
            for &nt in &args.nts {
                let started = Instant::now();
                let outcomes = evaluate(
                    &index,
                    &records,
                    nt,
                    &args.options,
                    &ids,
                    args.oracle,
                    dump.as_mut().map(|f| f as &mut dyn Write),
                )?;
                report(set, nt, &outcomes, args.verbose);
                eprintln!("  ({:.1} s)", started.elapsed().as_secs_f64());
            }
        }
    }
    Ok(())
}

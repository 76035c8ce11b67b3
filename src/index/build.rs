//! One `topictrack index` run: walk, read, enrich and write; skip what did not change, remove what vanished.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::indexer::IndexWriterOptions;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::ignore::IgnorePatterns;
use super::merge::BoundedMerges;
use super::query_topics::QueryTopics;
use super::state::{nanos, FileState, IndexState};
use super::store::{map_writer_error, open_for_writing, OpenIndex};
use super::stored::{path_key, tantivy_document};
use crate::corpus::{self, DocSink, FoundFile, Problem, ReadOptions, WalkOptions};
use crate::document::SourceDoc;
use crate::enrich::Enricher;
use crate::error::{Error, Result};
use crate::taxonomy::Taxonomy;

/// Everything an indexing run needs to know.
#[derive(Debug, Clone)]
pub struct IndexRequest {
    pub roots: Vec<PathBuf>,
    pub index_dir: PathBuf,
    /// Start from an empty index.
    pub rebuild: bool,
    pub read: ReadOptions,
    /// Taxonomy/gazetteer files given by the user, applied after any `topictrack.toml` at a root.
    pub taxonomy_files: Vec<PathBuf>,
    /// Entities, topics and mentioned dates; language and publication date are always computed.
    pub full_enrichment: bool,
    /// Total memory for tantivy's indexing threads, in bytes.
    pub memory_budget: usize,
}

/// A user-facing problem with one file or record.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Notice {
    pub path: String,
    pub line: Option<u64>,
    pub reason: String,
}

impl From<Problem> for Notice {
    fn from(problem: Problem) -> Notice {
        Notice {
            path: problem.path.to_string_lossy().into_owned(),
            line: problem.line,
            reason: problem.reason,
        }
    }
}

/// What an indexing run did, counted in documents.
#[derive(Debug, Default, Serialize)]
pub struct IndexReport {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub removed: u64,
    pub skipped: Vec<Notice>,
    pub warnings: Vec<Notice>,
    /// Documents in the index after the run.
    pub documents: u64,
    /// Whether every document was re-tagged because the taxonomy or gazetteer changed.
    pub retagged: bool,
    pub seconds: f64,
}

/// Hears how far a run has got (the CLI draws a progress bar from it).
pub trait Progress {
    fn start(&self, files: u64, bytes: u64);
    fn file_done(&self, bytes: u64, documents_so_far: u64);
    fn finish(&self);
}

/// A progress listener that ignores everything.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: u64, _: u64) {}
    fn file_done(&self, _: u64, _: u64) {}
    fn finish(&self) {}
}

/// Documents are enriched in batches of at most this many documents or this many bytes of text, so
/// memory stays bounded by the batch, not by the size of the files.
const BATCH: usize = 256;
const BATCH_BYTES: usize = 8 * 1024 * 1024;

/// Merges run one at a time (see [`writer_options`]).
const MERGE_THREADS: usize = 1;

/// Indexing threads as tantivy would choose them (one per core, at most 8, each with at least
/// tantivy's 15 MB minimum), and one merge thread instead of tantivy's four: merges read their
/// inputs through memory maps, so concurrent merges would add up in resident memory (see
/// [`super::merge`]).
fn writer_options(memory_budget: usize) -> IndexWriterOptions {
    const MIN_PER_THREAD: usize = 15_000_000;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores
        .clamp(1, 8)
        .min((memory_budget / MIN_PER_THREAD).max(1));
    IndexWriterOptions::builder()
        .memory_budget_per_thread((memory_budget / threads).max(MIN_PER_THREAD))
        .num_worker_threads(threads)
        .num_merge_threads(MERGE_THREADS)
        .build()
}

/// The taxonomy for a run: embedded defaults, then `topictrack.toml` at any root folder, then the user's files.
pub fn load_taxonomy(roots: &[PathBuf], taxonomy_files: &[PathBuf]) -> Result<Taxonomy> {
    let mut files: Vec<PathBuf> = roots
        .iter()
        .map(|root| root.join("topictrack.toml"))
        .filter(|candidate| candidate.is_file())
        .collect();
    files.extend(taxonomy_files.iter().cloned());
    let mut taxonomy = Taxonomy::embedded();
    for file in &files {
        if !file.exists() {
            return Err(Error::PathNotFound { path: file.clone() });
        }
        taxonomy = taxonomy
            .extended_with_file(file)
            .map_err(|err| Error::BadConfig {
                path: file.clone(),
                // `detail` leaves out the file name that BadConfig already prints.
                detail: err.detail(),
            })?;
    }
    Ok(taxonomy)
}

fn canonical_roots(roots: &[PathBuf]) -> Result<Vec<PathBuf>> {
    roots
        .iter()
        .map(|root| {
            root.canonicalize()
                .map_err(|_| Error::PathNotFound { path: root.clone() })
        })
        .collect()
}

/// Runs one indexing pass.
pub fn run(request: &IndexRequest, progress: &dyn Progress) -> Result<IndexReport> {
    let started = Instant::now();
    let roots = canonical_roots(&request.roots)?;
    let taxonomy = load_taxonomy(&roots, &request.taxonomy_files)?;
    let enricher = Enricher::new(&taxonomy, request.full_enrichment)?;
    // Query topics are part of full enrichment, like phrase topics.
    let query_topics = if request.full_enrichment {
        QueryTopics::new(&taxonomy)?
    } else {
        QueryTopics::new(&Taxonomy::default())?
    };
    let fingerprint = format!(
        "{:016x}/{}",
        taxonomy.fingerprint(),
        if request.full_enrichment {
            "full"
        } else {
            "basic"
        }
    );

    let opened = open_for_writing(&request.index_dir, request.rebuild)?;
    let writer: IndexWriter<TantivyDocument> = opened
        .index
        .writer_with_options(writer_options(request.memory_budget))
        .map_err(|err| map_writer_error(&opened.path, err))?;
    writer.set_merge_policy(Box::new(BoundedMerges));
    let index_dir = opened
        .path
        .canonicalize()
        .unwrap_or_else(|_| opened.path.clone());
    let mut state = IndexState::load(&index_dir);
    let mut report = IndexReport {
        retagged: !state.files.is_empty() && state.enrichment_fingerprint != fingerprint,
        ..IndexReport::default()
    };
    let retag_all = state.enrichment_fingerprint != fingerprint;

    let walk_options = WalkOptions {
        exclude: vec![index_dir.clone()],
    };
    let ignore = IgnorePatterns::load(&roots)?;
    let mut files = Vec::new();
    for found in corpus::walk(&roots, &walk_options) {
        match found {
            Ok(file) if ignore.is_ignored(&file.path) => {}
            Ok(file) => files.push(file),
            Err(problem) => report.skipped.push(problem.into()),
        }
    }
    progress.start(files.len() as u64, files.iter().map(|file| file.size).sum());

    let mut run = Run {
        opened: &opened,
        writer,
        enricher: &enricher,
        query_topics: &query_topics,
        batch: Vec::with_capacity(BATCH),
        batch_bytes: 0,
        report,
        documents_in_file: 0,
        failed: None,
    };
    let mut seen = HashSet::with_capacity(files.len());
    for file in &files {
        let key = path_key(&file.path);
        seen.insert(key.clone());
        let previous = state.files.get(&key).copied();
        if let Some(old) = previous {
            if !retag_all && old.same_file_as(file.size, file.modified) {
                run.report.unchanged += old.documents;
                progress.file_done(file.size, run.report.added + run.report.updated);
                continue;
            }
        }
        let documents = run.index_file(file, &request.read, &key)?;
        count_change(
            &mut run.report,
            previous.map(|old| old.documents),
            documents,
        );
        if documents == 0 {
            // Nothing usable came out of it: read (and report) it again next time.
            state.files.remove(&key);
        } else {
            state.files.insert(
                key,
                FileState {
                    size: file.size,
                    modified: nanos(file.modified),
                    documents,
                },
            );
        }
        progress.file_done(file.size, run.report.added + run.report.updated);
    }
    run.flush()?;
    remove_vanished(&mut run, &mut state, &roots, &seen, &ignore);
    progress.finish();

    let Run {
        mut writer,
        mut report,
        ..
    } = run;
    writer.commit()?;
    writer.wait_merging_threads()?;
    state.enrichment_fingerprint = fingerprint;
    state.save(&index_dir)?;
    super::saved_taxonomy::save(&index_dir, &taxonomy)?;

    let reader = opened.reader()?;
    report.documents = reader.searcher().num_docs();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn count_change(report: &mut IndexReport, before: Option<u64>, after: u64) {
    match before {
        None => report.added += after,
        Some(before) => {
            report.updated += before.min(after);
            report.added += after.saturating_sub(before);
            report.removed += before.saturating_sub(after);
        }
    }
}

/// Removes the documents of files that were indexed under one of this run's roots and no longer
/// exist or are now ignored. Files that exist but could not be walked this time keep their documents.
fn remove_vanished(
    run: &mut Run,
    state: &mut IndexState,
    roots: &[PathBuf],
    seen: &HashSet<String>,
    ignore: &IgnorePatterns,
) {
    let vanished: BTreeSet<String> = state
        .files
        .keys()
        .filter(|key| !seen.contains(*key))
        .filter(|key| roots.iter().any(|root| Path::new(key).starts_with(root)))
        .filter(|key| {
            ignore.is_ignored(Path::new(key))
                || matches!(std::fs::symlink_metadata(key), Err(err) if err.kind() == std::io::ErrorKind::NotFound)
        })
        .cloned()
        .collect();
    for key in vanished {
        if let Some(old) = state.files.remove(&key) {
            run.writer
                .delete_term(Term::from_field_text(run.opened.fields.path, &key));
            run.report.removed += old.documents;
        }
    }
}

/// The mutable part of a run: the writer and the documents waiting to be enriched.
struct Run<'a> {
    opened: &'a OpenIndex,
    writer: IndexWriter<TantivyDocument>,
    enricher: &'a Enricher,
    query_topics: &'a QueryTopics,
    batch: Vec<SourceDoc>,
    /// Text bytes in `batch`.
    batch_bytes: usize,
    report: IndexReport,
    documents_in_file: u64,
    failed: Option<Error>,
}

impl Run<'_> {
    fn index_file(&mut self, file: &FoundFile, read: &ReadOptions, key: &str) -> Result<u64> {
        self.writer
            .delete_term(Term::from_field_text(self.opened.fields.path, key));
        self.documents_in_file = 0;
        corpus::read_file(file, read, self);
        if let Some(err) = self.failed.take() {
            return Err(err);
        }
        Ok(self.documents_in_file)
    }

    /// Enriches the waiting documents on all cores, then hands them to the writer.
    fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let fields = &self.opened.fields;
        let enricher = self.enricher;
        let mut enriched: Vec<_> = self
            .batch
            .par_iter()
            .map(|doc| enricher.enrich(doc))
            .collect();
        // Topics with a query are decided on the whole batch at once, in a small in-memory
        // index; a no-op when the taxonomy has none.
        self.query_topics.apply(&self.batch, &mut enriched)?;
        for (doc, enrichment) in self.batch.iter().zip(&mut enriched) {
            let notice = |reason| Notice {
                path: path_key(&doc.path),
                line: doc.line,
                reason,
            };
            let warnings = std::mem::take(&mut enrichment.warnings);
            self.report
                .warnings
                .extend(warnings.into_iter().map(notice));
        }
        let built: Vec<TantivyDocument> = self
            .batch
            .par_iter()
            .zip(enriched.par_iter())
            .map(|(doc, enrichment)| tantivy_document(fields, doc, enrichment))
            .collect();
        self.batch.clear();
        self.batch_bytes = 0;
        for doc in built {
            self.writer.add_document(doc)?;
        }
        Ok(())
    }
}

impl DocSink for Run<'_> {
    fn document(&mut self, doc: SourceDoc) {
        self.documents_in_file += 1;
        self.batch_bytes += doc.body.len() + doc.title.as_ref().map_or(0, String::len);
        self.batch.push(doc);
        let full = self.batch.len() >= BATCH || self.batch_bytes >= BATCH_BYTES;
        if full && self.failed.is_none() {
            if let Err(err) = self.flush() {
                self.failed = Some(err);
            }
        }
    }

    fn skipped(&mut self, problem: Problem) {
        self.report.skipped.push(problem.into());
    }

    fn warning(&mut self, problem: Problem) {
        self.report.warnings.push(problem.into());
    }
}

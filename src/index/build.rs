//! One `topictrack index` run: walk, read, enrich and write; skip what did not change, remove what vanished.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::indexer::IndexWriterOptions;
use tantivy::{IndexWriter, TantivyDocument, Term};

mod ids;
mod indexed;
mod kept;
mod reading;
mod reenrich;
mod taxonomy;

use super::urls as url_state;

use indexed::{now_seconds, Stamps};
use reading::{read_and_write, PlannedFile};
use reenrich::reenrich_stored;
use taxonomy::GivenFiles;

use super::checkpoints::Checkpoints;
use super::ignore::IgnorePatterns;
use super::merge::BoundedMerges;
use super::query_topics::QueryTopics;
use super::roots::{self, ForgottenRoot, MovedRoot};
use super::signature::signature_of;
use super::state::{enrichment_fingerprint, nanos, FileState, IndexState, SkippedRecord};
use super::store::{map_writer_error, open_existing, OpenIndex};
use super::stored::{path_key, tantivy_document, DocStamps};
use super::user_topics::with_user_topics;
use super::writing::open_for_writing;
use crate::corpus::{self, FetchOptions, Problem, ReadOptions, WalkOptions};
use crate::document::SourceDoc;
use crate::enrich::{Enricher, Enrichment, ENRICHMENT_VERSION};
use crate::error::Result;
use crate::taxonomy::Taxonomy;

/// Everything an indexing run needs to know.
#[derive(Debug, Clone)]
pub struct IndexRequest {
    pub roots: Vec<PathBuf>,
    pub index_dir: PathBuf,
    /// Start from an empty index.
    pub rebuild: bool,
    pub read: ReadOptions,
    /// Taxonomy files given with `--taxonomy`: they replace the ones the index recorded before
    /// and apply after any `topictrack.toml` at a root (see [`taxonomy`]).
    pub taxonomy_files: Vec<PathBuf>,
    /// Gazetteer files given with `--entities`, kept and replaced the same way.
    pub entity_files: Vec<PathBuf>,
    /// Entities, topics and mentioned dates; language and publication date are always computed.
    pub full_enrichment: bool,
    /// Total memory for tantivy's indexing threads, in bytes.
    pub memory_budget: usize,
    /// Roots whose documents the run removes (as typed; they need not exist any more). With
    /// `roots` empty the run only removes (see [`IndexRequest::forgetting`]).
    pub forget: Vec<PathBuf>,
    /// Also remove the documents of every recorded root that no longer exists.
    pub prune_missing: bool,
    /// Read standard input as well (`index -`).
    pub stdin: Option<StdinSource>,
    /// Feeds and pages to fetch and index; their documents are never removed for being gone.
    pub urls: Vec<String>,
    pub fetch: FetchOptions,
}

/// Standard input as a source of documents: read as `format`, shown as `stdin:PREFIX`, its
/// documents' ids made under `prefix`. A later run with the same prefix replaces what the stream
/// gave before, as a changed file's documents are; runs over folders never remove them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StdinSource {
    pub prefix: String,
    pub format: corpus::Format,
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
    /// What the index's taxonomy is built from: "built-in", then each file applied on top.
    pub taxonomy: Vec<String>,
    /// Roots whose record and documents the run removed: those it was asked to forget or prune,
    /// and those that moved (their documents are counted in `removed`).
    pub forgotten_roots: Vec<ForgottenRoot>,
    /// Gone roots whose files this run found under one of its roots, and indexed from there.
    pub moved: Vec<MovedRoot>,
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
pub(crate) fn writer_options(memory_budget: usize) -> IndexWriterOptions {
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

/// What enrichment does to one document: [`Enricher::enrich`] in a real run; tests put a
/// stage that fails on a chosen document in its place.
type Stage<'a> = &'a (dyn Fn(&Enricher, &SourceDoc) -> Enrichment + Sync);

/// Runs one indexing pass.
pub fn run(request: &IndexRequest, progress: &dyn Progress) -> Result<IndexReport> {
    // Test-only failure hook, compiled into debug builds alone: with `TOPICTRACK_TEST_PANIC_ON`
    // set, enrichment panics on every document whose body holds its value, inside the same
    // per-document boundary as the real enricher, so that tests of the binary can prove that a
    // panic costs one document (tests/cli/robustness_panic.rs). Release builds never read it.
    #[cfg(debug_assertions)]
    if let Some(marker) = std::env::var("TOPICTRACK_TEST_PANIC_ON")
        .ok()
        .filter(|marker| !marker.is_empty())
    {
        return run_with(request, progress, &|enricher, doc| {
            assert!(
                !doc.body.contains(&marker),
                "TOPICTRACK_TEST_PANIC_ON test hook"
            );
            enricher.enrich(doc)
        });
    }
    run_with(request, progress, &|enricher, doc| enricher.enrich(doc))
}

fn run_with(request: &IndexRequest, progress: &dyn Progress, stage: Stage) -> Result<IndexReport> {
    let started = Instant::now();
    let run_start = now_seconds();
    let roots = roots::prepare(request)?;
    if let Some(stdin) = &request.stdin {
        corpus::check_id_prefix(&stdin.prefix).map_err(|detail| {
            crate::error::Error::bad_argument(crate::error::Field::IdPrefix, detail)
        })?;
    }
    // Whether this run reads anything: one that only removes documents re-tags nothing.
    let reads = !roots.is_empty() || request.stdin.is_some() || !request.urls.is_empty();
    let given = GivenFiles {
        taxonomy: &request.taxonomy_files,
        entities: &request.entity_files,
    };
    // The taxonomy is chosen before the index is opened, so that a bad file changes nothing;
    // a rebuild starts from an empty record.
    let recorded = |state: &IndexState| {
        if request.rebuild {
            Vec::new()
        } else {
            state.taxonomy_sources.clone()
        }
    };
    let recorded_before = recorded(&IndexState::load(&request.index_dir));
    let mut chosen = taxonomy::choose(&recorded_before, &roots, given)?;

    let (opened, rebuild) = open_for_writing(&request.index_dir, request.rebuild)?;
    let writer: IndexWriter<TantivyDocument> = opened
        .index
        .writer_with_options(writer_options(request.memory_budget))
        .map_err(|err| map_writer_error(&opened.path, err))?;
    writer.set_merge_policy(Box::new(BoundedMerges));
    if rebuild.is_none() {
        // This run holds the index's writer lock, so no rebuild is using what a killed one left.
        super::rebuild::remove_leftovers(&opened.path)?;
    }
    let index_dir = opened
        .path
        .canonicalize()
        .unwrap_or_else(|_| opened.path.clone());
    let mut exclude = vec![index_dir.clone()];
    if let Some(rebuild) = &rebuild {
        exclude.extend(rebuild.target().canonicalize());
    }
    let mut state = IndexState::load(&index_dir);
    if rebuild.is_some() {
        // A rebuild starts from an empty record but keeps the user's own work: the topics they
        // defined and where `track` last looked (their members are decided after the commit).
        state.user_topics = IndexState::load(&request.index_dir).user_topics;
        Checkpoints::load(&request.index_dir).save(&index_dir)?;
    }
    if rebuild.is_none() && state.taxonomy_sources != recorded_before {
        // Another run changed the record while this one waited for the writer lock.
        chosen = taxonomy::choose(&state.taxonomy_sources, &roots, given)?;
    }
    // Topics defined with `topic add` are saved on top of the taxonomy files, so that readers see
    // one taxonomy; they tag no document (their members are kept beside the segments, decided
    // after the commit), so they take no part in enrichment or in its fingerprint.
    let taxonomy = with_user_topics(chosen.taxonomy.clone(), &state.user_topics)?;
    let taxonomy = &taxonomy;
    let enricher = Enricher::new(&chosen.taxonomy, request.full_enrichment)?;
    // Query topics are part of full enrichment, like phrase topics.
    let query_topics = if request.full_enrichment {
        QueryTopics::new(taxonomy, &state.user_topics)?
    } else {
        QueryTopics::new(&Taxonomy::default(), &[])?
    };
    let fingerprint = enrichment_fingerprint(&chosen.taxonomy, request.full_enrichment);
    // A new version of the enrichment may come with readers that find other text or dates, so
    // it reads every file of this run again; the documents of other roots are enriched again
    // from what the index stores of them.
    let read_fingerprint = format!("v{ENRICHMENT_VERSION}/{}", request.read.fingerprint());
    // A run that only removes documents (no roots, no URLs, no standard input) re-tags nothing.
    let retag_all = reads && state.enrichment_fingerprint != fingerprint;
    // Reading options change what files yield (`--field`, `--max-file-size`): with other
    // options than last time every file is read again, as the simplest rule that is right.
    let reread_all = state.read_fingerprint != read_fingerprint;
    let report = IndexReport {
        retagged: !state.files.is_empty() && retag_all,
        taxonomy: taxonomy::describe(&chosen.sources),
        ..IndexReport::default()
    };

    let walk_options = WalkOptions { exclude };
    let ignore = IgnorePatterns::load(&roots)?;
    // Before anything is written: the stamps the documents already in the index keep.
    let stamps = Stamps::new(&opened.reader()?.searcher(), &opened.fields, run_start)?;
    let mut run = Run {
        opened: &opened,
        stamps,
        writer,
        enricher: &enricher,
        stage,
        query_topics: &query_topics,
        batch: Vec::with_capacity(BATCH),
        batch_bytes: 0,
        report,
        open_files: HashMap::new(),
        fresh_url_ids: HashSet::new(),
    };
    // URLs are fetched before any file is read; what they answer is read after the files.
    let fetches = url_state::fetch_all(
        &request.urls,
        &state,
        request.fetch,
        request.read.max_bytes,
        retag_all || reread_all,
    );
    run.report
        .skipped
        .extend(fetches.problems.into_iter().map(Notice::from));
    for (url, documents) in &fetches.not_modified {
        run.report.unchanged += documents;
        url_state::record_not_modified(&mut state, url);
    }
    let mut files = Vec::new();
    for found in corpus::walk(&roots, &walk_options) {
        match found {
            Ok(file) if ignore.is_ignored(&file.path) => {}
            Ok(file) => files.push(file),
            Err(problem) => run.report.skipped.push(problem.into()),
        }
    }
    if let Some(stdin) = &request.stdin {
        files.push(corpus::FoundFile::stdin(&stdin.prefix, stdin.format));
    }
    let path_field = opened.fields.path;
    // Keys of files whose documents this run deletes: the ids those documents held are free.
    let mut removed = HashSet::new();
    roots::forget_roots(
        &mut state,
        &mut run.report,
        request,
        &roots,
        &files,
        &mut |key| {
            run.writer
                .delete_term(Term::from_field_text(path_field, key));
            removed.insert(key.to_owned());
        },
    )?;
    progress.start(files.len() as u64, files.iter().map(|file| file.size).sum());

    let mut seen = HashSet::with_capacity(files.len());
    let mut to_read = Vec::new();
    for file in &files {
        let key = path_key(&file.path);
        seen.insert(key.clone());
        match state.files.get(&key) {
            // Standard input is read every time: nothing says whether it changed.
            Some(old)
                if !reread_all
                    && file.stdin_prefix().is_none()
                    && old.same_file_as(file.size, file.modified) =>
            {
                if !retag_all {
                    run.report.unchanged += old.documents;
                }
                // What stays skipped is said again on every run, with the same exit code.
                let path = file.path.to_string_lossy();
                let notice = |record: &SkippedRecord| Notice {
                    path: record
                        .member
                        .clone()
                        .unwrap_or_else(|| path.clone().into_owned()),
                    line: record.line,
                    reason: record.reason.clone(),
                };
                run.report.skipped.extend(old.skipped.iter().map(notice));
                run.report.warnings.extend(old.renamed.iter().map(notice));
                progress.file_done(file.size, run.report.added + run.report.updated);
            }
            previous => to_read.push(PlannedFile {
                file,
                key,
                previous: previous.map(|old| old.documents),
                fetched: None,
            }),
        }
    }
    to_read.extend(fetches.bodies.iter().map(|fetched| PlannedFile {
        file: &fetched.found,
        key: path_key(&fetched.found.path),
        previous: None,
        fetched: Some(fetched),
    }));
    // Removed first, so that the ids their documents held are free for the files read now.
    removed.extend(remove_vanished(
        &mut run, &mut state, &roots, &seen, &ignore,
    ));
    read_and_write(
        &mut run,
        &mut state,
        &to_read,
        &removed,
        &request.read,
        progress,
        !retag_all,
    )?;
    if retag_all {
        // Every document this run did not read gets the new enrichment from the index itself.
        let read: HashSet<&str> = to_read.iter().map(|plan| plan.key.as_str()).collect();
        let others: BTreeSet<String> = state
            .files
            .keys()
            .filter(|key| !read.contains(key.as_str()))
            .chain(state.urls.keys())
            .cloned()
            .collect();
        let fresh = std::mem::take(&mut run.fresh_url_ids);
        reenrich_stored(&mut run, &mut state, &others, &fresh)?;
    }
    progress.finish();

    let Run {
        mut writer,
        mut report,
        ..
    } = run;
    writer.commit()?;
    writer.wait_merging_threads()?;
    // The taxonomy files of a forgotten root leave the record; a later run re-tags by what remains.
    roots::drop_sources_of_forgotten(&mut chosen.sources, &report.forgotten_roots);
    state.taxonomy_sources = chosen.sources;
    // A run that only removes documents keeps what the index records of how they were made.
    if reads {
        state.enrichment_fingerprint = fingerprint;
        state.read_fingerprint = read_fingerprint;
        roots::record(&mut state, &roots);
    }
    state.save(&index_dir)?;
    if reads {
        super::saved_taxonomy::save(&index_dir, taxonomy)?;
    }

    report.documents = opened.reader()?.searcher().num_docs();
    let opened = match rebuild {
        Some(rebuild) => {
            // The new index is committed and complete: now it replaces the old one.
            drop(opened);
            let target = rebuild.target().to_path_buf();
            rebuild.switch()?;
            open_existing(&target)?
        }
        None => opened,
    };
    // The user topics' members in the segments this run made (new, or merged from older ones).
    super::members::refresh(&opened, taxonomy, &state.user_topics)?;
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
/// exist or are now ignored, and returns their keys. Files that exist but could not be walked this
/// time keep their documents.
fn remove_vanished(
    run: &mut Run,
    state: &mut IndexState,
    roots: &[PathBuf],
    seen: &HashSet<String>,
    ignore: &IgnorePatterns,
) -> HashSet<String> {
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
    for key in &vanished {
        if let Some(old) = state.files.remove(key) {
            run.writer
                .delete_term(Term::from_field_text(run.opened.fields.path, key));
            run.report.removed += old.documents;
        }
    }
    vanished.into_iter().collect()
}

/// The mutable part of a run: the writer, the documents waiting to be enriched and the files
/// they came from.
struct Run<'a> {
    opened: &'a OpenIndex,
    /// When each document written entered the index.
    stamps: Stamps,
    writer: IndexWriter<TantivyDocument>,
    enricher: &'a Enricher,
    stage: Stage<'a>,
    query_topics: &'a QueryTopics,
    /// Documents waiting for enrichment, each with the ordinal of its file.
    batch: Vec<(usize, SourceDoc)>,
    /// Text bytes in `batch`.
    batch_bytes: usize,
    report: IndexReport,
    /// Files whose documents are not all written yet, by ordinal.
    open_files: HashMap<usize, OpenFile>,
    /// Ids of the documents read from URLs in this run, which re-enrichment leaves alone.
    fresh_url_ids: HashSet<String>,
}

/// A file being read, or read with documents still in the batch.
#[derive(Default)]
struct OpenFile {
    /// Documents it gave that were (or will be) written.
    documents: u64,
    skipped: Vec<SkippedRecord>,
    /// Documents given a suffixed id, with the warning that said so.
    renamed: Vec<SkippedRecord>,
    /// The reader is done with it.
    read: bool,
    /// For a URL: the items written, by id, with their content hashes.
    items: Vec<(String, u64)>,
    /// For a changed mbox: the documents the index held for it, met again or not.
    kept: Option<kept::Kept>,
}

impl Run<'_> {
    /// Enriches the waiting documents on all cores, then hands them to the writer. A panic while
    /// enriching one document costs that document only: it is reported as skipped, with its file
    /// and line, and left out of its file's count.
    fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let fields = &self.opened.fields;
        let enricher = self.enricher;
        let stage = self.stage;
        let outcomes: Vec<Option<Enrichment>> = self
            .batch
            .par_iter()
            .map(|(_, doc)| catch_unwind(AssertUnwindSafe(|| stage(enricher, doc))).ok())
            .collect();
        let mut docs = Vec::with_capacity(self.batch.len());
        let mut enriched = Vec::with_capacity(self.batch.len());
        for ((ordinal, doc), outcome) in self.batch.drain(..).zip(outcomes) {
            match outcome {
                Some(enrichment) => {
                    docs.push(doc);
                    enriched.push(enrichment);
                }
                None => {
                    let problem = Problem::new(&doc.path, doc.line, ENRICHMENT_PANIC);
                    if let Some(open) = self.open_files.get_mut(&ordinal) {
                        open.documents = open.documents.saturating_sub(1);
                        open.skipped.push(SkippedRecord {
                            line: doc.line,
                            reason: ENRICHMENT_PANIC.to_owned(),
                            member: crate::corpus::container_of(&doc.path)
                                .map(|_| path_key(&doc.path)),
                        });
                    }
                    self.report.skipped.push(problem.into());
                }
            }
        }
        self.batch_bytes = 0;
        // Topics with a query are decided on the whole batch at once, in a small in-memory
        // index; a no-op when the taxonomy has none.
        self.query_topics.apply(&docs, &mut enriched)?;
        for (doc, enrichment) in docs.iter().zip(&mut enriched) {
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
        let stamps = &self.stamps;
        let built: Vec<TantivyDocument> = docs
            .par_iter()
            .zip(enriched.par_iter())
            .map(|(doc, enrichment)| {
                let stamps = DocStamps {
                    indexed: stamps.of(&doc.id)?,
                    signature: signature_of(doc),
                };
                Ok(tantivy_document(fields, doc, enrichment, stamps))
            })
            .collect::<Result<_>>()?;
        for doc in built {
            self.writer.add_document(doc)?;
        }
        Ok(())
    }

    /// Counts and records in the state every file that is fully read and has nothing left in the
    /// batch (right after a flush: every file the reader is done with); `all` at the end of the run.
    fn settle(&mut self, state: &mut IndexState, planned: &[PlannedFile], all: bool) {
        let done: Vec<usize> = self
            .open_files
            .iter()
            .filter(|(_, open)| all || open.read)
            .map(|(ordinal, _)| *ordinal)
            .collect();
        for ordinal in done {
            let (Some(open), Some(plan)) = (self.open_files.remove(&ordinal), planned.get(ordinal))
            else {
                continue;
            };
            if let Some(fetched) = plan.fetched {
                // Counted item by item as read (see `reading`); never a file of the state.
                let clean = open.skipped.is_empty();
                url_state::record_read(state, fetched, &plan.key, open.items, clean);
                continue;
            }
            match &open.kept {
                Some(kept) => {
                    self.report.unchanged += kept.counts.unchanged;
                    self.report.updated += kept.counts.changed;
                    self.report.added += kept.counts.added;
                    self.report.removed += kept.counts.removed;
                }
                None => count_change(&mut self.report, plan.previous, open.documents),
            }
            if open.documents == 0 {
                // Nothing usable came out of it: read (and report) it again next time.
                state.files.remove(&plan.key);
            } else {
                state.files.insert(
                    plan.key.clone(),
                    FileState {
                        size: plan.file.size,
                        modified: nanos(plan.file.modified),
                        documents: open.documents,
                        skipped: open.skipped,
                        renamed: open.renamed,
                    },
                );
            }
        }
    }
}

/// The notice for a document whose enrichment panicked.
const ENRICHMENT_PANIC: &str =
    "internal error while enriching this document, so it was left out; please report it with the file attached";

#[cfg(test)]
mod tests {
    use super::*;

    const RECORDS: usize = BATCH + 40;
    const DOOMED: usize = BATCH - 10;

    /// A corpus whose JSON Lines file fills more than one batch, with one record that makes the
    /// test stage panic.
    fn corpus(dir: &Path) -> PathBuf {
        let root = dir.join("corpus");
        let write = |name: &str, text: String| {
            std::fs::create_dir_all(&root).expect("corpus folder");
            std::fs::write(root.join(name), text).expect("file written");
        };
        write(
            "a.md",
            "---\ntitle: Before\n---\n\nearlyword text\n".to_owned(),
        );
        let lines: String = (1..=RECORDS)
            .map(|n| {
                let word = if n == DOOMED { "panicword" } else { "fineword" };
                format!("{{\"title\":\"Record {n}\",\"text\":\"{word} {n}\"}}\n")
            })
            .collect();
        write("b.jsonl", lines);
        write(
            "c.md",
            "---\ntitle: After\n---\n\nlateword text\n".to_owned(),
        );
        root
    }

    fn request(dir: &Path, root: PathBuf) -> IndexRequest {
        IndexRequest {
            roots: vec![root],
            index_dir: dir.join("index"),
            rebuild: false,
            read: ReadOptions::default(),
            taxonomy_files: Vec::new(),
            entity_files: Vec::new(),
            full_enrichment: false,
            memory_budget: 50_000_000,
            forget: Vec::new(),
            prune_missing: false,
            stdin: None,
            urls: Vec::new(),
            fetch: FetchOptions::default(),
        }
    }

    #[test]
    fn a_panic_in_enrichment_costs_one_document_named_by_file_and_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = corpus(dir.path());
        let request = request(dir.path(), root.clone());
        let stage = |enricher: &Enricher, doc: &SourceDoc| {
            assert!(!doc.body.contains("panicword"), "test stage fails here");
            enricher.enrich(doc)
        };
        let report = run_with(&request, &Silent, &stage).expect("the run goes on");
        let all = RECORDS as u64 + 2;
        assert_eq!(report.documents, all - 1, "{report:?}");
        assert_eq!(report.added, all - 1, "{report:?}");
        assert_eq!(report.skipped.len(), 1, "{report:?}");
        let notice = &report.skipped[0];
        assert!(notice.path.ends_with("b.jsonl"), "{notice:?}");
        assert_eq!(notice.line, Some(DOOMED as u64), "{notice:?}");
        assert!(notice.reason.contains("enrich"), "{notice:?}");

        // The state counts what was written, so an unchanged rerun agrees with the index.
        let again = run(&request, &Silent).expect("second run");
        assert_eq!(
            again.unchanged + again.updated + again.added,
            all - 1,
            "{again:?}"
        );
        assert_eq!(again.documents, all - 1, "{again:?}");
    }
}

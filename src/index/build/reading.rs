//! The reading side of an index run: files are parsed on a thread of their own, inside the
//! reader's panic boundary, and everything they yield reaches the run over a bounded channel, so
//! that enrichment and writing happen outside that boundary and memory stays bounded by the batch.

use std::collections::HashSet;
use std::sync::mpsc::{self, SyncSender};

use tantivy::Term;

use super::ids::Ids;
use super::kept::{Kept, Verdict};
use super::{Notice, OpenFile, Run, BATCH, BATCH_BYTES};
use crate::corpus::{self, DocSink, Format, FoundFile, Problem, ReadOptions};
use crate::document::SourceDoc;
use crate::error::{Error, Result};
use crate::index::state::{IndexState, SkippedRecord};
use crate::index::stored::path_key;
use crate::index::urls::{content_hash, FetchedUrl};
use crate::index::Progress;

/// A file this run reads: its key in the state and how many documents it gave before.
pub(super) struct PlannedFile<'a> {
    pub(super) file: &'a FoundFile,
    pub(super) key: String,
    pub(super) previous: Option<u64>,
    /// A URL's fetched body, read from memory; its documents replace theirs one by one and are
    /// never removed for being gone (see [`crate::index::urls`]).
    pub(super) fetched: Option<&'a FetchedUrl>,
}

/// What the reading thread finds, in order, for the file with the ordinal sent beside it.
enum Found {
    Start,
    /// Boxed: a document is far larger than the other messages.
    Document(Box<SourceDoc>),
    Skipped(Problem),
    Warning(Problem),
    End,
}

/// The reading thread's sink: everything goes to the run over a bounded channel.
struct ChannelSink<'a> {
    ordinal: usize,
    sender: &'a SyncSender<(usize, Found)>,
    /// The run stopped listening (it failed); the rest is dropped.
    closed: bool,
}

impl ChannelSink<'_> {
    fn send(&mut self, found: Found) {
        if !self.closed && self.sender.send((self.ordinal, found)).is_err() {
            self.closed = true;
        }
    }
}

impl DocSink for ChannelSink<'_> {
    fn document(&mut self, doc: SourceDoc) {
        self.send(Found::Document(Box::new(doc)));
    }

    fn skipped(&mut self, problem: Problem) {
        self.send(Found::Skipped(problem));
    }

    fn warning(&mut self, problem: Problem) {
        self.send(Found::Warning(problem));
    }
}

/// Reads `planned` on a thread of its own and enriches and writes what it finds on this one.
/// Only parsing runs inside the reader's panic boundary (`corpus::read_file`); enrichment and
/// writing happen here, outside it, so a failure there is never blamed on the file being read.
/// The channel is bounded, so memory stays bounded by the batch whatever the files hold.
/// Documents enter the batch with an id no other document holds (see [`Ids`]); `removed` are the
/// path keys of files whose documents this run removes. With `keep_unchanged` (the enrichment did
/// not change), a changed mbox keeps the documents of the messages it still holds (see
/// [`super::kept`]).
pub(super) fn read_and_write(
    run: &mut Run,
    state: &mut IndexState,
    planned: &[PlannedFile],
    removed: &HashSet<String>,
    read: &ReadOptions,
    progress: &dyn Progress,
    keep_unchanged: bool,
) -> Result<()> {
    let files: Vec<(&FoundFile, Option<&FetchedUrl>)> = planned
        .iter()
        .map(|plan| (plan.file, plan.fetched))
        .collect();
    let opened = run.opened;
    let mut ids = Ids::new(
        opened.reader()?.searcher(),
        &opened.fields,
        planned,
        removed,
    );
    let before = opened.reader()?.searcher();
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel(BATCH);
        scope.spawn(move || {
            for (ordinal, (file, fetched)) in files.into_iter().enumerate() {
                let mut sink = ChannelSink {
                    ordinal,
                    sender: &sender,
                    closed: false,
                };
                sink.send(Found::Start);
                match fetched {
                    Some(url) => corpus::read_fetched(
                        &file.path.to_string_lossy(),
                        &url.body,
                        read,
                        &mut sink,
                    ),
                    None => corpus::read_file(file, read, &mut sink),
                }
                sink.send(Found::End);
                if sink.closed {
                    break;
                }
            }
        });
        // On an error `receiver` is dropped as this closure returns, which stops the reader.
        for (ordinal, found) in receiver {
            let Some(plan) = planned.get(ordinal) else {
                continue;
            };
            match found {
                Found::Start => {
                    let mut open = OpenFile::default();
                    if plan.fetched.is_some() {
                        // A URL's items replace their old copies by id, one by one.
                    } else if keep_unchanged
                        && plan.previous.is_some()
                        && plan.file.format == Format::Mbox
                    {
                        open.kept = Some(Kept::load(&before, &run.opened.fields, &plan.key)?);
                    } else {
                        run.writer
                            .delete_term(Term::from_field_text(run.opened.fields.path, &plan.key));
                    }
                    run.open_files.insert(ordinal, open);
                }
                Found::Document(mut doc) => {
                    let renamed = ids.assign(&mut doc, ordinal)?;
                    if let Some(fetched) = plan.fetched {
                        if !write_url_item(run, fetched, ordinal, &doc) {
                            continue;
                        }
                    }
                    let fields = &run.opened.fields;
                    let verdict = match run
                        .open_files
                        .get_mut(&ordinal)
                        .and_then(|open| open.kept.as_mut())
                    {
                        Some(kept) => kept.judge(&before, fields, &doc)?,
                        None => Verdict::New,
                    };
                    match verdict {
                        Verdict::Unchanged => {
                            if let Some(open) = run.open_files.get_mut(&ordinal) {
                                open.documents += 1;
                            }
                            continue;
                        }
                        Verdict::Changed => {
                            run.writer
                                .delete_term(Term::from_field_text(fields.id, &doc.id));
                        }
                        Verdict::New => {}
                    }
                    if let Some(open) = run.open_files.get_mut(&ordinal) {
                        open.documents += 1;
                        if let Some(reason) = &renamed {
                            open.renamed.push(SkippedRecord {
                                line: doc.line,
                                reason: reason.clone(),
                                member: None,
                            });
                        }
                    }
                    if let Some(reason) = renamed {
                        run.report.warnings.push(Notice {
                            path: plan.key.clone(),
                            line: doc.line,
                            reason,
                        });
                    }
                    run.batch_bytes += doc.body.len() + doc.title.as_ref().map_or(0, String::len);
                    run.batch.push((ordinal, *doc));
                    if run.batch.len() >= BATCH || run.batch_bytes >= BATCH_BYTES {
                        run.flush()?;
                        run.settle(state, planned, false);
                    }
                }
                Found::Skipped(problem) => {
                    if let Some(open) = run.open_files.get_mut(&ordinal) {
                        open.skipped.push(SkippedRecord {
                            line: problem.line,
                            reason: problem.reason.clone(),
                            member: (problem.path != plan.file.path)
                                .then(|| path_key(&problem.path)),
                        });
                    }
                    run.report.skipped.push(problem.into());
                }
                Found::Warning(problem) => run.report.warnings.push(problem.into()),
                Found::End => {
                    if let Some(open) = run.open_files.get_mut(&ordinal) {
                        open.read = true;
                        if let Some(kept) = open.kept.as_mut() {
                            for id in kept.vanished() {
                                run.writer
                                    .delete_term(Term::from_field_text(run.opened.fields.id, &id));
                            }
                        }
                    }
                    progress.file_done(plan.file.size, run.report.added + run.report.updated);
                }
            }
        }
        Ok::<(), Error>(())
    })?;
    run.flush()?;
    run.settle(state, planned, true);
    Ok(())
}

/// Decides whether a document read from a URL is written: an item read before with the same
/// content is not (it counts as unchanged), unless the run rewrites everything. A written item
/// replaces the document with its id, whichever run of the URL wrote it, and is counted here.
fn write_url_item(run: &mut Run, fetched: &FetchedUrl, ordinal: usize, doc: &SourceDoc) -> bool {
    let hash = content_hash(doc);
    run.fresh_url_ids.insert(doc.id.clone());
    match fetched.known.get(&doc.id) {
        Some(old) if *old == hash && !fetched.rewrite => {
            run.report.unchanged += 1;
            return false;
        }
        Some(_) => run.report.updated += 1,
        None => run.report.added += 1,
    }
    run.writer
        .delete_term(Term::from_field_text(run.opened.fields.id, &doc.id));
    if let Some(open) = run.open_files.get_mut(&ordinal) {
        open.items.push((doc.id.clone(), hash));
    }
    true
}

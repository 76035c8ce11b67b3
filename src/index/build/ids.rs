//! Ids that several documents carry (two records with `"id": "same"`, or `{"id": 1}` and
//! `{"id": "1"}`): nothing is lost, so the document that already holds an id keeps it, and each
//! later one is indexed under that id with a suffix (`same@2`, `same@3`) and a warning that names
//! both places and the new id.
//!
//! The holder is a document of the index from a file this run neither removes nor has re-read yet
//! (a file it re-reads later keeps its ids when it still carries them), else the first document of
//! this run in walk order. So an unchanged rerun, or one that re-reads either file, gives every
//! document the id it had. Only ids of the records' own are checked: ids derived from a path are
//! unique by construction, so a run of a million Markdown files keeps nothing here.

use std::collections::{HashMap, HashSet};

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};
use xxhash_rust::xxh3::xxh3_64;

use super::reading::PlannedFile;
use crate::corpus::{has_own_id, Format};
use crate::document::SourceDoc;
use crate::error::Result;
use crate::index::schema::Fields;
use crate::index::stored::{file_key, first_text, StoredMetadata};

/// Between an id and the number that makes it unique: not query syntax (`~` is tantivy's slop
/// operator, `#` already marks a record's place in a derived id) and not special to shells, and
/// `show` takes it as any other character.
pub(super) const SUFFIX_SEPARATOR: char = '@';

/// The ids of one run: those met so far, and the index as it was before the run.
pub(super) struct Ids<'a> {
    /// The index before this run: nothing is committed until the run ends.
    searcher: Searcher,
    fields: &'a Fields,
    planned: &'a [PlannedFile<'a>],
    /// Ordinals of the files this run reads, by path key; built the first time the index has an
    /// id in another file than the one being read.
    ordinals: Option<HashMap<&'a str, usize>>,
    /// Path keys of the files this run removes.
    removed: &'a HashSet<String>,
    seen: SeenIds,
    /// The next suffix to try for each id that was met more than once.
    next_suffix: HashMap<String, u64>,
}

/// Where the document holding an id is.
enum Place {
    /// Met earlier in this run.
    Run(Holder),
    /// In the index, from a file this run does not replace.
    Index { path: String, line: Option<u64> },
}

impl<'a> Ids<'a> {
    pub(super) fn new(
        searcher: Searcher,
        fields: &'a Fields,
        planned: &'a [PlannedFile<'a>],
        removed: &'a HashSet<String>,
    ) -> Ids<'a> {
        Ids {
            searcher,
            fields,
            planned,
            ordinals: None,
            removed,
            seen: SeenIds::new(xxh3_64),
            next_suffix: HashMap::new(),
        }
    }

    /// Gives `doc`, read from the planned file `ordinal`, an id that no other document holds,
    /// and says why when it is not the record's own.
    pub(super) fn assign(&mut self, doc: &mut SourceDoc, ordinal: usize) -> Result<Option<String>> {
        if !has_own_id(doc) {
            return Ok(None);
        }
        let here = Holder {
            ordinal,
            line: doc.line,
        };
        let Some(holder) = self.holder(&doc.id, ordinal)? else {
            self.seen.insert(&doc.id, here);
            return Ok(None);
        };
        let mut suffix = self.next_suffix.get(&doc.id).copied().unwrap_or(2);
        let renamed = loop {
            let candidate = format!("{}{SUFFIX_SEPARATOR}{suffix}", doc.id);
            suffix += 1;
            if self.holder(&candidate, ordinal)?.is_none() {
                break candidate;
            }
        };
        self.next_suffix.insert(doc.id.clone(), suffix);
        self.seen.insert(&renamed, here);
        let (path, line) = match &holder {
            Place::Run(held) => (
                self.planned
                    .get(held.ordinal)
                    .map_or("", |plan| plan.key.as_str()),
                held.line,
            ),
            Place::Index { path, line } => (path.as_str(), *line),
        };
        let warning = format!(
            "id '{}' is already used by {}; indexed as '{renamed}'",
            doc.id,
            place(path, line)
        );
        doc.id = renamed;
        Ok(Some(warning))
    }

    /// The document holding `id` for a document of the planned file `ordinal`, if any.
    fn holder(&mut self, id: &str, ordinal: usize) -> Result<Option<Place>> {
        if let Some(held) = self.seen.get(id) {
            return Ok(Some(Place::Run(held)));
        }
        let id_term = Term::from_field_text(self.fields.id, id);
        // Most ids are new to the index: one look at the term dictionary says so.
        if self.searcher.doc_freq(&id_term)? == 0 {
            return Ok(None);
        }
        let own_file = self
            .planned
            .get(ordinal)
            .map_or("", |plan| plan.key.as_str());
        let clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(id_term, IndexRecordOption::Basic)),
            ),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.path, own_file),
                    IndexRecordOption::Basic,
                )),
            ),
        ];
        let mut hits: Vec<_> = self
            .searcher
            .search(&BooleanQuery::new(clauses), &DocSetCollector)?
            .into_iter()
            .collect();
        hits.sort();
        for address in hits {
            let doc: TantivyDocument = self.searcher.doc(address)?;
            let (Some(path), Some(key)) = (
                first_text(&doc, self.fields.path),
                file_key(&doc, self.fields),
            ) else {
                continue;
            };
            if self.removed.contains(&key) || self.read_by_now(&key, ordinal) {
                // Its documents are gone, or were read again with what they hold now.
                continue;
            }
            let line = first_text(&doc, self.fields.metadata)
                .and_then(|text| StoredMetadata::from_json(&text).line);
            return Ok(Some(Place::Index { path, line }));
        }
        Ok(None)
    }

    /// Whether this run has read (or is reading) the file at `path`, the ordinal-th it reads.
    fn read_by_now(&mut self, path: &str, ordinal: usize) -> bool {
        let planned = self.planned;
        let ordinals = self.ordinals.get_or_insert_with(|| {
            planned
                .iter()
                .enumerate()
                .map(|(at, plan)| (plan.key.as_str(), at))
                .collect()
        });
        ordinals.get(path).is_some_and(|at| *at <= ordinal)
    }
}

/// A record's place for a message: `file line 3`, or `file item 3` in a JSON array.
fn place(path: &str, line: Option<u64>) -> String {
    match line {
        Some(n) if Format::from_path(std::path::Path::new(path)) == Some(Format::Json) => {
            format!("{path} item {n}")
        }
        Some(n) => format!("{path} line {n}"),
        None => path.to_owned(),
    }
}

/// Where an id was first met in this run: the planned file and the record's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Holder {
    ordinal: usize,
    line: Option<u64>,
}

/// The ids met in a run, kept compact for runs of millions of records: each id once, back to back
/// in one string, found by its 64-bit hash. The hash only finds a candidate; the text is always
/// compared, and a second id with the same hash (or one too long for the packed slot) goes to a
/// small map of its own. A slot is 32 bytes, so with the hash table's slack an id costs 40 to 70
/// bytes besides its text: under 100 MB for a million records with ids of their own.
struct SeenIds {
    hash: fn(&[u8]) -> u64,
    text: String,
    by_hash: HashMap<u64, Slot>,
    others: HashMap<Box<str>, Holder>,
}

/// An id's place in `SeenIds::text` and where it was met, packed.
#[derive(Debug, Clone, Copy)]
struct Slot {
    start: usize,
    len: u32,
    ordinal: u32,
    /// The record's line; 0 when it has none (lines count from 1).
    line: u64,
}

impl SeenIds {
    fn new(hash: fn(&[u8]) -> u64) -> SeenIds {
        SeenIds {
            hash,
            text: String::new(),
            by_hash: HashMap::new(),
            others: HashMap::new(),
        }
    }

    fn get(&self, id: &str) -> Option<Holder> {
        let slot = self.by_hash.get(&(self.hash)(id.as_bytes()))?;
        let start = slot.start;
        let end = start + slot.len as usize;
        if self.text.get(start..end) == Some(id) {
            return Some(Holder {
                ordinal: slot.ordinal as usize,
                line: (slot.line != 0).then_some(slot.line),
            });
        }
        self.others.get(id).copied()
    }

    /// Records `id` as met at `holder`; the first place an id is met is the one kept.
    fn insert(&mut self, id: &str, holder: Holder) {
        if self.get(id).is_some() {
            return;
        }
        let hash = (self.hash)(id.as_bytes());
        let packed = (
            u32::try_from(id.len()),
            u32::try_from(holder.ordinal),
            holder.line.unwrap_or(0),
        );
        match (self.by_hash.contains_key(&hash), packed) {
            (false, (Ok(len), Ok(ordinal), line)) => {
                let start = self.text.len();
                self.text.push_str(id);
                self.by_hash.insert(
                    hash,
                    Slot {
                        start,
                        len,
                        ordinal,
                        line,
                    },
                );
            }
            _ => {
                self.others.insert(id.into(), holder);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ordinal: usize, line: u64) -> Holder {
        Holder {
            ordinal,
            line: Some(line),
        }
    }

    #[test]
    fn seen_ids_keep_the_first_place() {
        let mut seen = SeenIds::new(xxh3_64);
        assert_eq!(seen.get("same"), None);
        seen.insert("same", at(0, 1));
        seen.insert("same", at(3, 9));
        seen.insert("1", at(1, 1));
        assert_eq!(seen.get("same"), Some(at(0, 1)));
        assert_eq!(seen.get("1"), Some(at(1, 1)));
        assert_eq!(seen.get("sam"), None);
    }

    #[test]
    fn ids_with_one_hash_are_told_apart_by_their_text() {
        let mut seen = SeenIds::new(|_| 7);
        seen.insert("a", at(0, 1));
        assert_eq!(seen.get("b"), None);
        seen.insert("b", at(0, 2));
        seen.insert(
            "c",
            Holder {
                ordinal: 2,
                line: None,
            },
        );
        assert_eq!(seen.get("a"), Some(at(0, 1)));
        assert_eq!(seen.get("b"), Some(at(0, 2)));
        assert_eq!(
            seen.get("c"),
            Some(Holder {
                ordinal: 2,
                line: None
            })
        );
        assert_eq!(seen.get("d"), None);
    }

    #[test]
    fn places_say_line_or_item() {
        assert_eq!(place("/c/a.jsonl", Some(2)), "/c/a.jsonl line 2");
        assert_eq!(place("/c/a.json", Some(2)), "/c/a.json item 2");
        assert_eq!(place("/c/a.json", None), "/c/a.json");
    }
}

//! Topics a user defines without editing TOML (`topic add`, `topic remove`), stored with the
//! index and applied at once to every document already in it.
//!
//! A user topic is a taxonomy topic recorded in the index state ([`UserTopic`]): every command
//! sees it in the index's taxonomy, and every later indexing run tags new documents with it as
//! it tags them with the taxonomy's own topics. Adding or removing one does not enrich anything
//! again: its members are found on the index itself, and only the documents whose topics change
//! are written again, from what the index stores of them.
//!
//! A change is made in three steps so that a kill at any moment leaves nothing wrong for good:
//! the record is saved first with the enrichment fingerprint cleared, then the documents are
//! rewritten in one commit, then the fingerprint is set again. A run killed between the first and
//! the last step leaves a cleared fingerprint, so the next `index` run re-tags every document.

mod rewrite;
mod taxonomy;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::indexer::NoMergePolicy;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, IndexWriter, Searcher, TantivyDocument, Term};

pub(crate) use taxonomy::with_user_topics;

use super::build::writer_options;
use super::profile;
use super::query_syntax::{parse_query, Names};
use super::query_topics::learned_match;
use super::saved_taxonomy;
use super::state::{enrichment_fingerprint, IndexState, TopicRule, UserTopic};
use super::store::{map_writer_error, open_existing, OpenIndex};
use crate::enrich::topics::{Evidence, TopicMatch};
use crate::error::{Error, Result};
use crate::taxonomy::Taxonomy;

/// Memory for the writer that rewrites a topic's members: the default of `index --memory`.
const WRITER_MEMORY: usize = 256 * 1024 * 1024;

/// `topic add`: a new user topic and what decides membership.
#[derive(Debug, Clone)]
pub struct AddTopicRequest {
    pub id: String,
    /// Defaults to the id.
    pub label: Option<String>,
    pub parent: Option<String>,
    pub rule: NewRule,
}

/// How a new user topic decides which documents belong to it.
#[derive(Debug, Clone)]
pub enum NewRule {
    /// A query in the tool's syntax.
    Query(String),
    /// Learned from example documents (and counter-examples), by id.
    Like {
        like: Vec<String>,
        unlike: Vec<String>,
    },
}

/// What adding, refining or removing a topic did.
#[derive(Debug, Clone, Serialize)]
pub struct TopicChange {
    pub id: String,
    /// Documents that joined the topic.
    pub joined: u64,
    /// Documents that left it.
    pub left: u64,
    /// Documents in the topic after the change.
    pub members: u64,
    /// Documents in the index.
    pub documents: u64,
    pub seconds: f64,
}

/// The user topics of the index, in the order they were added.
pub fn user_topics(opened: &OpenIndex) -> Vec<UserTopic> {
    IndexState::load(&opened.path).user_topics
}

/// Adds a user topic and tags every document of the index that belongs to it.
pub fn add_topic(index_dir: &Path, request: &AddTopicRequest) -> Result<TopicChange> {
    let started = Instant::now();
    let mut session = Session::open(index_dir)?;
    let id = request.id.trim();
    let refused = |detail: &str| Error::TopicRefused {
        id: id.to_owned(),
        detail: detail.to_owned(),
    };
    if session.state.user_topics.iter().any(|topic| topic.id == id) {
        return Err(refused(
            "is already a user topic; choose another id, or remove it first (`topictrack topic remove ID`)",
        ));
    }
    if session.base.topics.iter().any(|topic| topic.id == id) {
        return Err(refused(
            "is a topic of the taxonomy; choose another id for a topic of your own",
        ));
    }
    let rule =
        match &request.rule {
            NewRule::Query(query) if query.trim().is_empty() => return Err(refused(
                "the query is empty; give the words or query that define the topic with --query",
            )),
            NewRule::Query(query) => TopicRule::Query {
                query: query.trim().to_owned(),
            },
            NewRule::Like { like, unlike } => TopicRule::Learned {
                profile: Box::new(profile::learn(&session.opened, like, unlike)?),
            },
        };
    let topic = UserTopic {
        id: id.to_owned(),
        label: request
            .label
            .as_deref()
            .map(str::trim)
            .filter(|label| !label.is_empty())
            .unwrap_or(id)
            .to_owned(),
        parent: request.parent.clone(),
        rule,
        added: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
    };
    session.state.user_topics.push(topic.clone());
    session.change(started, &topic)
}

/// `topic feedback`: learns a learned topic again with more judged documents (relevance
/// feedback), and applies the new decision to every document.
pub fn refine_topic(
    index_dir: &Path,
    id: &str,
    yes: &[String],
    no: &[String],
) -> Result<TopicChange> {
    let started = Instant::now();
    let mut session = Session::open(index_dir)?;
    let id = id.trim();
    let position = session.position(id)?;
    let topic = &mut session.state.user_topics[position];
    let TopicRule::Learned { profile } = &topic.rule else {
        return Err(Error::TopicRefused {
            id: id.to_owned(),
            detail: "is defined by a query; feedback refines topics learned with --like \
                     (edit the query by removing the topic and adding it again)"
                .to_owned(),
        });
    };
    if yes.is_empty() && no.is_empty() {
        return Err(Error::TopicRefused {
            id: id.to_owned(),
            detail: "give documents that belong (--yes ID) or do not (--no ID)".to_owned(),
        });
    }
    let refined = profile::refine(&session.opened, profile, yes, no)?;
    topic.rule = TopicRule::Learned {
        profile: Box::new(refined),
    };
    let topic = topic.clone();
    session.change(started, &topic)
}

/// Removes a user topic and takes it off every document that had it.
pub fn remove_topic(index_dir: &Path, id: &str) -> Result<TopicChange> {
    let started = Instant::now();
    let mut session = Session::open(index_dir)?;
    let id = id.trim();
    let position = session.position(id)?;
    let children: Vec<&str> = session
        .state
        .user_topics
        .iter()
        .filter(|topic| topic.parent.as_deref() == Some(id))
        .map(|topic| topic.id.as_str())
        .collect();
    if let Some(child) = children.first() {
        return Err(Error::TopicRefused {
            id: id.to_owned(),
            detail: format!("is the parent of {child:?}; remove that first"),
        });
    }
    let removed = session.state.user_topics.remove(position);
    session.change(started, &removed)
}

/// The error for an id that names no user topic, with the closest one if any is close.
pub(crate) fn not_a_user_topic<'a>(id: &str, known: impl Iterator<Item = &'a str>) -> Error {
    let known: Vec<&str> = known.collect();
    let detail = if known.is_empty() {
        "is not a user topic; the index has none (`topictrack topic add` defines one)".to_owned()
    } else {
        format!(
            "is not a user topic{} (`topictrack topic list` shows them)",
            super::resolve::suggestion(id, known.into_iter())
        )
    };
    Error::TopicRefused {
        id: id.to_owned(),
        detail,
    }
}

/// The index opened for a topic change: its writer (so no indexing run works at the same time),
/// its state, and its taxonomy without the user topics.
struct Session {
    opened: OpenIndex,
    writer: IndexWriter<TantivyDocument>,
    state: IndexState,
    /// The taxonomy files' topics and entities: the saved taxonomy less the user topics.
    base: Taxonomy,
}

impl Session {
    fn open(index_dir: &Path) -> Result<Session> {
        let opened = open_existing(index_dir)?;
        let writer: IndexWriter<TantivyDocument> = opened
            .index
            .writer_with_options(writer_options(WRITER_MEMORY))
            .map_err(|err| map_writer_error(&opened.path, err))?;
        // No merge: a change writes only the documents it touches, and waiting for a merge of
        // them with older segments would cost more than the change. The next indexing run
        // merges them (`BoundedMerges` takes the small segments a change leaves).
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let state = IndexState::load(&opened.path);
        if !state.full_enrichment() {
            return Err(Error::InvalidRequest {
                detail: "this index was built with `index --no-enrich`, which tags no topics; \
                         index it without --no-enrich to define topics"
                    .to_owned(),
            });
        }
        let mut base = opened.taxonomy().clone();
        base.topics
            .retain(|topic| !state.user_topics.iter().any(|user| user.id == topic.id));
        Ok(Session {
            opened,
            writer,
            state,
            base,
        })
    }

    /// Where the user topic `id` is in the record; an error saying what `id` is otherwise.
    fn position(&self, id: &str) -> Result<usize> {
        if let Some(position) = self
            .state
            .user_topics
            .iter()
            .position(|topic| topic.id == id)
        {
            return Ok(position);
        }
        if self.base.topics.iter().any(|topic| topic.id == id) {
            return Err(Error::TopicRefused {
                id: id.to_owned(),
                detail: "is a topic of the taxonomy, not one added with `topic add`; change it \
                         in the taxonomy file"
                    .to_owned(),
            });
        }
        let known = self.state.user_topics.iter().map(|topic| topic.id.as_str());
        Err(not_a_user_topic(id, known))
    }

    /// Applies the record, already changed for `topic` (added, refined or removed), to every
    /// document: those the topic's rule now takes get it, with their evidence; those that had
    /// it and no longer belong lose it.
    fn change(mut self, started: Instant, topic: &UserTopic) -> Result<TopicChange> {
        let taxonomy = with_user_topics(self.base.clone(), &self.state.user_topics)?;
        let searcher = self.opened.reader()?.searcher();
        let still_defined = self
            .state
            .user_topics
            .iter()
            .any(|kept| kept.id == topic.id);
        let decided = if still_defined {
            decide(&self.opened, &searcher, &taxonomy, topic)?
        } else {
            HashMap::new()
        };
        let term = Term::from_field_text(self.opened.fields.topic, &topic.id);
        let before = searcher
            .search(
                &TermQuery::new(term, IndexRecordOption::Basic),
                &DocSetCollector,
            )
            .map_err(|err| self.opened.explain(err))?;
        let joined = decided
            .keys()
            .filter(|address| !before.contains(address))
            .count();
        let left = before
            .iter()
            .filter(|address| !decided.contains_key(address))
            .count();
        let touched: HashSet<DocAddress> = before.iter().chain(decided.keys()).copied().collect();
        self.begin()?;
        rewrite::rewrite(
            &mut self.writer,
            &self.opened,
            &searcher,
            touched,
            |address, enrichment| {
                enrichment.topics.retain(|existing| existing.id != topic.id);
                if let Some(found) = decided.get(&address) {
                    enrichment.topics.push(found.clone());
                }
            },
        )?;
        let documents = self.finish(&taxonomy)?;
        Ok(TopicChange {
            id: topic.id.clone(),
            joined: joined as u64,
            left: left as u64,
            members: decided.len() as u64,
            documents,
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    /// Saves the new record with the fingerprint cleared, before any document changes.
    fn begin(&mut self) -> Result<()> {
        self.state.enrichment_fingerprint.clear();
        self.state.save(&self.opened.path)
    }

    /// Commits the rewritten documents, then saves the taxonomy and the fingerprint that say the
    /// documents carry it; returns the number of documents in the index.
    fn finish(mut self, taxonomy: &Taxonomy) -> Result<u64> {
        self.writer.commit()?;
        self.writer.wait_merging_threads()?;
        saved_taxonomy::save(&self.opened.path, taxonomy)?;
        self.state.enrichment_fingerprint = enrichment_fingerprint(taxonomy, true);
        self.state.save(&self.opened.path)?;
        Ok(self.opened.reader()?.searcher().num_docs())
    }
}

/// The documents of the index that belong to `topic`, each with the match `show` explains.
fn decide(
    opened: &OpenIndex,
    searcher: &Searcher,
    taxonomy: &Taxonomy,
    topic: &UserTopic,
) -> Result<HashMap<DocAddress, TopicMatch>> {
    let facet = taxonomy.facet_path(&topic.id);
    match &topic.rule {
        TopicRule::Query { query } => {
            let names = Names {
                taxonomy,
                searcher: Some(searcher),
            };
            let parsed = parse_query(opened, &names, query)?;
            let found = searcher
                .search(parsed.as_ref(), &DocSetCollector)
                .map_err(|err| opened.explain(err))?;
            let matched = TopicMatch {
                id: topic.id.clone(),
                facet,
                hits: 1,
                evidence: vec![Evidence {
                    phrase: format!("query: {query}"),
                    hits: 1,
                }],
            };
            Ok(found
                .into_iter()
                .map(|address| (address, matched.clone()))
                .collect())
        }
        TopicRule::Learned { profile } => Ok(profile::members(searcher, &opened.fields, profile)?
            .into_iter()
            .map(|member| {
                let matched = learned_match(&topic.id, &facet, &member, profile.threshold);
                (member.address, matched)
            })
            .collect()),
    }
}

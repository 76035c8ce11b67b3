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

use std::path::Path;
use std::time::Instant;

use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexWriter, TantivyDocument, Term};

pub(crate) use taxonomy::with_user_topics;

use super::build::writer_options;
use super::merge::BoundedMerges;
use super::query_syntax::{parse_query, Names};
use super::saved_taxonomy;
use super::state::{enrichment_fingerprint, IndexState, TopicRule, UserTopic};
use super::store::{map_writer_error, open_existing, OpenIndex};
use crate::enrich::topics::{Evidence, TopicMatch};
use crate::error::{Error, Result};
use crate::taxonomy::Taxonomy;

/// Memory for the writer that rewrites a topic's members: the default of `index --memory`.
const WRITER_MEMORY: usize = 256 * 1024 * 1024;

/// `topic add`: a new user topic and its rule.
#[derive(Debug, Clone)]
pub struct AddTopicRequest {
    pub id: String,
    /// Defaults to the id.
    pub label: Option<String>,
    pub parent: Option<String>,
    pub query: String,
}

/// What adding or removing a topic did.
#[derive(Debug, Clone, Serialize)]
pub struct TopicChange {
    pub id: String,
    /// Documents that joined the topic.
    pub joined: u64,
    /// Documents that left it.
    pub left: u64,
    /// Documents in the index.
    pub documents: u64,
    pub seconds: f64,
}

/// The user topics of the index at `index_dir`, in the order they were added.
pub fn user_topics(opened: &OpenIndex) -> Vec<UserTopic> {
    IndexState::load(&opened.path).user_topics
}

/// Adds a user topic and tags every document of the index that its query matches.
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
    if session.taxonomy.topics.iter().any(|topic| topic.id == id) {
        return Err(refused(
            "is a topic of the taxonomy; choose another id for a topic of your own",
        ));
    }
    let query = request.query.trim();
    if query.is_empty() {
        return Err(refused(
            "the query is empty; give the words or query that define the topic with --query",
        ));
    }
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
        rule: TopicRule::Query {
            query: query.to_owned(),
        },
        added: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
    };
    let taxonomy = with_user_topics(session.taxonomy.clone(), std::slice::from_ref(&topic))?;
    let searcher = session.opened.reader()?.searcher();
    let names = Names {
        taxonomy: &taxonomy,
        searcher: Some(&searcher),
    };
    let parsed = parse_query(&session.opened, &names, query)?;
    let members = searcher
        .search(parsed.as_ref(), &DocSetCollector)
        .map_err(|err| session.opened.explain(err))?;
    let joined = TopicMatch {
        id: topic.id.clone(),
        facet: taxonomy.facet_path(&topic.id),
        hits: 1,
        evidence: vec![Evidence {
            phrase: format!("query: {query}"),
            hits: 1,
        }],
    };
    session.state.user_topics.push(topic);
    session.begin()?;
    let changed = rewrite::rewrite(
        &mut session.writer,
        &session.opened,
        &searcher,
        members,
        |enrichment| {
            enrichment
                .topics
                .retain(|existing| existing.id != joined.id);
            enrichment.topics.push(joined.clone());
        },
    )?;
    let documents = session.finish(&taxonomy)?;
    Ok(TopicChange {
        id: id.to_owned(),
        joined: changed,
        left: 0,
        documents,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Removes a user topic and takes it off every document that had it.
pub fn remove_topic(index_dir: &Path, id: &str) -> Result<TopicChange> {
    let started = Instant::now();
    let mut session = Session::open(index_dir)?;
    let id = id.trim();
    let Some(position) = session
        .state
        .user_topics
        .iter()
        .position(|topic| topic.id == id)
    else {
        if session.taxonomy.topics.iter().any(|topic| topic.id == id) {
            return Err(Error::TopicRefused {
                id: id.to_owned(),
                detail: "is a topic of the taxonomy, not one added with `topic add`; take it out \
                         of the taxonomy file"
                    .to_owned(),
            });
        }
        let known = session
            .state
            .user_topics
            .iter()
            .map(|topic| topic.id.as_str());
        return Err(not_a_user_topic(id, known));
    };
    if let Some(child) = session
        .taxonomy
        .topics
        .iter()
        .find(|topic| topic.parent.as_deref() == Some(id))
    {
        return Err(Error::TopicRefused {
            id: id.to_owned(),
            detail: format!("is the parent of {:?}; remove that first", child.id),
        });
    }
    session.state.user_topics.remove(position);
    let mut taxonomy = session.taxonomy.clone();
    taxonomy.topics.retain(|topic| topic.id != id);
    let searcher = session.opened.reader()?.searcher();
    let term = Term::from_field_text(session.opened.fields.topic, id);
    let members = searcher
        .search(
            &TermQuery::new(term, IndexRecordOption::Basic),
            &DocSetCollector,
        )
        .map_err(|err| session.opened.explain(err))?;
    session.begin()?;
    let changed = rewrite::rewrite(
        &mut session.writer,
        &session.opened,
        &searcher,
        members,
        |enrichment| enrichment.topics.retain(|existing| existing.id != id),
    )?;
    let documents = session.finish(&taxonomy)?;
    Ok(TopicChange {
        id: id.to_owned(),
        joined: 0,
        left: changed,
        documents,
        seconds: started.elapsed().as_secs_f64(),
    })
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
/// its state and its taxonomy.
struct Session {
    opened: OpenIndex,
    writer: IndexWriter<TantivyDocument>,
    state: IndexState,
    taxonomy: Taxonomy,
    full_enrichment: bool,
}

impl Session {
    fn open(index_dir: &Path) -> Result<Session> {
        let opened = open_existing(index_dir)?;
        let writer: IndexWriter<TantivyDocument> = opened
            .index
            .writer_with_options(writer_options(WRITER_MEMORY))
            .map_err(|err| map_writer_error(&opened.path, err))?;
        // As in an indexing run: merges bounded in size, so a change never rewrites the index.
        writer.set_merge_policy(Box::new(BoundedMerges));
        let state = IndexState::load(&opened.path);
        if !state.full_enrichment() {
            return Err(Error::InvalidRequest {
                detail: "this index was built with `index --no-enrich`, which tags no topics; \
                         index it without --no-enrich to define topics"
                    .to_owned(),
            });
        }
        let taxonomy = opened.taxonomy().clone();
        Ok(Session {
            full_enrichment: state.full_enrichment(),
            opened,
            writer,
            state,
            taxonomy,
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
        self.state.enrichment_fingerprint = enrichment_fingerprint(taxonomy, self.full_enrichment);
        self.state.save(&self.opened.path)?;
        Ok(self.opened.reader()?.searcher().num_docs())
    }
}

//! Topics a user defines without editing TOML (`topic add`, `topic remove`), stored with the
//! index and applied at once to every document already in it.
//!
//! A user topic is recorded in the index state ([`UserTopic`]) and saved in the index's taxonomy,
//! so every command sees it as a topic. Its members are not written into the documents: they are
//! kept beside the segments (see [`super::members`]), so that adding, refining or removing a
//! topic decides its rule once over the index and writes a few small files, and every later
//! indexing run decides it on the segments it makes.

mod taxonomy;

use std::path::Path;
use std::time::Instant;

use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use tantivy::{IndexWriter, TantivyDocument};

pub(crate) use taxonomy::with_user_topics;

use super::members;
use super::profile;
use super::query_syntax::{parse_query, Names};
use super::saved_taxonomy;
use super::state::{IndexState, TopicRule, UserTopic};
use super::store::{map_writer_error, open_existing, OpenIndex};
use crate::error::{Error, Result};
use crate::taxonomy::Taxonomy;

/// Memory of the writer a change holds for its lock (tantivy's minimum for one thread).
const LOCK_WRITER_MEMORY: usize = 15_000_000;

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

/// The index opened for a topic change: its writer (held so that no indexing run or other change
/// works at the same time), its state as it was and as it is being changed, and its taxonomy
/// without the user topics.
struct Session {
    opened: OpenIndex,
    _writer: IndexWriter<TantivyDocument>,
    /// The user topics before this change.
    previous: Vec<UserTopic>,
    state: IndexState,
    /// The taxonomy files' topics and entities: the saved taxonomy less the user topics.
    base: Taxonomy,
}

impl Session {
    fn open(index_dir: &Path) -> Result<Session> {
        let opened = open_existing(index_dir)?;
        // Only the lock is wanted: a change writes no document.
        let writer: IndexWriter<TantivyDocument> = opened
            .index
            .writer_with_num_threads(1, LOCK_WRITER_MEMORY)
            .map_err(|err| map_writer_error(&opened.path, err))?;
        let state = IndexState::load(&opened.path);
        let mut base = opened.taxonomy().clone();
        base.topics
            .retain(|topic| !state.user_topics.iter().any(|user| user.id == topic.id));
        Ok(Session {
            opened,
            _writer: writer,
            previous: state.user_topics.clone(),
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
    /// document: the members of every user topic are brought up to date beside the segments
    /// (only the changed topic's are decided; the others are read), then the record is saved.
    /// No document is written. A change killed before the record is saved leaves the old record
    /// in force: files of the new rule that nobody reads (the next writer deletes them), and
    /// perhaps no files for the old rule, whose lists readers then decide in memory.
    fn change(mut self, started: Instant, topic: &UserTopic) -> Result<TopicChange> {
        let taxonomy = with_user_topics(self.base.clone(), &self.state.user_topics)?;
        let searcher = self.opened.reader()?.searcher();
        let previous_taxonomy = with_user_topics(self.base.clone(), &self.previous)?;
        let before = members::current(&self.opened, &searcher, &previous_taxonomy, &self.previous)?;
        if let Some(TopicRule::Query { query }) = self
            .state
            .user_topics
            .iter()
            .find(|kept| kept.id == topic.id)
            .map(|kept| &kept.rule)
        {
            // A query that does not parse is the user's error now, not an empty topic later.
            let names = Names {
                taxonomy: &taxonomy,
                searcher: Some(&searcher),
                members: Some(&before),
            };
            parse_query(&self.opened, &names, query)?;
        }
        let after = members::refresh(&self.opened, &taxonomy, &self.state.user_topics)?;
        let (joined, left, count) =
            members::difference(&searcher, before.get(&topic.id), after.get(&topic.id));
        saved_taxonomy::save(&self.opened.path, &taxonomy)?;
        self.state.save(&self.opened.path)?;
        Ok(TopicChange {
            id: topic.id.clone(),
            joined,
            left,
            members: count,
            documents: searcher.num_docs(),
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}

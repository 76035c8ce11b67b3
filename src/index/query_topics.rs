//! Topics defined by a query instead of phrases, decided on each batch of documents of an indexing
//! run before it is written.
//!
//! A topic's `query` is written in the same syntax as `topictrack search`, so it must be run by the
//! same parser over the same analyzers. Each batch of enriched documents is therefore written into a small
//! in-memory tantivy index with the real schema and analyzers
//! ([`build_schema`], [`register_analyzers`]), every topic query is run on it once, and the matching
//! documents get the topic (with the query as their evidence) before the batch reaches the real index.
//! Doing it before the write keeps one add per document and lets the topic facets, filters and
//! `show` evidence work exactly as for phrase topics. The cost is paid only when the taxonomy has
//! query topics; without them [`QueryTopics::apply`] returns at once.
//!
//! Queries see the document as it will be indexed, including the topics found by phrases
//! (`topic:ai-chips AND nvidia` works), but not topics that other queries add.

use std::collections::HashSet;
use std::path::PathBuf;

use tantivy::collector::DocSetCollector;
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::query_syntax::{parse_query, Names};
use super::schema::{build_schema, register_analyzers, Fields};
use super::state::UserTopic;
use super::store::OpenIndex;
use super::stored::{tantivy_document, DocStamps};
use crate::document::SourceDoc;
use crate::enrich::topics::{Evidence, TopicMatch};
use crate::enrich::Enrichment;
use crate::error::{Error, Field, Result};
use crate::taxonomy::Taxonomy;

/// Memory for the one indexing thread of a batch index; tantivy's minimum per thread is 15 MB.
const BATCH_MEMORY: usize = 15_000_000;

/// Starts the `id` value that records a document's place in its batch (never a real id).
const POSITION_MARK: char = '\u{0}';

/// One topic decided by a query.
struct QueryTopic {
    id: String,
    facet: String,
    text: String,
    query: Box<dyn Query>,
}

/// The topics of a run decided on each batch: those of the taxonomy files with a query, parsed
/// once per run. User topics are not among them: their members are kept beside the segments
/// (see `members`), not written into the documents.
pub(crate) struct QueryTopics {
    topics: Vec<QueryTopic>,
}

/// An empty in-memory index with topictrack's schema and analyzers.
fn batch_index() -> Result<OpenIndex> {
    let index = Index::create_in_ram(build_schema());
    register_analyzers(&index);
    let fields = Fields::resolve(&index.schema())?;
    Ok(OpenIndex::new(PathBuf::from("(batch)"), index, fields))
}

impl QueryTopics {
    /// Parses the `query` of every topic but the user topics; a query that does not parse is an
    /// error naming its topic.
    pub(crate) fn new(taxonomy: &Taxonomy, user_topics: &[UserTopic]) -> Result<QueryTopics> {
        let with_query: Vec<_> = taxonomy
            .topics
            .iter()
            .filter(|topic| !user_topics.iter().any(|user| user.id == topic.id))
            .filter_map(|topic| Some((topic, topic.query.as_deref()?.trim())))
            .filter(|(_, text)| !text.is_empty())
            .collect();
        if with_query.is_empty() {
            return Ok(QueryTopics { topics: Vec::new() });
        }
        let scratch = batch_index()?;
        let names = Names {
            taxonomy,
            searcher: None,
            members: None,
        };
        let mut topics = Vec::with_capacity(with_query.len());
        for (topic, text) in with_query {
            let query = parse_query(&scratch, &names, text).map_err(|err| {
                Error::bad_argument(
                    Field::Taxonomy,
                    format!(
                        "topic {:?} has a query that cannot be used: {err}",
                        topic.id
                    ),
                )
            })?;
            topics.push(QueryTopic {
                id: topic.id.clone(),
                facet: taxonomy.facet_path(&topic.id),
                text: text.to_string(),
                query,
            });
        }
        Ok(QueryTopics { topics })
    }

    /// Adds the query topics to the enrichments of one batch (`docs[i]` goes with `enriched[i]`);
    /// does nothing when the taxonomy has no query topics.
    pub(crate) fn apply(&self, docs: &[SourceDoc], enriched: &mut [Enrichment]) -> Result<()> {
        if self.topics.is_empty() || docs.is_empty() {
            return Ok(());
        }
        let batch = batch_index()?;
        let mut writer: IndexWriter<TantivyDocument> =
            batch.index.writer_with_num_threads(1, BATCH_MEMORY)?;
        for (position, (doc, enrichment)) in docs.iter().zip(enriched.iter()).enumerate() {
            // The batch index lives for one batch and is only searched for topics: when its
            // documents entered it and whether they are copies mean nothing there.
            let mut built = tantivy_document(&batch.fields, doc, enrichment, DocStamps::default());
            built.add_text(batch.fields.id, format!("{POSITION_MARK}{position}"));
            writer.add_document(built)?;
        }
        writer.commit()?;
        let searcher = batch.reader()?.searcher();
        let position_of = |address| -> Result<Option<usize>> {
            let stored: TantivyDocument = searcher.doc(address)?;
            let position = stored
                .get_all(batch.fields.id)
                .filter_map(|value| value.as_str())
                .find_map(|id| id.strip_prefix(POSITION_MARK)?.parse::<usize>().ok());
            Ok(position)
        };
        for topic in &self.topics {
            let found = searcher.search(topic.query.as_ref(), &DocSetCollector)?;
            let mut positions = HashSet::with_capacity(found.len());
            for address in found {
                positions.extend(position_of(address)?);
            }
            for position in positions {
                if let Some(enrichment) = enriched.get_mut(position) {
                    add_query_match(enrichment, topic);
                }
            }
        }
        Ok(())
    }
}

/// Records that `topic`'s query matched: a new topic, or one more piece of evidence for a topic
/// that its phrases already found.
fn add_query_match(enrichment: &mut Enrichment, topic: &QueryTopic) {
    let evidence = Evidence {
        phrase: format!("query: {}", topic.text),
        hits: 1,
    };
    match enrichment.topics.iter_mut().find(|t| t.id == topic.id) {
        Some(existing) => {
            existing.hits = existing.hits.saturating_add(1);
            existing.evidence.push(evidence);
        }
        None => enrichment.topics.push(TopicMatch {
            id: topic.id.clone(),
            facet: topic.facet.clone(),
            hits: 1,
            evidence: vec![evidence],
        }),
    }
}

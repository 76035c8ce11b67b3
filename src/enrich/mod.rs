//! Enrichment: what a document is about beyond its words — language, dates, entities and topics.

pub mod boilerplate;
pub mod dates;
pub mod entities;
pub mod lang;
pub mod queries;
pub mod stems;
pub mod topics;

use chrono::NaiveDateTime;

use crate::document::{DateSource, SourceDoc};
use crate::error::{Error, Result};
use crate::taxonomy::Taxonomy;
use dates::MentionedDate;
use entities::{EntityHit, EntityMatcher};
use lang::Lang;
use topics::{TopicMatch, TopicMatcher};

/// Everything enrichment learns about one document.
#[derive(Debug, Clone)]
pub struct Enrichment {
    pub lang: Lang,
    pub published: Option<(NaiveDateTime, DateSource)>,
    pub mentioned: Vec<MentionedDate>,
    pub entities: Vec<EntityHit>,
    pub topics: Vec<TopicMatch>,
}

/// The compiled matchers, built once per run and shared by the worker threads.
pub struct Enricher {
    topics: TopicMatcher,
    /// Topics decided by a `query` rule, run per batch (see [`queries`]).
    queries: queries::QueryTopics,
    entities: EntityMatcher,
    /// When false only language and publication date are computed (`index --no-enrich`).
    full: bool,
}

impl Enricher {
    pub fn new(taxonomy: &Taxonomy, full: bool) -> Result<Enricher> {
        // Compiling the two automata is the longest step before the first document can be read:
        // they are built side by side.
        let (topics, entities) = rayon::join(
            || TopicMatcher::new(taxonomy),
            || EntityMatcher::new(&taxonomy.entities),
        );
        let topics = topics.map_err(|err| Error::bad_argument("taxonomy", err.to_string()))?;
        let entities = entities.map_err(|err| Error::bad_argument("entities", err.to_string()))?;
        let queries = if full {
            queries::QueryTopics::new(taxonomy)?
        } else {
            queries::QueryTopics::new(&Taxonomy::default())?
        };
        Ok(Enricher {
            topics,
            queries,
            entities,
            full,
        })
    }

    /// Adds the topics of `query` rules to a batch of enriched documents (`docs[i]` with
    /// `enriched[i]`); does nothing when the taxonomy has no query rules.
    pub fn apply_queries(&self, docs: &[SourceDoc], enriched: &mut [Enrichment]) -> Result<()> {
        self.queries.apply(docs, enriched)
    }

    pub fn enrich(&self, doc: &SourceDoc) -> Enrichment {
        let title = doc.title.as_deref();
        let lang = lang::detect_language(title, &doc.body, doc.lang.as_deref());
        let published = dates::publication_date(doc);
        if !self.full {
            return Enrichment {
                lang,
                published,
                mentioned: Vec::new(),
                entities: Vec::new(),
                topics: Vec::new(),
            };
        }
        // Closing adverts and credit lines are not the article: they would add names ("Vuelos",
        // "Editing") and dates that the story never mentions.
        let body = boilerplate::without_trailing_boilerplate(&doc.body);
        let mentioned = dates::mentioned_dates(body, published.map(|(when, _)| when.date()));
        Enrichment {
            lang,
            published,
            mentioned,
            entities: self.entities.find(title, body),
            topics: self.topics.classify(title, body, lang.code()),
        }
    }
}

//! Enrichment: what a document is about beyond its words — language, dates, entities and topics.

mod boilerplate;
pub(crate) mod dates;
pub(crate) mod entities;
pub(crate) mod lang;
mod quoting;
mod stems;
pub mod tagger;
pub mod terms;
pub(crate) mod topics;

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};

use crate::document::{DateSource, SourceDoc};
use crate::error::{Error, Field, Result};
use crate::taxonomy::Taxonomy;
use entities::EntityMatcher;
use topics::TopicMatcher;

pub use dates::{MentionedDate, Precision};
pub use entities::{EntityHit, EntitySpan};
pub use lang::{detect_language_sampled, Lang};
pub use topics::{Evidence, TopicMatch};

/// The version of what enrichment finds. It is part of the fingerprint an index records for its
/// documents, so an index tagged by another version retags its unchanged files on the next run.
/// Bump it with every change that alters enrichment output (language, dates, entities, topics);
/// the snapshot test `index_runs::enrichment_snapshot_of_the_sample_corpus` fails until you do
/// and regenerate its snapshot (`UPDATE_SNAPSHOT=1 cargo test --test cli index_runs::enrichment_snapshot`).
pub const ENRICHMENT_VERSION: u32 = 5;

/// Everything enrichment learns about one document.
#[derive(Debug, Clone)]
pub struct Enrichment {
    pub lang: Lang,
    pub published: Option<(NaiveDateTime, DateSource)>,
    pub mentioned: Vec<MentionedDate>,
    pub entities: Vec<EntityHit>,
    pub topics: Vec<TopicMatch>,
    /// The document's distinct term keys (see [`terms`]), for `trends --kind term`.
    pub terms: Vec<String>,
    /// What the index run reports about this document (a metadata date that is not a date…).
    pub warnings: Vec<String>,
}

/// The compiled matchers, built once per run and shared by the worker threads.
pub struct Enricher {
    topics: TopicMatcher,
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
            || EntityMatcher::with_user_entities(&taxonomy.entities, &user_entities(taxonomy)),
        );
        let topics = topics.map_err(|err| Error::bad_argument(Field::Taxonomy, err.to_string()))?;
        let entities =
            entities.map_err(|err| Error::bad_argument(Field::Entities, err.to_string()))?;
        Ok(Enricher {
            topics,
            entities,
            full,
        })
    }

    /// Everything enrichment finds in `doc`: language and publication date always, the rest
    /// only with full enrichment.
    pub fn enrich(&self, doc: &SourceDoc) -> Enrichment {
        let lang = self.language(doc);
        let dates::Publication { published, warning } = dates::publication(doc);
        let warnings: Vec<String> = warning.into_iter().collect();
        if !self.full {
            return Enrichment {
                lang,
                published,
                mentioned: Vec::new(),
                entities: Vec::new(),
                topics: Vec::new(),
                terms: Vec::new(),
                warnings,
            };
        }
        let title = doc.title.as_deref();
        let body = article_body(doc);
        Enrichment {
            lang,
            published,
            mentioned: dates::mentioned_dates(&body, published.map(|(when, _)| when.date())),
            entities: self.entities.find(lang, title, &body),
            topics: self.topics.classify(title, &body, lang.code()),
            terms: terms::document_terms(lang, title, &body),
            warnings,
        }
    }

    // The stages of `enrich`, each on its own (for profiling and evaluation); `enrich` runs the
    // same code, finding the article body once.

    /// Spanish, English or other, from the text; a declared `lang` decides only short texts.
    pub fn language(&self, doc: &SourceDoc) -> Lang {
        lang::detect_language(doc.title.as_deref(), &doc.body, doc.lang.as_deref())
    }

    /// The publication date and where it came from: metadata, file name, or the text.
    pub fn publication_date(&self, doc: &SourceDoc) -> Option<(NaiveDateTime, DateSource)> {
        dates::publication_date(doc)
    }

    /// Dates the article body names, resolved against its publication day.
    pub fn mentioned_dates(
        &self,
        doc: &SourceDoc,
        published: Option<NaiveDate>,
    ) -> Vec<MentionedDate> {
        dates::mentioned_dates(&article_body(doc), published)
    }

    /// The entities of the title and article body (in language `lang`), merged by canonical name.
    pub fn entities(&self, doc: &SourceDoc, lang: Lang) -> Vec<EntityHit> {
        self.entities
            .find(lang, doc.title.as_deref(), &article_body(doc))
    }

    /// Every entity mention in `text` (in language `lang`) with its byte span, for evaluation
    /// against labelled text.
    pub fn entity_spans(&self, lang: Lang, text: &str) -> Vec<EntitySpan> {
        self.entities.find_spans(lang, text)
    }

    /// The topics whose rules match the title and article body, with their evidence.
    pub fn topics(&self, doc: &SourceDoc, lang: Lang) -> Vec<TopicMatch> {
        self.topics
            .classify(doc.title.as_deref(), &article_body(doc), lang.code())
    }
}

/// Per entity of `taxonomy`, whether it comes from the user's file: not one of the embedded defaults
/// as shipped.
fn user_entities(taxonomy: &Taxonomy) -> Vec<bool> {
    let embedded = Taxonomy::embedded();
    taxonomy
        .entities
        .iter()
        .map(|def| !embedded.entities.contains(def))
        .collect()
}

/// The body without its closing adverts and credit lines: they are not the article, and would add
/// names ("Vuelos", "Editing") and dates that the story never mentions.
/// A mail or news message's body is its own text: quoted replies and the signature are left out
/// too (see [`quoting`]).
pub(crate) fn article_body(doc: &SourceDoc) -> Cow<'_, str> {
    if doc.mail {
        let own = quoting::own_text(&doc.body);
        Cow::Owned(boilerplate::without_trailing_boilerplate(&own).to_owned())
    } else {
        Cow::Borrowed(boilerplate::without_trailing_boilerplate(&doc.body))
    }
}

//! The tantivy schema and text analyzers of a topictrack index, and the version stamp that guards them.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter,
    TextAnalyzer,
};
use tantivy::Index;

use super::cached_stemmer::CachedStemmer;

/// Bumped whenever fields or their options change, or what a field holds: an index with another
/// number must be rebuilt. (7: the `topic` field no longer holds user topics, whose members are
/// kept beside the segments, see `index::members`.)
pub const SCHEMA_VERSION: u32 = 7;
/// Bumped whenever an analyzer changes (tokenizer, stop words, stemmer crate version).
pub const ANALYZER_VERSION: u32 = 1;

/// Tokenizer names registered on every opened index.
pub const FOLDED: &str = "tt_folded";
pub const SPANISH: &str = "tt_es";
pub const ENGLISH: &str = "tt_en";

/// Every field of the index, resolved once.
#[derive(Clone, Debug)]
pub struct Fields {
    pub schema: Schema,
    /// Stable document id (raw, indexed, stored).
    pub id: Field,
    /// The file a document came from; indexed raw so a changed or deleted file's documents can be removed.
    pub path: Field,
    pub title: Field,
    /// The plain text, stored only (for snippets and `show`).
    pub body: Field,
    /// Searchable text (title + body) of Spanish documents, Spanish stemming.
    pub text_es: Field,
    /// Searchable text of English documents, English stemming.
    pub text_en: Field,
    /// Searchable text of other documents: lower-cased and accent-folded, unstemmed.
    pub text_other: Field,
    pub lang: Field,
    pub source: Field,
    pub url: Field,
    /// Publication date (UTC, seconds).
    pub date: Field,
    /// Publication day as `yyyymmdd`, a fast column for timelines and year facets.
    pub day: Field,
    pub date_source: Field,
    /// Dates mentioned in the text, multi-valued.
    pub mentioned: Field,
    /// The facets, as keywords for filters and as fast columns for counting: tag labels, topic
    /// ids, entities as `<kind>/<name>`. (Schema 2 also kept them as hierarchical tantivy facets,
    /// which nothing read and which cost a twentieth of indexing.)
    pub tag: Field,
    pub topic: Field,
    pub entity: Field,
    /// The document's distinct term keys (stemmed words and phrases, see
    /// [`crate::enrich::terms`]), a fast column only, for `trends --kind term`: postings for
    /// about a hundred keys a document would cost a third more indexing time, and the column
    /// finds a listed term's documents as well (see `query::term_counts`).
    pub term: Field,
    /// Spellings seen for each entity, as `<kind>/<name>\t<surface>` (fast only, for `entities`).
    pub alias: Field,
    /// When the document first entered the index: the start of the indexing run that first wrote
    /// its id (UTC, seconds since 1970). Kept when the document is read or re-enriched again.
    pub indexed: Field,
    /// SimHash of the document's body (see [`crate::text::simhash`]), fast only; absent for texts
    /// too short to compare.
    pub simhash: Field,
    /// The signature's bands as term keys (`band << 16 | bits`), so that candidate copies of a
    /// document are found with a term lookup (see [`super::signature`]).
    pub simhash_band: Field,
    /// JSON: per-topic evidence and mentioned-date details, for `show`.
    pub details: Field,
    /// JSON: other metadata the input carried, and the record's line number.
    pub metadata: Field,
}

fn searchable(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

fn keyword() -> TextOptions {
    STRING | STORED | FAST
}

/// Builds the schema of a new index.
pub fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field("id", STRING | STORED);
    builder.add_text_field("path", STRING | STORED);
    builder.add_text_field("title", searchable(FOLDED).set_stored());
    builder.add_text_field("body", TextOptions::default().set_stored());
    builder.add_text_field("text_es", searchable(SPANISH));
    builder.add_text_field("text_en", searchable(ENGLISH));
    builder.add_text_field("text_other", searchable(FOLDED));
    builder.add_text_field("lang", keyword());
    builder.add_text_field("source", keyword());
    builder.add_text_field("url", STORED);
    builder.add_date_field(
        "date",
        DateOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    builder.add_u64_field("day", NumericOptions::default() | INDEXED | FAST);
    builder.add_text_field("date_source", STRING | STORED);
    builder.add_date_field(
        "mentioned",
        DateOptions::default().set_indexed().set_stored(),
    );
    builder.add_text_field("tag", keyword());
    builder.add_text_field("topic", keyword());
    builder.add_text_field("entity", keyword());
    builder.add_text_field("term", TextOptions::default().set_fast("raw"));
    // Read only as a fast column (`entities` lists each entity's spellings): not indexed, which
    // saves a term dictionary and postings for every distinct spelling.
    builder.add_text_field("alias", TextOptions::default().set_fast("raw"));
    builder.add_u64_field(
        "indexed",
        NumericOptions::default() | INDEXED | FAST | STORED,
    );
    builder.add_u64_field("simhash", NumericOptions::default() | FAST);
    builder.add_u64_field("simhash_band", NumericOptions::default() | INDEXED);
    builder.add_text_field("details", STORED);
    builder.add_text_field("metadata", STORED);
    builder.build()
}

impl Fields {
    /// Resolves the fields of an index's schema; fails if the schema is not topictrack's.
    pub fn resolve(schema: &Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            schema: schema.clone(),
            id: get("id")?,
            path: get("path")?,
            title: get("title")?,
            body: get("body")?,
            text_es: get("text_es")?,
            text_en: get("text_en")?,
            text_other: get("text_other")?,
            lang: get("lang")?,
            source: get("source")?,
            url: get("url")?,
            date: get("date")?,
            day: get("day")?,
            date_source: get("date_source")?,
            mentioned: get("mentioned")?,
            tag: get("tag")?,
            topic: get("topic")?,
            entity: get("entity")?,
            term: get("term")?,
            alias: get("alias")?,
            indexed: get("indexed")?,
            simhash: get("simhash")?,
            simhash_band: get("simhash_band")?,
            details: get("details")?,
            metadata: get("metadata")?,
        })
    }

    /// The searchable text field for a language code.
    pub fn text_field_for(&self, lang: &str) -> Field {
        match lang {
            "es" => self.text_es,
            "en" => self.text_en,
            _ => self.text_other,
        }
    }

    /// Fields a query without a `field:` prefix searches.
    pub fn default_search_fields(&self) -> Vec<Field> {
        vec![self.title, self.text_es, self.text_en, self.text_other]
    }
}

/// Registers topictrack's analyzers; tantivy does not persist them, so this runs after every open.
pub fn register_analyzers(index: &Index) {
    let manager = index.tokenizers();
    manager.register(
        FOLDED,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
    let languages = [
        (SPANISH, Language::Spanish, frostem::Algorithm::Spanish),
        (ENGLISH, Language::English, frostem::Algorithm::English),
    ];
    for (name, language, algorithm) in languages {
        let builder = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser);
        let analyzer = match StopWordFilter::new(language) {
            Some(stop_words) => builder
                .filter(stop_words)
                .filter(CachedStemmer::new(algorithm))
                .filter(AsciiFoldingFilter)
                .build(),
            None => builder
                .filter(CachedStemmer::new(algorithm))
                .filter(AsciiFoldingFilter)
                .build(),
        };
        manager.register(name, analyzer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenStream;

    fn tokens(index: &Index, analyzer: &str, text: &str) -> Vec<String> {
        let mut analyzer = index.tokenizers().get(analyzer).expect("registered");
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn spanish_analyzer_folds_accents_and_inflections_together() {
        let index = Index::create_in_ram(build_schema());
        register_analyzers(&index);
        let stems = tokens(&index, SPANISH, "exportación exportaciones exportacion");
        assert_eq!(stems.len(), 3);
        assert!(stems.iter().all(|stem| stem == &stems[0]), "{stems:?}");
    }

    #[test]
    fn english_analyzer_stems_plurals_and_drops_stop_words() {
        let index = Index::create_in_ram(build_schema());
        register_analyzers(&index);
        assert_eq!(
            tokens(&index, ENGLISH, "the export controls"),
            ["export", "control"]
        );
    }

    #[test]
    fn schema_resolves_every_field() {
        let schema = build_schema();
        assert!(Fields::resolve(&schema).is_ok());
    }
}

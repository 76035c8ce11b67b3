//! Small real indexes for the query modules' unit tests: documents described field by field,
//! written in several segments so that merging across segments is exercised too.

use tantivy::query::{Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{doc, Index, IndexWriter, TantivyDocument, Term};

use crate::index::schema::{build_schema, register_analyzers, Fields};

/// A test document: day (`yyyymmdd` or 0 for undated), topics, entities, aliases, term keys,
/// tags, lang, source.
pub(crate) struct TestDoc<'a> {
    pub day: u64,
    pub topics: &'a [&'a str],
    pub entities: &'a [&'a str],
    pub aliases: &'a [&'a str],
    pub terms: &'a [&'a str],
    pub tags: &'a [&'a str],
    pub lang: &'a str,
    pub source: &'a str,
}

pub(crate) fn dated(day: u64, topics: &'static [&'static str]) -> TestDoc<'static> {
    TestDoc {
        day,
        topics,
        entities: &[],
        aliases: &[],
        terms: &[],
        tags: &[],
        lang: "es",
        source: "wire",
    }
}

pub(crate) fn build_index(docs: &[TestDoc]) -> (Index, Fields) {
    let index = Index::create_in_ram(build_schema());
    register_analyzers(&index);
    let fields = Fields::resolve(&index.schema()).unwrap();
    let mut writer: IndexWriter = index.writer(20_000_000).unwrap();
    for (i, d) in docs.iter().enumerate() {
        let mut document: TantivyDocument = doc!(fields.id => format!("doc{i}"));
        if d.day != 0 {
            document.add_u64(fields.day, d.day);
        }
        for t in d.topics {
            document.add_text(fields.topic, t);
        }
        for e in d.entities {
            document.add_text(fields.entity, e);
        }
        for a in d.aliases {
            document.add_text(fields.alias, a);
        }
        for t in d.terms {
            document.add_text(fields.term, t);
        }
        for t in d.tags {
            document.add_text(fields.tag, t);
        }
        document.add_text(fields.lang, d.lang);
        document.add_text(fields.source, d.source);
        writer.add_document(document).unwrap();
        // Several segments, so merging across segments is exercised too.
        if i % 3 == 2 {
            writer.commit().unwrap();
        }
    }
    writer.commit().unwrap();
    (index, fields)
}

pub(crate) fn term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Eight documents over 2024–2025 (a leap day, a year boundary, two undated) tagged with the
/// topics `chips` and `export`: the index the timeline and day-count tests share.
pub(crate) fn sample() -> (Index, Fields) {
    build_index(&[
        dated(20241230, &["chips"]),
        dated(20241231, &["chips", "export"]),
        dated(20250101, &["export"]),
        dated(20240229, &["chips"]),
        dated(20250315, &[]),
        dated(0, &["chips"]),
        dated(20250520, &["chips"]),
        dated(0, &[]),
    ])
}

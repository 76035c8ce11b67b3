//! The example documents a profile is learned from: found by id, their stored text analysed
//! again with the analyzer of their language's field, so that their terms are exactly the terms
//! the index holds for them.

use std::collections::{HashMap, HashSet};

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, FieldType, IndexRecordOption, Value};
use tantivy::tokenizer::TokenStream;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::index::schema::Fields;
use crate::index::store::OpenIndex;
use crate::index::stored::first_text;

/// One example document, analysed.
#[derive(Debug, Clone)]
pub(super) struct Example {
    pub address: DocAddress,
    /// The searchable text field its text went to (by its language).
    pub field: Field,
    /// Analysed term → frequency in the field.
    pub tf: HashMap<String, u32>,
    /// The field's length as the index records it (the fieldnorm).
    pub len: u32,
    /// Analysed term → surface forms seen for it, with counts.
    pub surfaces: HashMap<String, HashMap<String, u32>>,
}

/// The address of the live document with id `id`, or an error naming the id.
pub(super) fn find(searcher: &Searcher, fields: &Fields, id: &str) -> Result<DocAddress> {
    let query = TermQuery::new(
        Term::from_field_text(fields.id, id),
        IndexRecordOption::Basic,
    );
    let found = searcher.search(&query, &DocSetCollector)?;
    found
        .into_iter()
        .min()
        .ok_or_else(|| Error::UnknownDocument { id: id.to_string() })
}

/// The live documents with one of the ids `ids`; ids no longer in the index are skipped (an
/// example deleted since the profile was learned is simply no longer a member).
pub(super) fn present(
    searcher: &Searcher,
    fields: &Fields,
    ids: &[String],
) -> Result<HashSet<DocAddress>> {
    let mut out = HashSet::new();
    for id in ids {
        let query = TermQuery::new(
            Term::from_field_text(fields.id, id),
            IndexRecordOption::Basic,
        );
        out.extend(searcher.search(&query, &DocSetCollector)?);
    }
    Ok(out)
}

/// The name of the analyzer a text field is indexed with.
fn analyzer_name(fields: &Fields, field: Field) -> Option<String> {
    match fields.schema.get_field_entry(field).field_type() {
        FieldType::Str(options) => options
            .get_indexing_options()
            .map(|indexing| indexing.tokenizer().to_string()),
        _ => None,
    }
}

/// Finds and analyses each document of `ids`, in order (see [`analyse`]).
pub(super) fn load(
    index: &OpenIndex,
    searcher: &Searcher,
    ids: &[String],
    with_title: bool,
) -> Result<Vec<Example>> {
    let mut addresses = Vec::with_capacity(ids.len());
    for id in ids {
        addresses.push(find(searcher, &index.fields, id)?);
    }
    analyse(index, searcher, &addresses, with_title)
}

/// Reads and analyses the documents at `addresses`, in order: each gives an example of its
/// language's text field (title and body) and, `with_title`, one more of the title field alone.
pub(super) fn analyse(
    index: &OpenIndex,
    searcher: &Searcher,
    addresses: &[DocAddress],
    with_title: bool,
) -> Result<Vec<Example>> {
    let fields = &index.fields;
    let mut out = Vec::with_capacity(addresses.len() * (1 + usize::from(with_title)));
    for &address in addresses {
        let stored: TantivyDocument = searcher.doc(address)?;
        let lang = first_text(&stored, fields.lang).unwrap_or_default();
        let texts = |parts: &[Field]| -> Vec<String> {
            parts
                .iter()
                .flat_map(|&part| stored.get_all(part).filter_map(|v| v.as_str()))
                .map(String::from)
                .collect()
        };
        let field = fields.text_field_for(&lang);
        let text = texts(&[fields.title, fields.body]);
        out.extend(analyse_field(index, searcher, address, field, &text)?);
        if with_title {
            let title = texts(&[fields.title]);
            out.extend(analyse_field(
                index,
                searcher,
                address,
                fields.title,
                &title,
            )?);
        }
    }
    Ok(out)
}

/// The example of the document at `address` in `field`, from the texts indexed there (none when
/// the field has no analyzer or the texts no terms).
fn analyse_field(
    index: &OpenIndex,
    searcher: &Searcher,
    address: DocAddress,
    field: Field,
    texts: &[String],
) -> Result<Option<Example>> {
    let Some(name) = analyzer_name(&index.fields, field) else {
        return Ok(None);
    };
    let Some(mut analyzer) = index.index.tokenizers().get(&name) else {
        return Ok(None);
    };
    let mut tf: HashMap<String, u32> = HashMap::new();
    let mut surfaces: HashMap<String, HashMap<String, u32>> = HashMap::new();
    for text in texts {
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            *tf.entry(token.text.clone()).or_default() += 1;
            let surface = text
                .get(token.offset_from..token.offset_to)
                .unwrap_or(&token.text)
                .to_lowercase();
            *surfaces
                .entry(token.text.clone())
                .or_default()
                .entry(surface)
                .or_default() += 1;
        }
    }
    if tf.is_empty() && field == index.fields.title {
        return Ok(None);
    }
    let len = searcher
        .segment_reader(address.segment_ord)
        .fieldnorms_readers()
        .get_field(field)?
        .map(|norms| norms.fieldnorm(address.doc_id))
        .unwrap_or_else(|| tf.values().sum());
    Ok(Some(Example {
        address,
        field,
        tf,
        len,
        surfaces,
    }))
}

//! Writing documents again with their topics changed, from what the index stores of them: no
//! file is read and nothing is enriched again.

use tantivy::columnar::Column;
use tantivy::schema::Value;
use tantivy::{DocAddress, IndexWriter, Searcher, TantivyDocument, Term};

use crate::enrich::Enrichment;
use crate::error::Result;
use crate::index::store::OpenIndex;
use crate::index::stored::{enrichment_of, first_text, source_doc, tantivy_document, DocStamps};

/// Replaces each document at `addresses` by itself with `change` applied to what enrichment
/// found in it (its topics), and
/// returns how many documents were written. Documents are found again by their id (unique in an
/// index), so the delete and the add land in the writer's next commit together.
pub(super) fn rewrite(
    writer: &mut IndexWriter<TantivyDocument>,
    opened: &OpenIndex,
    searcher: &Searcher,
    addresses: impl IntoIterator<Item = DocAddress>,
    change: impl Fn(DocAddress, &mut Enrichment),
) -> Result<u64> {
    let fields = &opened.fields;
    let mut addresses: Vec<DocAddress> = addresses.into_iter().collect();
    // In store order, so that each compressed block of the document store is read once.
    addresses.sort();
    let signatures = signature_columns(opened, searcher)?;
    let mut written = 0;
    for address in addresses {
        let stored: TantivyDocument = searcher.doc(address).map_err(|err| opened.explain(err))?;
        let Some(id) = first_text(&stored, fields.id) else {
            continue;
        };
        let doc = source_doc(fields, &stored);
        let mut enrichment = enrichment_of(fields, &stored);
        change(address, &mut enrichment);
        writer.delete_term(Term::from_field_text(fields.id, &id));
        // The document keeps the time it entered the index (a topic change is not news) and its
        // signature (its text did not change, so there is nothing to compute again).
        let stamps = DocStamps {
            indexed: stored
                .get_first(fields.indexed)
                .and_then(|value| value.as_u64())
                .unwrap_or(0),
            signature: signatures
                .get(address.segment_ord as usize)
                .and_then(Option::as_ref)
                .and_then(|column| column.first(address.doc_id)),
        };
        writer.add_document(tantivy_document(fields, &doc, &enrichment, stamps))?;
        written += 1;
    }
    Ok(written)
}

/// The signature column of each segment of `searcher` (`None` where no document has one).
fn signature_columns(opened: &OpenIndex, searcher: &Searcher) -> Result<Vec<Option<Column<u64>>>> {
    let name = searcher.schema().get_field_name(opened.fields.simhash);
    searcher
        .segment_readers()
        .iter()
        .map(|segment| segment.fast_fields().column_opt::<u64>(name))
        .collect::<tantivy::Result<_>>()
        .map_err(|err| opened.explain(err))
}

//! The near-duplicate signature each document is written with: a SimHash of its article body
//! (title left out, so a new headline does not hide a copy; closing boilerplate left out, as for
//! enrichment), stored as a fast column and as band keys that find candidate copies by term lookup.

use tantivy::TantivyDocument;

use super::schema::Fields;
use crate::document::SourceDoc;
use crate::enrich::article_body;
use crate::text::simhash::{band_keys, simhash};

/// Adds the signature of `doc`'s body to `out`; a text too short to compare gets none.
pub(crate) fn add_signature(fields: &Fields, doc: &SourceDoc, out: &mut TantivyDocument) {
    if let Some(signature) = simhash(article_body(doc)) {
        out.add_u64(fields.simhash, signature);
        for key in band_keys(signature) {
            out.add_u64(fields.simhash_band, key);
        }
    }
}

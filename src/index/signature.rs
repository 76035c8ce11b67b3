//! The near-duplicate signature each document is written with: a SimHash of its article body
//! (title left out, so a new headline does not hide a copy; closing boilerplate left out, as for
//! enrichment), stored as a fast column and as band keys that find candidate copies by term lookup.

use tantivy::TantivyDocument;

use super::schema::Fields;
use crate::document::SourceDoc;
use crate::enrich::article_body;
use crate::text::simhash::{band_keys, simhash};

/// The signature of `doc`'s body; `None` for a text too short to compare.
pub(crate) fn signature_of(doc: &SourceDoc) -> Option<u64> {
    simhash(&article_body(doc))
}

/// Adds `signature` (see [`signature_of`]) to `out`, as the fast column and the band keys.
pub(crate) fn add_signature(fields: &Fields, signature: Option<u64>, out: &mut TantivyDocument) {
    if let Some(signature) = signature {
        out.add_u64(fields.simhash, signature);
        for key in band_keys(signature) {
            out.add_u64(fields.simhash_band, key);
        }
    }
}

//! Copies of one story: documents whose body signatures (stored at index time, see
//! [`crate::text::simhash`]) differ in at most [`MAX_DISTANCE`] bits. [`group`] folds a result set
//! into one entry per story, [`copies_of`] finds one document's copies anywhere in the index, and
//! [`all_groups`] lists every story with copies (for measurement).
//!
//! Nothing is compared at query time but 64-bit signatures: candidates come from the band keys
//! (`simhash_band`, a term lookup each), and a document too short to compare has no signature and
//! is never grouped. Grouping is transitive (A is a copy of B, B of C: one group), which is what a
//! story re-posted with small edits at each hop needs.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::columnar::Column;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::error::Result;
use crate::index::stored::first_text;
use crate::index::OpenIndex;
use crate::text::simhash::{are_copies, band_keys};

pub use crate::text::simhash::MAX_DISTANCE;

/// One document of a group: enough to say "also in: …".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CopyMember {
    /// Where the document is in the searcher it was found with (not part of the JSON).
    #[serde(skip)]
    pub address: DocAddress,
    pub id: String,
    pub source: Option<String>,
    pub title: Option<String>,
}

/// One story: the document that stands for it and its other copies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CopyGroup {
    /// The first of the group in the order the documents were given (the best or newest hit).
    pub representative: CopyMember,
    /// The other copies, in the order given; empty for a story found once.
    pub members: Vec<CopyMember>,
}

/// The signature columns of a searcher's segments, read once.
struct Signatures {
    columns: Vec<Option<Column<u64>>>,
}

impl Signatures {
    fn new(opened: &OpenIndex, searcher: &Searcher) -> Result<Signatures> {
        let name = searcher.schema().get_field_name(opened.fields.simhash);
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().column_opt::<u64>(name))
            .collect::<tantivy::Result<_>>()
            .map_err(|err| opened.explain(err))?;
        Ok(Signatures { columns })
    }

    fn of(&self, address: DocAddress) -> Option<u64> {
        self.columns
            .get(address.segment_ord as usize)?
            .as_ref()?
            .first(address.doc_id)
    }
}

/// Groups `addresses` (found with `searcher`) into copies of one story, keeping the given order:
/// each group comes where its first document came, and every address is in exactly one group.
pub fn group(
    opened: &OpenIndex,
    searcher: &Searcher,
    addresses: &[DocAddress],
) -> Result<Vec<CopyGroup>> {
    let mut groups = Vec::new();
    for positions in group_positions(opened, searcher, addresses)? {
        let members = positions
            .into_iter()
            .filter_map(|at| addresses.get(at).copied());
        groups.extend(copy_group(opened, searcher, members)?);
    }
    Ok(groups)
}

/// [`group`] without reading any document: each group as the positions of its documents in
/// `addresses`, in the given order (the first position stands for the group). Only signatures
/// are read, so a caller that shows a few groups of a long list reads only those documents.
pub fn group_positions(
    opened: &OpenIndex,
    searcher: &Searcher,
    addresses: &[DocAddress],
) -> Result<Vec<Vec<usize>>> {
    let signatures = Signatures::new(opened, searcher)?;
    let signed: Vec<Option<u64>> = addresses
        .iter()
        .map(|address| signatures.of(*address))
        .collect();
    let roots = union_copies(&signed);
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of_root: HashMap<usize, usize> = HashMap::new();
    for at in 0..addresses.len() {
        let root = roots.get(at).copied().unwrap_or(at);
        match group_of_root.get(&root) {
            Some(&index) => {
                if let Some(group) = groups.get_mut(index) {
                    group.push(at);
                }
            }
            None => {
                group_of_root.insert(root, groups.len());
                groups.push(vec![at]);
            }
        }
    }
    Ok(groups)
}

/// Every copy of the document at `address` anywhere in the index, itself left out, in index order.
pub fn copies_of(
    opened: &OpenIndex,
    searcher: &Searcher,
    address: DocAddress,
) -> Result<Vec<CopyMember>> {
    let signatures = Signatures::new(opened, searcher)?;
    let Some(signature) = signatures.of(address) else {
        return Ok(Vec::new());
    };
    let mut found: Vec<DocAddress> = Vec::new();
    for key in band_keys(signature) {
        let query = TermQuery::new(
            Term::from_field_u64(opened.fields.simhash_band, key),
            IndexRecordOption::Basic,
        );
        let candidates = searcher
            .search(&query, &DocSetCollector)
            .map_err(|err| opened.explain(err))?;
        found.extend(candidates.into_iter().filter(|candidate| {
            *candidate != address
                && signatures
                    .of(*candidate)
                    .is_some_and(|other| are_copies(signature, other))
        }));
    }
    found.sort();
    found.dedup();
    found
        .into_iter()
        .map(|copy| member(opened, searcher, copy))
        .collect()
}

/// Every story of the index that has copies, largest group first (for measurement: a million
/// documents cost a pass over one fast column and a map of band keys).
pub fn all_groups(opened: &OpenIndex) -> Result<Vec<CopyGroup>> {
    let searcher = opened.reader()?.searcher();
    let signatures = Signatures::new(opened, &searcher)?;
    let mut addresses = Vec::new();
    let mut signed = Vec::new();
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let Ok(segment_ord) = u32::try_from(ordinal) else {
            break;
        };
        for doc_id in segment.doc_ids_alive() {
            let address = DocAddress::new(segment_ord, doc_id);
            if let Some(signature) = signatures.of(address) {
                addresses.push(address);
                signed.push(Some(signature));
            }
        }
    }
    let roots = union_copies(&signed);
    let mut by_root: HashMap<usize, Vec<DocAddress>> = HashMap::new();
    for (at, address) in addresses.iter().enumerate() {
        let root = roots.get(at).copied().unwrap_or(at);
        by_root.entry(root).or_default().push(*address);
    }
    let mut groups = Vec::new();
    for mut members in by_root.into_values().filter(|members| members.len() > 1) {
        members.sort();
        groups.extend(copy_group(opened, &searcher, members)?);
    }
    groups.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then_with(|| a.representative.address.cmp(&b.representative.address))
    });
    Ok(groups)
}

/// For each signature, the index of the first one of its group (union–find over the pairs that
/// share a band key and are copies); an unsigned entry is its own group.
fn union_copies(signed: &[Option<u64>]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..signed.len()).collect();
    fn find(parent: &mut [usize], mut at: usize) -> usize {
        while parent[at] != at {
            parent[at] = parent[parent[at]];
            at = parent[at];
        }
        at
    }
    let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
    for (at, signature) in signed.iter().enumerate() {
        if let Some(signature) = signature {
            for key in band_keys(*signature) {
                buckets.entry(key).or_default().push(at);
            }
        }
    }
    for bucket in buckets.values().filter(|bucket| bucket.len() > 1) {
        for (i, &a) in bucket.iter().enumerate() {
            for &b in &bucket[i + 1..] {
                let (Some(Some(x)), Some(Some(y))) = (signed.get(a), signed.get(b)) else {
                    continue;
                };
                if !are_copies(*x, *y) {
                    continue;
                }
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                // The earlier entry stands for the group.
                let (keep, join) = if ra <= rb { (ra, rb) } else { (rb, ra) };
                parent[join] = keep;
            }
        }
    }
    (0..signed.len()).map(|at| find(&mut parent, at)).collect()
}

/// The group of the documents at `addresses`, the first standing for it (none when empty).
fn copy_group(
    opened: &OpenIndex,
    searcher: &Searcher,
    addresses: impl IntoIterator<Item = DocAddress>,
) -> Result<Option<CopyGroup>> {
    let mut members = addresses
        .into_iter()
        .map(|address| member(opened, searcher, address))
        .collect::<Result<Vec<_>>>()?
        .into_iter();
    Ok(members.next().map(|representative| CopyGroup {
        representative,
        members: members.collect(),
    }))
}

pub(crate) fn member(
    opened: &OpenIndex,
    searcher: &Searcher,
    address: DocAddress,
) -> Result<CopyMember> {
    let fields = &opened.fields;
    let doc: TantivyDocument = searcher.doc(address).map_err(|err| opened.explain(err))?;
    Ok(CopyMember {
        address,
        id: first_text(&doc, fields.id).unwrap_or_default(),
        source: first_text(&doc, fields.source),
        title: first_text(&doc, fields.title),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_join_transitively_and_unsigned_stay_alone() {
        let a = 0xffff_0000_ffff_0000_u64;
        let b = a ^ 0b111; // 3 bits from a
        let c = b ^ 0b111_000; // 3 bits from b, 6 from a
        let far = !a;
        let roots = union_copies(&[Some(a), None, Some(far), Some(b), Some(c), None]);
        assert_eq!(roots, [0, 1, 2, 0, 0, 5]);
    }
}

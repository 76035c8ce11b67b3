//! Exact top `N` values of a keyword facet counted in several segments, turning only a few term
//! ordinals into strings.
//!
//! Each segment counts by its own term ordinals, so merging every count by text means reading
//! every counted term of every segment. Instead, each segment offers its `K` best ordinals as
//! candidates; a candidate's exact total is found by looking its text up in the other segments'
//! dictionaries. A value offered by no segment counts at most the sum, over segments, of the
//! largest count not offered. When the `N`-th candidate total is strictly above that bound, no
//! other value can reach the top `N` (not even through a tie, which the smaller text would win);
//! otherwise `K` grows, and when it would cover most of the counts the plain merge is cheaper.
//!
//! Entity kinds are ranked apart: each kind is a contiguous run of ordinals in every segment's
//! sorted dictionary, found with one look-up per kind.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::ops::Range;

use tantivy::columnar::{StrColumn, TermOrdHit};

use super::columns::{ords_to_terms, OrdCounter};
use crate::keys::EntityKey;

/// The exact top `top` values (at least) of one group counted in several segments.
pub(crate) fn top_across_segments(
    counters: &[&OrdCounter],
    top: usize,
) -> tantivy::Result<Vec<(String, u64)>> {
    let groups: Vec<SegmentGroup> = counters
        .iter()
        .filter_map(|counter| {
            let (column, counts) = counter.column_and_counts()?;
            Some(SegmentGroup {
                column,
                counts,
                ranges: std::iter::once(0..column.num_terms() as u64).collect(),
            })
        })
        .collect();
    exact_top(&groups, top)
}

/// The exact top `top` values (at least) of each entity kind counted in several segments.
pub(crate) fn top_across_segments_per_kind(
    counters: &[&OrdCounter],
    top: usize,
) -> tantivy::Result<Vec<(String, u64)>> {
    let present: Vec<(&StrColumn, &[u64])> = counters
        .iter()
        .filter_map(|counter| counter.column_and_counts())
        .collect();
    let mut per_segment = Vec::with_capacity(present.len());
    for (column, _) in &present {
        per_segment.push(kind_ranges(column)?);
    }
    let mut out = Vec::new();
    for (_, ranges) in ranges_by_kind(&per_segment) {
        let groups: Vec<SegmentGroup> = present
            .iter()
            .zip(ranges)
            .map(|(&(column, counts), ranges)| SegmentGroup {
                column,
                counts,
                ranges,
            })
            .collect();
        out.extend(exact_top(&groups, top)?);
    }
    Ok(out)
}

/// One segment's counts for a group: its column, the counts by term ordinal, and the ordinal
/// ranges that belong to the group (the whole dictionary, or one entity kind).
struct SegmentGroup<'a> {
    column: &'a StrColumn,
    counts: &'a [u64],
    ranges: Vec<Range<u64>>,
}

/// Candidates offered per segment at first; doubled until the bound is beaten.
const FIRST_EXTRA: usize = 8;

/// A look-up in another segment's dictionary costs about this many counted terms of the plain
/// merge: past that, the plain merge is the cheaper way. Both decode dictionary blocks (4 KB,
/// often zstd-compressed): a look-up decodes one, the merge every block holding a counted term.
/// Measured on Reuters x50 (1 M documents, 5 segments): 2 to 12 all did well, 24 fell back to the
/// merge too often on narrow queries (`--topic`: 12 ms against 5 ms).
const LOOKUP_COST_IN_TERMS: usize = 6;

/// Values of the group that include its exact top `top` (`top > 0`) by count descending then text
/// ascending, each with its exact total over all segments. The caller ranks and truncates.
fn exact_top(segments: &[SegmentGroup], top: usize) -> tantivy::Result<Vec<(String, u64)>> {
    exact_top_with(
        segments,
        top,
        top.saturating_add(FIRST_EXTRA),
        LOOKUP_COST_IN_TERMS,
    )
}

/// `exact_top` with its two tunings as arguments, so tests can force every path.
fn exact_top_with(
    segments: &[SegmentGroup],
    top: usize,
    first_offer: usize,
    lookup_cost: usize,
) -> tantivy::Result<Vec<(String, u64)>> {
    // Counted ordinals of each segment as (count, ordinal).
    let mut entries: Vec<Vec<(u64, u64)>> = segments
        .iter()
        .map(|segment| {
            segment
                .ranges
                .iter()
                .flat_map(|range| range.clone())
                .filter_map(|ord| {
                    let count = *segment.counts.get(usize::try_from(ord).ok()?)?;
                    (count > 0).then_some((count, ord))
                })
                .collect()
        })
        .collect();
    let counted: usize = entries.iter().map(Vec::len).sum();
    let mut offered = first_offer.max(1);
    loop {
        let lookups: usize = entries
            .iter()
            .map(|e| e.len().min(offered) * segments.len().saturating_sub(1))
            .sum();
        if lookups.saturating_mul(lookup_cost) >= counted && lookup_cost > 0 {
            return merge_all(segments, &entries);
        }
        let mut bound = 0u64;
        let mut candidates: Vec<Vec<(u64, u64)>> = Vec::with_capacity(entries.len());
        for segment_entries in &mut entries {
            let key = |&(count, ord): &(u64, u64)| (Reverse(count), ord);
            if segment_entries.len() > offered {
                segment_entries.select_nth_unstable_by_key(offered, key);
                bound += segment_entries[offered].0;
            }
            let mut taken = segment_entries[..segment_entries.len().min(offered)].to_vec();
            taken.sort_unstable_by_key(|&(_, ord)| ord);
            candidates.push(taken);
        }
        let totals = candidate_totals(segments, &candidates)?;
        let mut ranked: Vec<(String, u64)> = totals.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        if bound == 0 {
            // Every counted value was a candidate.
            return Ok(ranked);
        }
        if ranked.len() >= top && ranked[top - 1].1 > bound {
            ranked.truncate(top);
            return Ok(ranked);
        }
        offered = offered.saturating_mul(2);
    }
}

/// `(count, ordinal)` pairs as `(ordinal, count)`, for [`ords_to_terms`].
fn by_ord(entries: &[(u64, u64)]) -> impl Iterator<Item = (u64, u64)> + '_ {
    entries.iter().map(|&(count, ord)| (ord, count))
}

/// The exact total of every candidate: counts known from the segments that offered it, looked up
/// by text in the dictionaries of the others.
fn candidate_totals(
    segments: &[SegmentGroup],
    candidates: &[Vec<(u64, u64)>],
) -> tantivy::Result<HashMap<String, u64>> {
    // For each text, which segments already gave their count.
    let mut known: HashMap<String, (u64, Vec<usize>)> = HashMap::new();
    for (index, (segment, taken)) in segments.iter().zip(candidates).enumerate() {
        for (text, count) in ords_to_terms(segment.column, by_ord(taken))? {
            let entry = known.entry(text).or_default();
            entry.0 += count;
            entry.1.push(index);
        }
    }
    let mut totals = HashMap::with_capacity(known.len());
    for (text, (mut total, seen)) in known {
        for (index, segment) in segments.iter().enumerate() {
            if seen.contains(&index) {
                continue;
            }
            if let Some(ord) = segment.column.dictionary().term_ord(text.as_bytes())? {
                total += usize::try_from(ord)
                    .ok()
                    .and_then(|o| segment.counts.get(o))
                    .copied()
                    .unwrap_or(0);
            }
        }
        totals.insert(text, total);
    }
    Ok(totals)
}

/// Every counted value with its total, merging the segments by text.
fn merge_all(
    segments: &[SegmentGroup],
    entries: &[Vec<(u64, u64)>],
) -> tantivy::Result<Vec<(String, u64)>> {
    let mut totals: HashMap<String, u64> = HashMap::new();
    for (segment, segment_entries) in segments.iter().zip(entries) {
        let mut sorted = segment_entries.clone();
        sorted.sort_unstable_by_key(|&(_, ord)| ord);
        for (text, count) in ords_to_terms(segment.column, by_ord(&sorted))? {
            *totals.entry(text).or_default() += count;
        }
    }
    Ok(totals.into_iter().collect())
}

/// The separator of an entity key's kind and name, as the byte the dictionary holds.
const KIND_SEPARATOR: u8 = EntityKey::SEPARATOR as u8;

/// The ordinal ranges of each entity kind ([`EntityKey::kind_prefix`], empty without one) in a
/// column's sorted dictionary: the terms `kind/…` sit between `kind/` and `kind0` (`0` follows
/// `/`), so each kind is found with one look-up instead of reading every term.
fn kind_ranges(column: &StrColumn) -> tantivy::Result<Vec<(Vec<u8>, Range<u64>)>> {
    let dictionary = column.dictionary();
    let num_terms = column.num_terms() as u64;
    let mut out: Vec<(Vec<u8>, Range<u64>)> = Vec::new();
    let mut ord = 0u64;
    let mut term = Vec::new();
    while ord < num_terms {
        term.clear();
        if !dictionary.ord_to_term(ord, &mut term)? {
            break;
        }
        let kind = EntityKey::kind_prefix(&term);
        let (kind, end) = if term.get(kind.len()) == Some(&KIND_SEPARATOR) {
            let kind = kind.to_vec();
            let mut after = kind.clone();
            after.push(KIND_SEPARATOR + 1);
            let next = match dictionary.term_ord_or_next(&after)? {
                TermOrdHit::Exact(next) | TermOrdHit::Next(next) => next,
            };
            (kind, next.clamp(ord + 1, num_terms))
        } else {
            (Vec::new(), ord + 1)
        };
        match out.last_mut() {
            Some((last_kind, range)) if *last_kind == kind && range.end == ord => range.end = end,
            _ => out.push((kind, ord..end)),
        }
        ord = end;
    }
    Ok(out)
}

/// One entity kind and its ordinal ranges in each segment.
type KindRanges = (Vec<u8>, Vec<Vec<Range<u64>>>);

/// Gathers the ranges of every kind over segments: for each kind (in the order first met), the
/// ranges of each segment (empty where the segment lacks the kind).
fn ranges_by_kind(per_segment: &[Vec<(Vec<u8>, Range<u64>)>]) -> Vec<KindRanges> {
    let mut kinds: Vec<KindRanges> = Vec::new();
    for (index, ranges) in per_segment.iter().enumerate() {
        for (kind, range) in ranges {
            let slot = match kinds.iter().position(|(known, _)| known == kind) {
                Some(slot) => slot,
                None => {
                    kinds.push((kind.clone(), vec![Vec::new(); per_segment.len()]));
                    kinds.len() - 1
                }
            };
            kinds[slot].1[index].push(range.clone());
        }
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::indexer::NoMergePolicy;
    use tantivy::schema::{Schema, FAST, STRING};
    use tantivy::{doc, Index, IndexWriter};

    /// A tiny xorshift generator, so the data are varied but the same at every run.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self, below: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % below
        }
    }

    /// An index of one multi-valued keyword field `v`, one segment per list of documents.
    fn index_of(segments: &[Vec<Vec<String>>]) -> Index {
        let mut schema = Schema::builder();
        let field = schema.add_text_field("v", STRING | FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer(15_000_000).expect("writer");
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for docs in segments {
            for values in docs {
                let mut document = doc!();
                for value in values {
                    document.add_text(field, value);
                }
                writer.add_document(document).expect("added");
            }
            writer.commit().expect("committed");
        }
        index
    }

    /// Each segment's column and counts by ordinal, counted document by document.
    fn segment_counts(index: &Index) -> Vec<(StrColumn, Vec<u64>)> {
        let searcher = index.reader().expect("reader").searcher();
        searcher
            .segment_readers()
            .iter()
            .filter_map(|reader| {
                let column = reader.fast_fields().str("v").expect("column")?;
                let mut counts = vec![0u64; column.num_terms()];
                for doc in 0..reader.max_doc() {
                    for ord in column.term_ords(doc) {
                        counts[ord as usize] += 1;
                    }
                }
                Some((column, counts))
            })
            .collect()
    }

    /// The top `top` of every kind, from counts made by text.
    fn brute_force(
        segments: &[Vec<Vec<String>>],
        top: usize,
        per_kind: bool,
    ) -> Vec<(String, u64)> {
        let mut counts: HashMap<String, u64> = HashMap::new();
        for values in segments.iter().flatten() {
            for value in values {
                *counts.entry(value.clone()).or_default() += 1;
            }
        }
        let ranked = if per_kind {
            crate::query::facets::ranked_per_kind(counts.into_iter().collect(), top)
        } else {
            crate::query::facets::ranked(counts, top)
        };
        ranked.into_iter().map(|v| (v.value, v.count)).collect()
    }

    fn found(
        columns: &[(StrColumn, Vec<u64>)],
        top: usize,
        first_offer: usize,
        lookup_cost: usize,
    ) -> Vec<(String, u64)> {
        let per_segment: Vec<_> = columns
            .iter()
            .map(|(column, _)| kind_ranges(column).expect("kinds"))
            .collect();
        let mut out = Vec::new();
        for (_, ranges) in ranges_by_kind(&per_segment) {
            let groups: Vec<SegmentGroup> = columns
                .iter()
                .zip(ranges)
                .map(|((column, counts), ranges)| SegmentGroup {
                    column,
                    counts,
                    ranges,
                })
                .collect();
            out.extend(exact_top_with(&groups, top, first_offer, lookup_cost).expect("top"));
        }
        let ranked = crate::query::facets::ranked_per_kind(out, top);
        ranked.into_iter().map(|v| (v.value, v.count)).collect()
    }

    /// Segments whose favourite values differ, with long tails of values seen once and many ties.
    fn skewed(seed: u64) -> Vec<Vec<Vec<String>>> {
        let mut rng = Rng(seed);
        let kinds = ["org", "person", "place", "other", "", "org2"];
        (0..4u64)
            .map(|segment| {
                (0..300 + 200 * segment)
                    .map(|_| {
                        (0..rng.next(4))
                            .map(|_| {
                                let kind = kinds[rng.next(kinds.len() as u64) as usize];
                                // Small numbers are common, with a favourite range per segment.
                                let name = match rng.next(3) {
                                    0 => rng.next(6) + 10 * segment,
                                    1 => rng.next(40),
                                    _ => 1000 + rng.next(100_000),
                                };
                                if kind.is_empty() {
                                    format!("n{name}")
                                } else {
                                    format!("{kind}/n{name}")
                                }
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_top_of_each_kind_is_exact_however_few_candidates_start() {
        for seed in [7, 99, 12345] {
            let segments = skewed(seed);
            let index = index_of(&segments);
            let columns = segment_counts(&index);
            assert_eq!(columns.len(), 4, "one segment per commit");
            for top in [1, 2, 3, 5, 8, 40] {
                let expected = brute_force(&segments, top, true);
                // One candidate at first and never the plain merge: the bound must make `K` grow.
                assert_eq!(
                    found(&columns, top, 1, 0),
                    expected,
                    "seed {seed}, top {top}"
                );
                assert_eq!(
                    found(&columns, top, top, 0),
                    expected,
                    "seed {seed}, top {top}"
                );
                // The tunings used for real, which may fall back to the plain merge.
                assert_eq!(
                    found(&columns, top, top + FIRST_EXTRA, LOOKUP_COST_IN_TERMS),
                    expected
                );
            }
        }
    }

    #[test]
    fn kinds_are_contiguous_runs_of_the_dictionary() {
        let values = [
            "", "a", "org/x", "org/y", "org-z", "org0", "orgx/w", "p/q", "z",
        ];
        let segments = vec![vec![values.iter().map(|v| v.to_string()).collect()]];
        let index = index_of(&segments);
        let columns = segment_counts(&index);
        let (column, _) = &columns[0];
        let kinds: Vec<(String, Range<u64>)> = kind_ranges(column)
            .expect("kinds")
            .into_iter()
            .map(|(kind, range)| (String::from_utf8(kind).expect("utf-8"), range))
            .collect();
        // Sorted: "", "a", "org-z", "org/x", "org/y", "org0", "orgx/w", "p/q", "z".
        let expected = [
            ("", 0..3),
            ("org", 3..5),
            ("", 5..6),
            ("orgx", 6..7),
            ("p", 7..8),
            ("", 8..9),
        ];
        let expected: Vec<(String, Range<u64>)> = expected
            .into_iter()
            .map(|(kind, range)| (kind.to_string(), range))
            .collect();
        assert_eq!(kinds, expected);
    }

    #[test]
    fn ties_at_the_cut_keep_the_smaller_text_even_when_unseen_by_the_candidates() {
        // With one candidate per segment, "b" (first of segment 0) is a candidate and "a" never
        // is; both total 3, which is also the bound: "a" must still win the third place.
        let doc = |values: &[&str]| values.iter().map(|v| v.to_string()).collect::<Vec<_>>();
        let five = |value: &str| vec![doc(&[value]); 5];
        let segments = vec![
            vec![doc(&["b", "a"]), doc(&["b"])],
            [five("d"), vec![doc(&["a", "b"])]].concat(),
            [five("e"), vec![doc(&["a"])]].concat(),
        ];
        let index = index_of(&segments);
        let columns = segment_counts(&index);
        assert_eq!(columns.len(), 3);
        for top in 1..=5 {
            assert_eq!(
                found(&columns, top, 1, 0),
                brute_force(&segments, top, true),
                "top {top}"
            );
        }
        let three = found(&columns, 3, 1, 0);
        let third: Vec<(&str, u64)> = three
            .iter()
            .map(|(value, count)| (value.as_str(), *count))
            .collect();
        assert_eq!(third, [("d", 5), ("e", 5), ("a", 3)]);
    }
}

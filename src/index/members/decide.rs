//! Deciding the members of a user topic in chosen segments, by running its rule there: the saved
//! query as a search, or the learned profile as a score against its threshold.

use std::collections::HashSet;

use tantivy::query::EnableScoring;
use tantivy::{DocId, DocSet, Searcher, TERMINATED};

use super::Members;
use crate::error::Result;
use crate::index::profile;
use crate::index::query_syntax::{parse_query, Names};
use crate::index::state::{TopicRule, UserTopic};
use crate::index::store::OpenIndex;
use crate::taxonomy::Taxonomy;

/// The live members of `topic` in the segments `ords` of `searcher`, ascending per segment.
/// `earlier` holds the user topics added before it, which its query may name; `taxonomy` is the
/// one its query is resolved against.
pub(super) fn decide(
    opened: &OpenIndex,
    searcher: &Searcher,
    taxonomy: &Taxonomy,
    earlier: &Members,
    topic: &UserTopic,
    ords: &[usize],
) -> Result<Vec<(usize, Vec<DocId>)>> {
    match &topic.rule {
        TopicRule::Query { query } => {
            let names = Names {
                taxonomy,
                searcher: Some(searcher),
                members: Some(earlier),
            };
            let parsed = parse_query(opened, &names, query)?;
            let weight = parsed
                .weight(EnableScoring::disabled_from_searcher(searcher))
                .map_err(|err| opened.explain(err))?;
            ords.iter()
                .map(|&ord| {
                    let segment = searcher.segment_reader(ord as u32);
                    let alive = segment.alive_bitset();
                    let mut scorer = weight
                        .scorer(segment, 1.0)
                        .map_err(|err| opened.explain(err))?;
                    let mut docs = Vec::new();
                    let mut doc = scorer.doc();
                    while doc != TERMINATED {
                        if alive.is_none_or(|alive| alive.is_alive(doc)) {
                            docs.push(doc);
                        }
                        doc = scorer.advance();
                    }
                    Ok((ord, docs))
                })
                .collect()
        }
        TopicRule::Learned { profile } => {
            let examples = profile::example_addresses(searcher, &opened.fields, profile)?;
            ords.iter()
                .map(|&ord| {
                    let here: HashSet<DocId> = examples
                        .iter()
                        .filter(|address| address.segment_ord as usize == ord)
                        .map(|address| address.doc_id)
                        .collect();
                    let segment = searcher.segment_reader(ord as u32);
                    let docs = profile::segment_members(segment, &opened.fields, profile, &here)
                        .map_err(|err| opened.explained(err))?;
                    Ok((ord, docs))
                })
                .collect()
        }
    }
}

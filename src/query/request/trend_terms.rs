//! The term kind of `trends`: which rising terms to list, and how to write them.
//!
//! A phrase and the words inside it often rise together, for the same documents ("japanese
//! chip" and "chip"). When a listed-worthy term lies inside a longer rising term, as a run of
//! its words, and that longer term is in nearly as many window documents
//! ([`ECHO_SHARE`] of them or more), only the longer, more telling one is kept.
//!
//! Words are many and common ones are in thousands of documents, where a rise of a tenth is
//! already significant ("said", "year"); a term is listed only when its share at least doubles
//! ([`MIN_RATIO`]), so that the list says what is new rather than what is frequent.
//!
//! Keys are stems; each listed term is shown in the spelling the window's documents use most
//! (see [`Surfaces`]), read from a sample of them.

use std::collections::{HashMap, HashSet};

use tantivy::collector::TopDocs;
use tantivy::query::Query;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::trends::both;
use crate::enrich::terms::Surfaces;
use crate::enrich::Lang;
use crate::error::Result;
use crate::index::stored::first_text;
use crate::index::OpenIndex;
use crate::query::rising::{PeriodCounts, Rise};
use crate::query::term_counts::Carriers;

/// A shorter term is left out when a longer rising term holding it is in at least this share of
/// the shorter one's window documents.
pub(super) const ECHO_SHARE: f64 = 0.8;

/// Lowest ratio of window share to baseline share a term needs to be listed.
pub(super) const MIN_RATIO: f64 = 2.0;

/// Window documents read per listed term to find its spelling.
const SURFACE_SAMPLE: usize = 20;

/// A rising item: its value, counts and rise.
pub(super) type Rising = (String, PeriodCounts, Rise);

/// True when the words of `inner` are a run of the words of `outer` (both term keys).
fn lies_inside(inner: &str, outer: &str) -> bool {
    let inner: Vec<&str> = inner.split(' ').collect();
    let outer: Vec<&str> = outer.split(' ').collect();
    inner.len() < outer.len()
        && outer
            .windows(inner.len())
            .any(|run| run == inner.as_slice())
}

/// Keeps the `top` best of `rising` (best first) after leaving out the terms that only echo a
/// longer one (see the module note). Candidates are looked at among the best `4 × top` only.
pub(super) fn without_echoes(mut rising: Vec<Rising>, top: usize) -> Vec<Rising> {
    rising.truncate(top.saturating_mul(4).max(top));
    let echoes: Vec<bool> = rising
        .iter()
        .map(|(inner, counts, _)| {
            rising.iter().any(|(outer, other, _)| {
                lies_inside(inner, outer)
                    && other.window as f64 >= ECHO_SHARE * counts.window as f64
            })
        })
        .collect();
    rising
        .into_iter()
        .zip(echoes)
        .filter(|(_, echo)| !echo)
        .map(|(item, _)| item)
        .take(top)
        .collect()
}

/// How each of `keys` is written most often in a sample of the documents of `in_window` that
/// carry it; a key none of them spells (never expected) stands for itself.
pub(super) fn surfaces(
    opened: &OpenIndex,
    searcher: &Searcher,
    in_window: &dyn Query,
    keys: &[String],
    carriers: &Carriers,
) -> Result<HashMap<String, String>> {
    let explain = |err| opened.explain(err);
    let mut sample: Vec<DocAddress> = Vec::new();
    for key in keys {
        let carrying = both(in_window.box_clone(), Box::new(carriers.query(key)));
        let top = searcher
            .search(
                &*carrying,
                &TopDocs::with_limit(SURFACE_SAMPLE).order_by_score(),
            )
            .map_err(explain)?;
        sample.extend(top.into_iter().map(|(_, address)| address));
    }
    sample.sort_unstable();
    sample.dedup();
    let wanted: HashSet<String> = keys.iter().cloned().collect();
    let fields = &opened.fields;
    let mut tally = Surfaces::default();
    for address in sample {
        let doc: TantivyDocument = searcher.doc(address).map_err(explain)?;
        let lang = first_text(&doc, fields.lang)
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or(Lang::Other);
        let title = first_text(&doc, fields.title);
        let body = first_text(&doc, fields.body).unwrap_or_default();
        tally.add_document(lang, title.as_deref(), &body, &wanted);
    }
    Ok(keys
        .iter()
        .map(|key| (key.clone(), tally.best(key).unwrap_or_else(|| key.clone())))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str, window: u64, score: f64) -> Rising {
        (
            key.to_string(),
            PeriodCounts {
                window,
                window_total: 100,
                baseline: 0,
                baseline_total: 1000,
            },
            Rise {
                expected: 0.0,
                ratio: 1.0,
                score,
            },
        )
    }

    #[test]
    fn runs_of_words_lie_inside_longer_terms() {
        assert!(lies_inside("chip", "japanes chip"));
        assert!(lies_inside(
            "trade agreement",
            "semiconductor trade agreement"
        ));
        assert!(!lies_inside(
            "semiconductor agreement",
            "semiconductor trade agreement"
        ));
        assert!(!lies_inside("chip", "chip"));
        assert!(!lies_inside("chi", "japanes chip"));
    }

    #[test]
    fn a_word_that_only_echoes_its_phrase_gives_way_and_one_with_more_documents_stays() {
        let rising = vec![
            item("chip", 50, 90.0),
            item("japanes chip", 45, 80.0),
            item("tariff", 60, 70.0),
            item("chip tariff", 20, 40.0),
        ];
        let kept: Vec<String> = without_echoes(rising, 10)
            .into_iter()
            .map(|(key, _, _)| key)
            .collect();
        assert_eq!(kept, ["japanes chip", "tariff", "chip tariff"]);
    }
}

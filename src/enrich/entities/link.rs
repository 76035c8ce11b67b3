//! Short forms linked to the full name within one document: after "Martin Lau", a lone "Lau" (tagged
//! as any type: the tagger often calls a bare surname an organisation) is the same person. A surname
//! shared by two people of the document links to neither, unless only one of them is from the
//! gazetteer.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::Span;
use crate::taxonomy::defs::EntityKind;
use crate::text::fold;

/// Who a short form points to: the full name's span fields.
#[derive(Clone)]
struct Target<'a> {
    name: Cow<'a, str>,
    curated: bool,
    key: String,
}

/// Rewrites one-word tagged mentions that match the surname (or, for two-word names, the first
/// word: "Ren Zhengfei" … "Ren") of a person named in full in `spans` into that person.
pub(crate) fn short_forms(spans: &mut [Span<'_>]) {
    let mut targets: FxHashMap<String, Option<Target<'_>>> = FxHashMap::default();
    for span in spans.iter() {
        if span.kind != EntityKind::Person {
            continue;
        }
        let mut words = span.name.split_whitespace();
        let (Some(first), Some(second)) = (words.next(), words.next()) else {
            continue;
        };
        let rest = words.last();
        let target = Target {
            name: span.name.clone(),
            curated: span.curated,
            key: span.key.clone(),
        };
        let mut keys = vec![fold(rest.unwrap_or(second))];
        if rest.is_none() {
            keys.push(fold(first));
        }
        for key in keys {
            match targets.get(&key) {
                // A gazetteer person outranks a tagged one ("Ren Zhengfei" over "Besides Ren").
                Some(Some(seen)) if seen.curated && !target.curated => {}
                Some(Some(seen)) if target.curated && !seen.curated => {
                    targets.insert(key, Some(target.clone()));
                }
                // Another person of the same standing with this surname: ambiguous.
                Some(Some(seen)) if seen.name != target.name => {
                    targets.insert(key, None);
                }
                Some(_) => {}
                None => {
                    targets.insert(key, Some(target.clone()));
                }
            }
        }
    }
    if targets.is_empty() {
        return;
    }
    for span in spans.iter_mut() {
        // Only names the tagger found on its own; a gazetteer entity keeps its identity.
        if span.curated || !span.evidenced || span.name.split_whitespace().nth(1).is_some() {
            continue;
        }
        if let Some(Some(target)) = targets.get(&span.key) {
            span.kind = EntityKind::Person;
            span.name = target.name.clone();
            span.curated = target.curated;
            span.key = target.key.clone();
        }
    }
}

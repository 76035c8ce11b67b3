//! Named entities of a document: curated organisations, people and places from the gazetteer (one
//! automaton pass, canonical names) plus discovered unknown names, counted per document for the facets
//! `/entity/<kind>/<name>`.

mod discover;
mod gazetteer;
mod words;

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::taxonomy::defs::{EntityDef, EntityKind};
use crate::text::{fold, single_spaced, Folded};
use discover::discover;
use gazetteer::Gazetteer;

/// Why an entity list cannot be turned into a matcher.
#[derive(Debug, thiserror::Error)]
pub enum EntityError {
    #[error("entity number {index} has an empty name")]
    EmptyName { index: usize },
    #[error("entity {entity:?} has an empty alias; remove it or write the spelling")]
    EmptyAlias { entity: String },
    #[error(
        "alias {alias:?} of entity {entity:?} has no letter or digit, so it cannot name anything"
    )]
    NoLetters { entity: String, alias: String },
    #[error("entity {name:?} has type \"other\", which is kept for discovered names; use org, person or place")]
    OtherKind { name: String },
    #[error("cannot build the entity matcher: {0}")]
    Automaton(String),
}

/// One entity named in a document, with how often and in which spellings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityHit {
    pub kind: EntityKind,
    /// Canonical name for curated entities; the most frequent spelling for discovered ones.
    pub name: String,
    /// Number of mentions in the document (title and body).
    pub count: u32,
    /// Distinct spellings seen, whitespace normalised, in order of first appearance.
    pub surfaces: Vec<String>,
}

impl EntityHit {
    /// The facet path, e.g. `/entity/org/Tencent`. A `/` inside a name would split the facet, so it
    /// becomes `-`.
    pub fn facet(&self) -> String {
        format!(
            "/entity/{}/{}",
            self.kind.as_str(),
            self.name.replace('/', "-")
        )
    }
}

/// One mention with its byte span in the text it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntitySpan {
    pub start: usize,
    pub end: usize,
    pub kind: EntityKind,
    /// Canonical name (curated) or the whitespace-normalised surface (discovered).
    pub name: String,
    /// `true` when the name comes from the gazetteer.
    pub curated: bool,
}

/// Finds entities in documents; build once, share across threads.
pub struct EntityMatcher {
    gazetteer: Gazetteer,
}

impl EntityMatcher {
    /// Compiles the entity definitions; fails on an empty name or alias, an alias without letters, or an
    /// entity of kind `other`. When two entities share a spelling, the first one listed wins.
    pub fn new(entities: &[EntityDef]) -> Result<EntityMatcher, EntityError> {
        Ok(EntityMatcher {
            gazetteer: Gazetteer::new(entities)?,
        })
    }

    /// Entities named in a document: curated (canonical names) and discovered (kind `Other`), most
    /// mentioned first. Discovery in a title-cased or all-capitals title only counts names the body also has.
    pub fn find(&self, title: Option<&str>, body: &str) -> Vec<EntityHit> {
        let body_spans = self.spans(body);
        let mut mentions: Vec<(Span<'_>, Cow<'_, str>)> = Vec::new();
        if let Some(title) = title {
            let headline = is_headline(title);
            // Folded names discovered in the body, gathered on the first title name that asks.
            let mut body_keys: Option<FxHashSet<&str>> = None;
            for span in self.spans(title) {
                let surface = surface_of(title, span.start, span.end);
                let keep = span.curated
                    || !headline
                    || body_keys
                        .get_or_insert_with(|| {
                            body_spans
                                .iter()
                                .filter(|b| !b.curated)
                                .map(|b| b.key.as_str())
                                .collect()
                        })
                        .contains(span.key.as_str());
                if keep {
                    mentions.push((span, surface));
                }
            }
        }
        mentions.extend(body_spans.into_iter().map(|span| {
            let surface = surface_of(body, span.start, span.end);
            (span, surface)
        }));
        aggregate(mentions)
    }

    /// Every mention in `text` with its byte span, left to right; curated mentions win over discovery.
    pub fn find_spans(&self, text: &str) -> Vec<EntitySpan> {
        self.spans(text)
            .into_iter()
            .map(|span| EntitySpan {
                start: span.start,
                end: span.end,
                kind: span.kind,
                name: span.name.into_owned(),
                curated: span.curated,
            })
            .collect()
    }

    /// [`find_spans`](Self::find_spans) with names borrowed from the gazetteer or the text.
    fn spans<'a>(&'a self, text: &'a str) -> Vec<Span<'a>> {
        let folded = Folded::new(text);
        let curated = self.gazetteer.find(text, &folded);
        let ranges: Vec<(usize, usize)> = curated.iter().map(|m| (m.start, m.end)).collect();
        // Surnames of people named in full earlier or later ("Martin Lau" … "Lau said") point to them.
        let mut surnames: FxHashMap<String, usize> = FxHashMap::default();
        for mention in &curated {
            if let Some((EntityKind::Person, name)) = self.gazetteer.entities.get(mention.entity) {
                let surface = text.get(mention.start..mention.end).unwrap_or("");
                for full in [name.as_str(), surface] {
                    let mut parts = full.split_whitespace();
                    let (Some(first), Some(second)) = (parts.next(), parts.next()) else {
                        continue;
                    };
                    let rest = parts.last();
                    let last = rest.unwrap_or(second);
                    surnames.entry(fold(last)).or_insert(mention.entity);
                    // Chinese names put the family name first ("Ren Zhengfei" … "said Ren").
                    if rest.is_none() {
                        surnames.entry(fold(first)).or_insert(mention.entity);
                    }
                }
            }
        }
        let mut spans: Vec<Span<'a>> = curated
            .iter()
            .filter_map(|m| self.curated_span(m.start, m.end, m.entity))
            .collect();
        let found = discover(text, &ranges, |word| surnames.contains_key(word));
        for found in found {
            let span = match surnames.get(&found.key) {
                Some(&entity) => self.curated_span(found.start, found.end, entity),
                None => Some(Span {
                    start: found.start,
                    end: found.end,
                    kind: EntityKind::Other,
                    name: found.surface,
                    curated: false,
                    key: found.key,
                }),
            };
            spans.extend(span);
        }
        spans.sort_by_key(|span| (span.start, span.end));
        spans
    }

    fn curated_span(&self, start: usize, end: usize, entity: usize) -> Option<Span<'_>> {
        let (kind, name) = self.gazetteer.entities.get(entity)?;
        Some(Span {
            start,
            end,
            kind: *kind,
            name: Cow::Borrowed(name),
            curated: true,
            key: String::new(),
        })
    }
}

/// An [`EntitySpan`] whose name is borrowed from the gazetteer or the text where it can be.
struct Span<'a> {
    start: usize,
    end: usize,
    kind: EntityKind,
    name: Cow<'a, str>,
    curated: bool,
    /// The folded name of a discovered span (empty for curated ones).
    key: String,
}

fn surface_of(text: &str, start: usize, end: usize) -> Cow<'_, str> {
    single_spaced(text.get(start..end).unwrap_or(""))
}

/// A title written in capitals or in title case ("Tencent Says Chip Stock Will Last"), where capitals
/// say nothing about names.
fn is_headline(title: &str) -> bool {
    let mut long = 0usize;
    let mut capitalised = 0usize;
    for word in title.split(|c: char| !c.is_alphanumeric()) {
        if word.chars().filter(|c| c.is_alphabetic()).count() >= 4 {
            long += 1;
            if word.chars().next().is_some_and(char::is_uppercase) {
                capitalised += 1;
            }
        }
    }
    long >= 2 && capitalised * 4 >= long * 3
}

/// Groups mentions into hits: curated by canonical name, discovered by folded spelling.
fn aggregate(mentions: Vec<(Span<'_>, Cow<'_, str>)>) -> Vec<EntityHit> {
    struct Group<'a> {
        kind: EntityKind,
        name: Option<Cow<'a, str>>,
        count: u32,
        surfaces: Vec<(Cow<'a, str>, u32)>,
    }
    // Groups in order of first mention, found again through their key.
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut index: FxHashMap<(EntityKind, Cow<'_, str>), usize> = FxHashMap::default();
    for (span, surface) in mentions {
        let key = if span.curated {
            (span.kind, span.name.clone())
        } else {
            (span.kind, Cow::Owned(span.key))
        };
        let at = *index.entry(key).or_insert_with(|| {
            groups.push(Group {
                kind: span.kind,
                name: span.curated.then_some(span.name),
                count: 0,
                surfaces: Vec::new(),
            });
            groups.len() - 1
        });
        let Some(group) = groups.get_mut(at) else {
            continue;
        };
        group.count = group.count.saturating_add(1);
        match group.surfaces.iter_mut().find(|(seen, _)| *seen == surface) {
            Some((_, times)) => *times += 1,
            None => group.surfaces.push((surface, 1)),
        }
    }
    let mut hits: Vec<EntityHit> = groups
        .into_iter()
        .filter(|group| group.name.is_some() || is_evidenced(group.count, &group.surfaces))
        .map(|group| {
            // Discovered: the most frequent spelling names the entity; the first seen wins ties.
            let most = group
                .surfaces
                .iter()
                .fold(None::<&(Cow<'_, str>, u32)>, |best, item| match best {
                    Some(b) if b.1 >= item.1 => Some(b),
                    _ => Some(item),
                });
            let name = match (&group.name, most) {
                (Some(name), _) => name.to_string(),
                (None, Some(most)) => most.0.to_string(),
                (None, None) => String::new(),
            };
            EntityHit {
                kind: group.kind,
                name,
                count: group.count,
                surfaces: group
                    .surfaces
                    .into_iter()
                    .map(|(s, _)| s.into_owned())
                    .collect(),
            }
        })
        .collect();
    hits.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.kind.cmp(&b.kind))
            .then(a.name.cmp(&b.name))
    });
    hits
}

/// Whether a discovered name has enough evidence to become a facet value: mentioned at least twice
/// in the document, or written as several words. A lone capitalised word seen once ("Dlrs", "IV",
/// "Shr" in Reuters) is most often an abbreviation or a title-cased common word; kept, such one-off
/// words made up most of the entity dictionary of large corpora.
fn is_evidenced(count: u32, surfaces: &[(Cow<'_, str>, u32)]) -> bool {
    count >= 2
        || surfaces
            .iter()
            .any(|(surface, _)| surface.split_whitespace().nth(1).is_some())
}

#[cfg(test)]
mod tests;

//! Named entities of a document, counted per document for the facets `/entity/<kind>/<name>`. In
//! English and Spanish the trained tagger finds and types the names and the gazetteer gives canonical
//! names (one automaton pass); in other languages the gazetteer's names plus discovered capitalised
//! names (of kind `other`) are all there is.

mod discover;
mod gazetteer;
mod link;
mod merge;
mod words;

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

use super::lang::Lang;
use super::tagger;
use crate::taxonomy::defs::{EntityDef, EntityKind};
use crate::text::{fold, single_spaced, Folded};
use discover::discover;
use gazetteer::Gazetteer;
use merge::{merge, Merged};
use words::lists_of;

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
    /// Per entity, whether it comes from the user's file (and so wins over the tagger).
    user: Vec<bool>,
}

impl EntityMatcher {
    /// Compiles the entity definitions; fails on an empty name or alias, an alias without letters, or an
    /// entity of kind `other`. When two entities share a spelling, the first one listed wins.
    #[cfg(test)]
    pub fn new(entities: &[EntityDef]) -> Result<EntityMatcher, EntityError> {
        EntityMatcher::with_user_entities(entities, &[])
    }

    /// [`new`](Self::new), where `user[i]` says that `entities[i]` comes from the user's file: those
    /// win over the tagger wherever they overlap a tagged name.
    pub fn with_user_entities(
        entities: &[EntityDef],
        user: &[bool],
    ) -> Result<EntityMatcher, EntityError> {
        Ok(EntityMatcher {
            gazetteer: Gazetteer::new(entities)?,
            user: user.to_vec(),
        })
    }

    /// Entities named in a document of language `lang`, most mentioned first: tagged and curated in
    /// English and Spanish, curated and discovered (kind `Other`) otherwise. In a title-cased or
    /// all-capitals title, names not from the gazetteer only count when the body has them too.
    pub fn find(&self, lang: Lang, title: Option<&str>, body: &str) -> Vec<EntityHit> {
        let body_spans = self.spans(lang, body);
        let mut mentions: Vec<(Span<'_>, Cow<'_, str>)> = Vec::new();
        if let Some(title) = title {
            let headline = is_headline(title);
            // Folded names discovered in the body, gathered on the first title name that asks.
            let mut body_keys: Option<FxHashSet<&str>> = None;
            for span in self.spans(lang, title) {
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
        let mut spans: Vec<Span<'_>> = Vec::with_capacity(mentions.len());
        let mut surfaces = Vec::with_capacity(mentions.len());
        for (span, surface) in mentions {
            spans.push(span);
            surfaces.push(surface);
        }
        link::short_forms(&mut spans);
        aggregate(spans.into_iter().zip(surfaces).collect())
    }

    /// Every mention in `text` (of language `lang`) with its byte span, left to right.
    pub fn find_spans(&self, lang: Lang, text: &str) -> Vec<EntitySpan> {
        let mut spans = self.spans(lang, text);
        link::short_forms(&mut spans);
        spans
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

    /// [`find_spans`](Self::find_spans) with names borrowed from the gazetteer or the text, before
    /// short forms are linked.
    fn spans<'a>(&'a self, lang: Lang, text: &'a str) -> Vec<Span<'a>> {
        match tagger::shipped(lang) {
            Some(model) => self.tagged_spans(model, text),
            None => self.discovered_spans(text),
        }
    }

    /// Names the tagger found, named by the gazetteer where it knows them.
    fn tagged_spans<'a>(&'a self, model: &tagger::Model, text: &'a str) -> Vec<Span<'a>> {
        let folded = Folded::new(text);
        let mut curated = self.gazetteer.find(text, &folded);
        let tagged = tagger::tag(model, text);
        // A place's alias written all in lower case is, in running text the tagger has read, a
        // word: "la selección argentina", "porcelana china". Brands keep matching in any case.
        curated.retain(|m| {
            let place = matches!(
                self.gazetteer.entities.get(m.entity),
                Some((EntityKind::Place, _))
            );
            let user = self.user.get(m.entity).copied().unwrap_or(false);
            !place
                || user
                || surface_of(text, m.start, m.end)
                    .chars()
                    .any(char::is_uppercase)
        });
        let merged = merge(
            &tagged,
            &curated,
            |entity| self.gazetteer.entities.get(entity).map(|(kind, _)| *kind),
            |entity| self.user.get(entity).copied().unwrap_or(false),
        );
        merged
            .into_iter()
            .filter_map(|m| match m {
                Merged::Curated { start, end, entity } => self.curated_span(start, end, entity),
                Merged::Tagged { start, end, kind } => {
                    let surface = surface_of(text, start, end);
                    let key = fold(&surface);
                    // One word the lists know as a common word (GPU, AI, CEO, a weekday) is no
                    // name, whatever a tagger trained on 1990s news makes of its capitals.
                    let lists = lists_of(&key);
                    if !key.contains(' ')
                        && (lists.stop_word() || lists.not_name() || lists.calendar_word())
                    {
                        return None;
                    }
                    if starts_sentence_as_common_word(text, start, end) {
                        return None;
                    }
                    Some(Span {
                        start,
                        end,
                        kind,
                        key,
                        name: surface,
                        curated: false,
                        evidenced: true,
                    })
                }
            })
            .collect()
    }

    /// Gazetteer names plus discovered capitalised names (languages without a tagger).
    fn discovered_spans<'a>(&'a self, text: &'a str) -> Vec<Span<'a>> {
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
                    evidenced: false,
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
            evidenced: true,
            key: String::new(),
        })
    }
}

/// An [`EntitySpan`] whose name is borrowed from the gazetteer or the text where it can be.
pub(crate) struct Span<'a> {
    start: usize,
    end: usize,
    kind: EntityKind,
    name: Cow<'a, str>,
    curated: bool,
    /// Tagged or curated: a facet value on one mention. A discovered name needs more evidence
    /// (see [`is_evidenced`]).
    evidenced: bool,
    /// The folded name of a tagged or discovered span (empty for curated ones).
    key: String,
}

/// Whether the one word at `start..end` begins a sentence (where every word has a capital) and the
/// same document writes it in lower case elsewhere: "Blah blah blah.", "Shares fell… shares rose"
/// is a common word, not a name.
fn starts_sentence_as_common_word(text: &str, start: usize, end: usize) -> bool {
    let Some(word) = text.get(start..end) else {
        return false;
    };
    if !word.chars().all(char::is_alphabetic) {
        return false;
    }
    let before = text
        .get(..start)
        .unwrap_or("")
        .trim_end_matches([' ', '\t', '"', '\'', '(']);
    let at_sentence_start = before
        .chars()
        .next_back()
        .is_none_or(|c| matches!(c, '.' | '!' | '?' | '\n' | ':'));
    if !at_sentence_start {
        return false;
    }
    let lower = word.to_lowercase();
    if lower == word {
        return false;
    }
    let is_word_char = |c: char| c.is_alphanumeric() || c == '-';
    text.match_indices(lower.as_str()).any(|(at, found)| {
        let before = text.get(..at).and_then(|t| t.chars().next_back());
        let after = text.get(at + found.len()..).and_then(|t| t.chars().next());
        !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    })
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
        evidenced: bool,
        /// Folded name of a tagged or discovered group.
        key: String,
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
        let folded_key = if span.curated {
            String::new()
        } else {
            key.1.to_string()
        };
        let at = *index.entry(key).or_insert_with(|| {
            groups.push(Group {
                kind: span.kind,
                name: span.curated.then_some(span.name),
                evidenced: false,
                key: folded_key,
                count: 0,
                surfaces: Vec::new(),
            });
            groups.len() - 1
        });
        let Some(group) = groups.get_mut(at) else {
            continue;
        };
        group.count = group.count.saturating_add(1);
        group.evidenced |= span.evidenced;
        match group.surfaces.iter_mut().find(|(seen, _)| *seen == surface) {
            Some((_, times)) => *times += 1,
            None => group.surfaces.push((surface, 1)),
        }
    }
    let mut hits: Vec<EntityHit> = groups
        .into_iter()
        .filter(|group| group.evidenced || is_evidenced(group.count, &group.surfaces))
        .map(|group| {
            // Tagged or discovered: the most frequent full spelling names the entity (not a short
            // form linked to it, and not one in capitals when another exists); the first seen wins ties.
            let rank = |surface: &str, times: u32| {
                let full = fold(surface) == group.key;
                let capitals = !surface.chars().any(char::is_lowercase);
                (full, !capitals, times)
            };
            let most = group
                .surfaces
                .iter()
                .fold(None::<&(Cow<'_, str>, u32)>, |best, item| match best {
                    Some(b) if rank(&b.0, b.1) >= rank(&item.0, item.1) => Some(b),
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

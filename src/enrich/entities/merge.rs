//! Tagger spans merged with gazetteer matches: the tagger decides where names are and of which type;
//! the gazetteer names them canonically where one of its aliases covers a tagged span, and a user's own
//! entity (from the TOML file) wins over the tagger wherever the two overlap.

use crate::enrich::tagger::{Kind, Tagged};
use crate::taxonomy::defs::EntityKind;

use super::gazetteer::CuratedMatch;

/// One merged mention, in byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Merged {
    /// A gazetteer entity (canonical name), over this byte span.
    Curated {
        start: usize,
        end: usize,
        entity: usize,
    },
    /// A name the tagger found and no alias covers.
    Tagged {
        start: usize,
        end: usize,
        kind: EntityKind,
    },
}

impl Merged {
    pub fn start(&self) -> usize {
        match *self {
            Merged::Curated { start, .. } | Merged::Tagged { start, .. } => start,
        }
    }
}

/// The entity kind of a tagger type: MISC (nationalities, events, works…) becomes `other`.
pub(crate) fn entity_kind(kind: Kind) -> EntityKind {
    match kind {
        Kind::Per => EntityKind::Person,
        Kind::Org => EntityKind::Org,
        Kind::Loc => EntityKind::Place,
        Kind::Misc => EntityKind::Other,
    }
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Merges `tagged` spans with the gazetteer's `curated` matches (both left to right, neither
/// overlapping itself). `kind_of` gives the kind of a gazetteer entity, `is_user` whether it comes
/// from the user's file.
///
/// - A user's entity wins over every tagged span it overlaps.
/// - A match that covers a tagged span names it, with the gazetteer's kind: "EE.UU." is the place
///   United States even where the tagger read an organisation.
/// - A match inside a longer tagged span names it when the kinds agree ("Tencent Holdings Ltd" is
///   Tencent) or the match is an organisation; a place or person inside a longer name of another
///   kind is part of it ("Real Madrid" is not the place Madrid).
/// - A MISC span is named by a match over it. A place inside a longer MISC span is part of its name
///   ("U.S. Open", "New York-based"); an organisation or person inside one is a mention of its own, at
///   the match's own span ("Huawei P30"), and the MISC span is dropped.
/// - Matches that overlap no tagged span are kept (the gazetteer knows names the tagger missed).
pub(crate) fn merge(
    tagged: &[Tagged],
    curated: &[CuratedMatch],
    kind_of: impl Fn(usize) -> Option<EntityKind>,
    is_user: impl Fn(usize) -> bool,
) -> Vec<Merged> {
    let mut out = Vec::with_capacity(tagged.len() + curated.len());
    // Which matches were used up by a tagged span (or lost to one).
    let mut taken = vec![false; curated.len()];
    for span in tagged {
        let range = (span.start, span.end);
        let kind = entity_kind(span.kind);
        let mut winner: Option<usize> = None;
        let mut beaten = false;
        for (index, m) in curated.iter().enumerate() {
            if m.start >= span.end {
                break;
            }
            if !overlaps(range, (m.start, m.end)) {
                continue;
            }
            let covers = m.start <= span.start && span.end <= m.end;
            let inside = span.start <= m.start && m.end <= span.end;
            // An alias that covers the span names it whatever the tagger's type; one inside a longer
            // span when the types agree, when the span is MISC (the tagger's "some name"), or when
            // the alias is an organisation ("Nvidia GPUs" is about Nvidia). Places and people inside
            // a longer name are part of it ("Real Madrid", "Walt Disney Co").
            let inner = kind_of(m.entity);
            let names_it = covers
                || (inside
                    && kind != EntityKind::Other
                    && (inner == Some(kind) || inner == Some(EntityKind::Org)));
            let own_mention_in_misc = kind == EntityKind::Other
                && inside
                && !covers
                && inner.is_some_and(|inner| inner != EntityKind::Place);
            if is_user(m.entity) {
                beaten = true;
            } else if names_it && winner.is_none() {
                winner = Some(index);
                taken[index] = true;
                continue;
            } else if !own_mention_in_misc {
                // Left untaken, an organisation or person inside a MISC span is kept below.
                taken[index] = true;
            }
        }
        if beaten {
            continue;
        }
        match winner.and_then(|i| curated.get(i)) {
            Some(m) => out.push(Merged::Curated {
                start: span.start.min(m.start),
                end: span.end.max(m.end),
                entity: m.entity,
            }),
            // MISC without an alias (nationalities, events, titles of works) is dropped: as facets
            // such names were mostly noise ("Chinese", "European").
            None if kind == EntityKind::Other => {}
            None => out.push(Merged::Tagged {
                start: span.start,
                end: span.end,
                kind,
            }),
        }
    }
    for (m, taken) in curated.iter().zip(taken) {
        if !taken {
            out.push(Merged::Curated {
                start: m.start,
                end: m.end,
                entity: m.entity,
            });
        }
    }
    out.sort_by_key(Merged::start);
    // A match that covered two tagged spans ("New York - Boston" as one alias is unlikely, but
    // possible) is kept once.
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagged(start: usize, end: usize, kind: Kind) -> Tagged {
        Tagged { start, end, kind }
    }

    fn curated(start: usize, end: usize, entity: usize) -> CuratedMatch {
        CuratedMatch { start, end, entity }
    }

    /// Entity 0 is a place, 1 an organisation, 2 a user's person.
    fn kind_of(entity: usize) -> Option<EntityKind> {
        [EntityKind::Place, EntityKind::Org, EntityKind::Person]
            .get(entity)
            .copied()
    }

    #[test]
    fn aliases_name_tagged_spans_but_other_kinds_inside_lose() {
        let merged = merge(
            // "Real Madrid" ORG 0..11, "EE.UU." LOC 20..26, "Acme Holdings Ltd" ORG 30..47
            &[
                tagged(0, 11, Kind::Org),
                tagged(20, 26, Kind::Loc),
                tagged(30, 47, Kind::Org),
            ],
            // "Madrid" place 5..11, "EE.UU." place 20..26, "Acme" org 30..34, "Paris" 50..55
            &[
                curated(5, 11, 0),
                curated(20, 26, 0),
                curated(30, 34, 1),
                curated(50, 55, 0),
            ],
            kind_of,
            |e| e == 2,
        );
        assert_eq!(
            merged,
            vec![
                Merged::Tagged {
                    start: 0,
                    end: 11,
                    kind: EntityKind::Org
                },
                Merged::Curated {
                    start: 20,
                    end: 26,
                    entity: 0
                },
                Merged::Curated {
                    start: 30,
                    end: 47,
                    entity: 1
                },
                Merged::Curated {
                    start: 50,
                    end: 55,
                    entity: 0
                },
            ]
        );
    }

    #[test]
    fn a_covering_alias_wins_and_misc_without_one_is_dropped() {
        let merged = merge(
            &[tagged(0, 9, Kind::Org), tagged(12, 19, Kind::Misc)],
            &[curated(0, 9, 0)],
            kind_of,
            |e| e == 2,
        );
        assert_eq!(
            merged,
            vec![Merged::Curated {
                start: 0,
                end: 9,
                entity: 0
            }]
        );
    }

    #[test]
    fn a_place_inside_a_misc_name_is_part_of_it_but_an_organisation_is_its_own() {
        let merged = merge(
            // "U.S. Open" MISC 0..9 with the place "U.S." 0..4; "Acme P30" MISC 20..28 with the
            // organisation "Acme" 20..24.
            &[tagged(0, 9, Kind::Misc), tagged(20, 28, Kind::Misc)],
            &[curated(0, 4, 0), curated(20, 24, 1)],
            kind_of,
            |e| e == 2,
        );
        assert_eq!(
            merged,
            vec![Merged::Curated {
                start: 20,
                end: 24,
                entity: 1
            }]
        );
    }

    #[test]
    fn a_user_entity_wins_over_the_tagger() {
        let merged = merge(
            &[tagged(0, 10, Kind::Org)],
            &[curated(6, 10, 2)],
            kind_of,
            |e| e == 2,
        );
        assert_eq!(
            merged,
            vec![Merged::Curated {
                start: 6,
                end: 10,
                entity: 2
            }]
        );
    }
}

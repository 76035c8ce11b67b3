//! Typed keys: the encodings the index stores and every reader decodes, each with one owner —
//! publication days as `yyyymmdd` numbers ([`DayKey`]), the flat layout of days for counting
//! ([`DaySlots`]), and entities as `kind/name` with their spellings as `kind/name<TAB>surface`
//! ([`EntityKey`]).
//!
//! A leaf module: it imports nothing of the crate, so every layer may use it.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A publication day as the index's `day` fast column stores it: `yyyymmdd` as one number, so that
/// numeric order is calendar order and the year is `key / 10_000`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DayKey(u64);

impl DayKey {
    /// The key of a calendar day; `None` before year 0, which the encoding cannot hold.
    pub fn from_date(date: NaiveDate) -> Option<DayKey> {
        let year = u64::try_from(date.year()).ok()?;
        Some(DayKey(
            year * 10_000 + u64::from(date.month()) * 100 + u64::from(date.day()),
        ))
    }

    /// A value read back from the column, not checked (see [`DayKey::date`]).
    pub fn from_raw(raw: u64) -> DayKey {
        DayKey(raw)
    }

    /// The number stored in the column.
    pub fn raw(self) -> u64 {
        self.0
    }

    pub fn year(self) -> u64 {
        self.0 / 10_000
    }

    /// Month 1–12 for a well-formed key.
    pub fn month(self) -> u64 {
        self.0 / 100 % 100
    }

    /// Day of the month 1–31 for a well-formed key.
    pub fn day_of_month(self) -> u64 {
        self.0 % 100
    }

    /// The calendar day; `None` for a value that is not one (never written by the indexer).
    pub fn date(self) -> Option<NaiveDate> {
        let year = i32::try_from(self.year()).ok()?;
        let month = u32::try_from(self.month()).ok()?;
        let day = u32::try_from(self.day_of_month()).ok()?;
        NaiveDate::from_ymd_opt(year, month, day)
    }
}

/// Days of a span of years laid out flat for counting: 12 × 31 slots a year, so a key's slot is
/// found with arithmetic and no calendar look-up (slots of days that do not exist stay empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DaySlots {
    first_year: u64,
    years: u64,
}

impl DaySlots {
    /// Slots per year: 12 months of 31 days.
    pub const PER_YEAR: u64 = 12 * 31;

    /// The layout covering the years of `low..=high`, or `None` when it spans more than
    /// `max_years` (the caller then counts in a map instead).
    pub fn spanning(low: DayKey, high: DayKey, max_years: u64) -> Option<DaySlots> {
        let (first_year, last_year) = (low.year(), high.year());
        let years = last_year.checked_sub(first_year)? + 1;
        (years <= max_years).then_some(DaySlots { first_year, years })
    }

    /// How many slots the layout has.
    pub fn len(&self) -> usize {
        usize::try_from(self.years * Self::PER_YEAR).unwrap_or(usize::MAX)
    }

    pub fn is_empty(&self) -> bool {
        self.years == 0
    }

    /// The slot of `day`, or `None` when it is outside the span or malformed.
    #[inline]
    pub fn slot(&self, day: DayKey) -> Option<usize> {
        let (month, dom) = (day.month(), day.day_of_month());
        if !(1..=12).contains(&month) || !(1..=31).contains(&dom) {
            return None;
        }
        let year = day.year().checked_sub(self.first_year)?;
        if year >= self.years {
            return None;
        }
        usize::try_from(year * Self::PER_YEAR + (month - 1) * 31 + (dom - 1)).ok()
    }

    /// The key a slot stands for (the inverse of [`DaySlots::slot`]).
    pub fn day(&self, slot: usize) -> DayKey {
        let slot = slot as u64;
        let year = self.first_year + slot / Self::PER_YEAR;
        let in_year = slot % Self::PER_YEAR;
        DayKey(year * 10_000 + (in_year / 31 + 1) * 100 + in_year % 31 + 1)
    }
}

/// The kind of a named entity; it is the first part of an entity key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Org,
    Person,
    Place,
    /// Names found by discovery, not in the gazetteer.
    Other,
}

impl EntityKind {
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Org,
        EntityKind::Person,
        EntityKind::Place,
        EntityKind::Other,
    ];

    /// The name used in keys, on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Org => "org",
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Other => "other",
        }
    }

    /// A kind as people write it (any case; `organisation`, `per`, `loc` and the like too).
    pub fn parse(text: &str) -> Option<EntityKind> {
        match text.to_ascii_lowercase().as_str() {
            "org" | "organisation" | "organization" => Some(EntityKind::Org),
            "person" | "per" => Some(EntityKind::Person),
            "place" | "loc" | "location" => Some(EntityKind::Place),
            "other" => Some(EntityKind::Other),
            _ => None,
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An entity as the index keys it: `kind/name`, e.g. `org/Nvidia`. Its spellings are stored as
/// alias keys, `kind/name<TAB>surface`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityKey<'a> {
    pub kind: EntityKind,
    pub name: &'a str,
}

impl<'a> EntityKey<'a> {
    /// Between the kind and the name.
    pub const SEPARATOR: char = '/';
    /// Between an entity key and one of its spellings in an alias key.
    pub const ALIAS_SEPARATOR: char = '\t';

    pub fn new(kind: EntityKind, name: &'a str) -> EntityKey<'a> {
        EntityKey { kind, name }
    }

    /// Reads `kind/name`; `None` when the text does not start with a known kind and a `/`.
    pub fn parse(key: &'a str) -> Option<EntityKey<'a>> {
        let (kind, name) = key.split_once(Self::SEPARATOR)?;
        Some(EntityKey {
            kind: EntityKind::parse(kind)?,
            name,
        })
    }

    /// The alias key recording that this entity was written `surface`.
    pub fn alias(&self, surface: &str) -> String {
        format!("{self}{}{surface}", Self::ALIAS_SEPARATOR)
    }

    /// Splits an alias key into the entity key text and the spelling.
    pub fn split_alias(alias: &str) -> Option<(&str, &str)> {
        alias.split_once(Self::ALIAS_SEPARATOR)
    }

    /// The kind part of an encoded key, as bytes (empty when there is no separator): for grouping
    /// a sorted term dictionary by kind without decoding each term.
    pub fn kind_prefix(key: &[u8]) -> &[u8] {
        key.iter()
            .position(|&byte| byte == Self::SEPARATOR as u8)
            .map_or(&[][..], |at| &key[..at])
    }

    /// The name part of an encoded key (the whole text when it has no kind).
    pub fn name_of(key: &str) -> &str {
        key.split_once(Self::SEPARATOR)
            .map_or(key, |(_, name)| name)
    }
}

impl fmt::Display for EntityKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.kind, Self::SEPARATOR, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn day_keys_round_trip_and_bad_ones_are_rejected() {
        let key = DayKey::from_date(d(2025, 5, 15)).expect("encodable");
        assert_eq!(key.raw(), 20250515);
        assert_eq!(key.year(), 2025);
        assert_eq!(key.date(), Some(d(2025, 5, 15)));
        assert_eq!(DayKey::from_raw(20240229).date(), Some(d(2024, 2, 29)));
        assert_eq!(DayKey::from_raw(20230229).date(), None);
        assert_eq!(DayKey::from_raw(0).date(), None);
        assert_eq!(DayKey::from_date(d(-5, 1, 1)), None);
    }

    #[test]
    fn day_slots_map_every_day_of_the_span_and_back() {
        let low = DayKey::from_raw(20231231);
        let high = DayKey::from_raw(20250101);
        let slots = DaySlots::spanning(low, high, 10).expect("small span");
        assert_eq!(slots.len(), 3 * 372);
        for key in [low, high, DayKey::from_raw(20240229)] {
            let slot = slots.slot(key).expect("inside");
            assert_eq!(slots.day(slot), key);
        }
        assert_eq!(slots.slot(DayKey::from_raw(20260101)), None);
        assert_eq!(slots.slot(DayKey::from_raw(20221231)), None);
        assert_eq!(slots.slot(DayKey::from_raw(20241301)), None);
        assert_eq!(
            DaySlots::spanning(low, DayKey::from_raw(40000101), 100),
            None
        );
    }

    #[test]
    fn entity_keys_encode_parse_and_split() {
        let key = EntityKey::new(EntityKind::Org, "Nvidia");
        assert_eq!(key.to_string(), "org/Nvidia");
        assert_eq!(EntityKey::parse("org/Nvidia"), Some(key));
        assert_eq!(
            EntityKey::parse("place/Washington/DC").map(|k| k.name),
            Some("Washington/DC")
        );
        assert_eq!(EntityKey::parse("Nvidia"), None);
        assert_eq!(EntityKey::parse("brand/Nvidia"), None);
        let alias = key.alias("NVIDIA");
        assert_eq!(alias, "org/Nvidia\tNVIDIA");
        assert_eq!(
            EntityKey::split_alias(&alias),
            Some(("org/Nvidia", "NVIDIA"))
        );
        assert_eq!(EntityKey::kind_prefix(b"person/Lau"), b"person");
        assert_eq!(EntityKey::kind_prefix(b"plain"), b"");
        assert_eq!(EntityKey::name_of("person/Martin Lau"), "Martin Lau");
    }
}

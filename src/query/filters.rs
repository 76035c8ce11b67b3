//! The filters every read request shares (date range, tags, languages, sources, topics, entities),
//! their parsing and checks, and their translation into tantivy queries.

use std::collections::BTreeSet;
use std::ops::Bound;

use chrono::NaiveDate;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, Searcher, Term};

use crate::error::{Error, Field, Result};
use crate::index::schema::Fields;
use crate::keys::{EntityKey, EntityKind};
use crate::taxonomy::Taxonomy;
use crate::text::fold;

/// Which end of a range a date argument is for: `2025` starts on 1 January and ends on 31 December.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeEnd {
    Start,
    End,
}

/// Parses `2025`, `2025-05` or `2025-05-15` into the first or last day it covers.
pub fn parse_date_arg(field: Field, text: &str, end: RangeEnd) -> Result<NaiveDate> {
    let bad = |detail: String| Error::bad_argument(field, detail);
    let parts: Vec<&str> = text.trim().split('-').collect();
    let number = |part: &str, what: &str| -> Result<u32> {
        if part.is_empty() || !part.chars().all(|c| c.is_ascii_digit()) || part.len() > 4 {
            return Err(bad(format!(
                "{text:?} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD ({what} {part:?} is not a number)"
            )));
        }
        part.parse::<u32>().map_err(|err| bad(err.to_string()))
    };
    let (year, month, day) = match parts.as_slice() {
        [year] => (number(year, "year")?, None, None),
        [year, month] => (number(year, "year")?, Some(number(month, "month")?), None),
        [year, month, day] => (
            number(year, "year")?,
            Some(number(month, "month")?),
            Some(number(day, "day")?),
        ),
        _ => {
            return Err(bad(format!(
                "{text:?} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD"
            )))
        }
    };
    let year = i32::try_from(year).map_err(|err| bad(err.to_string()))?;
    if let Some(month) = month {
        if !(1..=12).contains(&month) {
            return Err(bad(format!(
                "{text:?} has no month {month}; months run 01 to 12"
            )));
        }
    }
    let date = match (month, day, end) {
        (None, _, RangeEnd::Start) => NaiveDate::from_ymd_opt(year, 1, 1),
        (None, _, RangeEnd::End) => NaiveDate::from_ymd_opt(year, 12, 31),
        (Some(month), None, RangeEnd::Start) => NaiveDate::from_ymd_opt(year, month, 1),
        (Some(month), None, RangeEnd::End) => last_day_of_month(year, month),
        (Some(month), Some(day), _) => NaiveDate::from_ymd_opt(year, month, day),
    };
    date.ok_or_else(|| {
        bad(format!(
            "{text:?} is not a real date (that month has no such day)"
        ))
    })
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1).and_then(|first| first.pred_opt())
}

/// Filters as the library understands them (the binary fills them from its flags).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Inclusive first day.
    pub from: Option<NaiveDate>,
    /// Inclusive last day.
    pub to: Option<NaiveDate>,
    /// Several values of one kind are alternatives (OR); different kinds must all hold (AND).
    pub tags: Vec<String>,
    pub langs: Vec<String>,
    pub sources: Vec<String>,
    pub topics: Vec<String>,
    pub entities: Vec<String>,
}

impl Filters {
    /// Parses the date arguments and checks that the range is not reversed.
    pub fn with_dates(mut self, from: Option<&str>, to: Option<&str>) -> Result<Filters> {
        self.from = from
            .map(|text| parse_date_arg(Field::From, text, RangeEnd::Start))
            .transpose()?;
        self.to = to
            .map(|text| parse_date_arg(Field::To, text, RangeEnd::End))
            .transpose()?;
        self.check_range()?;
        Ok(self)
    }

    /// Refuses a range whose start comes after its end.
    pub fn check_range(&self) -> Result<()> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from > to => Err(Error::ReversedRange { from, to }),
            _ => Ok(()),
        }
    }

    /// The same filters without the date range (timelines apply dates themselves).
    pub fn without_dates(&self) -> Filters {
        Filters {
            from: None,
            to: None,
            ..self.clone()
        }
    }

    /// Clauses that restrict a query to these filters; unknown topics and entities are errors with a suggestion.
    pub(crate) fn clauses(
        &self,
        fields: &Fields,
        taxonomy: &Taxonomy,
    ) -> Result<Vec<Box<dyn Query>>> {
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        if self.from.is_some() || self.to.is_some() {
            clauses.push(date_range(fields, self.from, self.to));
        }
        let keyword = |field, values: &[String]| -> Option<Box<dyn Query>> {
            any_of(
                values
                    .iter()
                    .map(|value| Term::from_field_text(field, value))
                    .collect(),
            )
        };
        clauses.extend(keyword(fields.tag, &self.tags));
        clauses.extend(keyword(fields.source, &self.sources));
        let langs: Vec<String> = self.langs.iter().map(|lang| lang.to_lowercase()).collect();
        clauses.extend(keyword(fields.lang, &langs));
        let topics = self
            .topics
            .iter()
            .map(|topic| resolve_topic(taxonomy, topic))
            .collect::<Result<Vec<_>>>()?
            .concat();
        clauses.extend(keyword(fields.topic, &topics));
        if !self.entities.is_empty() {
            let terms = self
                .entities
                .iter()
                .flat_map(|entity| entity_keys(taxonomy, entity))
                .map(|key| Term::from_field_text(fields.entity, &key))
                .collect();
            clauses.extend(any_of(terms));
        }
        Ok(clauses)
    }

    /// `query` restricted by these filters.
    pub(crate) fn apply(
        &self,
        query: Box<dyn Query>,
        fields: &Fields,
        taxonomy: &Taxonomy,
    ) -> Result<Box<dyn Query>> {
        let clauses = self.clauses(fields, taxonomy)?;
        if clauses.is_empty() {
            return Ok(query);
        }
        let mut all = vec![(Occur::Must, query)];
        all.extend(clauses.into_iter().map(|clause| (Occur::Must, clause)));
        Ok(Box::new(BooleanQuery::new(all)))
    }
}

fn any_of(terms: Vec<Term>) -> Option<Box<dyn Query>> {
    let mut queries: Vec<(Occur, Box<dyn Query>)> = terms
        .into_iter()
        .map(|term| {
            let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            (Occur::Should, query)
        })
        .collect();
    match queries.len() {
        0 => None,
        1 => queries.pop().map(|(_, query)| query),
        _ => Some(Box::new(BooleanQuery::new(queries))),
    }
}

/// Publication dates from the start of `from` to the end of `to`, both inclusive.
pub(crate) fn date_range(
    fields: &Fields,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Box<dyn Query> {
    let seconds = |day: NaiveDate| day.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
    let lower = match from {
        Some(day) => Bound::Included(Term::from_field_date_for_search(
            fields.date,
            DateTime::from_timestamp_secs(seconds(day)),
        )),
        None => Bound::Unbounded,
    };
    let upper = match to.and_then(|day| day.succ_opt()) {
        Some(next) => Bound::Excluded(Term::from_field_date_for_search(
            fields.date,
            DateTime::from_timestamp_secs(seconds(next)),
        )),
        None => Bound::Unbounded,
    };
    Box::new(RangeQuery::new(lower, upper))
}

/// A topic id, or a parent id standing for itself and every topic below it (documents are tagged
/// with the topics whose phrases or query matched, which are mostly leaves); unknown ids get the closest
/// suggestion.
fn resolve_topic(taxonomy: &Taxonomy, wanted: &str) -> Result<Vec<String>> {
    let descendants = taxonomy.descendants(wanted);
    if taxonomy.topic(wanted).is_some() || !descendants.is_empty() {
        let mut ids = vec![wanted.to_string()];
        ids.extend(descendants.into_iter().map(String::from));
        return Ok(ids);
    }
    let ids = taxonomy.topics.iter().map(|topic| topic.id.as_str());
    Err(Error::bad_argument(
        Field::Topic,
        format!(
            "no topic {wanted:?}{}; `topictrack topics` lists them",
            suggestion(wanted, ids)
        ),
    ))
}

/// Entity keys an entity argument may stand for: a canonical name or alias from the taxonomy (any
/// capitalisation or accents), else the name as given, in its kind (`org/Zhipu`) or in every kind.
fn entity_keys(taxonomy: &Taxonomy, wanted: &str) -> Vec<String> {
    let (kind, name) = match EntityKey::parse(wanted) {
        Some(key) => (Some(key.kind), key.name),
        None => (None, wanted),
    };
    let name = name.trim();
    let folded = fold(name);
    let curated = taxonomy.entities.iter().find(|entity| {
        fold(&entity.name) == folded || entity.aliases.iter().any(|alias| fold(alias) == folded)
    });
    match curated {
        Some(entity) => vec![EntityKey::new(entity.kind, &entity.name).to_string()],
        None => {
            let kinds = match kind {
                Some(kind) => vec![kind],
                None => EntityKind::ALL.to_vec(),
            };
            kinds
                .into_iter()
                .map(|kind| EntityKey::new(kind, name).to_string())
                .collect()
        }
    }
}

/// Every entity key (`<kind>/<name>`) present in the index.
fn indexed_entity_keys(searcher: &Searcher, fields: &Fields) -> tantivy::Result<BTreeSet<String>> {
    let mut keys = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.entity)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            if let Ok(key) = std::str::from_utf8(stream.key()) {
                keys.insert(key.to_string());
            }
        }
    }
    Ok(keys)
}

impl Filters {
    /// Rewrites each `--entity` argument to the exact keys it names in this index — a gazetteer name or
    /// alias, or a discovered name in any capitalisation — and refuses names the index has never seen,
    /// suggesting the closest one.
    pub(crate) fn resolve_entities(
        &mut self,
        searcher: &Searcher,
        fields: &Fields,
        taxonomy: &Taxonomy,
    ) -> Result<()> {
        if self.entities.is_empty() {
            return Ok(());
        }
        let indexed = indexed_entity_keys(searcher, fields)?;
        let mut resolved = Vec::new();
        for wanted in &self.entities {
            let exact: Vec<String> = entity_keys(taxonomy, wanted)
                .into_iter()
                .filter(|key| indexed.contains(key))
                .collect();
            if !exact.is_empty() {
                resolved.extend(exact);
                continue;
            }
            let folded = fold(wanted.trim());
            let loose: Vec<String> = indexed
                .iter()
                .filter(|key| fold(EntityKey::name_of(key)) == folded || fold(key) == folded)
                .cloned()
                .collect();
            if loose.is_empty() {
                let names = indexed.iter().map(|key| EntityKey::name_of(key));
                return Err(Error::bad_argument(
                    Field::Entity,
                    format!(
                        "no document names {wanted:?}{}; `topictrack entities` lists the names found",
                        suggestion(wanted, names)
                    ),
                ));
            }
            resolved.extend(loose);
        }
        self.entities = resolved;
        Ok(())
    }
}

/// ", did you mean \"x\"?" for the candidate closest to `wanted`, or nothing when none is close.
pub fn suggestion<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let wanted_folded = fold(wanted);
    candidates
        .map(|candidate| (edit_distance(&wanted_folded, &fold(candidate)), candidate))
        .filter(|(distance, candidate)| *distance <= candidate.chars().count().max(4) / 2)
        .min()
        .map(|(_, candidate)| format!(", did you mean {candidate:?}?"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid")
    }

    #[test]
    fn year_month_and_day_arguments_cover_whole_periods() {
        assert_eq!(
            parse_date_arg(Field::From, "2025", RangeEnd::Start).ok(),
            Some(day(2025, 1, 1))
        );
        assert_eq!(
            parse_date_arg(Field::To, "2025", RangeEnd::End).ok(),
            Some(day(2025, 12, 31))
        );
        assert_eq!(
            parse_date_arg(Field::To, "2024-02", RangeEnd::End).ok(),
            Some(day(2024, 2, 29))
        );
        assert_eq!(
            parse_date_arg(Field::To, "2025-12", RangeEnd::End).ok(),
            Some(day(2025, 12, 31))
        );
        assert_eq!(
            parse_date_arg(Field::From, "2025-05-15", RangeEnd::Start).ok(),
            Some(day(2025, 5, 15))
        );
    }

    #[test]
    fn impossible_and_malformed_dates_name_the_argument() {
        let err = parse_date_arg(Field::From, "2025-02-30", RangeEnd::Start).unwrap_err();
        assert!(err.to_string().contains("from"), "{err}");
        assert!(err.to_string().contains("not a real date"), "{err}");
        let flagged = err.message_with(|field| format!("--{field}"));
        assert!(flagged.starts_with("bad value for --from:"), "{flagged}");
        assert!(parse_date_arg(Field::To, "2025-13", RangeEnd::End).is_err());
        assert!(parse_date_arg(Field::To, "May 2025", RangeEnd::End).is_err());
        assert!(parse_date_arg(Field::To, "", RangeEnd::End).is_err());
    }

    #[test]
    fn reversed_range_is_refused() {
        let err = Filters::default()
            .with_dates(Some("2025-06"), Some("2025-05"))
            .unwrap_err();
        assert!(err.to_string().contains("after"), "{err}");
    }

    #[test]
    fn suggestions_pick_the_closest_candidate() {
        let candidates = ["export-controls", "ai-chips", "model-training"];
        assert_eq!(
            suggestion("export-control", candidates.into_iter()),
            ", did you mean \"export-controls\"?"
        );
        assert_eq!(suggestion("football", candidates.into_iter()), "");
    }
}

//! The filters every read request shares (date range, tags, languages, sources, topics, entities),
//! their parsing and checks, and their translation into tantivy queries.

use std::ops::Bound;

use chrono::{DateTime, NaiveDate, Utc};
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::error::{Error, Field, Result};
use crate::index::resolve::{
    entity_keys, indexed_entity_keys, indexed_values, resolve_entity, resolve_keyword,
    resolve_topic, Keyword, Unresolved,
};
use crate::index::schema::Fields;
use crate::index::OpenIndex;
use crate::keys::DayKey;

use super::since::parse_since;

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
    /// Tags, languages, sources and entities are written as the user likes (any case, accents or
    /// not, a language by name) until [`Filters::resolve`] turns them into the values indexed.
    pub tags: Vec<String>,
    pub langs: Vec<String>,
    pub sources: Vec<String>,
    pub topics: Vec<String>,
    pub entities: Vec<String>,
    /// Only documents that entered the index at this time or later (the `indexed` stamp).
    pub indexed_since: Option<DateTime<Utc>>,
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

    /// Parses `--indexed-since`'s `DATE|DURATION` (see [`parse_since`]); a span counts back from now.
    pub fn with_indexed_since(mut self, since: Option<&str>) -> Result<Filters> {
        self.indexed_since = since
            .map(|text| parse_since(Field::IndexedSince, text, Utc::now()))
            .transpose()?;
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

    /// Clauses that restrict a query to these filters (resolved first: see [`Filters::resolve`]);
    /// unknown topics are errors with a suggestion.
    pub(crate) fn clauses(
        &self,
        opened: &OpenIndex,
        searcher: &Searcher,
    ) -> Result<Vec<Box<dyn Query>>> {
        let fields = &opened.fields;
        let taxonomy = opened.taxonomy();
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        if self.from.is_some() || self.to.is_some() {
            clauses.push(date_range(fields, self.from, self.to));
        }
        if let Some(since) = self.indexed_since {
            // Stamps are seconds since 1970; a time before that admits every document.
            let seconds = u64::try_from(since.timestamp()).unwrap_or(0);
            clauses.push(Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(fields.indexed, seconds)),
                Bound::Unbounded,
            )));
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
        clauses.extend(keyword(fields.lang, &self.langs));
        let topics = self
            .topics
            .iter()
            .map(|topic| {
                resolve_topic(taxonomy, topic)
                    .map_err(|Unresolved(detail)| Error::bad_argument(Field::Topic, detail))
            })
            .collect::<Result<Vec<_>>>()?
            .concat();
        clauses.extend(topic_query(opened, searcher, &topics)?);
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

    /// `query` restricted by these filters; `searcher` is the one it will run on (the members of
    /// user topics are found per segment).
    pub(crate) fn apply(
        &self,
        query: Box<dyn Query>,
        opened: &OpenIndex,
        searcher: &Searcher,
    ) -> Result<Box<dyn Query>> {
        let clauses = self.clauses(opened, searcher)?;
        if clauses.is_empty() {
            return Ok(query);
        }
        let mut all = vec![(Occur::Must, query)];
        all.extend(clauses.into_iter().map(|clause| (Occur::Must, clause)));
        Ok(Box::new(BooleanQuery::new(all)))
    }
}

/// The documents with any of the topics `ids` (leaf ids, as resolved): user topics by their
/// members, the others by the topic field.
fn topic_query(
    opened: &OpenIndex,
    searcher: &Searcher,
    ids: &[String],
) -> Result<Option<Box<dyn Query>>> {
    if ids.is_empty() {
        return Ok(None);
    }
    let members = opened.members(searcher)?;
    let (users, stored): (Vec<&String>, Vec<&String>) =
        ids.iter().partition(|id| members.get(id).is_some());
    let mut any: Vec<(Occur, Box<dyn Query>)> = users
        .into_iter()
        .filter_map(|id| members.get(id))
        .map(|topic| (Occur::Should, topic.query()))
        .collect();
    let terms = stored
        .into_iter()
        .map(|id| Term::from_field_text(opened.fields.topic, id))
        .collect();
    any.extend(any_of(terms).map(|query| (Occur::Should, query)));
    Ok(match any.len() {
        0 => None,
        1 => any.pop().map(|(_, query)| query),
        _ => Some(Box::new(BooleanQuery::new(any))),
    })
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

/// Publication dates from the start of `from` to the end of `to`, both inclusive, over the `day`
/// keys: every year 0–9999 compares as a number, which a nanosecond date could not hold.
pub(crate) fn date_range(
    fields: &Fields,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Box<dyn Query> {
    let bound = |day: Option<NaiveDate>| match day.and_then(DayKey::from_date) {
        Some(key) => Bound::Included(Term::from_field_u64(fields.day, key.raw())),
        None => Bound::Unbounded,
    };
    Box::new(RangeQuery::new(bound(from), bound(to)))
}

impl Filters {
    /// Rewrites each `--tag`, `--source`, `--lang` and `--entity` argument to the exact values it
    /// names in this index — in any capitalisation, with or without accents, a language also by its
    /// name, an entity by any gazetteer name or alias — and refuses values the index has never
    /// seen, suggesting the closest one. The index is read through `OpenIndex::explain`, so a
    /// damaged one gets the rebuild advice.
    pub(crate) fn resolve(&mut self, opened: &OpenIndex, searcher: &Searcher) -> Result<()> {
        let fields = &opened.fields;
        for (kind, field, values) in [
            (Keyword::Tag, Field::Tag, &mut self.tags),
            (Keyword::Source, Field::Source, &mut self.sources),
            (Keyword::Lang, Field::Lang, &mut self.langs),
        ] {
            if values.is_empty() {
                continue;
            }
            let indexed =
                indexed_values(searcher, kind.field(fields)).map_err(|err| opened.explain(err))?;
            let mut resolved = Vec::new();
            for wanted in values.iter() {
                let found = resolve_keyword(kind, &indexed, wanted)
                    .map_err(|Unresolved(detail)| Error::bad_argument(field, detail))?;
                resolved.extend(found);
            }
            *values = resolved;
        }
        if self.entities.is_empty() {
            return Ok(());
        }
        let taxonomy = opened.taxonomy();
        let indexed = indexed_entity_keys(searcher, fields).map_err(|err| opened.explain(err))?;
        let mut resolved = Vec::new();
        for wanted in &self.entities {
            let keys = resolve_entity(taxonomy, &indexed, wanted)
                .map_err(|Unresolved(detail)| Error::bad_argument(Field::Entity, detail))?;
            resolved.extend(keys);
        }
        self.entities = resolved;
        Ok(())
    }
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
}

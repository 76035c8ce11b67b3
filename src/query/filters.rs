//! The filters every read command shares (`--from/--to`, `--tag`, `--lang`, `--source`, `--topic`, `--entity`)
//! and their translation into tantivy queries.

use std::collections::BTreeSet;
use std::ops::Bound;

use chrono::NaiveDate;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, Searcher, Term};

use crate::error::{Error, Result};
use crate::index::schema::Fields;
use crate::taxonomy::Taxonomy;
use crate::text::fold;

/// Which end of a range a date argument is for: `2025` starts on 1 January and ends on 31 December.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeEnd {
    Start,
    End,
}

/// Parses `2025`, `2025-05` or `2025-05-15` into the first or last day it covers.
pub fn parse_date_arg(argument: &str, text: &str, end: RangeEnd) -> Result<NaiveDate> {
    let bad = |detail: String| Error::bad_argument(argument, detail);
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

/// Filters as the library understands them (the CLI fills this from its flags).
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
            .map(|text| parse_date_arg("--from", text, RangeEnd::Start))
            .transpose()?;
        self.to = to
            .map(|text| parse_date_arg("--to", text, RangeEnd::End))
            .transpose()?;
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                return Err(Error::bad_argument(
                    "--from/--to",
                    format!("--from {from} is after --to {to}; swap them"),
                ));
            }
        }
        Ok(self)
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
    pub fn clauses(&self, fields: &Fields, taxonomy: &Taxonomy) -> Result<Vec<Box<dyn Query>>> {
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
    pub fn apply(
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
pub fn date_range(
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

/// A topic id, or a parent id standing for all its children; unknown ids get the closest suggestion.
fn resolve_topic(taxonomy: &Taxonomy, wanted: &str) -> Result<Vec<String>> {
    // [facets worker] A parent id is itself a topic of the taxonomy, so it used to match only
    // itself (never tagged) and found nothing; now it stands for itself and all its children.
    let children: Vec<String> = taxonomy
        .topics
        .iter()
        .filter(|topic| topic.parent.as_deref() == Some(wanted))
        .map(|topic| topic.id.clone())
        .collect();
    if taxonomy.topics.iter().any(|topic| topic.id == wanted) || !children.is_empty() {
        let mut ids = vec![wanted.to_string()];
        ids.extend(children);
        return Ok(ids);
    }
    let ids = taxonomy.topics.iter().map(|topic| topic.id.as_str());
    Err(Error::bad_argument(
        "--topic",
        format!(
            "no topic {wanted:?}{}; `topictrack topics` lists them",
            suggestion(wanted, ids)
        ),
    ))
}

/// Facet keys (`<kind>/<name>`) an entity argument may stand for: a canonical name or alias from the
/// taxonomy (any capitalisation or accents), else the name as given, in every kind.
fn entity_keys(taxonomy: &Taxonomy, wanted: &str) -> Vec<String> {
    let (kind, name) = match wanted.split_once('/') {
        Some((kind, name)) if crate::taxonomy::defs::EntityKind::parse(kind).is_some() => {
            (Some(kind.to_lowercase()), name)
        }
        _ => (None, wanted),
    };
    let folded = fold(name.trim());
    let curated = taxonomy.entities.iter().find(|entity| {
        fold(&entity.name) == folded || entity.aliases.iter().any(|alias| fold(alias) == folded)
    });
    match curated {
        Some(entity) => vec![format!("{}/{}", entity.kind.as_str(), entity.name)],
        None => {
            let kinds = match kind {
                Some(kind) => vec![kind],
                None => ["org", "person", "place", "other"]
                    .map(String::from)
                    .to_vec(),
            };
            kinds
                .into_iter()
                .map(|kind| format!("{kind}/{}", name.trim()))
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
    pub fn resolve_entities(
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
                .filter(|key| {
                    let name = key.split_once('/').map_or(key.as_str(), |(_, name)| name);
                    fold(name) == folded || fold(key) == folded
                })
                .cloned()
                .collect();
            if loose.is_empty() {
                let names = indexed
                    .iter()
                    .map(|key| key.split_once('/').map_or(key.as_str(), |(_, name)| name));
                return Err(Error::bad_argument(
                    "--entity",
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
            parse_date_arg("--from", "2025", RangeEnd::Start).ok(),
            Some(day(2025, 1, 1))
        );
        assert_eq!(
            parse_date_arg("--to", "2025", RangeEnd::End).ok(),
            Some(day(2025, 12, 31))
        );
        assert_eq!(
            parse_date_arg("--to", "2024-02", RangeEnd::End).ok(),
            Some(day(2024, 2, 29))
        );
        assert_eq!(
            parse_date_arg("--to", "2025-12", RangeEnd::End).ok(),
            Some(day(2025, 12, 31))
        );
        assert_eq!(
            parse_date_arg("--from", "2025-05-15", RangeEnd::Start).ok(),
            Some(day(2025, 5, 15))
        );
    }

    #[test]
    fn impossible_and_malformed_dates_name_the_argument() {
        let err = parse_date_arg("--from", "2025-02-30", RangeEnd::Start).unwrap_err();
        assert!(err.to_string().contains("--from"), "{err}");
        assert!(err.to_string().contains("not a real date"), "{err}");
        assert!(parse_date_arg("--to", "2025-13", RangeEnd::End).is_err());
        assert!(parse_date_arg("--to", "May 2025", RangeEnd::End).is_err());
        assert!(parse_date_arg("--to", "", RangeEnd::End).is_err());
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

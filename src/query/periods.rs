//! Calendar periods for timelines: where a day's period starts, its label, and every period of a range.
//!
//! All arithmetic is on UTC calendar days with chrono: ISO weeks (Monday start, ISO year in the
//! label), calendar months, quarters and years.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};

use crate::error::{Error, Field};

/// Most periods a timeline may span; past this the user is asked for a coarser interval.
pub const MAX_PERIODS: usize = 100_000;

/// The width of a timeline bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Interval {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Interval {
    /// The name used on the command line and in JSON (`"month"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
            Interval::Quarter => "quarter",
            Interval::Year => "year",
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Interval {
    type Err = Error;

    fn from_str(text: &str) -> Result<Interval, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "day" | "daily" | "d" => Ok(Interval::Day),
            "week" | "weekly" | "w" => Ok(Interval::Week),
            "month" | "monthly" | "m" => Ok(Interval::Month),
            "quarter" | "quarterly" | "q" => Ok(Interval::Quarter),
            "year" | "yearly" | "y" => Ok(Interval::Year),
            _ => Err(Error::bad_argument(
                Field::Interval,
                format!("unknown interval {text:?}; use day, week, month, quarter or year"),
            )),
        }
    }
}

/// The first day of the period that holds `date`.
pub fn period_start(date: NaiveDate, interval: Interval) -> NaiveDate {
    let first_of = |month: u32| NaiveDate::from_ymd_opt(date.year(), month, 1).unwrap_or(date);
    match interval {
        Interval::Day => date,
        Interval::Week => {
            let back = u64::from(date.weekday().num_days_from_monday());
            date.checked_sub_days(chrono::Days::new(back))
                .unwrap_or(date)
        }
        Interval::Month => first_of(date.month()),
        Interval::Quarter => first_of((date.month0() / 3) * 3 + 1),
        Interval::Year => first_of(1),
    }
}

/// The first day of the period after the one starting at `start`, or None past chrono's range.
pub fn next_start(start: NaiveDate, interval: Interval) -> Option<NaiveDate> {
    match interval {
        Interval::Day => start.succ_opt(),
        Interval::Week => start.checked_add_days(chrono::Days::new(7)),
        Interval::Month => start.checked_add_months(Months::new(1)),
        Interval::Quarter => start.checked_add_months(Months::new(3)),
        Interval::Year => start.checked_add_months(Months::new(12)),
    }
}

/// The label of the period starting at `start`: `2025-05-15`, `2025-W20`, `2025-05`, `2025-Q2`, `2025`.
pub fn label(start: NaiveDate, interval: Interval) -> String {
    match interval {
        Interval::Day => start.format("%Y-%m-%d").to_string(),
        Interval::Week => {
            let week = start.iso_week();
            format!("{:04}-W{:02}", week.year(), week.week())
        }
        Interval::Month => start.format("%Y-%m").to_string(),
        Interval::Quarter => format!("{:04}-Q{}", start.year(), start.month0() / 3 + 1),
        Interval::Year => format!("{:04}", start.year()),
    }
}

/// The start of every period that overlaps `from..=to`, in order (empty when `from > to`).
pub fn periods(from: NaiveDate, to: NaiveDate, interval: Interval) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    if from > to {
        return out;
    }
    let mut start = period_start(from, interval);
    while start <= to && out.len() < MAX_PERIODS {
        out.push(start);
        match next_start(start, interval) {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

/// How many periods `from..=to` spans, counted without building them (for a size check).
pub fn period_count(from: NaiveDate, to: NaiveDate, interval: Interval) -> u64 {
    if from > to {
        return 0;
    }
    let (a, b) = (period_start(from, interval), period_start(to, interval));
    let months = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    let span = match interval {
        Interval::Day => (b - a).num_days(),
        Interval::Week => (b - a).num_days() / 7,
        Interval::Month => months(b) - months(a),
        Interval::Quarter => (months(b) - months(a)) / 3,
        Interval::Year => i64::from(b.year() - a.year()),
    };
    u64::try_from(span).unwrap_or(0) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_intervals_and_rejects_unknown_ones_clearly() {
        assert_eq!("month".parse::<Interval>().unwrap(), Interval::Month);
        assert_eq!("Week".parse::<Interval>().unwrap(), Interval::Week);
        let err = "fortnight".parse::<Interval>().unwrap_err().to_string();
        assert!(err.contains("interval") && err.contains("quarter"), "{err}");
    }

    #[test]
    fn iso_week_2025_w01_starts_on_2024_12_30() {
        assert_eq!(period_start(d(2025, 1, 1), Interval::Week), d(2024, 12, 30));
        assert_eq!(label(d(2024, 12, 30), Interval::Week), "2025-W01");
        assert_eq!(period_start(d(2025, 5, 15), Interval::Week), d(2025, 5, 12));
        assert_eq!(label(d(2025, 5, 12), Interval::Week), "2025-W20");
        // 2020 has an ISO week 53 that ends on 3 January 2021.
        assert_eq!(
            label(period_start(d(2021, 1, 3), Interval::Week), Interval::Week),
            "2020-W53"
        );
    }

    #[test]
    fn quarters_months_and_years_follow_the_calendar() {
        assert_eq!(
            period_start(d(2024, 12, 31), Interval::Quarter),
            d(2024, 10, 1)
        );
        assert_eq!(label(d(2024, 10, 1), Interval::Quarter), "2024-Q4");
        assert_eq!(
            label(
                period_start(d(2025, 5, 15), Interval::Quarter),
                Interval::Quarter
            ),
            "2025-Q2"
        );
        assert_eq!(
            label(
                period_start(d(2024, 2, 29), Interval::Month),
                Interval::Month
            ),
            "2024-02"
        );
        assert_eq!(
            label(period_start(d(2024, 2, 29), Interval::Year), Interval::Year),
            "2024"
        );
        assert_eq!(label(d(2024, 2, 29), Interval::Day), "2024-02-29");
    }

    #[test]
    fn periods_cover_the_range_including_partial_ends() {
        let months = periods(d(2024, 11, 20), d(2025, 2, 3), Interval::Month);
        let labels: Vec<_> = months.iter().map(|s| label(*s, Interval::Month)).collect();
        assert_eq!(labels, ["2024-11", "2024-12", "2025-01", "2025-02"]);
        let days = periods(d(2024, 2, 28), d(2024, 3, 1), Interval::Day);
        assert_eq!(days, [d(2024, 2, 28), d(2024, 2, 29), d(2024, 3, 1)]);
        assert!(periods(d(2025, 1, 2), d(2025, 1, 1), Interval::Day).is_empty());
        assert_eq!(
            period_count(d(2024, 11, 20), d(2025, 2, 3), Interval::Month),
            4
        );
        assert_eq!(
            period_count(d(2024, 12, 29), d(2025, 1, 6), Interval::Week),
            3
        );
        assert_eq!(
            periods(d(2024, 12, 29), d(2025, 1, 6), Interval::Week).len(),
            3
        );
    }
}

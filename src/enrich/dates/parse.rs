//! Lenient parsing of the date strings found in metadata (front matter, JSON fields, HTML meta tags),
//! which come in every shape: RFC 3339, RFC 2822, SQL-style timestamps, day-first numbers, month names
//! in English or Spanish, Unix seconds, and leading dates followed by junk.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use regex::Regex;

use super::mentioned::Precision;
use super::scan::{scan_all, Kind};

/// Strings longer than this must start with their date; shorter ones may carry a short label first
/// ("Published on May 15, 2025").
const LABELLED_MAX_LEN: usize = 64;

// The patterns are fixed in this file and covered by tests; failing to compile is a programming error.
#[allow(clippy::expect_used)]
fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("time regex must compile")
}

/// A year and month only: "2025-05", "2025/5".
static YEAR_MONTH: LazyLock<Regex> = LazyLock::new(|| compile(r"^(?P<y>\d{4})[-/](?P<m>\d{1,2})$"));

/// A time of day right after a date, with optional seconds, fraction, am/pm and UTC offset.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:\s*(?:T|,|at|a\s+las)?\s*)(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?\s*(?P<ampm>[ap]\.?m\.?)?\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?",
    )
});

/// Lenient parse of a metadata date string, returned in UTC (see [`parse_date_with_precision`]).
#[cfg(test)]
pub fn parse_date_lenient(text: &str) -> Option<NaiveDateTime> {
    parse_date_with_precision(text).map(|(date, _)| date)
}

/// Lenient parse of a metadata date string, returned in UTC with how much of the date it gives.
///
/// Accepted, in this order:
/// - all digits: 4 digits as a year (1 January, [`Precision::Year`]), 8 digits as `YYYYMMDD`, 9–11 digits as Unix seconds, 12–13 digits as Unix milliseconds;
/// - RFC 3339 (`2025-05-15T10:00:00+02:00`, offsets converted to UTC) and RFC 2822
///   (`Thu, 15 May 2025 10:00:00 +0000`);
/// - a year and month (`2025-05`, taken as the 1st, [`Precision::Month`]);
/// - a date at the start of the string, optionally followed by a time and an offset, with anything after
///   ignored: `2024-11-15 06:16:36`, `2024-11-15T06:16`, `2025/05/15`, `15/05/2025` (day first; month
///   first only when day first is impossible), `May 15, 2025`, `15 May 2025`, `15 de mayo de 2025`,
///   `lunes, 15 de mayo de 2025`, `26-FEB-1987 15:01:01.79`, `May 2025` (the 1st, [`Precision::Month`]);
/// - in a short string (up to 64 bytes) the first full date anywhere ("Published on May 15, 2025").
///
/// A date that does not exist (`2025-02-30`, month 13) gives `None`, never a nearby date. A time that
/// does not exist ("25:00") is ignored and the date is kept at midnight. Time-zone names other than
/// `Z`, `UTC` and `GMT` are not understood and the time is taken as UTC.
pub fn parse_date_with_precision(text: &str) -> Option<(NaiveDateTime, Precision)> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return from_digits(text);
    }
    let day = |date: NaiveDateTime| Some((date, Precision::Day));
    if let Ok(parsed) = DateTime::parse_from_rfc3339(text) {
        return day(parsed.naive_utc());
    }
    if let Ok(parsed) = DateTime::parse_from_rfc2822(text) {
        return day(parsed.naive_utc());
    }
    if let Some(caps) = YEAR_MONTH.captures(text) {
        let year = caps.name("y")?.as_str().parse().ok()?;
        let month = caps.name("m")?.as_str().parse().ok()?;
        return first_of_month(year, month);
    }
    leading_date(text)
}

fn first_of_month(year: i32, month: u32) -> Option<(NaiveDateTime, Precision)> {
    NaiveDate::from_ymd_opt(year, month, 1).map(|date| (midnight(date), Precision::Month))
}

fn from_digits(text: &str) -> Option<(NaiveDateTime, Precision)> {
    let value: i64 = text.parse().ok()?;
    let day = |date: NaiveDateTime| (date, Precision::Day);
    match text.len() {
        4 => {
            let year = i32::try_from(value).ok()?;
            NaiveDate::from_ymd_opt(year, 1, 1).map(|date| (midnight(date), Precision::Year))
        }
        8 => {
            let year = i32::try_from(value / 10_000).ok()?;
            let month = u32::try_from(value / 100 % 100).ok()?;
            let date = u32::try_from(value % 100).ok()?;
            NaiveDate::from_ymd_opt(year, month, date).map(|date| day(midnight(date)))
        }
        9..=11 => DateTime::from_timestamp(value, 0).map(|dt| day(dt.naive_utc())),
        12 | 13 => DateTime::from_timestamp_millis(value).map(|dt| day(dt.naive_utc())),
        _ => None,
    }
}

fn leading_date(text: &str) -> Option<(NaiveDateTime, Precision)> {
    let first = scan_all(text).into_iter().next()?;
    if first.start != 0 && text.len() > LABELLED_MAX_LEN {
        return None;
    }
    match first.kind {
        Kind::Full(date) => {
            let rest = text.get(first.end..).unwrap_or("");
            Some((with_time(date, rest), Precision::Day))
        }
        Kind::MonthYear { year, month } => first_of_month(year, month),
        _ => None,
    }
}

fn midnight(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN)
}

/// Adds the time found at the start of `rest` (if any) to `date`, converting a UTC offset away.
fn with_time(date: NaiveDate, rest: &str) -> NaiveDateTime {
    let Some(caps) = TIME.captures(rest) else {
        return midnight(date);
    };
    let field = |name: &str| -> u32 {
        caps.name(name)
            .and_then(|m| m.as_str().parse().ok())
            .unwrap_or(0)
    };
    let mut hour = field("h");
    let ampm = caps.name("ampm").map(|m| m.as_str().to_ascii_lowercase());
    match ampm.as_deref().and_then(|s| s.chars().next()) {
        Some('p') if hour < 12 => hour += 12,
        Some('a') if hour == 12 => hour = 0,
        _ => {}
    }
    let Some(time) = NaiveTime::from_hms_opt(hour, field("mi"), field("s")) else {
        return midnight(date);
    };
    let local = date.and_time(time);
    let offset = caps.name("tz").map_or(0, |m| offset_minutes(m.as_str()));
    local
        .checked_sub_signed(Duration::minutes(offset))
        .unwrap_or(local)
}

/// Minutes east of UTC for "+02:00", "-0500", "Z", "UTC", "GMT".
fn offset_minutes(tz: &str) -> i64 {
    let sign = match tz.chars().next() {
        Some('+') => 1,
        Some('-') => -1,
        _ => return 0,
    };
    let digits: String = tz.chars().filter(char::is_ascii_digit).collect();
    let hours: i64 = digits.get(..2).and_then(|h| h.parse().ok()).unwrap_or(0);
    let minutes: i64 = digits.get(2..).and_then(|m| m.parse().ok()).unwrap_or(0);
    sign * (hours * 60 + minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<NaiveDateTime> {
        NaiveDate::from_ymd_opt(y, m, d).and_then(|date| date.and_hms_opt(h, mi, s))
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDateTime> {
        at(y, m, d, 0, 0, 0)
    }

    #[test]
    fn rfc3339_with_offsets_is_converted_to_utc() {
        assert_eq!(
            parse_date_lenient("2025-05-15T10:00:00+02:00"),
            at(2025, 5, 15, 8, 0, 0)
        );
        assert_eq!(
            parse_date_lenient("2025-05-15T23:30:00-03:00"),
            at(2025, 5, 16, 2, 30, 0)
        );
        assert_eq!(
            parse_date_lenient(" 2025-05-15T10:00:00Z "),
            at(2025, 5, 15, 10, 0, 0)
        );
        assert_eq!(
            parse_date_lenient("2025-05-15T10:00:00.123Z").map(|d| d.date()),
            day(2025, 5, 15).map(|d| d.date())
        );
    }

    #[test]
    fn rfc2822() {
        assert_eq!(
            parse_date_lenient("Thu, 15 May 2025 10:00:00 +0000"),
            at(2025, 5, 15, 10, 0, 0)
        );
        assert_eq!(
            parse_date_lenient("Thu, 15 May 2025 12:00:00 +0200"),
            at(2025, 5, 15, 10, 0, 0)
        );
        assert_eq!(
            parse_date_lenient("15 May 2025 10:00:00 GMT"),
            at(2025, 5, 15, 10, 0, 0)
        );
    }

    #[test]
    fn timestamps_without_offsets() {
        assert_eq!(
            parse_date_lenient("2024-11-15 06:16:36"),
            at(2024, 11, 15, 6, 16, 36)
        );
        assert_eq!(
            parse_date_lenient("2024-11-15T06:16"),
            at(2024, 11, 15, 6, 16, 0)
        );
        assert_eq!(
            parse_date_lenient("2024-11-15 06:16 +01:00"),
            at(2024, 11, 15, 5, 16, 0)
        );
        assert_eq!(
            parse_date_lenient("May 15, 2025 3:05 pm"),
            at(2025, 5, 15, 15, 5, 0)
        );
        assert_eq!(
            parse_date_lenient("26-FEB-1987 15:01:01.79"),
            at(1987, 2, 26, 15, 1, 1)
        );
        assert_eq!(
            parse_date_lenient("26-FEB-1987 15:01:01.79 junk here"),
            at(1987, 2, 26, 15, 1, 1)
        );
    }

    #[test]
    fn plain_dates_in_every_shape() {
        for text in [
            "2025-05-15",
            "15/05/2025",
            "2025/05/15",
            "May 15, 2025",
            "May 15th, 2025",
            "15 May 2025",
            "15 de mayo de 2025",
            "jueves, 15 de mayo de 2025",
            "15 DE MAYO DE 2025",
            "Thursday, May 15, 2025",
            "05/15/2025",
            "20250515",
            "2025-05-15 (edición impresa)",
            "Published on May 15, 2025",
        ] {
            assert_eq!(parse_date_lenient(text), day(2025, 5, 15), "{text}");
        }
    }

    #[test]
    fn year_and_month_is_the_first() {
        assert_eq!(parse_date_lenient("2025-05"), day(2025, 5, 1));
        assert_eq!(parse_date_lenient("mayo de 2025"), day(2025, 5, 1));
        assert_eq!(parse_date_lenient("2025-13"), None);
        assert_eq!(
            parse_date_with_precision("2025-05").map(|(_, precision)| precision),
            Some(Precision::Month)
        );
        assert_eq!(
            parse_date_with_precision("May 2025").map(|(_, precision)| precision),
            Some(Precision::Month)
        );
        assert_eq!(
            parse_date_with_precision("15 May 2025").map(|(_, precision)| precision),
            Some(Precision::Day)
        );
    }

    #[test]
    fn a_bare_year_is_the_first_of_january() {
        assert_eq!(
            parse_date_with_precision(" 2025 "),
            day(2025, 1, 1).map(|date| (date, Precision::Year))
        );
        assert_eq!(
            parse_date_with_precision("1500"),
            day(1500, 1, 1).map(|date| (date, Precision::Year))
        );
    }

    #[test]
    fn unix_seconds_and_milliseconds() {
        assert_eq!(parse_date_lenient("1747303200"), at(2025, 5, 15, 10, 0, 0));
        assert_eq!(
            parse_date_lenient("1747303200000"),
            at(2025, 5, 15, 10, 0, 0)
        );
        assert_eq!(parse_date_lenient("99999"), None);
        assert_eq!(parse_date_lenient("99999999999999999999999"), None);
    }

    #[test]
    fn impossible_dates_are_rejected_not_clamped() {
        for text in [
            "2025-02-30",
            "2025-13-01",
            "30 de febrero de 2025",
            "February 30, 2025",
            "31/04/2025",
            "2025-02-29T10:00:00Z",
            "20250230",
            "",
            "   ",
            "yesterday",
            "n/a",
            "ayer a las 10",
        ] {
            assert_eq!(parse_date_lenient(text), None, "{text:?}");
        }
        assert_eq!(parse_date_lenient("2024-02-29"), day(2024, 2, 29));
    }

    #[test]
    fn newspaper_style_day_first_strings() {
        assert_eq!(parse_date_lenient("1-7-2020"), day(2020, 7, 1));
        assert_eq!(parse_date_lenient("26-5-2020"), day(2020, 5, 26));
        assert_eq!(parse_date_lenient("15.05.2025"), day(2025, 5, 15));
        assert_eq!(parse_date_lenient("7-2020-editorial"), None);
        assert_eq!(
            parse_date_lenient("2002-10-26T23:43:00+02:00"),
            at(2002, 10, 26, 21, 43, 0)
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,40}") {
            let _ = parse_date_lenient(&text);
        }

        #[test]
        fn never_panics_on_date_like_text(text in "[0-9 :/.,+TZ-]{0,30}[a-zA-Zé]{0,8}[0-9 :/.,+-]{0,12}") {
            let _ = parse_date_lenient(&text);
        }
    }

    #[test]
    fn a_long_string_must_start_with_its_date() {
        let long = "Some long description of the article that goes on and on, then 15 May 2025";
        assert_eq!(parse_date_lenient(long), None);
    }

    #[test]
    fn impossible_time_keeps_the_date() {
        assert_eq!(parse_date_lenient("2025-05-15 25:61"), day(2025, 5, 15));
    }
}

//! Points in time given as `DATE|DURATION` (`--indexed-since 2026-12-01`, `…T08:00:00Z`, `24h`,
//! `7d`): a day (its start, UTC), an RFC 3339 time, or a span back from now.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::error::{Error, Field, Result};

const FORMS: &str = "use YYYY-MM-DD, an RFC 3339 time such as 2026-12-01T08:00:00Z, \
    or a span back from now such as 90m, 24h, 7d or 2w";

/// The time `text` names, for the request field `field`; a span counts back from `now`.
pub fn parse_since(field: Field, text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let text = text.trim();
    let bad = || Error::bad_argument(field, format!("{text:?} is not a time; {FORMS}"));
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    let unit_at = text
        .find(|c: char| !c.is_ascii_digit())
        .filter(|at| *at > 0)
        .ok_or_else(bad)?;
    let (number, unit) = text.split_at(unit_at);
    let number: i64 = number.parse().map_err(|_| bad())?;
    let span = match unit {
        "s" => Duration::try_seconds(number),
        "m" | "min" => Duration::try_minutes(number),
        "h" => Duration::try_hours(number),
        "d" => Duration::try_days(number),
        "w" => Duration::try_weeks(number),
        _ => None,
    }
    .ok_or_else(bad)?;
    now.checked_sub_signed(span)
        .ok_or_else(|| Error::bad_argument(field, format!("{text:?} reaches back before any date")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-04T12:00:00Z")
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn at(text: &str) -> Option<String> {
        parse_since(Field::IndexedSince, text, now())
            .ok()
            .map(|time| time.to_rfc3339())
    }

    #[test]
    fn days_times_and_spans() {
        assert_eq!(
            at("2026-12-01").as_deref(),
            Some("2026-12-01T00:00:00+00:00")
        );
        assert_eq!(
            at("2026-12-01T08:00:00Z").as_deref(),
            Some("2026-12-01T08:00:00+00:00")
        );
        assert_eq!(
            at("2026-12-01T09:00:00+01:00").as_deref(),
            Some("2026-12-01T08:00:00+00:00")
        );
        assert_eq!(at("24h").as_deref(), Some("2026-12-03T12:00:00+00:00"));
        assert_eq!(at("7d").as_deref(), Some("2026-11-27T12:00:00+00:00"));
        assert_eq!(at("2w").as_deref(), Some("2026-11-20T12:00:00+00:00"));
        assert_eq!(at("90m").as_deref(), Some("2026-12-04T10:30:00+00:00"));
        assert_eq!(at(" 30s ").as_deref(), Some("2026-12-04T11:59:30+00:00"));
    }

    #[test]
    fn other_text_is_refused_naming_the_field() {
        for text in [
            "",
            "yesterday",
            "7",
            "d",
            "7y",
            "-7d",
            "2026-13-01",
            "99999999999999999999d",
        ] {
            let err = parse_since(Field::IndexedSince, text, now()).expect_err(text);
            let message = err.message_with(|field| format!("--{field}"));
            assert!(
                message.starts_with("bad value for --indexed-since:"),
                "{message}"
            );
        }
        let far = parse_since(Field::IndexedSince, "9999999999w", now());
        assert!(far.is_err());
    }
}

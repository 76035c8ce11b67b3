//! The `Date` header of a mail or news message (RFC 5322 §3.3, with the obsolete forms of §4.3), as
//! a UTC date and time. `mail-parser` reads most headers; this module fills what it leaves out:
//! a zone name after a time without seconds (`21:24 GMT`), three-digit years (`104` is 2004), and
//! days a month does not have (`31 Feb`), which must be refused rather than rolled over.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// The UTC date and time a `Date` header names, or `None` when it is not a date.
pub fn parse_mail_date(raw: &str) -> Option<NaiveDateTime> {
    by_mail_parser(raw).or_else(|| by_tokens(raw))
}

/// `mail-parser`'s reading, checked: a real calendar day, and the year of §4.3.
fn by_mail_parser(raw: &str) -> Option<NaiveDateTime> {
    let parsed = mail_parser::DateTime::parse_rfc822(raw)?;
    let year = i32::from(parsed.year);
    // It reads three digits as written ("104"); §4.3 adds 1900 to them.
    if (100..1000).contains(&year) {
        return None;
    }
    // Its month lookup is a hash, which takes any three letters for some month ("Foo").
    let month_name = MONTHS.get(usize::from(parsed.month).checked_sub(1)?)?;
    if !raw.to_ascii_lowercase().contains(month_name) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, u32::from(parsed.month), u32::from(parsed.day))?;
    NaiveTime::from_hms_opt(
        u32::from(parsed.hour),
        u32::from(parsed.minute),
        u32::from(parsed.second),
    )?;
    chrono::DateTime::from_timestamp(parsed.to_timestamp(), 0).map(|when| when.naive_utc())
}

/// The whole grammar read token by token: `[day-name ","] day month year hour ":" minute
/// [":" second] [zone]`, comments removed.
fn by_tokens(raw: &str) -> Option<NaiveDateTime> {
    let cleaned = without_comments(raw).replace(',', " ");
    let mut tokens = cleaned.split_whitespace().peekable();
    if tokens
        .peek()
        .is_some_and(|token| token.chars().all(|c| c.is_ascii_alphabetic()))
    {
        tokens.next();
    }
    let day: u32 = tokens.next()?.parse().ok()?;
    let month = month_number(tokens.next()?)?;
    let year = full_year(tokens.next()?)?;
    let mut clock = tokens.next()?.split(':');
    let hour: u32 = clock.next()?.parse().ok()?;
    let minute: u32 = clock.next()?.parse().ok()?;
    let second: u32 = match clock.next() {
        Some(second) => second.parse().ok()?,
        None => 0,
    };
    let offset = tokens.next().map_or(Some(0), zone_offset_seconds)?;
    let local = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(hour, minute, second)?;
    local.checked_sub_signed(chrono::Duration::seconds(offset))
}

/// `text` without its parenthesised comments (which may nest and hold `\)`).
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if depth > 0 => {
                chars.next();
            }
            '(' => depth += 1,
            ')' if depth > 0 => {
                depth -= 1;
                out.push(' ');
            }
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_number(token: &str) -> Option<u32> {
    let start = token.get(..3)?.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|month| *month == start)
        .and_then(|index| u32::try_from(index + 1).ok())
}

/// A year as §4.3 reads it: two digits are 1950–2049, three digits are 1900 more.
fn full_year(token: &str) -> Option<i32> {
    if !token.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year: i32 = token.parse().ok()?;
    Some(match token.len() {
        1 | 2 if year < 50 => year + 2000,
        1 | 2 => year + 1900,
        3 => year + 1900,
        _ => year,
    })
}

/// A zone's offset east of UTC in seconds: `+hhmm`/`-hhmm`, the US names of §4.3, and `UT`/`GMT`;
/// military letters and unknown names count as `-0000`, as §4.3 says they should.
fn zone_offset_seconds(token: &str) -> Option<i64> {
    if let Some(digits) = token.strip_prefix(['+', '-']) {
        if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let hours: i64 = digits.get(..2)?.parse().ok()?;
        let minutes: i64 = digits.get(2..)?.parse().ok()?;
        let sign = if token.starts_with('-') { -1 } else { 1 };
        return Some(sign * (hours * 3600 + minutes * 60));
    }
    if !token.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let hours = match token.to_ascii_uppercase().as_str() {
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" => -8,
        _ => 0,
    };
    Some(hours * 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(raw: &str) -> String {
        parse_mail_date(raw)
            .map(|when| when.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| "none".to_owned())
    }

    /// Every form of RFC 5322 §3.3 and the obsolete syntax of §4.3, and the UTC time read.
    const FORMS: &[(&str, &str)] = &[
        ("Fri, 21 Nov 1997 09:55:06 -0600", "1997-11-21 15:55:06"),
        ("Tue, 1 Jul 2003 10:52:37 +0200", "2003-07-01 08:52:37"),
        ("21 Nov 1997 09:55:06 +0000", "1997-11-21 09:55:06"),
        ("Fri, 21 Nov 1997 09:55 -0600", "1997-11-21 15:55:00"),
        ("Thu, 13 Feb 1969 23:32:54 -0330", "1969-02-14 03:02:54"),
        ("Mon, 15 May 2025 08:00:00 -0000", "2025-05-15 08:00:00"),
        ("23 Apr 93 21:24:30 GMT", "1993-04-23 21:24:30"),
        ("Fri, 23 Apr 93 21:24:30 EST", "1993-04-24 02:24:30"),
        ("Sat, 24 Apr 1993 10:00:00 PDT", "1993-04-24 17:00:00"),
        ("1 Jan 05 00:00:00 UT", "2005-01-01 00:00:00"),
        ("12 Mar 104 12:00:00 +0000", "2004-03-12 12:00:00"),
        ("Fri, 21 Nov 1997 09:55:06 Z", "1997-11-21 09:55:06"),
        ("Fri, 21 Nov 1997 09:55:06 A", "1997-11-21 09:55:06"),
        ("Fri, 21 Nov 1997 09:55:06 CET", "1997-11-21 09:55:06"),
        (
            "Thu,\r\n 13\r\n   Feb\r\n     1969\r\n 23:32\r\n  -0330 (Newfoundland Time)",
            "1969-02-14 03:02:00",
        ),
        (
            "Fri(day), 21 Nov (month) 1997 09:55:06 -0600 (CST)",
            "1997-11-21 15:55:06",
        ),
        ("Fri, 23 Apr 93 21:24 GMT", "1993-04-23 21:24:00"),
        ("23 apr 1993 21:24:30 +0100", "1993-04-23 20:24:30"),
    ];

    #[test]
    fn every_date_form_of_rfc_5322_is_read() {
        for (raw, expected) in FORMS {
            assert_eq!(read(raw), *expected, "{raw:?}");
        }
    }

    #[test]
    fn what_is_not_a_date_is_refused() {
        for raw in [
            "",
            "yesterday",
            "31 Feb 2025 10:00:00 +0000",
            "12 Foo 2025 10:00:00 +0000",
            "2025-05-15",
        ] {
            assert_eq!(read(raw), "none", "{raw:?}");
        }
    }
}

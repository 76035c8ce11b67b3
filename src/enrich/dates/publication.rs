//! Decides a document's publication date: from its metadata, else its file name, else the text itself —
//! never from the file's modification time.

use std::path::Path;
use std::sync::LazyLock;

use chrono::{Datelike, Local, NaiveDate, NaiveDateTime, NaiveTime};
use regex::Regex;

use super::mentioned::Precision;
use super::parse::parse_date_with_precision;
use super::scan::{scan_full, Kind};
use crate::document::{DateSource, SourceDoc};

/// How far into the text (in characters) a date still counts as "at the top".
const TOP_CHARS: usize = 300;
/// How far before a date (in bytes) a label such as "publicado" is looked for.
const LABEL_WINDOW: usize = 60;
/// The longest place name accepted before a dateline's comma ("SAN FRANCISCO (Reuters), ").
const DATELINE_PLACE_MAX: usize = 48;
/// Words that mark the date after them as the publication date.
const LABELS: &[&str] = &[
    "publicado",
    "publicada",
    "publicación",
    "publicacion",
    "published",
    "posted",
    "fecha",
    "date:",
    "dated",
];

/// Words after which a date lies ahead of the writer ("due Oct. 15, 1999", "hasta el 31 de diciembre"):
/// such a date is a deadline, not a candidate publication date.
const FORWARD: &[&str] = &[
    "due",
    "until",
    "till",
    "through",
    "after",
    "ending",
    "ends",
    "expires",
    "expire",
    "matures",
    "maturing",
    "by",
    "before",
    "effective",
    "hasta",
    "vence",
    "vencen",
    "vencimiento",
    "antes",
    "después",
    "despues",
    "partir",
    "próximo",
    "proximo",
];
/// Small words skipped when looking for the word before a date ("due on", "hasta el").
const CONNECTORS: &[&str] = &["on", "the", "of", "el", "del", "de", "la", "a"];

// The pattern is fixed in this file and covered by tests; failing to compile is a programming error.
#[allow(clippy::expect_used)]
static FILE_NAME_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])(?P<y>(?:19|20)\d{2})(?P<s1>[-_.]?)(?P<m>\d{2})(?P<s2>[-_.]?)(?P<d>\d{2})(?:[^0-9]|$)")
        .expect("file-name regex must compile")
});

/// The years a publication date may have: those the index's `yyyymmdd` day keys can hold.
const HELD_YEARS: std::ops::RangeInclusive<i32> = 0..=9999;

/// A document's publication date and where it came from, with a warning when its metadata named a
/// date that could not be used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Publication {
    pub published: Option<(NaiveDateTime, DateSource)>,
    /// Names the metadata key and value that were not a date, and what was done instead.
    pub warning: Option<String>,
}

/// The publication date of a document, and where it came from; the first of these that gives one wins:
/// `doc.date_raw` parsed leniently → a date in the file name → a full date in the title or body → none.
/// Dates found in file names and texts are at midnight; metadata keeps its time, in UTC.
pub fn publication_date(doc: &SourceDoc) -> Option<(NaiveDateTime, DateSource)> {
    publication(doc).published
}

/// As [`publication_date`], and a warning when the metadata date cannot be used: a value that is not a
/// date (`2025-13-45`, `true`, `2025-02-30`) or one in a year outside 0–9999. A bare year or year and
/// month is a date: 1 January or the 1st, with a [`DateSource`] that says so.
pub fn publication(doc: &SourceDoc) -> Publication {
    // A message's `Date` header is read by the mail grammar first; another shape falls through to
    // the lenient reading of any metadata date.
    if let Some(when) = doc
        .date_raw
        .as_deref()
        .filter(|_| doc.mail)
        .and_then(super::mail::parse_mail_date)
    {
        return Publication {
            published: Some((when, DateSource::MailHeader)),
            warning: None,
        };
    }
    let refused = match doc.date_raw.as_deref() {
        Some(raw) => match metadata_date(raw) {
            Ok(found) => {
                return Publication {
                    published: Some(found),
                    warning: None,
                }
            }
            Err(why) => Some((raw, why)),
        },
        None => None,
    };
    let published = date_from_file_name(&doc.path)
        .map(|date| (date.and_time(NaiveTime::MIN), DateSource::Filename))
        .or_else(|| {
            publication_date_in_text(doc.title.as_deref(), &doc.body)
                .map(|date| (date.and_time(NaiveTime::MIN), DateSource::Text))
        });
    let warning = refused.map(|(raw, why)| {
        let instead = match published {
            Some((_, DateSource::Filename)) => "dated from the file name instead",
            Some((_, DateSource::Text)) => "dated from the text instead",
            _ => "the document is undated",
        };
        let key = doc.date_key.as_deref().unwrap_or("date");
        format!("metadata {key} {raw:?} {why}; {instead}")
    });
    Publication { published, warning }
}

/// A metadata date string as a publication date, or why it is not one.
fn metadata_date(raw: &str) -> Result<(NaiveDateTime, DateSource), String> {
    let (date, precision) = parse_date_with_precision(raw).ok_or_else(|| {
        "is not a date (no such day, or not a shape topictrack reads)".to_string()
    })?;
    if !HELD_YEARS.contains(&date.year()) {
        return Err(format!(
            "is in the year {}, outside the years 0 to 9999 the index can hold",
            date.year()
        ));
    }
    let source = match precision {
        Precision::Day => DateSource::Metadata,
        Precision::Month => DateSource::MetadataMonth,
        Precision::Year => DateSource::MetadataYear,
    };
    Ok((date, source))
}

/// A date written in a file name: "2025-05-15-foo.txt", "20250515_foo.md", "foo_2025-05-15.html",
/// "2025.05.15 notes.md". Years 1900–2099; both separators must be the same; a longer run of digits
/// ("id_202505151234.json") is not a date. Only the file name is looked at, not the folders.
pub fn date_from_file_name(path: &Path) -> Option<NaiveDate> {
    let name = path.file_name()?.to_string_lossy();
    // A match consumes the character after the date, so scan from each match start to catch neighbours.
    FILE_NAME_DATE.captures_iter(&name).find_map(|caps| {
        if caps.name("s1")?.as_str() != caps.name("s2")?.as_str() {
            return None;
        }
        let year = caps.name("y")?.as_str().parse().ok()?;
        let month = caps.name("m")?.as_str().parse().ok()?;
        let day = caps.name("d")?.as_str().parse().ok()?;
        NaiveDate::from_ymd_opt(year, month, day)
    })
}

/// The most plausible publication date written in a text; only full dates (day, month, year) count.
///
/// Candidates are the valid full dates of the title and body, from 1900 up to tomorrow (a date in the
/// future is an event, not a publication); dates after words such as "due", "until", "by", "hasta",
/// "vence" are deadlines and only count with a dateline or label. The choice, first rule that has candidates wins:
/// 1. a date in a dateline ("Madrid, 15 de mayo de 2025 —", "LONDON, May 15, 2025", a date opening a
///    line and followed by a dash) or just after a label ("publicado el", "Published:", "Fecha:") —
///    the earliest such date;
/// 2. a date in the title or in the first 300 characters of the body — the earliest;
/// 3. otherwise the latest date in the text, since a report about past events is usually published
///    after everything it tells. This is also how a date inside a quoted social-media post is found
///    when it is the only full date.
pub fn publication_date_in_text(title: Option<&str>, body: &str) -> Option<NaiveDate> {
    choose_publication_date(title, body, Local::now().date_naive())
}

/// One full date found in the text, with what its surroundings say about it.
struct Candidate {
    date: NaiveDate,
    /// Dateline or label: said to be the publication date.
    marked: bool,
    /// In the title or the first characters of the body.
    at_top: bool,
    /// A deadline or a future point ("due …", "hasta …"): never chosen unless marked.
    forward: bool,
}

fn choose_publication_date(title: Option<&str>, body: &str, today: NaiveDate) -> Option<NaiveDate> {
    let latest_allowed = today.succ_opt().unwrap_or(today);
    let plausible = |date: NaiveDate| date.year() >= 1900 && date <= latest_allowed;
    let mut candidates = Vec::new();
    for (text, is_title) in [(title.unwrap_or(""), true), (body, false)] {
        for found in scan_full(text) {
            let Kind::Full(date) = found.kind else {
                continue;
            };
            candidates.push(Candidate {
                date,
                marked: !is_title
                    && (in_dateline(text, found.start, found.end)
                        || after_label(text, found.start)),
                at_top: is_title || within_top(text, found.start),
                forward: after_forward_word(text, found.start),
            });
        }
    }
    candidates.retain(|c| plausible(c.date) && (c.marked || !c.forward));
    // Title candidates come first in the list, so "first" means "earliest in the document".
    candidates
        .iter()
        .find(|c| c.marked)
        .or_else(|| candidates.iter().find(|c| c.at_top))
        .map(|c| c.date)
        .or_else(|| candidates.iter().map(|c| c.date).max())
}

fn within_top(body: &str, start: usize) -> bool {
    if start <= TOP_CHARS {
        return true;
    }
    // A character takes at most four bytes, so anything further than that is past the top.
    start <= TOP_CHARS * 4
        && body
            .get(..start)
            .is_some_and(|prefix| prefix.chars().count() <= TOP_CHARS)
}

/// "Madrid, <date> —" or "LONDON, <date>" at the start of a line, or a line that opens with the date
/// followed by a dash.
fn in_dateline(body: &str, start: usize, end: usize) -> bool {
    let line_start = body
        .get(..start)
        .and_then(|p| p.rfind('\n'))
        .map_or(0, |i| i + 1);
    let prefix = body.get(line_start..start).unwrap_or("").trim_start();
    if prefix.is_empty() {
        let rest = body.get(end..).unwrap_or("").trim_start();
        return rest.starts_with(['—', '–', '-', '|', ':']);
    }
    let Some(place) = prefix.trim_end().strip_suffix(',') else {
        return false;
    };
    let starts_capital = place.chars().next().is_some_and(char::is_uppercase);
    let place_like = place
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '’' | '(' | ')' | '/' | '-'));
    starts_capital
        && place_like
        && place.len() <= DATELINE_PLACE_MAX
        && place.split_whitespace().count() <= 5
}

fn after_forward_word(body: &str, start: usize) -> bool {
    let before = text_before(body, start, 40).to_lowercase();
    before
        .split_whitespace()
        .rev()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
        .find(|word| !CONNECTORS.contains(word))
        .is_some_and(|word| FORWARD.contains(&word))
}

/// Up to `window` bytes of `body` before `start`, cut on a character boundary.
fn text_before(body: &str, start: usize, window: usize) -> &str {
    let mut from = start.saturating_sub(window);
    while !body.is_char_boundary(from) {
        from += 1;
    }
    body.get(from..start).unwrap_or("")
}

fn after_label(body: &str, start: usize) -> bool {
    let before = text_before(body, start, LABEL_WINDOW).to_lowercase();
    // Only the current line, so a label at the end of the previous paragraph does not count.
    let line = before.rsplit('\n').next().unwrap_or("");
    LABELS.iter().any(|label| line.contains(label))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default()
    }

    #[test]
    fn file_names_with_dates() {
        let cases = [
            ("2025-05-15-foo.txt", ymd(2025, 5, 15)),
            ("20250515_foo.md", ymd(2025, 5, 15)),
            ("notes/foo_2025-05-15.html", ymd(2025, 5, 15)),
            ("2025.05.15 nota.md", ymd(2025, 5, 15)),
            ("2025_05_15.json", ymd(2025, 5, 15)),
            ("2025-05_15.txt", None),
            ("2025-02-30-foo.txt", None),
            ("id_202505151234.json", None),
            ("reuters-000123.txt", None),
            ("2025/05/15/index.html", None),
            ("foo.txt", None),
        ];
        for (name, expected) in cases {
            assert_eq!(
                date_from_file_name(&PathBuf::from(name)),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn dateline_beats_later_and_later_dated_mentions() {
        let body = "Madrid, 15 de mayo de 2025 — El Gobierno recordó que el 3 de marzo de 2025 \
                    firmó el acuerdo y que el 20 de mayo de 2025 habrá otra reunión.";
        assert_eq!(
            choose_publication_date(None, body, today()),
            ymd(2025, 5, 15)
        );
        let far = format!(
            "{}\nLONDON, May 15, 2025 - Shares fell after June 2, 2024 news.",
            "x ".repeat(400)
        );
        assert_eq!(
            choose_publication_date(None, &far, today()),
            ymd(2025, 5, 15)
        );
    }

    #[test]
    fn label_beats_top_of_text() {
        let body = format!(
            "On 3 May 2025 the ministry met. {}\nPublicado el 5 de mayo de 2025",
            "blah ".repeat(10)
        );
        assert_eq!(
            choose_publication_date(None, &body, today()),
            ymd(2025, 5, 5)
        );
    }

    #[test]
    fn top_of_text_beats_the_latest_date() {
        let body = format!(
            "The 2 May 2025 report. {} Back on 9 May 2025 too.",
            "word ".repeat(100)
        );
        assert_eq!(
            choose_publication_date(None, &body, today()),
            ymd(2025, 5, 2)
        );
        assert_eq!(
            choose_publication_date(Some("Informe del 1 de abril de 2025"), &body, today()),
            ymd(2025, 4, 1)
        );
    }

    #[test]
    fn otherwise_the_latest_past_date_and_never_the_future() {
        let body = format!(
            "{} El 17 de febrero de 2025 Ren habló. «Suficiente» — @periodista, 15 de mayo de 2025. \
             La cumbre será el 1 de septiembre de 2025. En 1850 o el 4 de julio de 1776 no.",
            "relleno ".repeat(60)
        );
        assert_eq!(
            choose_publication_date(None, &body, today()),
            ymd(2025, 5, 15)
        );
        assert_eq!(
            choose_publication_date(None, "Sin fechas aquí.", today()),
            None
        );
        assert_eq!(
            choose_publication_date(None, "el 30 de febrero de 2025", today()),
            None
        );
    }

    #[test]
    fn deadlines_are_not_publication_dates() {
        let body = format!(
            "{} The notes are due Oct. 15, 1999, and the plan ran until Dec. 31, 1994. It met on May 2, 1989.",
            "word ".repeat(80)
        );
        assert_eq!(
            choose_publication_date(None, &body, today()),
            ymd(1989, 5, 2)
        );
        assert_eq!(
            choose_publication_date(None, "El plazo vence el 30 de junio de 2024.", today()),
            None
        );
    }

    #[test]
    fn metadata_that_is_not_a_date_warns_with_key_value_and_fallback() {
        let mut doc = SourceDoc {
            path: PathBuf::from("corpus/nota.txt"),
            body: "Sin fechas.".to_string(),
            date_raw: Some("2025-13-45".to_string()),
            date_key: Some("published".to_string()),
            ..SourceDoc::default()
        };
        let found = publication(&doc);
        assert_eq!(found.published, None);
        let warning = found.warning.unwrap_or_default();
        assert!(
            warning.starts_with("metadata published \"2025-13-45\" is not a date"),
            "{warning}"
        );
        assert!(warning.ends_with("the document is undated"), "{warning}");
        doc.path = PathBuf::from("corpus/2025-05-14-nota.txt");
        let found = publication(&doc);
        assert_eq!(
            found.published.map(|(when, source)| (when.date(), source)),
            ymd(2025, 5, 14).map(|d| (d, DateSource::Filename))
        );
        let warning = found.warning.unwrap_or_default();
        assert!(
            warning.ends_with("dated from the file name instead"),
            "{warning}"
        );
    }

    #[test]
    fn years_and_months_alone_and_far_years_are_metadata_dates() {
        let doc = |raw: &str| SourceDoc {
            date_raw: Some(raw.to_string()),
            ..SourceDoc::default()
        };
        for (raw, date, source) in [
            ("2025", ymd(2025, 1, 1), DateSource::MetadataYear),
            ("2025-05", ymd(2025, 5, 1), DateSource::MetadataMonth),
            ("1500-06-01", ymd(1500, 6, 1), DateSource::Metadata),
            ("9999-12-31", ymd(9999, 12, 31), DateSource::Metadata),
        ] {
            let found = publication(&doc(raw));
            assert_eq!(found.warning, None, "{raw}");
            assert_eq!(
                found.published.map(|(when, source)| (when.date(), source)),
                date.map(|d| (d, source)),
                "{raw}"
            );
        }
    }

    #[test]
    fn metadata_then_file_name_then_text() {
        let mut doc = SourceDoc {
            path: PathBuf::from("corpus/2025-05-14-nota.txt"),
            body: "Madrid, 13 de mayo de 2025 — Texto.".to_string(),
            date_raw: Some("2025-05-15T10:00:00Z".to_string()),
            ..SourceDoc::default()
        };
        let date_of = |doc: &SourceDoc| publication_date(doc).map(|(dt, src)| (dt.date(), src));
        assert_eq!(
            date_of(&doc),
            ymd(2025, 5, 15).map(|d| (d, DateSource::Metadata))
        );
        doc.date_raw = Some("not a date".to_string());
        assert_eq!(
            date_of(&doc),
            ymd(2025, 5, 14).map(|d| (d, DateSource::Filename))
        );
        doc.path = PathBuf::from("corpus/nota.txt");
        assert_eq!(
            date_of(&doc),
            ymd(2025, 5, 13).map(|d| (d, DateSource::Text))
        );
        doc.body = "Nada.".to_string();
        assert_eq!(date_of(&doc), None);
    }
}

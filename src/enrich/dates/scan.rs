//! Finds date expressions in running text — full dates, day+month, month+year, bare months after a
//! preposition, years after a preposition — in one pass per pattern, without resolving partial dates.
//!
//! Patterns are tried in tiers, most specific first; a match is kept only when it does not overlap a
//! match of an earlier tier, so "15 de mayo de 2025" is one full date and not also "mayo de 2025".

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::{Captures, Regex};

use super::months::{
    is_doubtful_lowercase, is_month_word, month_alternation, month_number, weekday_alternation,
};

/// Whether a bare month phrase points backwards, forwards or at the current year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relative {
    /// "en abril", "in April": the nearest such month around the publication date.
    Nearest,
    /// "last March", "el pasado marzo", "marzo pasado".
    Last,
    /// "next June", "el próximo junio".
    Next,
    /// "this June", "este junio".
    This,
}

/// What a match says, before any resolution against a publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Day, month and year, checked to exist.
    Full(NaiveDate),
    /// Looked like a full date but does not exist (30 February, month 13): it only blocks weaker matches.
    Invalid,
    MonthYear {
        year: i32,
        month: u32,
    },
    DayMonth {
        day: u32,
        month: u32,
    },
    Month {
        month: u32,
        relative: Relative,
    },
    Year(i32),
}

/// One date expression: byte span in the scanned text and its meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// ASCII word boundary: much faster than the Unicode one on non-ASCII text, and good enough next to digits.
const B: &str = r"(?-u:\b)";
/// A day number with an optional English or Spanish ordinal suffix ("15th", "1º", "1er").
const DAY: &str = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|º|°|ª|er|ro|o)?";

// The patterns are fixed in this file and covered by tests; failing to compile is a programming error.
#[allow(clippy::expect_used)]
fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("date regex must compile")
}

/// "lunes, 15 de mayo de 2025", "15 May 2025", "26-FEB-1987", "1º de mayo del 2025", "the 15th of May, 2025".
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i){B}(?:(?:{wd}),?\s+)?{DAY}(?:\s+(?:de|of))?[\s./-]+(?P<m>{mon}){B}\.?(?:,?\s+del?|,)?[\s./-]+(?P<y>\d{{4}}){B}",
        wd = weekday_alternation(),
        mon = month_alternation(false),
    ))
});

/// "May 15, 2025", "Thursday, May 15th, 2025", "Sept. 3 2024".
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i){B}(?:(?:{wd}),?\s+)?(?P<m>{mon}){B}\.?\s+{DAY}{B},?\s+(?P<y>\d{{4}}){B}",
        wd = weekday_alternation(),
        mon = month_alternation(false),
    ))
});

/// "2025-05-15", "2025/05/15", "2025.05.15" (also inside "2025-05-15T10:00").
static YEAR_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"{B}(?P<y>\d{{4}})(?P<s1>[-/.])(?P<m>\d{{1,2}})(?P<s2>[-/.])(?P<d>\d{{1,2}})"
    ))
});

/// "15/05/2025", "15-05-2025", "15.05.2025": day first, month first only when that is the sole valid reading.
static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"{B}(?P<d>\d{{1,2}})(?P<s1>[-/.])(?P<m>\d{{1,2}})(?P<s2>[-/.])(?P<y>\d{{4}})"
    ))
});

/// "abril de 2025", "April 2025", "April of 2025", "Sept. 2024".
static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i){B}(?P<m>{mon}){B}\.?,?\s+(?:(?:del?|of)\s+)?(?P<y>\d{{4}}){B}",
        mon = month_alternation(false),
    ))
});

/// "17 de febrero", "17 Feb", "the 3rd of March".
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i){B}{DAY}(?:\s+(?:de|of))?[\s-]+(?P<m>{mon}){B}",
        mon = month_alternation(false),
    ))
});

/// "February 17", "Feb. 17th".
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i){B}(?P<m>{mon}){B}\.?\s+{DAY}{B}",
        mon = month_alternation(false),
    ))
});

/// "en abril", "in April", "last March", "el pasado marzo", "marzo pasado", "next June", "este junio".
static BARE_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i){B}(?P<pre>en|in|durante|during|since|desde|hasta|until|till|by|para|through|before|after|antes\s+de|despu[eé]s\s+de|a\s+partir\s+de|a\s+principios\s+de|a\s+finales\s+de|a\s+mediados\s+de|a\s+fines\s+de|early|late|mid|last|next|this|el\s+pasado|el\s+pr[oó]ximo|este|el\s+mes\s+de){B}\s+(?:(?P<mid>el\s+pasado|el\s+pr[oó]ximo|pasado|pr[oó]ximo)\s+)?(?P<m>{mon}){B}(?:\s+(?P<post>pasado|pr[oó]ximo){B})?",
        mon = month_alternation(true),
    ))
});

/// "en 2022", "in 2022", "by 2028", "para 2028", "hasta 2030", "desde 2019", "a finales de 2024", "mid-2024".
static YEAR_AFTER_PREPOSITION: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i)(?:{B}(?:en|in|by|para|hasta|desde|since|until|till|through|before|after|durante|during|antes\s+de|despu[eé]s\s+de|a\s+partir\s+de|a\s+principios\s+de|a\s+finales\s+de|a\s+mediados\s+de|a\s+fines\s+de|early|late|mid){B}\s+(?:(?:el\s+)?a[ñn]o\s+|the\s+year\s+|el\s+)?|{B}mid-)(?P<y>\d{{4}}){B}"
    ))
});

/// Every full date in `text` (valid or not), in order of appearance.
pub(crate) fn scan_full(text: &str) -> Vec<Found> {
    let plan = Plan::new(text);
    let mut found = Vec::new();
    add_full(&mut found, text, &plan);
    found.sort_by_key(|f| f.start);
    found
}

fn add_full(found: &mut Vec<Found>, text: &str, plan: &Plan) {
    let months = plan.month_windows(true);
    add_tier(found, text, &DAY_MONTH_YEAR, months, full_from_names);
    add_tier(found, text, &MONTH_DAY_YEAR, months, full_from_names);
    let numeric = plan.numeric_windows();
    add_tier(found, text, &YEAR_FIRST, numeric, |c| {
        full_from_numbers(c, text, false)
    });
    add_tier(found, text, &DAY_FIRST, numeric, |c| {
        full_from_numbers(c, text, true)
    });
}

/// Every date expression in `text`, full or partial, in order of appearance.
pub(crate) fn scan_all(text: &str) -> Vec<Found> {
    scan_all_with(text, &Plan::new(text))
}

fn scan_all_with(text: &str, plan: &Plan) -> Vec<Found> {
    let mut found = Vec::new();
    add_full(&mut found, text, plan);
    let months = plan.month_windows(true);
    add_tier(&mut found, text, &MONTH_YEAR, months, |c| {
        let year = year_in_range(c)?;
        let month = month_if_plausible(c, false)?;
        Some(Kind::MonthYear { year, month })
    });
    add_tier(&mut found, text, &DAY_MONTH, months, |c| day_month(c, text));
    add_tier(&mut found, text, &MONTH_DAY, months, |c| day_month(c, text));
    add_tier(
        &mut found,
        text,
        &BARE_MONTH,
        plan.month_windows(false),
        bare_month,
    );
    add_tier(
        &mut found,
        text,
        &YEAR_AFTER_PREPOSITION,
        &plan.years,
        |c| {
            let end = c.get(0).map_or(0, |m| m.end());
            if looks_like_quantity(text, end) {
                return None;
            }
            year_in_range(c).map(Kind::Year)
        },
    );
    found.sort_by_key(|f| f.start);
    found
}

/// Adds the matches of one tier that do not overlap anything already found, searching only `windows`.
///
/// A cheap find comes first; captures (several times slower) are taken only for a match that is kept.
fn add_tier(
    found: &mut Vec<Found>,
    text: &str,
    regex: &Regex,
    windows: &[(usize, usize)],
    interpret: impl Fn(&Captures) -> Option<Kind>,
) {
    let before = found.len();
    for &(from, to) in windows {
        // The haystack ends at the window but starts at the text's start, so that the word boundary
        // at `from` sees the real character before it.
        let haystack = &text[..to];
        let mut at = from;
        while let Some(whole) = regex.find_at(haystack, at) {
            let (start, end) = (whole.start(), whole.end());
            if end == start {
                // No pattern here matches the empty string; stop rather than loop.
                break;
            }
            at = end;
            let overlaps = found[..before]
                .iter()
                .any(|f| f.start < end && start < f.end);
            if overlaps {
                continue;
            }
            let Some(caps) = regex.captures_at(haystack, start) else {
                continue;
            };
            if let Some(kind) = interpret(&caps) {
                found.push(Found { start, end, kind });
            }
        }
    }
}

/// Where in a text each tier can match at all, from one cheap pass over its bytes.
///
/// Every match of a tier with a month name contains a month word standing alone, every match of
/// YEAR_AFTER_PREPOSITION a run of exactly four digits, and none of them reaches further than a few
/// words from it (see [`PIECES_BEFORE`]). So the regexes need only run on windows around those words,
/// cut where no match can cross; the matches found are the very ones a search of the whole text finds.
struct Plan {
    /// Any ASCII digit: every tier but BARE_MONTH needs one.
    digits: bool,
    /// "d-d-d"-like runs that YEAR_FIRST and DAY_FIRST need.
    numeric: bool,
    months: Vec<(usize, usize)>,
    years: Vec<(usize, usize)>,
    whole: Vec<(usize, usize)>,
}

/// How many words (runs of characters other than white space, `.`, `/`, `-`) before the word of the
/// anchor a window keeps, and after it. The longest patterns need 5 before ("a principios de el pasado
/// marzo") and 3 after ("mayo., del 2025"); the margin costs little.
const PIECES_BEFORE: usize = 8;
const PIECES_AFTER: usize = 8;

impl Plan {
    fn new(text: &str) -> Plan {
        if !safe_for_ascii_gates(text) {
            return Plan::everywhere(text);
        }
        let whole = vec![(0, text.len())];
        let bytes = text.as_bytes();
        let (mut digits, mut numeric) = (false, false);
        let (mut months, mut years) = (Vec::new(), Vec::new());
        let mut i = 0;
        // Runs are found by counting over slices, which keeps these loops tight: this one is
        // called for every byte of every text.
        while let Some(rest) = bytes.get(i..) {
            let Some(skip) = rest.iter().position(|&b| is_word_byte(b)) else {
                break;
            };
            let start = i + skip;
            let after = bytes.get(start..).unwrap_or_default();
            let length = after.iter().position(|&b| !is_word_byte(b));
            let run = after.get(..length.unwrap_or(after.len())).unwrap_or(after);
            i = start + run.len();
            digits = digits || run.iter().any(u8::is_ascii_digit);
            // A separator right after a run ending in a digit may start a "d-d-d" shape.
            numeric = numeric
                || (run.last().is_some_and(u8::is_ascii_digit) && has_numeric_date_shape(bytes, i));
            // Month words are letters only, so a run with a digit never is one.
            if run.len() == 4 && run.iter().all(u8::is_ascii_digit) {
                push_window(&mut years, window(text, start, i, PIECES_BEFORE, 1));
            } else if is_month_word(run) {
                push_window(
                    &mut months,
                    window(text, start, i, PIECES_BEFORE, PIECES_AFTER),
                );
            }
        }
        Plan {
            digits,
            numeric,
            months,
            years,
            whole,
        }
    }

    /// Every tier on the whole text.
    fn everywhere(text: &str) -> Plan {
        let whole = vec![(0, text.len())];
        Plan {
            digits: true,
            numeric: true,
            months: whole.clone(),
            years: whole.clone(),
            whole,
        }
    }

    /// Windows for a tier with a month name, empty when the tier needs a digit and there is none.
    fn month_windows(&self, needs_digit: bool) -> &[(usize, usize)] {
        if needs_digit && !self.digits {
            return &[];
        }
        &self.months
    }

    fn numeric_windows(&self) -> &[(usize, usize)] {
        if self.numeric {
            &self.whole
        } else {
            &[]
        }
    }
}

/// ASCII word byte, as `(?-u:\b)` sees it.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// False when the text holds a character the byte-level gates would miss: under `(?i)` the Kelvin
/// sign and the long s match "k" and "s", and `\d` matches digits of every script.
fn safe_for_ascii_gates(text: &str) -> bool {
    text.is_ascii()
        || !text
            .chars()
            .any(|c| !c.is_ascii() && (c == 'ſ' || c == '\u{212A}' || c.is_numeric()))
}

/// A digit, a separator (`-`, `/`, `.`), one or two digits, a separator and a digit: the core of every
/// YEAR_FIRST and DAY_FIRST match. `i` is the position of the first separator, after a digit.
fn has_numeric_date_shape(bytes: &[u8], i: usize) -> bool {
    let sep = |i: usize| matches!(bytes.get(i), Some(b'-' | b'/' | b'.'));
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    sep(i)
        && digit(i + 1)
        && ((sep(i + 2) && digit(i + 3)) || (digit(i + 2) && sep(i + 3) && digit(i + 4)))
}

/// Adds a window, merging it with the previous one when they overlap or touch (anchors come in order).
fn push_window(windows: &mut Vec<(usize, usize)>, (from, to): (usize, usize)) {
    match windows.last_mut() {
        Some(last) if from <= last.1 => last.1 = last.1.max(to),
        _ => windows.push((from, to)),
    }
}

/// A character that may separate the words of a date: where a window may be cut.
fn is_piece_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '.' | '/' | '-')
}

/// The span from `before` words ahead of the anchor `start..end` to `after` words past it. The end
/// falls before a separator (or at the end of the text), so a word boundary there reads the same in the
/// window as in the whole text.
fn window(text: &str, start: usize, end: usize, before: usize, after: usize) -> (usize, usize) {
    let mut from = start;
    let mut left = before;
    loop {
        while let Some(c) = text[..from].chars().next_back() {
            if is_piece_separator(c) {
                break;
            }
            from -= c.len_utf8();
        }
        if from == 0 || left == 0 {
            break;
        }
        while let Some(c) = text[..from].chars().next_back() {
            if !is_piece_separator(c) {
                break;
            }
            from -= c.len_utf8();
        }
        left -= 1;
    }
    let mut to = end;
    let mut left = after;
    loop {
        while let Some(c) = text[to..].chars().next() {
            if is_piece_separator(c) {
                break;
            }
            to += c.len_utf8();
        }
        if to == text.len() || left == 0 {
            break;
        }
        while let Some(c) = text[to..].chars().next() {
            if !is_piece_separator(c) {
                break;
            }
            to += c.len_utf8();
        }
        left -= 1;
    }
    (from, to)
}

fn number(caps: &Captures, name: &str) -> Option<u32> {
    caps.name(name)?.as_str().parse().ok()
}

fn year_in_range(caps: &Captures) -> Option<i32> {
    let year: i32 = caps.name("y")?.as_str().parse().ok()?;
    (1900..=2100).contains(&year).then_some(year)
}

/// The month of a match, refusing lower-case "may"/"march" unless a day or year sits next to it.
fn month_if_plausible(caps: &Captures, has_number_context: bool) -> Option<u32> {
    let word = caps.name("m")?.as_str();
    if !has_number_context && is_doubtful_lowercase(word) {
        return None;
    }
    month_number(word)
}

fn full_from_names(caps: &Captures) -> Option<Kind> {
    let month = month_number(caps.name("m")?.as_str())?;
    let year: i32 = caps.name("y")?.as_str().parse().ok()?;
    let day = number(caps, "d")?;
    Some(checked(year, month, day))
}

fn full_from_numbers(caps: &Captures, text: &str, day_first: bool) -> Option<Kind> {
    let whole = caps.get(0)?;
    // "2025-05-150" or "1.10.20255" are not dates; a letter such as the "T" of an ISO time is fine.
    if text[whole.end()..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if caps.name("s1")?.as_str() != caps.name("s2")?.as_str() {
        return None;
    }
    let year: i32 = caps.name("y")?.as_str().parse().ok()?;
    let first = number(caps, "d")?;
    let second = number(caps, "m")?;
    if !day_first {
        return Some(checked(year, second, first));
    }
    // Day first as in Spanish and British usage; "05/15/2025" has only the US reading, so take it.
    match checked(year, second, first) {
        Kind::Invalid if first <= 12 && second > 12 => Some(checked(year, first, second)),
        kind => Some(kind),
    }
}

fn checked(year: i32, month: u32, day: u32) -> Kind {
    NaiveDate::from_ymd_opt(year, month, day).map_or(Kind::Invalid, Kind::Full)
}

fn day_month(caps: &Captures, text: &str) -> Option<Kind> {
    let whole = caps.get(0)?;
    if text[whole.end()..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // A lower-case "may" or "march" next to a bare number ("the top 10 may change") is the verb.
    let month = month_if_plausible(caps, false)?;
    let day = number(caps, "d")?;
    (1..=31)
        .contains(&day)
        .then_some(Kind::DayMonth { day, month })
}

fn bare_month(caps: &Captures) -> Option<Kind> {
    let month = month_if_plausible(caps, false)?;
    let words = |name: &str| caps.name(name).map(|m| m.as_str().to_lowercase());
    let modifiers = [words("pre"), words("mid"), words("post")];
    let has = |needles: &[&str]| {
        modifiers
            .iter()
            .flatten()
            .any(|m| needles.iter().any(|n| m.contains(n)))
    };
    let relative = if has(&["last", "pasado"]) {
        Relative::Last
    } else if has(&["next", "próximo", "proximo"]) {
        Relative::Next
    } else if has(&["this", "este"]) {
        Relative::This
    } else {
        Relative::Nearest
    };
    Some(Kind::Month { month, relative })
}

/// "en 2000 casos", "in 2022,5", "para 2028 %" — a number of things rather than a year.
fn looks_like_quantity(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let mut chars = rest.chars();
    match (chars.next(), chars.next()) {
        (Some('.' | ','), Some(c)) if c.is_ascii_digit() => true,
        (Some('%'), _) => true,
        (Some(' '), Some('%')) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests;

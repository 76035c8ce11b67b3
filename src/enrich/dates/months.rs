//! Month and weekday names in English and Spanish, shared by the metadata parser and the text scanner.
//!
//! One table feeds both the regex alternations and the lookup of a matched word, so the two can never
//! disagree about which spellings are months.

use std::sync::LazyLock;

/// Every spelling accepted as a month, lower case, with its number and whether it is a full name.
///
/// Abbreviations only count next to a day or a year; bare phrases such as "in April" need a full name.
/// "set" (Portuguese/old Spanish for September) is left out on purpose: it is far more often the English word.
const MONTHS: &[(&str, u32, bool)] = &[
    ("january", 1, true),
    ("enero", 1, true),
    ("jan", 1, false),
    ("ene", 1, false),
    ("february", 2, true),
    ("febrero", 2, true),
    ("feb", 2, false),
    ("march", 3, true),
    ("marzo", 3, true),
    ("mar", 3, false),
    ("april", 4, true),
    ("abril", 4, true),
    ("apr", 4, false),
    ("abr", 4, false),
    ("may", 5, true),
    ("mayo", 5, true),
    ("june", 6, true),
    ("junio", 6, true),
    ("jun", 6, false),
    ("july", 7, true),
    ("julio", 7, true),
    ("jul", 7, false),
    ("august", 8, true),
    ("agosto", 8, true),
    ("aug", 8, false),
    ("ago", 8, false),
    ("september", 9, true),
    ("septiembre", 9, true),
    ("setiembre", 9, true),
    ("sept", 9, false),
    ("sep", 9, false),
    ("october", 10, true),
    ("octubre", 10, true),
    ("oct", 10, false),
    ("november", 11, true),
    ("noviembre", 11, true),
    ("nov", 11, false),
    ("december", 12, true),
    ("diciembre", 12, true),
    ("dec", 12, false),
    ("dic", 12, false),
];

/// Weekday names that may precede a date ("lunes, 15 de mayo", "Thu, 15 May").
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tues",
    "tue",
    "wed",
    "thurs",
    "thur",
    "thu",
    "fri",
    "sat",
    "sun",
    "lunes",
    "martes",
    "miércoles",
    "miercoles",
    "jueves",
    "viernes",
    "sábado",
    "sabado",
    "domingo",
];

/// True when the folded `word` is a weekday's full name ("monday", "miercoles"); the short forms
/// ("sun", "sat") are words too often to count.
pub(crate) fn is_weekday_name(word: &str) -> bool {
    word.len() > 4 && WEEKDAYS.contains(&word)
}

/// Words that are months only when the context says so: lower-case "may" and "march" are usually the
/// English verb, "mar" the Spanish sea, "ago" the English adverb.
const AMBIGUOUS: &[&str] = &["may", "march", "mar", "ago"];

/// The month number of a matched month word (any case, optional trailing dot).
pub(crate) fn month_number(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .find(|(name, _, _)| *name == lower)
        .map(|(_, number, _)| *number)
}

/// True when the ASCII letters `word` spell a month in any case ("MAYO", "sept"), without a dot.
///
/// Called for every word of every text, so the names are grouped by first letter and length is checked
/// before any comparison.
pub(crate) fn is_month_word(word: &[u8]) -> bool {
    static BY_FIRST_LETTER: LazyLock<[Vec<&'static [u8]>; 26]> = LazyLock::new(|| {
        let mut groups: [Vec<&'static [u8]>; 26] = Default::default();
        for (name, _, _) in MONTHS {
            let first = usize::from(name.as_bytes()[0].wrapping_sub(b'a'));
            if let Some(group) = groups.get_mut(first) {
                group.push(name.as_bytes());
            }
        }
        groups
    });
    let Some(first) = word.first() else {
        return false;
    };
    if !(3..=10).contains(&word.len()) {
        return false;
    }
    let index = usize::from(first.to_ascii_lowercase().wrapping_sub(b'a'));
    BY_FIRST_LETTER.get(index).is_some_and(|group| {
        group
            .iter()
            .any(|name| name.len() == word.len() && name.eq_ignore_ascii_case(word))
    })
}

/// True when `word` is an ambiguous month word written in lower case ("may", not "May" or "MAY").
pub(crate) fn is_doubtful_lowercase(word: &str) -> bool {
    let starts_lower = word.chars().next().is_some_and(|c| c.is_lowercase());
    starts_lower && AMBIGUOUS.contains(&word.to_lowercase().as_str())
}

/// A regex alternation of month spellings, longest first so that "mayo" wins over "may".
pub(crate) fn month_alternation(full_only: bool) -> String {
    let mut names: Vec<&str> = MONTHS
        .iter()
        .filter(|(_, _, full)| *full || !full_only)
        .map(|(name, _, _)| *name)
        .collect();
    names.sort_by_key(|name| std::cmp::Reverse(name.len()));
    names.join("|")
}

/// A regex alternation of weekday names, longest first.
pub(crate) fn weekday_alternation() -> String {
    let mut names = WEEKDAYS.to_vec();
    names.sort_by_key(|name| std::cmp::Reverse(name.chars().count()));
    names.join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_months_in_both_languages_and_any_case() {
        assert_eq!(month_number("ENERO"), Some(1));
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("setiembre"), Some(9));
        assert_eq!(month_number("Dic"), Some(12));
        assert_eq!(month_number("mayo"), Some(5));
        assert_eq!(month_number("maybe"), None);
        assert_eq!(month_number("set"), None);
    }

    #[test]
    fn lower_case_may_is_doubtful_but_capitalised_is_not() {
        assert!(is_doubtful_lowercase("may"));
        assert!(is_doubtful_lowercase("march"));
        assert!(!is_doubtful_lowercase("May"));
        assert!(!is_doubtful_lowercase("MARCH"));
        assert!(!is_doubtful_lowercase("marzo"));
    }

    #[test]
    fn alternations_put_longer_names_first() {
        let position = |all: &str, name: &str| all.split('|').position(|n| n == name);
        let months = month_alternation(false);
        assert!(
            position(&months, "mayo") < position(&months, "may"),
            "{months}"
        );
        assert!(
            position(&months, "sept") < position(&months, "sep"),
            "{months}"
        );
        assert_eq!(position(&month_alternation(true), "sep"), None);
        let weekdays = weekday_alternation();
        assert!(
            position(&weekdays, "thurs") < position(&weekdays, "thu"),
            "{weekdays}"
        );
        assert!(position(&weekdays, "miércoles").is_some());
    }
}

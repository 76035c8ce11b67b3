//! Dates a text talks about — "17 de febrero", "in April", "by 2028" — resolved against the publication
//! date, as the raw material for event timelines.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::scan::{scan_all, Kind, Relative};

/// How far after the publication date a day or month without a year may fall before it is taken to
/// belong to the previous year ("en diciembre" in a May article means last December).
const AHEAD_DAYS: i64 = 183;

/// How much of a mentioned date the text actually gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    /// Stored as the 1st of the month.
    Month,
    /// Stored as 1 January.
    Year,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
        }
    }
}

/// One date mentioned in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionedDate {
    pub date: NaiveDate,
    pub precision: Precision,
    /// The words matched, as written ("17 de febrero", "en abril", "para 2028").
    pub text: String,
}

/// Full and partial dates in `body`, resolved against `published` when there is one.
///
/// - full dates ("15 de mayo de 2025", "May 15, 2025", "2025-05-15", "15/05/2025") → day precision;
/// - day and month ("17 de febrero", "February 17", "17 Feb") → the publication year, or the year
///   before when that would fall more than ~6 months after publication;
/// - a month after a preposition ("en abril", "in April") → the same rule; "last March" / "el pasado
///   marzo" / "marzo pasado" → the latest such month before the publication month; "next June" /
///   "el próximo junio" → the first one after it; "this June" / "este junio" → the publication year;
/// - month and year ("abril de 2025", "April 2025") → month precision;
/// - a year 1900–2100 after a preposition ("en 2022", "by 2028", "para 2028", "hasta 2030",
///   "desde 2019", "a finales de 2024", "mid-2024") → year precision. Other four-digit numbers are not
///   years.
///
/// Without a publication date, dates lacking a year are dropped. Results are unique by
/// (date, precision), in order of first appearance.
/// The years a mentioned or published date may have: tantivy keeps dates as i64 nanoseconds, which
/// end in 2262; a "year" outside this range is a number, not a date.
pub const MIN_YEAR: i32 = 1700;
pub const MAX_YEAR: i32 = 2200;

pub fn mentioned_dates(body: &str, published: Option<NaiveDate>) -> Vec<MentionedDate> {
    let mut seen = HashSet::new();
    let mut dates = Vec::new();
    for found in scan_all(body) {
        let Some((date, precision)) = resolve(found.kind, published) else {
            continue;
        };
        // Numbers like "en 250000" are not dates, and such years would not fit the index's clock.
        if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
            continue;
        }
        if seen.insert((date, precision)) {
            // Line breaks inside a match ("early\nJanuary") are folded to single spaces.
            let matched = body.get(found.start..found.end).unwrap_or("");
            let text = matched.split_whitespace().collect::<Vec<_>>().join(" ");
            dates.push(MentionedDate {
                date,
                precision,
                text,
            });
        }
    }
    dates
}

fn resolve(kind: Kind, published: Option<NaiveDate>) -> Option<(NaiveDate, Precision)> {
    match kind {
        Kind::Full(date) => Some((date, Precision::Day)),
        Kind::Invalid => None,
        Kind::MonthYear { year, month } => {
            first_of_month(year, month).map(|d| (d, Precision::Month))
        }
        Kind::Year(year) => NaiveDate::from_ymd_opt(year, 1, 1).map(|d| (d, Precision::Year)),
        Kind::DayMonth { day, month } => {
            let published = published?;
            let date = nearest(published, |year| NaiveDate::from_ymd_opt(year, month, day))?;
            Some((date, Precision::Day))
        }
        Kind::Month { month, relative } => {
            let published = published?;
            let year = published.year();
            let date = match relative {
                Relative::Nearest => nearest(published, |y| first_of_month(y, month)),
                Relative::This => first_of_month(year, month),
                Relative::Last if month < published.month() => first_of_month(year, month),
                Relative::Last => first_of_month(year - 1, month),
                Relative::Next if month > published.month() => first_of_month(year, month),
                Relative::Next => first_of_month(year + 1, month),
            }?;
            Some((date, Precision::Month))
        }
    }
}

fn first_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)
}

/// The date in the publication year, or in the year before when that is too far ahead.
/// 29 February in a non-leap publication year falls back to the previous year only if that one is leap.
fn nearest(published: NaiveDate, in_year: impl Fn(i32) -> Option<NaiveDate>) -> Option<NaiveDate> {
    let limit = published
        .checked_add_signed(Duration::days(AHEAD_DAYS))
        .unwrap_or(NaiveDate::MAX);
    match in_year(published.year()) {
        Some(date) if date <= limit => Some(date),
        _ => in_year(published.year() - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_beyond_the_index_clock_are_not_dates() {
        let found = mentioned_dates(
            "El plan llega hasta 2500 y en 3000 ya no habrá chips; el 4 de julio de 9999 tampoco. En 2030 sí.",
            None,
        );
        let years: Vec<i32> = found.iter().map(|m| m.date.year()).collect();
        assert!(
            years.iter().all(|y| (MIN_YEAR..=MAX_YEAR).contains(y)),
            "{years:?}"
        );
        assert!(years.contains(&2030), "{years:?}");
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn pairs(body: &str, published: Option<NaiveDate>) -> Vec<(NaiveDate, Precision)> {
        mentioned_dates(body, published)
            .into_iter()
            .map(|m| (m.date, m.precision))
            .collect()
    }

    #[test]
    fn facts_style_spanish_report() {
        let body = "Lau dijo que las reservas bastan. «Tenemos suficientes GPU» — @periodista, 15 de mayo \
                    de 2025. El 17 de febrero, Ren Zhengfei se reunió con Xi. Las compras se hicieron antes \
                    de los controles de abril; en abril llegaron las restricciones y en enero DeepSeek \
                    hundió las bolsas. Buscan autosuficiencia para 2028. Todo empezó en 2022.";
        let published = super::super::publication_date_in_text(None, body);
        assert_eq!(published, Some(ymd(2025, 5, 15)));
        let found = mentioned_dates(body, published);
        let got: Vec<_> = found.iter().map(|m| (m.date, m.precision)).collect();
        assert_eq!(
            got,
            vec![
                (ymd(2025, 5, 15), Precision::Day),
                (ymd(2025, 2, 17), Precision::Day),
                (ymd(2025, 4, 1), Precision::Month),
                (ymd(2025, 1, 1), Precision::Month),
                (ymd(2028, 1, 1), Precision::Year),
                (ymd(2022, 1, 1), Precision::Year),
            ]
        );
        let texts: Vec<_> = found.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(
            texts[1..],
            [
                "17 de febrero",
                "en abril",
                "en enero",
                "para 2028",
                "en 2022"
            ]
        );
    }

    #[test]
    fn relative_months_in_english_and_spanish() {
        let published = Some(ymd(2024, 7, 10));
        assert_eq!(
            pairs("It began last March.", published),
            vec![(ymd(2024, 3, 1), Precision::Month)]
        );
        assert_eq!(
            pairs("Empezó el pasado marzo.", published),
            vec![(ymd(2024, 3, 1), Precision::Month)]
        );
        assert_eq!(
            pairs("Since last July.", published),
            vec![(ymd(2023, 7, 1), Precision::Month)]
        );
        assert_eq!(
            pairs("Until next June.", published),
            vec![(ymd(2025, 6, 1), Precision::Month)]
        );
        assert_eq!(
            pairs("el próximo septiembre", published),
            vec![(ymd(2024, 9, 1), Precision::Month)]
        );
        assert_eq!(
            pairs("in December", Some(ymd(2025, 5, 15))),
            vec![(ymd(2024, 12, 1), Precision::Month)]
        );
        assert_eq!(
            pairs("in November", Some(ymd(2025, 5, 15))),
            vec![(ymd(2025, 11, 1), Precision::Month)]
        );
    }

    #[test]
    fn day_and_month_take_the_nearest_year() {
        let published = Some(ymd(2025, 2, 10));
        assert_eq!(
            pairs("on December 20", published),
            vec![(ymd(2024, 12, 20), Precision::Day)]
        );
        assert_eq!(
            pairs("el 20 de marzo", published),
            vec![(ymd(2025, 3, 20), Precision::Day)]
        );
        assert_eq!(
            pairs("29 Feb", published),
            vec![(ymd(2024, 2, 29), Precision::Day)]
        );
        assert_eq!(pairs("31 de abril", published), vec![]);
    }

    #[test]
    fn month_and_year_and_years() {
        let expected = vec![
            (ymd(2025, 4, 1), Precision::Month),
            (ymd(2030, 1, 1), Precision::Year),
            (ymd(2019, 1, 1), Precision::Year),
        ];
        assert_eq!(
            pairs("April 2025, hasta 2030 y desde 2019; abril de 2025", None),
            expected
        );
    }

    #[test]
    fn without_publication_date_partial_dates_are_dropped() {
        assert_eq!(
            pairs("el 17 de febrero y en abril, para 2028", None),
            vec![(ymd(2028, 1, 1), Precision::Year)]
        );
    }

    #[test]
    fn may_the_verb_is_not_a_month() {
        let published = Some(ymd(2025, 6, 1));
        assert_eq!(
            pairs("Prices may rise; in may they may fall.", published),
            vec![]
        );
        assert_eq!(
            pairs("In May prices rose.", published),
            vec![(ymd(2025, 5, 1), Precision::Month)]
        );
        assert_eq!(
            pairs("on may 5, 2025", published),
            vec![(ymd(2025, 5, 5), Precision::Day)]
        );
    }

    #[test]
    fn extreme_publication_dates_do_not_overflow() {
        let found = mentioned_dates("el 17 de febrero, next June", Some(NaiveDate::MAX));
        assert!(found.iter().all(|m| m.precision != Precision::Year));
        let found = mentioned_dates("el 17 de febrero, last June", Some(NaiveDate::MIN));
        assert!(found.len() <= 2);
    }

    #[test]
    fn matched_words_are_kept_on_one_line() {
        let found = mentioned_dates("rains since early\n   January", Some(ymd(1987, 2, 26)));
        let texts: Vec<_> = found.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, ["early January"]);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_stays_unique(text in "\\PC{0,200}", days in 0i64..80_000) {
            let published = NaiveDate::from_ymd_opt(1900, 1, 1).map(|d| d + Duration::days(days));
            let found = mentioned_dates(&text, published);
            let unique: HashSet<_> = found.iter().map(|m| (m.date, m.precision)).collect();
            proptest::prop_assert_eq!(unique.len(), found.len());
            let _ = super::super::publication_date_in_text(Some(&text), &text);
        }
    }

    proptest::proptest! {
        #[test]
        fn date_like_soup_resolves_without_panics(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "15", "29", "31", "1º", "de", "del", "mayo", "May", "Feb", "febrero", "2025", "1900", "2100",
                "en", "in", "last", "el pasado", "próximo", "next", "this", "abril", "December", "para",
                "by", "/", "-", ".", ",", "—", "\n", "ñ", "12", "13", "2024-02-29", "30/02/2025",
            ]), 0..24),
            glue in proptest::sample::select(vec![" ", "", "-", "/"]),
            days in 0i64..80_000,
        ) {
            let text = words.join(glue);
            let published = NaiveDate::from_ymd_opt(1900, 1, 1).map(|d| d + Duration::days(days));
            for m in mentioned_dates(&text, published) {
                proptest::prop_assert!(text.contains(m.text.split(' ').next().unwrap_or("")));
            }
            let _ = super::super::publication_date_in_text(None, &text);
            let _ = super::super::parse_date_lenient(&text);
        }
    }

    #[test]
    fn a_long_text_gives_each_date_once_in_order_up_to_its_last_line() {
        let paragraph = "El 17 de febrero de 2025 el Gobierno anunció medidas; en abril llegaron otras y \
                         para 2028 se espera más. Prices may rise in May 2025, analysts said on May 15. ";
        let published = Some(ymd(2025, 5, 20));
        let in_paragraph = vec![
            (ymd(2025, 2, 17), Precision::Day),
            (ymd(2025, 4, 1), Precision::Month),
            (ymd(2028, 1, 1), Precision::Year),
            (ymd(2025, 5, 1), Precision::Month),
            (ymd(2025, 5, 15), Precision::Day),
        ];
        assert_eq!(pairs(paragraph, published), in_paragraph);

        // About 50 KiB of copies, then a date written only in the last sentence: the whole text is
        // read, the copies add nothing, and no match runs across the joins between copies.
        let mut body = paragraph.repeat(50 * 1024 / paragraph.len());
        body.push_str("El informe cita el 3 de marzo de 2019.");
        let found = mentioned_dates(&body, published);
        let mut expected = in_paragraph;
        expected.push((ymd(2019, 3, 3), Precision::Day));
        let got: Vec<_> = found.iter().map(|m| (m.date, m.precision)).collect();
        assert_eq!(got, expected);
        for mention in &found[..found.len() - 1] {
            assert!(paragraph.contains(&mention.text), "{mention:?}");
        }
        assert_eq!(
            found.last().map(|m| m.text.as_str()),
            Some("3 de marzo de 2019")
        );
        // The dated opening line stays the publication date, however much text follows it.
        assert_eq!(
            super::super::publication_date_in_text(None, &body),
            Some(ymd(2025, 2, 17))
        );
    }
}

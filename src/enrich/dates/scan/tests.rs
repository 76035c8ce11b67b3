//! Unit tests of `scan`.

use super::*;

fn kinds(text: &str) -> Vec<Kind> {
    scan_all(text).into_iter().map(|f| f.kind).collect()
}

fn day(y: i32, m: u32, d: u32) -> Kind {
    NaiveDate::from_ymd_opt(y, m, d).map_or(Kind::Invalid, Kind::Full)
}

#[test]
fn full_dates_in_both_languages() {
    assert_eq!(kinds("lunes, 15 de mayo de 2025"), vec![day(2025, 5, 15)]);
    assert_eq!(kinds("Thursday, May 15th, 2025"), vec![day(2025, 5, 15)]);
    assert_eq!(kinds("1º de mayo del 2025"), vec![day(2025, 5, 1)]);
    assert_eq!(kinds("the 15th of May, 2025"), vec![day(2025, 5, 15)]);
    assert_eq!(kinds("Sept. 3, 2024"), vec![day(2024, 9, 3)]);
    assert_eq!(kinds("3 SETIEMBRE 2024"), vec![day(2024, 9, 3)]);
    assert_eq!(kinds("26-FEB-1987 15:01"), vec![day(1987, 2, 26)]);
    assert_eq!(kinds("at 2025-05-15T10:00"), vec![day(2025, 5, 15)]);
    assert_eq!(
        kinds("15/05/2025 and 05/15/2025"),
        vec![day(2025, 5, 15), day(2025, 5, 15)]
    );
}

#[test]
fn impossible_dates_block_partial_readings() {
    assert_eq!(kinds("el 30 de febrero de 2025"), vec![Kind::Invalid]);
    assert_eq!(kinds("2025-13-01"), vec![Kind::Invalid]);
    assert_eq!(kinds("2025-05/15"), vec![]);
    assert_eq!(kinds("2025-05-150"), vec![]);
}

#[test]
fn partial_dates() {
    assert_eq!(
        kinds("el 17 de febrero"),
        vec![Kind::DayMonth { day: 17, month: 2 }]
    );
    assert_eq!(
        kinds("on February 17."),
        vec![Kind::DayMonth { day: 17, month: 2 }]
    );
    assert_eq!(
        kinds("abril de 2025"),
        vec![Kind::MonthYear {
            year: 2025,
            month: 4
        }]
    );
    assert_eq!(
        kinds("en abril y el pasado marzo, next June"),
        vec![
            Kind::Month {
                month: 4,
                relative: Relative::Nearest
            },
            Kind::Month {
                month: 3,
                relative: Relative::Last
            },
            Kind::Month {
                month: 6,
                relative: Relative::Next
            },
        ]
    );
    assert_eq!(
        kinds("hasta abril próximo"),
        vec![Kind::Month {
            month: 4,
            relative: Relative::Next
        }]
    );
    assert_eq!(
        kinds("para 2028, desde el año 2019"),
        vec![Kind::Year(2028), Kind::Year(2019)]
    );
    assert_eq!(kinds("mid-2024"), vec![Kind::Year(2024)]);
}

proptest::proptest! {
    #[test]
    fn windows_find_what_the_whole_text_search_finds(
        words in proptest::collection::vec(proptest::sample::select(vec![
            "15", "3rd", "1º", "de", "del", "of", "the", "mayo", "May", "may", "Sept.", "FEB", "febrero",
            "2025", "1987", "20255", "en", "In", "last", "el pasado", "próximo", "a finales de", "el año",
            "mid-", "abril", "December", "lunes,", "Thu", "/", "-", ".", ",", "\n", "  ", "ñ", "12",
            "05", "2024-02-29", "30/02/2025", "T10", "%", "x", "hasta", "ſept", "２０２５", "a b c d e f",
        ]), 0..40),
        glue in proptest::sample::select(vec![" ", "", "-", "/", ". ", "\u{a0}"]),
    ) {
        let text = words.join(glue);
        proptest::prop_assert_eq!(scan_all(&text), scan_all_with(&text, &Plan::everywhere(&text)));
    }
}

#[test]
fn numbers_and_verbs_are_not_dates() {
    assert_eq!(kinds("prices may rise in may"), vec![]);
    assert_eq!(kinds("the top 10 may change"), vec![]);
    assert_eq!(kinds("2022 alone, en 2022,5 and para 2028 %"), vec![]);
    assert_eq!(kinds("más de 2000 empresas; el censo 2018"), vec![]);
    assert_eq!(kinds("in 1850 and by 2200"), vec![]);
    assert_eq!(
        kinds("a march in March"),
        vec![Kind::Month {
            month: 3,
            relative: Relative::Nearest
        }]
    );
}

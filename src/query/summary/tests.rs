//! Summaries checked on small real indexes: first, last and peak periods, entity spellings,
//! peaks for chosen values only, and the flat-array and map paths giving the same answers.

use super::*;
use crate::query::test_index::{build_index, term, TestDoc};
use tantivy::query::AllQuery;

fn doc<'a>(
    day: u64,
    topics: &'a [&'a str],
    entities: &'a [&'a str],
    aliases: &'a [&'a str],
) -> TestDoc<'a> {
    TestDoc {
        day,
        topics,
        entities,
        aliases,
        terms: &[],
        tags: &[],
        lang: "en",
        source: "wire",
    }
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn topics_get_first_last_and_peak_period() {
    let (index, fields) = build_index(&[
        doc(20250105, &["chips"], &[], &[]),
        doc(20250320, &["chips", "export"], &[], &[]),
        doc(20250322, &["chips"], &[], &[]),
        doc(20250601, &["chips"], &[], &[]),
        doc(0, &["chips"], &[], &[]),
        doc(0, &["export"], &[], &[]),
    ]);
    let searcher = index.reader().unwrap().searcher();
    let got = summarize(&searcher, &fields, fields.topic, &AllQuery, Interval::Month).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].value, "chips");
    assert_eq!(got[0].count, 5);
    assert_eq!(got[0].first, date(2025, 1, 5));
    assert_eq!(got[0].last, date(2025, 6, 1));
    assert_eq!(got[0].peak, Some(("2025-03".to_string(), 2)));
    assert!(got[0].aliases.is_empty());
    assert_eq!(got[1].value, "export");
    assert_eq!(got[1].count, 2);
    assert_eq!(got[1].peak, Some(("2025-03".to_string(), 1)));
    let quarters = summarize(
        &searcher,
        &fields,
        fields.topic,
        &AllQuery,
        Interval::Quarter,
    )
    .unwrap();
    assert_eq!(quarters[0].peak, Some(("2025-Q1".to_string(), 3)));
}

#[test]
fn peaks_only_for_the_chosen_values_leave_the_rest_intact() {
    let (index, fields) = build_index(&[
        doc(20250105, &["chips"], &[], &[]),
        doc(20250320, &["chips", "export"], &[], &[]),
        doc(20250322, &["chips"], &[], &[]),
        doc(20250601, &["export"], &[], &[]),
        doc(20250602, &["export"], &[], &[]),
    ]);
    let searcher = index.reader().unwrap().searcher();
    let all = summarize(&searcher, &fields, fields.topic, &AllQuery, Interval::Month).unwrap();
    for (wanted, dense) in [(&["export"][..], MAX_DENSE_CELLS), (&["export"][..], 0)] {
        let wanted: HashSet<String> = wanted.iter().map(|w| w.to_string()).collect();
        let some = summarize_with(
            &searcher,
            &fields,
            fields.topic,
            &AllQuery,
            Interval::Month,
            dense,
            Some(&wanted),
        )
        .unwrap();
        assert_eq!(some.len(), all.len());
        for (got, full) in some.iter().zip(&all) {
            assert_eq!(
                (&got.value, got.count, got.first, got.last),
                (&full.value, full.count, full.first, full.last)
            );
            if wanted.contains(&got.value) {
                assert_eq!(got.peak, full.peak);
            } else {
                assert_eq!(got.peak, None);
            }
        }
    }
    let export = all.iter().find(|s| s.value == "export").unwrap();
    assert_eq!(export.peak, Some(("2025-06".to_string(), 2)));
}

#[test]
fn entities_carry_their_aliases_and_respect_the_query() {
    let (index, fields) = build_index(&[
        doc(
            20250105,
            &["chips"],
            &["org/Tencent"],
            &["org/Tencent\tTencent", "org/Tencent\tHoldings de Tencent"],
        ),
        doc(
            20250106,
            &["chips"],
            &["org/Tencent", "org/ByteDance"],
            &["org/Tencent\tTencent", "org/ByteDance\tbytedance"],
        ),
        doc(
            20250107,
            &["other"],
            &["org/Tencent"],
            &["org/Tencent\tTencent Holdings"],
        ),
        doc(0, &["chips"], &[], &[]),
    ]);
    let searcher = index.reader().unwrap().searcher();
    let query = term(fields.topic, "chips");
    let got = summarize(
        &searcher,
        &fields,
        fields.entity,
        query.as_ref(),
        Interval::Day,
    )
    .unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].value, "org/Tencent");
    assert_eq!(got[0].count, 2);
    assert_eq!(
        got[0].aliases,
        [
            ("Tencent".to_string(), 2),
            ("Holdings de Tencent".to_string(), 1)
        ]
    );
    assert_eq!(got[0].peak, Some(("2025-01-05".to_string(), 1)));
    assert_eq!(got[1].value, "org/ByteDance");
    assert_eq!(got[1].aliases, [("bytedance".to_string(), 1)]);
}

#[test]
fn the_map_fallback_gives_the_same_summaries() {
    let (index, fields) = build_index(&[
        doc(20241230, &["chips", "export"], &[], &[]),
        doc(20250101, &["chips"], &[], &[]),
        doc(20250102, &["export"], &[], &[]),
        doc(20250115, &["export"], &[], &[]),
        doc(0, &["chips"], &[], &[]),
    ]);
    let searcher = index.reader().unwrap().searcher();
    for interval in [
        Interval::Day,
        Interval::Week,
        Interval::Month,
        Interval::Year,
    ] {
        let dense = summarize(&searcher, &fields, fields.topic, &AllQuery, interval).unwrap();
        let sparse = summarize_with(
            &searcher,
            &fields,
            fields.topic,
            &AllQuery,
            interval,
            0,
            None,
        )
        .unwrap();
        assert_eq!(dense, sparse);
    }
    let weeks = summarize(&searcher, &fields, fields.topic, &AllQuery, Interval::Week).unwrap();
    assert_eq!(weeks[0].value, "chips");
    assert_eq!(weeks[0].peak, Some(("2025-W01".to_string(), 2)));
    assert_eq!(weeks[1].peak, Some(("2025-W01".to_string(), 2)));
}

#[test]
fn undated_only_terms_have_no_dates_or_peak() {
    let (index, fields) = build_index(&[doc(0, &["chips"], &[], &[])]);
    let searcher = index.reader().unwrap().searcher();
    let got = summarize(&searcher, &fields, fields.topic, &AllQuery, Interval::Year).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].first, got[0].last, got[0].peak.clone()),
        (None, None, None)
    );
}

#[test]
fn a_span_too_wide_for_the_day_cache_still_finds_dates_and_peaks() {
    let (index, fields) = build_index(&[
        doc(10101, &["chips"], &[], &[]),
        doc(30000101, &["chips"], &[], &[]),
        doc(20240515, &["chips"], &[], &[]),
        doc(20240516, &["chips"], &[], &[]),
    ]);
    let searcher = index.reader().unwrap().searcher();
    let got = summarize(&searcher, &fields, fields.topic, &AllQuery, Interval::Year).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].count, 4);
    assert_eq!(
        (got[0].first, got[0].last),
        (date(1, 1, 1), date(3000, 1, 1))
    );
    assert_eq!(got[0].peak, Some(("2024".to_string(), 2)));
}

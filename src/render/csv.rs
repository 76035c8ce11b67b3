//! CSV output for scripts and spreadsheets: search hits (one row per hit), facet counts
//! (`group,value,count`) and timelines (one row per period, one column per series).
//!
//! Quoting is left to the `csv` crate (BurntSushi's, the de-facto standard) so names with commas,
//! quotes or newlines stay one field.

use crate::query::facets::{FacetCounts, FacetValue};
use crate::query::timeline::Timeline;
use crate::query::SearchResults;

/// Writes rows into a string. Writing into memory cannot fail; should the writer still report an
/// error, the rows written before it are returned.
pub(crate) fn to_csv(rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        if writer.write_record(&row).is_err() {
            break;
        }
    }
    match writer.into_inner() {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(error) => String::from_utf8_lossy(error.into_inner().get_ref()).into_owned(),
    }
}

/// The columns of `search --csv`, in order.
pub const SEARCH_COLUMNS: [&str; 10] = [
    "id", "date", "lang", "source", "title", "score", "topics", "entities", "tags", "path",
];

/// Separates the values of a list column (topics, entities, tags) inside one field; no topic id,
/// entity key or tag is expected to hold it, and a spreadsheet can split on it.
const LIST_SEPARATOR: &str = ";";

/// One row per hit of the page, under a header of [`SEARCH_COLUMNS`]; a missing value is an empty
/// field, entities are keys (`org/Nvidia`) as in JSON, and `score` is 0 when sorted by date.
pub fn search_csv(results: &SearchResults) -> String {
    let header = SEARCH_COLUMNS.iter().map(|name| name.to_string()).collect();
    let rows = results.hits.iter().map(|hit| {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        vec![
            hit.id.clone(),
            text(&hit.date),
            text(&hit.lang),
            text(&hit.source),
            text(&hit.title),
            format!("{:.4}", hit.score),
            hit.topics.join(LIST_SEPARATOR),
            hit.entities.join(LIST_SEPARATOR),
            hit.tags.join(LIST_SEPARATOR),
            text(&hit.path),
        ]
    });
    to_csv(std::iter::once(header).chain(rows))
}

/// `group,value,count`, one row per facet value, groups in the JSON order.
pub fn facets_csv(counts: &FacetCounts) -> String {
    let f = &counts.facets;
    let groups: [(&str, &[FacetValue]); 6] = [
        ("topic", &f.topic),
        ("entity", &f.entity),
        ("tag", &f.tag),
        ("lang", &f.lang),
        ("source", &f.source),
        ("year", &f.year),
    ];
    let header = vec![
        "group".to_string(),
        "value".to_string(),
        "count".to_string(),
    ];
    let rows = groups.into_iter().flat_map(|(group, values)| {
        values
            .iter()
            .map(move |v| vec![group.to_string(), v.value.clone(), v.count.to_string()])
    });
    to_csv(std::iter::once(header).chain(rows))
}

/// `period,<series>...`: counts, or shares when `normalize`; with smoothing, a
/// `<series> (smoothed)` column follows each series. Undated documents belong to no period and
/// are not rows; the caller reports them.
pub fn timeline_csv(timeline: &Timeline, normalize: bool) -> String {
    let smooth = timeline.smooth.is_some();
    let mut header = vec!["period".to_string()];
    for line in &timeline.series {
        header.push(line.name.clone());
        if smooth {
            header.push(format!("{} (smoothed)", line.name));
        }
    }
    let periods = timeline.series.first().map_or(0, |s| s.points.len());
    let rows = (0..periods).map(|i| {
        let mut row = Vec::with_capacity(header.len());
        for line in &timeline.series {
            let Some(point) = line.points.get(i) else {
                continue;
            };
            if row.is_empty() {
                row.push(point.period.clone());
            }
            row.push(if normalize {
                format!("{:.6}", point.share)
            } else {
                point.count.to_string()
            });
            if smooth {
                let value = if normalize {
                    point.smoothed_share
                } else {
                    point.smoothed
                };
                row.push(value.map_or_else(String::new, |v| format!("{v:.4}")));
            }
        }
        row
    });
    to_csv(std::iter::once(header.clone()).chain(rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::facets::FacetGroups;
    use crate::render::table::tests::sample_timeline;

    #[test]
    fn facets_csv_has_header_and_quotes_odd_values() {
        let counts = FacetCounts {
            total: 3,
            undated: 0,
            facets: FacetGroups {
                topic: vec![FacetValue {
                    value: "chips".into(),
                    count: 3,
                }],
                source: vec![FacetValue {
                    value: "Reuters, Madrid".into(),
                    count: 2,
                }],
                ..FacetGroups::default()
            },
        };
        assert_eq!(
            facets_csv(&counts),
            "group,value,count\ntopic,chips,3\nsource,\"Reuters, Madrid\",2\n"
        );
    }

    #[test]
    fn timeline_csv_has_one_row_per_period_and_one_column_per_series() {
        let text = timeline_csv(&sample_timeline(false), false);
        assert_eq!(
            text,
            "period,export-controls,org/Tencent\n2025-01,3,1\n2025-02,0,2\n2025-03,6,0\n"
        );
        let shares = timeline_csv(&sample_timeline(true), true);
        let mut lines = shares.lines();
        assert_eq!(
            lines.next(),
            Some("period,export-controls,export-controls (smoothed),org/Tencent,org/Tencent (smoothed)")
        );
        assert_eq!(
            lines.next(),
            Some("2025-01,0.300000,0.1500,0.100000,0.0500")
        );
    }
}

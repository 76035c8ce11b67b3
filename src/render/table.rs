//! Text tables for people: facet counts and timelines, with bars and sparklines drawn in Unicode blocks.
//!
//! Colour is the caller's decision (a TTY without `NO_COLOR`); without it the output is plain text.

use std::fmt::Write;

use crate::keys::EntityKey;
use crate::query::facets::{FacetCounts, FacetValue};
use crate::query::timeline::{SeriesLine, Timeline};
use crate::text::counted;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";
/// Bar colours by series order (cyan, yellow, magenta, green, blue, red).
const COLORS: [&str; 6] = [
    "\x1b[36m", "\x1b[33m", "\x1b[35m", "\x1b[32m", "\x1b[34m", "\x1b[31m",
];
const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// True for a real number above zero (false for NaN).
fn positive(value: f64) -> bool {
    value > 0.0
}

/// A horizontal bar `width` cells long at full scale, with eighth-cell resolution.
pub fn bar(value: f64, max: f64, width: usize) -> String {
    if !positive(max) || !positive(value) {
        return String::new();
    }
    let eighths = ((value / max).min(1.0) * width as f64 * 8.0).round() as usize;
    let mut out = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        out.push(EIGHTHS[eighths % 8]);
    }
    if out.is_empty() {
        // A non-zero value never looks like zero.
        out.push('▏');
    }
    out
}

/// One character per value, scaled to the largest; zero is a blank.
pub fn sparkline(values: &[f64]) -> String {
    let max = values.iter().copied().fold(0.0, f64::max);
    values
        .iter()
        .map(|&v| {
            if !positive(v) || !positive(max) {
                ' '
            } else {
                let level = ((v / max) * 7.0).round() as usize;
                SPARKS[level.min(7)]
            }
        })
        .collect()
}

fn paint(text: &str, code: &str, color: bool) -> String {
    if color && !text.is_empty() {
        format!("{code}{text}{RESET}")
    } else {
        text.to_string()
    }
}

fn width(text: &str) -> usize {
    text.chars().count()
}

fn pad_right(text: &str, to: usize) -> String {
    format!("{text}{}", " ".repeat(to.saturating_sub(width(text))))
}

fn pad_left(text: &str, to: usize) -> String {
    format!("{}{text}", " ".repeat(to.saturating_sub(width(text))))
}

/// Cuts a name to `max` characters, marking the cut with `…`.
fn shorten(text: &str, max: usize) -> String {
    if width(text) <= max {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// A percentage with enough decimals for small shares.
pub fn percent(share: f64) -> String {
    let pct = share * 100.0;
    if pct == 0.0 {
        "0%".to_string()
    } else if pct < 1.0 {
        format!("{pct:.2}%")
    } else {
        format!("{pct:.1}%")
    }
}

/// The kind and name of an entity facet value (a key such as `org/Nvidia`); no kind when the value
/// is not a key.
fn kind_and_name(value: &str) -> (&'static str, &str) {
    match EntityKey::parse(value) {
        Some(key) => (key.kind.as_str(), key.name),
        None => ("", value),
    }
}

/// Facet counts, one section per group (entities split by kind), with bars scaled per group.
pub fn facets_table(counts: &FacetCounts, color: bool) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "{}",
        counted(counts.total, "matching document", "matching documents")
    );
    if counts.undated > 0 {
        let _ = write!(out, " ({} undated)", counts.undated);
    }
    out.push('\n');
    let f = &counts.facets;
    let mut sections: Vec<(String, Vec<FacetValue>)> = vec![("Topics".into(), f.topic.clone())];
    // Entity values are keys (`org/Nvidia`): one section per kind, in the order first met.
    let mut kinds: Vec<&str> = Vec::new();
    for value in &f.entity {
        let (kind, _) = kind_and_name(&value.value);
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    if kinds.is_empty() {
        sections.push(("Entities".into(), Vec::new()));
    }
    for kind in kinds {
        let values = f
            .entity
            .iter()
            .filter_map(|v| {
                let (k, name) = kind_and_name(&v.value);
                (k == kind).then(|| FacetValue {
                    value: name.to_string(),
                    count: v.count,
                })
            })
            .collect();
        let title = if kind.is_empty() {
            "Entities".to_string()
        } else {
            format!("Entities ({kind})")
        };
        sections.push((title, values));
    }
    sections.push(("Tags".into(), f.tag.clone()));
    sections.push(("Languages".into(), f.lang.clone()));
    sections.push(("Sources".into(), f.source.clone()));
    sections.push(("Years".into(), f.year.clone()));
    for (title, values) in sections {
        let _ = writeln!(out, "\n{}", paint(&title, BOLD, color));
        if values.is_empty() {
            let _ = writeln!(out, "  {}", paint("(none)", DIM, color));
            continue;
        }
        let name_width = values
            .iter()
            .map(|v| width(&v.value))
            .max()
            .unwrap_or(0)
            .min(40);
        let count_width = values
            .iter()
            .map(|v| v.count.to_string().len())
            .max()
            .unwrap_or(1);
        let max = values.iter().map(|v| v.count).max().unwrap_or(0) as f64;
        for v in &values {
            let line = format!(
                "  {}  {}  {}",
                pad_right(&shorten(&v.value, 40), name_width),
                pad_left(&v.count.to_string(), count_width),
                paint(&bar(v.count as f64, max, 24), COLORS[0], color)
            );
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    out
}

/// The value a series shows per period: its share of all documents, or its count.
fn shown(line: &SeriesLine, normalize: bool) -> Vec<f64> {
    line.points
        .iter()
        .map(|p| if normalize { p.share } else { p.count as f64 })
        .collect()
}

fn format_value(value: f64, normalize: bool) -> String {
    if normalize {
        percent(value)
    } else if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// A timeline as a table: one row per period, per series its count (or share), its moving
/// average when smoothing, and a bar; then totals, undated documents and a sparkline per series.
pub fn timeline_table(timeline: &Timeline, normalize: bool, color: bool) -> String {
    let mut out = String::new();
    let range = match (&timeline.from, &timeline.to) {
        (Some(from), Some(to)) => format!("{from} to {to}"),
        _ => "no dated documents".to_string(),
    };
    let measure = if normalize {
        "share of all documents"
    } else {
        "documents"
    };
    let _ = writeln!(
        out,
        "{}",
        paint(
            &format!("{measure} by {}, {range}", timeline.interval),
            BOLD,
            color
        )
    );
    let series = &timeline.series;
    let bar_width = match series.len() {
        0 | 1 => 40,
        2 | 3 => 14,
        _ => 8,
    };
    let smooth = timeline.smooth.is_some();
    let period_width = series
        .first()
        .map(|s| s.points.iter().map(|p| width(&p.period)).max().unwrap_or(0))
        .unwrap_or(0)
        .max(width("undated"));
    // Per series: the shown values (smoothed when asked), their scale, and the cell texts.
    struct Column {
        values: Vec<String>,
        smoothed: Vec<String>,
        bars: Vec<String>,
        width: usize,
    }
    let columns: Vec<Column> = series
        .iter()
        .map(|line| {
            let raw = shown(line, normalize);
            let scale: Vec<f64> = if smooth {
                line.points
                    .iter()
                    .map(|p| {
                        if normalize {
                            p.smoothed_share
                        } else {
                            p.smoothed
                        }
                        .unwrap_or(0.0)
                    })
                    .collect()
            } else {
                raw.clone()
            };
            let max = scale.iter().copied().fold(0.0, f64::max);
            let values: Vec<String> = raw.iter().map(|v| format_value(*v, normalize)).collect();
            let smoothed: Vec<String> = if smooth {
                scale
                    .iter()
                    .map(|v| format!("~{}", format_value(*v, normalize)))
                    .collect()
            } else {
                Vec::new()
            };
            let bars = scale.iter().map(|v| bar(*v, max, bar_width)).collect();
            let totals = [line.total.to_string(), line.undated.to_string()];
            let width = values
                .iter()
                .chain(&smoothed)
                .chain(&totals)
                .map(|v| width(v))
                .max()
                .unwrap_or(1);
            Column {
                values,
                smoothed,
                bars,
                width,
            }
        })
        .collect();
    let cell_width = |c: &Column| {
        let smoothed = if smooth { c.width + 1 } else { 0 };
        c.width + 1 + smoothed + bar_width
    };
    // Header: period, then each series name over its cell.
    let mut header = pad_right("period", period_width);
    for (line, column) in series.iter().zip(&columns) {
        let name = shorten(&line.name, cell_width(column));
        let _ = write!(header, "  {}", pad_right(&name, cell_width(column)));
    }
    let _ = writeln!(out, "{}", paint(header.trim_end(), BOLD, color));
    let periods = series.first().map_or(0, |s| s.points.len());
    for i in 0..periods {
        let period = series
            .first()
            .and_then(|s| s.points.get(i))
            .map_or("", |p| p.period.as_str());
        let mut row = pad_right(period, period_width);
        for (n, column) in columns.iter().enumerate() {
            let value = column.values.get(i).map_or("", String::as_str);
            let _ = write!(row, "  {}", pad_left(value, column.width));
            if smooth {
                let avg = column.smoothed.get(i).map_or("", String::as_str);
                let _ = write!(row, " {}", pad_left(avg, column.width));
            }
            let bar = column.bars.get(i).map_or("", String::as_str);
            let _ = write!(row, " {}", paint(bar, COLORS[n % COLORS.len()], color));
            let padding = bar_width.saturating_sub(width(bar));
            row.push_str(&" ".repeat(padding));
        }
        let _ = writeln!(out, "{}", row.trim_end());
    }
    for (label, pick) in [
        (
            "total",
            (|l: &SeriesLine| l.total) as fn(&SeriesLine) -> u64,
        ),
        ("undated", |l: &SeriesLine| l.undated),
    ] {
        let mut row = paint(
            &pad_right(label, period_width),
            BOLD,
            color && label == "total",
        );
        for (line, column) in series.iter().zip(&columns) {
            let text = pad_right(
                &pad_left(&pick(line).to_string(), column.width),
                cell_width(column),
            );
            let _ = write!(row, "  {text}");
        }
        let _ = writeln!(out, "{}", row.trim_end());
    }
    if series.iter().any(|l| l.outside > 0) {
        let mut row = pad_right("outside", period_width);
        for (line, column) in series.iter().zip(&columns) {
            let text = pad_right(
                &pad_left(&line.outside.to_string(), column.width),
                cell_width(column),
            );
            let _ = write!(row, "  {text}");
        }
        let _ = writeln!(out, "{}", row.trim_end());
    }
    let edge = |i: usize| {
        series
            .first()
            .and_then(|s| s.points.get(i))
            .map_or("", |p| p.period.as_str())
    };
    let partial: Vec<&str> = [
        (timeline.partial_first, edge(0)),
        (timeline.partial_last, edge(periods.saturating_sub(1))),
    ]
    .into_iter()
    .filter(|(partial, label)| *partial && !label.is_empty())
    .map(|(_, label)| label)
    .collect::<std::collections::BTreeSet<_>>()
    .into_iter()
    .collect();
    if !partial.is_empty() {
        let note = format!(
            "{} only partly inside {range}: counts cover part of the period",
            partial.join(" and ")
        );
        let _ = writeln!(out, "{}", paint(&note, DIM, color));
    }
    let undated = series.iter().any(|l| l.undated > 0);
    if undated && !timeline.undated_in_total {
        let _ = writeln!(out, "{}", paint("undated documents have no period and are outside a --from/--to range, so not in the totals", DIM, color));
    } else if undated {
        let _ = writeln!(
            out,
            "{}",
            paint(
                "totals include undated documents, which have no period",
                DIM,
                color
            )
        );
    }
    if periods > 1 {
        out.push('\n');
        let name_width = series
            .iter()
            .map(|l| width(&shorten(&l.name, 30)))
            .max()
            .unwrap_or(0);
        for (n, line) in series.iter().enumerate() {
            let spark = sparkline(&shown(line, normalize));
            let _ = writeln!(
                out,
                "{}  {}",
                pad_right(&shorten(&line.name, 30), name_width),
                paint(&spark, COLORS[n % COLORS.len()], color)
            );
        }
    }
    let bursts: Vec<_> = series
        .iter()
        .flat_map(|line| line.bursts.iter().flatten().map(move |burst| (line, burst)))
        .collect();
    if series.iter().any(|line| line.bursts.is_some()) {
        out.push('\n');
        if bursts.is_empty() {
            out.push_str("no bursts\n");
        }
    }
    for (line, burst) in bursts {
        let periods = if burst.first_period == burst.last_period {
            burst.first_period.clone()
        } else {
            format!("{} to {}", burst.first_period, burst.last_period)
        };
        let _ = writeln!(
            out,
            "burst  {}  {periods} ({} to {}): {}, strength {:.1}",
            line.name,
            burst.from,
            burst.to,
            counted(burst.documents, "document", "documents"),
            burst.strength
        );
        for doc in &burst.first_documents {
            let _ = writeln!(out, "         {}", super::trends::document_line(doc));
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::query::facets::FacetGroups;
    use crate::query::timeline::Point;

    fn fv(value: &str, count: u64) -> FacetValue {
        FacetValue {
            value: value.into(),
            count,
        }
    }

    pub(crate) fn sample_timeline(smooth: bool) -> Timeline {
        let counts = [[3u64, 0, 6], [1, 2, 0]];
        let series = ["export-controls", "org/Tencent"]
            .iter()
            .zip(counts)
            .map(|(name, counts)| SeriesLine {
                name: name.to_string(),
                total: counts.iter().sum::<u64>() + 1,
                undated: 1,
                outside: 0,
                bursts: None,
                points: ["2025-01", "2025-02", "2025-03"]
                    .iter()
                    .zip(counts)
                    .map(|(period, count)| Point {
                        period: period.to_string(),
                        count,
                        share: count as f64 / 10.0,
                        smoothed: smooth.then_some(count as f64 / 2.0),
                        smoothed_share: smooth.then_some(count as f64 / 20.0),
                    })
                    .collect(),
            })
            .collect();
        Timeline {
            interval: "month".into(),
            from: Some("2025-01-01".into()),
            to: Some("2025-03-31".into()),
            series,
            documents: vec![10, 10, 10],
            undated: 2,
            undated_in_total: true,
            partial_first: false,
            partial_last: false,
            smooth: smooth.then_some(2),
        }
    }

    #[test]
    fn bars_and_sparklines_scale_to_the_maximum() {
        assert_eq!(bar(10.0, 10.0, 4), "████");
        assert_eq!(bar(5.0, 10.0, 4), "██");
        assert_eq!(bar(0.0, 10.0, 4), "");
        assert_eq!(bar(0.01, 10.0, 4), "▏");
        assert_eq!(sparkline(&[0.0, 1.0, 7.0]), " ▂█");
        assert_eq!(sparkline(&[0.0, 0.0]), "  ");
    }

    #[test]
    fn facets_table_lists_groups_with_counts_and_entity_kinds() {
        let counts = FacetCounts {
            total: 7,
            undated: 1,
            facets: FacetGroups {
                topic: vec![fv("export", 5), fv("chips", 2)],
                entity: vec![fv("org/Tencent", 3), fv("place/Taiwan", 2)],
                year: vec![fv("2025", 6)],
                ..FacetGroups::default()
            },
        };
        let text = facets_table(&counts, false);
        assert!(
            text.starts_with("7 matching documents (1 undated)"),
            "{text}"
        );
        assert!(text.contains("Entities (org)\n  Tencent  3"), "{text}");
        assert!(text.contains("Entities (place)\n  Taiwan  2"), "{text}");
        assert!(
            text.contains("  export  5  ████████████████████████"),
            "{text}"
        );
        assert!(text.contains("Tags\n  (none)"), "{text}");
        assert!(!text.contains('\x1b'));
        assert!(facets_table(&counts, true).contains("\x1b[1mTopics"));
    }

    #[test]
    fn timeline_table_shows_periods_totals_undated_and_sparklines() {
        let text = timeline_table(&sample_timeline(false), false, false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "documents by month, 2025-01-01 to 2025-03-31");
        assert!(lines[1].starts_with("period   export-controls"), "{text}");
        assert!(lines[2].starts_with("2025-01   3 ███████ "), "{text}");
        assert!(lines[3].starts_with("2025-02   0  "), "{text}");
        assert!(lines[5].starts_with("total    10"), "{text}");
        assert!(lines[6].starts_with("undated   1"), "{text}");
        assert!(text.contains("export-controls  ▅ █"), "{text}");
        let share = timeline_table(&sample_timeline(true), true, false);
        assert!(share.contains("60.0% ~30.0%"), "{share}");
        assert!(share.starts_with("share of all documents by month"));
    }
}

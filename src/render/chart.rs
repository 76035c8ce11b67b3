//! A timeline as a standalone SVG chart for reports: title, axes with period labels and nice
//! ticks, bars (one series) or lines (several), an optional moving average, and a legend.
//!
//! Written here rather than with plotters: a chart of this one shape is a few hundred lines of
//! SVG text, and plotters' text layout needs a font backend (system fonts or a bundled TTF) that
//! this CLI should not depend on. The SVG names generic font families, so any viewer renders it.

use std::fmt::Write;

use crate::query::timeline::{SeriesLine, Timeline};
use crate::render::table::percent;
use crate::text::noun;

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 540.0;
const LEFT: f64 = 78.0;
const RIGHT: f64 = 28.0;
const BOTTOM: f64 = 74.0;
const FONT: &str = "DejaVu Sans, Helvetica, Arial, sans-serif";
/// A colour-blind-friendly categorical palette (Tableau 10).
const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];
/// Rough width of one character at 12 px, for laying out labels and the legend.
const CHAR_PX: f64 = 7.0;

/// Escapes text for SVG content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A "nice" tick step (1, 2, 2.5 or 5 times a power of ten) giving about five ticks up to `max`.
fn nice_step(max: f64, integer: bool) -> f64 {
    let raw = (max / 5.0).max(f64::MIN_POSITIVE);
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    if integer {
        step.max(1.0).round()
    } else {
        step
    }
}

/// A y-axis label: a percentage, or a count (in thousands, `25k`, when the axis reaches 10,000).
fn tick_label(value: f64, normalize: bool, thousands: bool) -> String {
    if normalize {
        percent(value)
    } else if thousands && value != 0.0 {
        format!("{}k", value / 1_000.0)
    } else {
        format!("{value:.0}")
    }
}

/// A count with thousands separators: `466,585`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The values plotted for one series: raw, and smoothed when the timeline has a moving average.
fn values(line: &SeriesLine, normalize: bool) -> (Vec<f64>, Option<Vec<f64>>) {
    let raw = line
        .points
        .iter()
        .map(|p| if normalize { p.share } else { p.count as f64 })
        .collect();
    let smoothed = line
        .points
        .iter()
        .map(|p| {
            if normalize {
                p.smoothed_share
            } else {
                p.smoothed
            }
        })
        .collect::<Option<Vec<f64>>>()
        .filter(|v| !v.is_empty());
    (raw, smoothed)
}

/// Legend entries laid out left to right, wrapping; returns (x, y, series index) and the height used.
fn legend_layout(names: &[String], top: f64) -> (Vec<(f64, f64, usize)>, f64) {
    let mut out = Vec::new();
    let (mut x, mut y) = (LEFT, top);
    for (i, name) in names.iter().enumerate() {
        let w = 26.0 + name.chars().count() as f64 * CHAR_PX + 22.0;
        if x + w > WIDTH - RIGHT && x > LEFT {
            x = LEFT;
            y += 20.0;
        }
        out.push((x, y, i));
        x += w;
    }
    let height = if names.is_empty() {
        0.0
    } else {
        y - top + 20.0
    };
    (out, height)
}

/// Renders the timeline as a complete SVG document titled `title`; shares instead of counts when
/// `normalize`.
pub fn timeline_svg(timeline: &Timeline, title: &str, normalize: bool) -> String {
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}">"#
    );
    let _ = writeln!(svg, "<title>{}</title>", escape(title));
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        svg,
        r##"<text x="{}" y="30" font-size="20" font-weight="bold" fill="#222" text-anchor="middle">{}</text>"##,
        WIDTH / 2.0,
        escape(title)
    );
    let range = match (&timeline.from, &timeline.to) {
        (Some(from), Some(to)) => format!("{from} to {to}"),
        _ => "no dated documents".to_string(),
    };
    let measure = if normalize {
        "Share of all documents"
    } else {
        "Documents"
    };
    let subtitle = format!("{measure} per {}, {range}", timeline.interval);
    let _ = writeln!(
        svg,
        r##"<text x="{}" y="50" font-size="13" fill="#555" text-anchor="middle">{}</text>"##,
        WIDTH / 2.0,
        escape(&subtitle)
    );

    // Legend under the subtitle.
    let names: Vec<String> = timeline
        .series
        .iter()
        .map(|l| {
            if l.undated > 0 {
                format!(
                    "{}: {} {}, {} undated",
                    l.name,
                    grouped(l.total),
                    noun(l.total, "document", "documents"),
                    grouped(l.undated)
                )
            } else {
                format!(
                    "{}: {} {}",
                    l.name,
                    grouped(l.total),
                    noun(l.total, "document", "documents")
                )
            }
        })
        .collect();
    let (legend, legend_height) = legend_layout(&names, 70.0);
    for (x, y, i) in legend {
        let color = PALETTE[i % PALETTE.len()];
        let _ = writeln!(
            svg,
            r##"<rect x="{x:.1}" y="{:.1}" width="18" height="10" fill="{color}"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#222">{}</text>"##,
            y - 9.0,
            x + 24.0,
            y,
            escape(names.get(i).map_or("", String::as_str))
        );
    }

    let top = 70.0 + legend_height + 12.0;
    let (plot_w, plot_h) = (WIDTH - LEFT - RIGHT, (HEIGHT - BOTTOM - top).max(40.0));
    let bottom = top + plot_h;
    let series: Vec<(Vec<f64>, Option<Vec<f64>>)> = timeline
        .series
        .iter()
        .map(|l| values(l, normalize))
        .collect();
    let periods: Vec<&str> = timeline
        .series
        .first()
        .map(|l| l.points.iter().map(|p| p.period.as_str()).collect())
        .unwrap_or_default();
    let n = periods.len();
    let max = series
        .iter()
        .flat_map(|(raw, smooth)| raw.iter().chain(smooth.iter().flatten()))
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let step = nice_step(
        if max > 0.0 {
            max
        } else if normalize {
            0.01
        } else {
            1.0
        },
        !normalize,
    );
    let ticks = ((max / step).ceil() as usize).max(1);
    let y_max = step * ticks as f64;
    let y_of = |v: f64| bottom - (v.max(0.0) / y_max) * plot_h;

    // Horizontal grid and y tick labels.
    for t in 0..=ticks {
        let value = step * t as f64;
        let y = y_of(value);
        let _ = writeln!(
            svg,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e4e4e4"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#444" text-anchor="end">{}</text>"##,
            LEFT + plot_w,
            LEFT - 8.0,
            y + 4.0,
            escape(&tick_label(
                value,
                normalize,
                y_max >= 10_000.0 && step % 1_000.0 == 0.0
            ))
        );
    }
    let y_title = if normalize {
        "share of all documents"
    } else {
        "documents"
    };
    let _ = writeln!(
        svg,
        r##"<text transform="translate(18 {:.1}) rotate(-90)" font-size="13" fill="#444" text-anchor="middle">{y_title}</text>"##,
        top + plot_h / 2.0
    );

    // Period positions are band centres, so bars and lines share the x axis.
    let band = if n > 0 { plot_w / n as f64 } else { plot_w };
    let x_of = |i: usize| LEFT + band * (i as f64 + 0.5);
    let label_px = periods.iter().map(|p| p.len()).max().unwrap_or(4) as f64 * CHAR_PX + 14.0;
    let every = ((label_px / band).ceil() as usize).max(1);
    for (i, period) in periods.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        let x = x_of(i);
        let _ = writeln!(
            svg,
            r##"<line x1="{x:.1}" y1="{bottom:.1}" x2="{x:.1}" y2="{:.1}" stroke="#444"/><text x="{x:.1}" y="{:.1}" font-size="12" fill="#444" text-anchor="middle">{}</text>"##,
            bottom + 5.0,
            bottom + 20.0,
            escape(period)
        );
    }
    let _ = writeln!(
        svg,
        r##"<text x="{:.1}" y="{:.1}" font-size="13" fill="#444" text-anchor="middle">{}</text>"##,
        LEFT + plot_w / 2.0,
        bottom + 42.0,
        escape(&timeline.interval)
    );

    // Shade a first or last period the date range only partly covers, so a low count there is
    // not read as a real drop.
    let (partial_first, partial_last) = (timeline.partial_first, timeline.partial_last);
    let mut shaded = Vec::new();
    if partial_first && n > 0 {
        shaded.push(0);
    }
    if partial_last && n > 0 && !(n == 1 && partial_first) {
        shaded.push(n - 1);
    }
    for &i in &shaded {
        let _ = writeln!(
            svg,
            r##"<rect class="partial" x="{:.1}" y="{top:.1}" width="{band:.1}" height="{plot_h:.1}" fill="#000000" fill-opacity="0.06"><title>{}: partly covered by the date range</title></rect>"##,
            x_of(i) - band / 2.0,
            escape(periods.get(i).copied().unwrap_or(""))
        );
    }

    // Burst periods (`timeline --bursts`), in the colour of their series.
    for (s, line) in timeline.series.iter().enumerate() {
        let color = PALETTE[s % PALETTE.len()];
        for burst in line.bursts.iter().flatten() {
            let at = |label: &str| periods.iter().position(|period| *period == label);
            let (Some(first), Some(last)) = (at(&burst.first_period), at(&burst.last_period))
            else {
                continue;
            };
            let _ = writeln!(
                svg,
                r#"<rect class="burst" x="{:.1}" y="{top:.1}" width="{:.1}" height="{plot_h:.1}" fill="{color}" fill-opacity="0.12"><title>{}: burst {} to {}, strength {:.1}</title></rect>"#,
                x_of(first) - band / 2.0,
                band * (last - first + 1) as f64,
                escape(&line.name),
                escape(&burst.from),
                escape(&burst.to),
                burst.strength
            );
        }
    }

    if n == 0 {
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" font-size="16" fill="#888" text-anchor="middle">No dated documents to draw</text>"##,
            LEFT + plot_w / 2.0,
            top + plot_h / 2.0
        );
    }

    let single = series.len() == 1;
    for (s, (raw, smoothed)) in series.iter().enumerate() {
        let color = PALETTE[s % PALETTE.len()];
        let name = timeline.series.get(s).map_or("", |l| l.name.as_str());
        let _ = writeln!(svg, r#"<g class="series" data-name="{}">"#, escape(name));
        if single {
            let w = (band * 0.8).max(1.0);
            let opacity = if smoothed.is_some() { "0.55" } else { "1" };
            for (i, v) in raw.iter().enumerate() {
                let y = y_of(*v);
                let _ = writeln!(
                    svg,
                    r#"<rect x="{:.1}" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{color}" fill-opacity="{opacity}"><title>{}: {}</title></rect>"#,
                    x_of(i) - w / 2.0,
                    bottom - y,
                    escape(periods.get(i).copied().unwrap_or("")),
                    escape(&value_text(*v, normalize))
                );
            }
        } else {
            let width = if smoothed.is_some() { "1.2" } else { "2" };
            let opacity = if smoothed.is_some() { "0.45" } else { "1" };
            let _ = writeln!(
                svg,
                r#"<polyline fill="none" stroke="{color}" stroke-width="{width}" stroke-opacity="{opacity}" points="{}"/>"#,
                polyline(raw, &x_of, &y_of)
            );
            if n <= 60 && smoothed.is_none() {
                for (i, v) in raw.iter().enumerate() {
                    let _ = writeln!(
                        svg,
                        r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{color}"><title>{}: {}</title></circle>"#,
                        x_of(i),
                        y_of(*v),
                        escape(periods.get(i).copied().unwrap_or("")),
                        escape(&value_text(*v, normalize))
                    );
                }
            }
        }
        if let Some(smoothed) = smoothed {
            let stroke = if single { "#222" } else { color };
            let _ = writeln!(
                svg,
                r#"<polyline fill="none" stroke="{stroke}" stroke-width="2.5" points="{}"/>"#,
                polyline(smoothed, &x_of, &y_of)
            );
        }
        let _ = writeln!(svg, "</g>");
    }

    // Axes on top of the data.
    let _ = writeln!(
        svg,
        r##"<line x1="{LEFT}" y1="{top:.1}" x2="{LEFT}" y2="{bottom:.1}" stroke="#444"/><line x1="{LEFT}" y1="{bottom:.1}" x2="{:.1}" y2="{bottom:.1}" stroke="#444"/>"##,
        LEFT + plot_w
    );
    let mut notes = Vec::new();
    if !shaded.is_empty() {
        notes.push("Shaded: a period only partly inside the date range.".to_string());
    }
    if let Some(window) = timeline.smooth {
        notes.push(format!("Line: {window}-period trailing moving average."));
    }
    let undated: u64 = timeline.series.iter().map(|l| l.undated).sum();
    if undated > 0 {
        notes.push(format!(
            "Undated documents are not drawn ({} in these series).",
            grouped(undated)
        ));
    }
    if !notes.is_empty() {
        let _ = writeln!(
            svg,
            r##"<text x="{LEFT}" y="{:.1}" font-size="11" fill="#777">{}</text>"##,
            HEIGHT - 8.0,
            escape(&notes.join(" "))
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn value_text(value: f64, normalize: bool) -> String {
    if normalize {
        percent(value)
    } else {
        format!("{value:.0}")
    }
}

fn polyline(values: &[f64], x_of: &dyn Fn(usize) -> f64, y_of: &dyn Fn(f64) -> f64) -> String {
    let mut out = String::new();
    for (i, v) in values.iter().enumerate() {
        let _ = write!(out, "{:.1},{:.1} ", x_of(i), y_of(*v));
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::table::tests::sample_timeline;

    #[test]
    fn nice_steps_are_round_numbers() {
        assert_eq!(nice_step(6.0, true), 2.0);
        assert_eq!(nice_step(100.0, true), 20.0);
        assert_eq!(nice_step(1.0, true), 1.0);
        assert!((nice_step(0.6, false) - 0.2).abs() < 1e-12);
        assert!((nice_step(0.12, false) - 0.025).abs() < 1e-12);
    }

    #[test]
    fn labels_group_thousands() {
        assert_eq!(grouped(466_585), "466,585");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(999), "999");
        assert_eq!(tick_label(25_000.0, false, true), "25k");
        assert_eq!(tick_label(5_000.0, false, true), "5k");
        assert_eq!(tick_label(5_000.0, false, false), "5000");
        assert_eq!(tick_label(0.125, true, false), "12.5%");
    }

    #[test]
    fn svg_has_title_axes_labels_and_legend() {
        let svg = timeline_svg(&sample_timeline(false), "Export controls & Tencent", false);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains(">Export controls &amp; Tencent</text>"));
        for label in [
            "2025-01",
            "2025-02",
            "2025-03",
            ">0</text>",
            ">6</text>",
            ">documents</text>",
        ] {
            assert!(svg.contains(label), "missing {label}");
        }
        assert!(svg.contains("export-controls: 10 documents, 1 undated"));
        assert!(svg.contains("org/Tencent: 4 documents, 1 undated"));
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("Undated documents are not drawn (2 in these series)."));
    }

    #[test]
    fn single_series_draws_bars_and_shares_as_percent() {
        let mut timeline = sample_timeline(true);
        timeline.series.truncate(1);
        let svg = timeline_svg(&timeline, "Share", true);
        assert_eq!(svg.matches("<rect x=").count(), 3 + 1); // 3 bars + 1 legend swatch
        assert!(svg.contains(">60.0%</text>"), "{svg}");
        assert!(svg.contains("2-period trailing moving average"));
    }

    #[test]
    fn empty_timeline_still_renders_a_chart() {
        let mut timeline = sample_timeline(false);
        timeline.series.clear();
        timeline.from = None;
        let svg = timeline_svg(&timeline, "Nothing", false);
        assert!(svg.contains("No dated documents to draw"));
        assert!(svg.ends_with("</svg>\n"));
    }
}

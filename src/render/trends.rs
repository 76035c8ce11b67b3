//! The text and CSV `trends` prints: per kind, the rising items with counts, score, ratio, a
//! sparkline of their share, and the documents behind each rise.

use std::fmt::Write;

use super::table::sparkline;
use crate::query::{BurstsReport, DocumentRef, TrendItem, TrendsReport};
use crate::text::counted;

/// A document behind a rise or a burst, on one line: date, title, id.
pub(crate) fn document_line(doc: &DocumentRef) -> String {
    format!(
        "{} · {}  id {}",
        doc.date.as_deref().unwrap_or("undated"),
        doc.title.as_deref().unwrap_or("(untitled)"),
        doc.id
    )
}

/// How an item is named to people: a term as it is written, a topic with its label.
fn name(item: &TrendItem) -> String {
    if let Some(surface) = &item.surface {
        return surface.clone();
    }
    match &item.label {
        Some(label) if *label != item.value => format!("{} ({label})", item.value),
        _ => item.value.clone(),
    }
}

pub fn report(report: &TrendsReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "window {} to {} ({}) against baseline {} to {} ({})",
        report.window.from,
        report.window.to,
        counted(report.window.documents, "document", "documents"),
        report.baseline.from,
        report.baseline.to,
        counted(report.baseline.documents, "document", "documents"),
    );
    if let Some(note) = &report.note {
        let _ = writeln!(out, "note: {note}");
    }
    let _ = writeln!(
        out,
        "sparklines: share of documents from {}, {} per bar",
        report.spark_from,
        counted(report.spark_days as u64, "day", "days")
    );
    for kind in &report.kinds {
        let _ = writeln!(out, "\nRising {}", kind.kind.plural());
        if kind.items.is_empty() {
            let _ = writeln!(out, "  nothing rises significantly");
            continue;
        }
        let width = kind
            .items
            .iter()
            .map(|item| name(item).chars().count())
            .max()
            .unwrap_or(0);
        let _ = writeln!(
            out,
            "  {:width$}  {:>6}  {:>8}  {:>6}  {:>7}  trend",
            "item", "window", "expected", "ratio", "G²"
        );
        for item in &kind.items {
            let _ = writeln!(
                out,
                "  {:width$}  {:>6}  {:>8.1}  {:>5.1}×  {:>7.1}  {}",
                name(item),
                item.counts.window,
                item.rise.expected,
                item.rise.ratio,
                item.rise.score,
                sparkline(&item.spark)
            );
            for doc in &item.documents {
                let _ = writeln!(out, "  {:width$}    {}", "", document_line(doc));
            }
        }
    }
    out
}

/// One row per item: kind, value, label (a term's spelling for terms), window, window_total, baseline, baseline_total,
/// expected, ratio, g2, then the ids of the documents shown.
pub fn report_csv(report: &TrendsReport) -> String {
    let header = [
        "kind",
        "value",
        "label",
        "window",
        "window_total",
        "baseline",
        "baseline_total",
        "expected",
        "ratio",
        "g2",
        "documents",
    ]
    .map(String::from)
    .to_vec();
    let rows = report.kinds.iter().flat_map(|kind| {
        kind.items.iter().map(move |item| {
            vec![
                kind.kind.name().to_string(),
                item.value.clone(),
                item.label
                    .clone()
                    .or_else(|| item.surface.clone())
                    .unwrap_or_default(),
                item.counts.window.to_string(),
                item.counts.window_total.to_string(),
                item.counts.baseline.to_string(),
                item.counts.baseline_total.to_string(),
                format!("{:.3}", item.rise.expected),
                format!("{:.3}", item.rise.ratio),
                format!("{:.3}", item.rise.score),
                item.documents
                    .iter()
                    .map(|doc| doc.id.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        })
    });
    super::csv::to_csv(std::iter::once(header).chain(rows))
}

/// The strongest bursts, strongest first, each with its first documents.
pub fn bursts(report: &BurstsReport) -> String {
    let mut out = String::new();
    let range = match (&report.from, &report.to) {
        (Some(from), Some(to)) => format!("{from} to {to}"),
        _ => "no dated documents".to_string(),
    };
    let _ = writeln!(out, "strongest bursts by {}, {range}", report.interval);
    if report.bursts.is_empty() {
        let _ = writeln!(out, "no bursts");
    }
    for ranked in &report.bursts {
        let burst = &ranked.burst;
        let _ = writeln!(
            out,
            "\n{} {}  {} to {}: {}, strength {:.1}",
            ranked.kind.name(),
            ranked.value,
            burst.from,
            burst.to,
            counted(burst.documents, "document", "documents"),
            burst.strength
        );
        for doc in &burst.first_documents {
            let _ = writeln!(out, "  {}", document_line(doc));
        }
    }
    out
}

/// One row per burst: kind, value, from, to, documents, strength, then the first documents' ids.
pub fn bursts_csv(report: &BurstsReport) -> String {
    let header = [
        "kind",
        "value",
        "from",
        "to",
        "documents",
        "strength",
        "first_documents",
    ]
    .map(String::from)
    .to_vec();
    let rows = report.bursts.iter().map(|ranked| {
        let burst = &ranked.burst;
        vec![
            ranked.kind.name().to_string(),
            ranked.value.clone(),
            burst.from.clone(),
            burst.to.clone(),
            burst.documents.to_string(),
            format!("{:.3}", burst.strength),
            burst
                .first_documents
                .iter()
                .map(|doc| doc.id.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ]
    });
    super::csv::to_csv(std::iter::once(header).chain(rows))
}

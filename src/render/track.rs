//! The text `track` prints: per topic, its new stories, newest first, copies folded in.

use std::fmt::Write;

use crate::query::TrackReport;
use crate::text::counted;

pub fn report(report: &TrackReport) -> String {
    let mut out = String::new();
    for topic in &report.topics {
        let since = topic
            .since
            .as_deref()
            .map(|since| format!(" since {since}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}: {} new{since}",
            topic.id,
            counted(topic.new, "document", "documents")
        );
        for story in &topic.stories {
            let hit = &story.hit;
            let _ = writeln!(
                out,
                "  {}  [{} · {}]  id {}",
                hit.title.as_deref().unwrap_or("(untitled)"),
                hit.date.as_deref().unwrap_or("undated"),
                hit.source.as_deref().unwrap_or("no source"),
                hit.id
            );
            let snippet = hit.snippet.marked("", "");
            if !snippet.is_empty() {
                let _ = writeln!(out, "    {snippet}");
            }
            if !story.why.is_empty() {
                let _ = writeln!(out, "    why: {}", story.why.join("; "));
            }
            if !story.also_in.is_empty() {
                let places: Vec<String> = story
                    .also_in
                    .iter()
                    .map(|copy| {
                        format!(
                            "{} ({})",
                            copy.source.as_deref().unwrap_or("no source"),
                            copy.id
                        )
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "    also in {}: {}",
                    counted(story.also_in.len() as u64, "copy", "copies"),
                    places.join(", ")
                );
            }
        }
    }
    out
}

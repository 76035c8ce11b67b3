//! Plain-text views of search hits, index reports, stats and single documents.

use std::fmt::Write;

use super::style::Paint;
use crate::index::IndexReport;
use crate::keys::{EntityKey, EntityKind};
use crate::query::{EntityRow, SearchResults, ShownDocument, Stats, TopicRow};
use crate::text::counted;

pub fn search_results(results: &SearchResults, offset: usize, paint: Paint) -> String {
    let mut out = String::new();
    let shown = results.hits.len();
    let total = counted(results.total as u64, "match", "matches");
    let _ = if shown == 0 {
        writeln!(out, "{total}")
    } else {
        writeln!(out, "{total} (showing {}–{})", offset + 1, offset + shown)
    };
    let (before, after) = paint.highlight();
    for (position, hit) in results.hits.iter().enumerate() {
        let title = hit.title.as_deref().unwrap_or("(untitled)");
        let mut facts = vec![hit.date.clone().unwrap_or_else(|| "undated".into())];
        facts.extend(hit.lang.clone());
        facts.extend(hit.source.clone());
        let _ = writeln!(
            out,
            "\n{:>3}. {}  {}",
            offset + position + 1,
            paint.bold(title),
            paint.dim(&format!("[{}]  id {}", facts.join(" · "), hit.id))
        );
        let _ = writeln!(out, "     {}", hit.snippet.marked(before, after));
        let mut labels = Vec::new();
        if !hit.topics.is_empty() {
            labels.push(format!("topics: {}", hit.topics.join(", ")));
        }
        if !hit.entities.is_empty() {
            // Discovered names (kind `other`) are left to `show`: the hit line keeps to the known.
            let names: Vec<&str> = hit
                .entities
                .iter()
                .filter_map(|entity| EntityKey::parse(entity))
                .filter(|key| key.kind != EntityKind::Other)
                .map(|key| key.name)
                .take(8)
                .collect();
            if !names.is_empty() {
                labels.push(format!("entities: {}", names.join(", ")));
            }
        }
        if !hit.tags.is_empty() {
            labels.push(format!("tags: {}", hit.tags.join(", ")));
        }
        if !labels.is_empty() {
            let _ = writeln!(out, "     {}", paint.dim(&labels.join(" · ")));
        }
    }
    if let Some(facets) = &results.facets {
        out.push('\n');
        out.push_str(&super::table::facets_table(facets, paint.on));
    }
    out
}

pub fn index_summary(report: &IndexReport) -> String {
    let mut out = String::new();
    for notice in &report.warnings {
        let _ = writeln!(
            out,
            "warning: {}",
            located(&notice.path, notice.line, &notice.reason)
        );
    }
    for notice in &report.skipped {
        let _ = writeln!(
            out,
            "skipped: {}",
            located(&notice.path, notice.line, &notice.reason)
        );
    }
    for moved in &report.moved {
        let _ = writeln!(out, "{}", super::roots::moved(moved));
    }
    if report.retagged {
        let _ = writeln!(
            out,
            "the taxonomy or enrichment changed: every document was re-tagged (taxonomy: {})",
            report.taxonomy.join(" + ")
        );
    }
    let _ = writeln!(
        out,
        "{} in the index: {} added, {} updated, {} unchanged, {} removed, {} skipped in {:.2} s",
        counted(report.documents, "document", "documents"),
        report.added,
        report.updated,
        report.unchanged,
        report.removed,
        report.skipped.len(),
        report.seconds
    );
    out
}

fn located(path: &str, line: Option<u64>, reason: &str) -> String {
    match line {
        Some(line) => format!("{path}:{line}: {reason}"),
        None => format!("{path}: {reason}"),
    }
}

pub fn stats(stats: &Stats) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "documents   {}", stats.documents);
    let _ = writeln!(
        out,
        "dates       {} to {} ({} undated)",
        stats.first_date.as_deref().unwrap_or("-"),
        stats.last_date.as_deref().unwrap_or("-"),
        stats.undated
    );
    let languages: Vec<String> = stats
        .languages
        .iter()
        .map(|(lang, count)| format!("{lang} {count}"))
        .collect();
    let _ = writeln!(out, "languages   {}", languages.join(", "));
    let _ = writeln!(out, "topics      {}", stats.topics);
    let _ = writeln!(out, "entities    {}", stats.entities);
    let _ = writeln!(
        out,
        "index size  {:.1} MiB",
        stats.index_bytes as f64 / 1_048_576.0
    );
    out
}

pub fn document(doc: &ShownDocument, paint: Paint) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint.bold(doc.title.as_deref().unwrap_or("(untitled)"))
    );
    let row = |out: &mut String, label: &str, value: Option<&str>| {
        if let Some(value) = value {
            let _ = writeln!(out, "{label:<15}{value}");
        }
    };
    row(&mut out, "id", Some(&doc.id));
    let date = doc.date.as_ref().map(|date| match &doc.date_source {
        Some(source) => format!("{date} (from {source})"),
        None => date.clone(),
    });
    row(
        &mut out,
        "date",
        Some(date.as_deref().unwrap_or("none found")),
    );
    row(&mut out, "indexed", doc.indexed.as_deref());
    row(&mut out, "language", doc.lang.as_deref());
    row(&mut out, "source", doc.source.as_deref());
    row(&mut out, "url", doc.url.as_deref());
    row(&mut out, "path", doc.path.as_deref());
    if !doc.tags.is_empty() {
        row(&mut out, "tags", Some(&doc.tags.join(", ")));
    }
    // What a mail or news message carries beside its text.
    for key in ["author", "attachments"] {
        row(
            &mut out,
            key,
            doc.metadata.fields.get(key).map(String::as_str),
        );
    }
    if !doc.copies.is_empty() {
        let listed: Vec<String> = doc
            .copies
            .iter()
            .map(|copy| match &copy.source {
                Some(source) => format!("{source} ({})", copy.id),
                None => copy.id.clone(),
            })
            .collect();
        let label = format!("also in ({})", doc.copies.len());
        row(&mut out, &label, Some(&listed.join(", ")));
    }
    if !doc.mentioned_dates.is_empty() {
        let listed: Vec<String> = doc
            .mentioned_dates
            .iter()
            .map(|mention| format!("{} ({:?})", mention.date.format("%Y-%m-%d"), mention.text))
            .collect();
        row(&mut out, "dates named", Some(&listed.join(", ")));
    }
    if !doc.topics.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Topics, and why"));
        for topic in &doc.topics {
            let phrases: Vec<String> = topic
                .evidence
                .iter()
                .map(|item| format!("{:?} ×{}", item.phrase, item.hits))
                .collect();
            let _ = writeln!(
                out,
                "  {} ({}), {}: {}",
                topic.id,
                topic.label.as_deref().unwrap_or(&topic.facet),
                counted(u64::from(topic.hits), "hit", "hits"),
                phrases.join(", ")
            );
        }
    }
    if !doc.entities.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Entities"));
        for entity in &doc.entities {
            let _ = writeln!(
                out,
                "  {:<7}{} ×{}  ({})",
                entity.kind.as_str(),
                entity.name,
                entity.count,
                entity.surfaces.join(", ")
            );
        }
    }
    let _ = writeln!(out, "\n{}", doc.body.trim());
    out
}

fn peak_cell(peak: Option<&str>, count: u64) -> String {
    peak.map(|peak| format!("{peak} ({count})"))
        .unwrap_or_else(|| "-".into())
}

pub fn topics_table(rows: &[TopicRow]) -> String {
    let mut out = format!(
        "{:<32} {:>6}  {:<10}  {:<10}  {}\n",
        "topic", "docs", "first", "last", "peak month"
    );
    for row in rows {
        let _ = writeln!(
            out,
            "{:<32} {:>6}  {:<10}  {:<10}  {}",
            row.id,
            row.count,
            row.first.as_deref().unwrap_or("-"),
            row.last.as_deref().unwrap_or("-"),
            peak_cell(row.peak.as_deref(), row.peak_count)
        );
    }
    out
}

pub fn entities_table(rows: &[EntityRow]) -> String {
    let mut out = format!(
        "{:<28} {:<7} {:>6}  {:<10}  {:<10}  {:<14}  {}\n",
        "entity", "type", "docs", "first", "last", "peak month", "spellings"
    );
    for row in rows {
        let aliases: Vec<String> = row
            .aliases
            .iter()
            .map(|alias| format!("{} ({})", alias.alias, alias.count))
            .collect();
        let _ = writeln!(
            out,
            "{:<28} {:<7} {:>6}  {:<10}  {:<10}  {:<14}  {}",
            row.name,
            row.kind,
            row.count,
            row.first.as_deref().unwrap_or("-"),
            row.last.as_deref().unwrap_or("-"),
            peak_cell(row.peak.as_deref(), row.peak_count),
            aliases.join(", ")
        );
    }
    out
}

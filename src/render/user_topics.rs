//! Plain-text views of user topics: what `topic add` and `topic remove` did, `topic list` and
//! `topic show`.

use std::fmt::Write;

use crate::index::TopicChange;
use crate::query::UserTopicRow;
use crate::text::counted;

/// The line `topic add` prints.
pub fn added(change: &TopicChange) -> String {
    format!(
        "topic {} added: {} joined it, of {} in the index ({:.2} s)\n",
        change.id,
        counted(change.members, "document", "documents"),
        change.documents,
        change.seconds
    )
}

/// The line `topic feedback` prints.
pub fn refined(change: &TopicChange) -> String {
    format!(
        "topic {} refined: {} joined, {} left; {} in it now ({:.2} s)\n",
        change.id,
        change.joined,
        change.left,
        counted(change.members, "document", "documents"),
        change.seconds
    )
}

/// The line `topic remove` prints.
pub fn removed(change: &TopicChange) -> String {
    format!(
        "topic {} removed: {} no longer tagged with it ({:.2} s)\n",
        change.id,
        counted(change.left, "document is", "documents are"),
        change.seconds
    )
}

/// One line per user topic: id, label, count, dates, rule.
pub fn list(rows: &[UserTopicRow]) -> String {
    if rows.is_empty() {
        return "no topics of your own yet; `topictrack topic add ID --query QUERY` defines one\n"
            .to_owned();
    }
    let width = rows
        .iter()
        .map(|row| row.id.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for row in rows {
        let _ = writeln!(
            out,
            "{:<width$}  {}  {}{}  {}",
            row.id,
            row.label,
            counted(row.count, "document", "documents"),
            dates(row),
            rule(row)
        );
    }
    out
}

/// Every fact about one user topic, one per line.
pub fn show(row: &UserTopicRow) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "topic      {}", row.id);
    let _ = writeln!(out, "label      {}", row.label);
    if let Some(parent) = &row.parent {
        let _ = writeln!(out, "parent     {parent}");
    }
    let _ = writeln!(out, "rule       {}", rule(row));
    if let Some(learned) = &row.learned {
        let terms: Vec<String> = learned
            .terms
            .iter()
            .map(|(term, weight)| format!("{term} {weight:.3}"))
            .collect();
        let _ = writeln!(out, "threshold  {:.3}", learned.threshold);
        let _ = writeln!(out, "terms      {}", terms.join(", "));
        let _ = writeln!(out, "examples   {}", learned.examples.join(" "));
        if !learned.counter_examples.is_empty() {
            let _ = writeln!(out, "not        {}", learned.counter_examples.join(" "));
        }
    }
    let _ = writeln!(out, "added      {}", row.added);
    let _ = writeln!(out, "documents  {}{}", row.count, dates(row));
    out
}

fn dates(row: &UserTopicRow) -> String {
    match (&row.first, &row.last) {
        (Some(first), Some(last)) => format!(", {first} to {last}"),
        _ => String::new(),
    }
}

fn rule(row: &UserTopicRow) -> String {
    match (&row.query, &row.learned) {
        (Some(query), _) => format!("query: {query}"),
        (None, Some(learned)) => format!(
            "learned from {}",
            counted(learned.examples.len() as u64, "example", "examples")
        ),
        (None, None) => row.kind.to_owned(),
    }
}

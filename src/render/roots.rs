//! Plain-text views of an index's roots: the `roots` list, what `roots remove` and `roots prune`
//! removed (or would remove), and the line an `index` run prints for a moved folder.

use std::fmt::Write;

use crate::index::{ForgottenRoot, MovedRoot, RootInfo};
use crate::text::counted;

/// How the files indexed before roots were recorded are labelled.
const UNRECORDED: &str = "(unrecorded)";

/// One line per root: path, files, documents, when it was last indexed, and `missing` when the
/// folder is gone.
pub fn list(roots: &[RootInfo]) -> String {
    if roots.is_empty() {
        return "no indexed roots; `topictrack index PATH` adds one\n".to_owned();
    }
    let label = |root: &RootInfo| {
        root.path
            .clone()
            .or_else(|| root.url.clone())
            .unwrap_or_else(|| UNRECORDED.to_owned())
    };
    let width = roots
        .iter()
        .map(|root| label(root).chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for root in roots {
        let mut facts = vec![
            counted(root.files, "file", "files"),
            counted(root.documents, "document", "documents"),
        ];
        match &root.last_indexed {
            Some(when) => facts.push(format!("indexed {when}")),
            None => facts.push(
                "indexed before roots were recorded; `topictrack index` of their folder records it"
                    .to_owned(),
            ),
        }
        if root.missing {
            facts.push("missing".to_owned());
        }
        let _ = writeln!(out, "{:<width$}  {}", label(root), facts.join(", "));
    }
    out
}

/// "removed 2 roots, 37 documents: /a, /b; 30 documents in the index", or "would remove …" for a
/// dry run (`remaining` is `None`).
pub fn removed(forgotten: &[ForgottenRoot], remaining: Option<u64>) -> String {
    let dry_run = remaining.is_none();
    if forgotten.is_empty() {
        return if dry_run {
            "no root is missing; nothing would be removed\n".to_owned()
        } else {
            "no root is missing; nothing removed\n".to_owned()
        };
    }
    let documents: u64 = forgotten.iter().map(|root| root.documents).sum();
    let paths: Vec<&str> = forgotten.iter().map(|root| root.path.as_str()).collect();
    let verb = if dry_run { "would remove" } else { "removed" };
    let mut out = format!(
        "{verb} {}, {}: {}",
        counted(forgotten.len() as u64, "root", "roots"),
        counted(documents, "document", "documents"),
        paths.join(", ")
    );
    match remaining {
        Some(left) => {
            let _ = write!(
                out,
                "; {} in the index",
                counted(left, "document", "documents")
            );
        }
        None => out.push_str(" (nothing changed; `topictrack roots prune` removes them)"),
    }
    out.push('\n');
    out
}

/// "corpus moved: /x/mv1 → /x/mv2; its 12 documents are now indexed from the new place".
pub fn moved(moved: &MovedRoot) -> String {
    let verb = if moved.documents == 1 { "is" } else { "are" };
    format!(
        "corpus moved: {} → {}; its {} {verb} now indexed from the new place",
        moved.from,
        moved.to,
        counted(moved.documents, "document", "documents")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_english() {
        let roots = [RootInfo {
            path: Some("/a".into()),
            url: None,
            files: 1,
            documents: 2,
            last_indexed: Some("2025-01-01T00:00:00Z".into()),
            missing: true,
        }];
        assert_eq!(
            list(&roots),
            "/a  1 file, 2 documents, indexed 2025-01-01T00:00:00Z, missing\n"
        );
        let gone = [ForgottenRoot {
            path: "/a".into(),
            files: 1,
            documents: 1,
        }];
        assert_eq!(
            removed(&gone, Some(1)),
            "removed 1 root, 1 document: /a; 1 document in the index\n"
        );
        let one = MovedRoot {
            from: "/a".into(),
            to: "/b".into(),
            documents: 1,
        };
        assert!(moved(&one).ends_with("its 1 document is now indexed from the new place"));
    }
}

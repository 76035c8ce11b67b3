//! A test that keeps the layers depending one way: each top-level module of the library may
//! import only modules of its own layer or below, and the binary's commands never reach past the
//! library into tantivy.

use std::fs;
use std::path::{Path, PathBuf};

/// The library's layers, bottom first; a module may use any module of its layer or a lower one.
const LAYERS: &[&[&str]] = &[
    &["text", "keys", "document", "error"],
    &["corpus", "taxonomy"],
    &["enrich"],
    &["index"],
    &["query"],
    &["render"],
    &["serve"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules named after `crate::` in `text`.
fn crate_imports(text: &str) -> Vec<String> {
    text.match_indices("crate::")
        // `$crate::` inside a macro is not an import of a module.
        .filter(|(at, _)| !text[..*at].ends_with('$'))
        .map(|(at, found)| {
            text[at + found.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn library_modules_import_only_their_layer_or_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offences = Vec::new();
    for layer in LAYERS.iter().flat_map(|layer| layer.iter()) {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        files.push(src.join(format!("{layer}.rs")));
        let own = layer_of(layer).unwrap_or(usize::MAX);
        for file in files.iter().filter(|file| file.exists()) {
            let text = fs::read_to_string(file).unwrap_or_default();
            for imported in crate_imports(&text) {
                match layer_of(&imported) {
                    Some(level) if level <= own => {}
                    Some(_) => {
                        offences.push(format!("{} imports crate::{imported}", file.display()))
                    }
                    // `crate::Result` and the like are re-exports of the error module.
                    None => {}
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "imports against the layers:\n{}",
        offences.join("\n")
    );
}

#[test]
fn commands_do_not_import_tantivy() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands"),
        &mut files,
    );
    assert!(!files.is_empty());
    for file in files {
        let text = fs::read_to_string(&file).unwrap_or_default();
        assert!(
            !text.contains("tantivy::"),
            "{} uses tantivy",
            file.display()
        );
    }
}

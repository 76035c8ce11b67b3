//! `.topictrackignore`: glob patterns, one per line, of files under a root that are not documents.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::{Error, Result};

pub const IGNORE_FILE: &str = ".topictrackignore";

/// The ignore patterns of every root that has an ignore file.
pub struct IgnorePatterns {
    roots: Vec<(PathBuf, GlobSet)>,
}

impl IgnorePatterns {
    /// Reads `<root>/.topictrackignore` for each root folder; `#` starts a comment.
    pub fn load(roots: &[PathBuf]) -> Result<IgnorePatterns> {
        let mut loaded = Vec::new();
        for root in roots {
            let file = root.join(IGNORE_FILE);
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let mut builder = GlobSetBuilder::new();
            for (number, line) in text.lines().enumerate() {
                let pattern = line.trim();
                if pattern.is_empty() || pattern.starts_with('#') {
                    continue;
                }
                let glob = Glob::new(pattern).map_err(|err| Error::BadConfig {
                    path: file.clone(),
                    detail: format!("line {}: {err}", number + 1),
                })?;
                builder.add(glob);
                if !pattern.contains('/') {
                    // A bare name matches at any depth, as in .gitignore.
                    if let Ok(deep) = Glob::new(&format!("**/{pattern}")) {
                        builder.add(deep);
                    }
                }
            }
            let set = builder.build().map_err(|err| Error::BadConfig {
                path: file.clone(),
                detail: err.to_string(),
            })?;
            loaded.push((root.clone(), set));
        }
        Ok(IgnorePatterns { roots: loaded })
    }

    pub fn is_ignored(&self, path: &Path) -> bool {
        self.roots.iter().any(|(root, set)| {
            path.strip_prefix(root)
                .is_ok_and(|relative| set.is_match(relative))
        })
    }
}

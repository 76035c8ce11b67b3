//! The saved member lists of user topics: one small file per rule and segment in the index
//! folder's `members/`, written whole under a temporary name and renamed into place.
//!
//! A file holds the magic `TTM1`, the segment's document count and the member count (both `u32`
//! little-endian), then the members' document ids, ascending. A file that does not read back as
//! exactly that — cut short, from another segment, damaged — is treated as missing, so its list is
//! decided again: a file only ever saves work, it never decides anything.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use tantivy::index::SegmentId;
use tantivy::DocId;

use super::RuleKey;
use crate::error::{Error, Result};

/// The folder of the member files inside an index folder.
const FOLDER: &str = "members";
const MAGIC: &[u8; 4] = b"TTM1";
const EXTENSION: &str = "ids";

/// Where the members of the rule `key` in `segment` are saved.
fn path_of(index_dir: &Path, key: RuleKey, segment: SegmentId) -> PathBuf {
    index_dir
        .join(FOLDER)
        .join(format!("{key}-{}.{EXTENSION}", segment.uuid_string()))
}

/// The saved members of `key` in a segment of `max_doc` documents, if a whole file holds them.
pub(super) fn read(
    index_dir: &Path,
    key: RuleKey,
    segment: SegmentId,
    max_doc: DocId,
) -> Option<Vec<DocId>> {
    let bytes = fs::read(path_of(index_dir, key, segment)).ok()?;
    let (magic, rest) = bytes.split_first_chunk::<4>()?;
    let (saved_max, rest) = rest.split_first_chunk::<4>()?;
    let (count, rest) = rest.split_first_chunk::<4>()?;
    if magic != MAGIC || u32::from_le_bytes(*saved_max) != max_doc {
        return None;
    }
    let count = usize::try_from(u32::from_le_bytes(*count)).ok()?;
    if rest.len() != count.checked_mul(4)? {
        return None;
    }
    let docs: Vec<DocId> = rest
        .chunks_exact(4)
        .map(|chunk| u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
        .collect();
    let ascending = docs.windows(2).all(|pair| pair[0] < pair[1]);
    let inside = docs.last().is_none_or(|last| *last < max_doc);
    (ascending && inside).then_some(docs)
}

/// Saves the members of `key` in a segment of `max_doc` documents (`docs` ascending).
pub(super) fn write(
    index_dir: &Path,
    key: RuleKey,
    segment: SegmentId,
    max_doc: DocId,
    docs: &[DocId],
) -> Result<()> {
    let folder = index_dir.join(FOLDER);
    let failed = |err: std::io::Error| {
        Error::io(
            format!("cannot save topic members in {}", folder.display()),
            err,
        )
    };
    fs::create_dir_all(&folder).map_err(failed)?;
    let target = path_of(index_dir, key, segment);
    let temporary = target.with_extension("tmp");
    let count = u32::try_from(docs.len()).unwrap_or(u32::MAX);
    let mut bytes = Vec::with_capacity(12 + docs.len() * 4);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&max_doc.to_le_bytes());
    bytes.extend_from_slice(&count.to_le_bytes());
    for doc in docs {
        bytes.extend_from_slice(&doc.to_le_bytes());
    }
    let mut file = fs::File::create(&temporary).map_err(failed)?;
    file.write_all(&bytes).map_err(failed)?;
    file.sync_all().map_err(failed)?;
    fs::rename(&temporary, &target).map_err(failed)
}

/// Deletes every member file that is not for one of `keep` (rule, segment) pairs: files of
/// removed or changed rules, of segments merged away, and temporary files a killed run left.
pub(super) fn remove_others(index_dir: &Path, keep: &HashSet<(RuleKey, SegmentId)>) {
    let wanted: HashSet<String> = keep
        .iter()
        .map(|(key, segment)| format!("{key}-{}.{EXTENSION}", segment.uuid_string()))
        .collect();
    let Ok(entries) = fs::read_dir(index_dir.join(FOLDER)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !wanted.contains(name.to_string_lossy().as_ref()) {
            // A file that cannot be deleted now is only left for the next run to delete.
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment() -> SegmentId {
        SegmentId::generate_random()
    }

    #[test]
    fn a_saved_list_reads_back_for_its_rule_and_segment_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (key, other_key) = (RuleKey(7), RuleKey(8));
        let (here, elsewhere) = (segment(), segment());
        write(dir.path(), key, here, 10, &[1, 4, 9]).expect("written");
        assert_eq!(read(dir.path(), key, here, 10), Some(vec![1, 4, 9]));
        assert_eq!(read(dir.path(), other_key, here, 10), None);
        assert_eq!(read(dir.path(), key, elsewhere, 10), None);
        // A segment of another size is not the one the list was made for.
        assert_eq!(read(dir.path(), key, here, 11), None);
        write(dir.path(), key, elsewhere, 3, &[]).expect("written");
        assert_eq!(read(dir.path(), key, elsewhere, 3), Some(Vec::new()));
    }

    #[test]
    fn a_damaged_list_reads_as_missing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (key, here) = (RuleKey(1), segment());
        write(dir.path(), key, here, 10, &[2, 3]).expect("written");
        let path = path_of(dir.path(), key, here);
        let whole = fs::read(&path).expect("read");
        fs::write(&path, &whole[..whole.len() - 1]).expect("cut short");
        assert_eq!(read(dir.path(), key, here, 10), None);
        let mut unsorted = whole.clone();
        unsorted[12..16].copy_from_slice(&5u32.to_le_bytes());
        fs::write(&path, &unsorted).expect("unsorted");
        assert_eq!(read(dir.path(), key, here, 10), None);
        let mut outside = whole;
        outside[16..20].copy_from_slice(&10u32.to_le_bytes());
        fs::write(&path, &outside).expect("outside");
        assert_eq!(read(dir.path(), key, here, 10), None);
    }

    #[test]
    fn only_the_kept_files_stay() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (key, gone_key, here) = (RuleKey(1), RuleKey(2), segment());
        write(dir.path(), key, here, 4, &[0]).expect("written");
        write(dir.path(), gone_key, here, 4, &[1]).expect("written");
        fs::write(dir.path().join(FOLDER).join("left.tmp"), b"x").expect("written");
        remove_others(dir.path(), &HashSet::from([(key, here)]));
        assert_eq!(read(dir.path(), key, here, 4), Some(vec![0]));
        assert_eq!(read(dir.path(), gone_key, here, 4), None);
        let left = fs::read_dir(dir.path().join(FOLDER))
            .expect("folder")
            .count();
        assert_eq!(left, 1);
    }
}

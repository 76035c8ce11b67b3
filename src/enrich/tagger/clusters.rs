//! Word clusters for the tagger's features: each known word (by the hash of its lowercased form, the
//! same hash the features compute) has a cluster number at a few granularities, learned from
//! unlabelled news by [`super::exchange`]. Words that behave alike ("Madrid", "Bilbao", "Sevilla")
//! share clusters, so a name the training set never showed still looks like its neighbours.

use rustc_hash::FxHashMap;

/// Granularities of the clusters, from coarse to fine: each word has one cluster at each.
pub const GRANULARITIES: [usize; 3] = [64, 256, 1024];

/// First bytes of a cluster file.
const FILE_MAGIC: &[u8; 8] = b"TTWCL01\n";

/// Cluster numbers of a word, one per granularity.
pub type ClusterIds = [u16; GRANULARITIES.len()];

/// The cluster table of one language.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct WordClusters {
    by_word: FxHashMap<u64, ClusterIds>,
}

impl WordClusters {
    /// A table from `(word hash, clusters)` pairs.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (u64, ClusterIds)>) -> WordClusters {
        WordClusters {
            by_word: pairs.into_iter().collect(),
        }
    }

    /// The clusters of the word with lowercased-form hash `word`, if it was seen often enough.
    pub fn get(&self, word: u64) -> Option<&ClusterIds> {
        self.by_word.get(&word)
    }

    /// Number of words with clusters.
    pub fn len(&self) -> usize {
        self.by_word.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_word.is_empty()
    }

    /// The bytes of a cluster file (`models/clusters-LANG.bin`, which `examples/word_clusters.rs`
    /// writes and `examples/train_ner.rs` folds into the model it trains).
    pub fn to_file_bytes(&self) -> Vec<u8> {
        let mut out = FILE_MAGIC.to_vec();
        self.write(&mut out);
        out
    }

    /// Reads a cluster file; `None` when it is not one or is damaged.
    pub fn from_file_bytes(bytes: &[u8]) -> Option<WordClusters> {
        let body = bytes.strip_prefix(FILE_MAGIC)?;
        let (table, used) = WordClusters::read(body)?;
        (used == body.len()).then_some(table)
    }

    /// Appends the table to `out`: the word count, then each word's hash and clusters in hash order
    /// (so that the same table always writes the same bytes).
    pub fn write(&self, out: &mut Vec<u8>) {
        let mut pairs: Vec<(&u64, &ClusterIds)> = self.by_word.iter().collect();
        pairs.sort_unstable_by_key(|(word, _)| **word);
        out.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
        for (word, ids) in pairs {
            out.extend_from_slice(&word.to_le_bytes());
            for id in ids {
                out.extend_from_slice(&id.to_le_bytes());
            }
        }
    }

    /// Reads a table written by [`WordClusters::write`] from the start of `bytes`; returns it and the
    /// number of bytes it took, or `None` when the bytes end too early or a cluster is out of range.
    pub fn read(bytes: &[u8]) -> Option<(WordClusters, usize)> {
        let count = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
        let entry = 8 + 2 * GRANULARITIES.len();
        let end = count.checked_mul(entry)?.checked_add(4)?;
        let body = bytes.get(4..end)?;
        let mut by_word = FxHashMap::default();
        by_word.reserve(count);
        for chunk in body.chunks_exact(entry) {
            let word = u64::from_le_bytes(chunk.get(..8)?.try_into().ok()?);
            let mut ids: ClusterIds = [0; GRANULARITIES.len()];
            for (slot, (id, classes)) in ids.iter_mut().zip(GRANULARITIES).enumerate() {
                let at = 8 + 2 * slot;
                let value = u16::from_le_bytes(chunk.get(at..at + 2)?.try_into().ok()?);
                if usize::from(value) >= classes {
                    return None;
                }
                *id = value;
            }
            by_word.insert(word, ids);
        }
        Some((WordClusters { by_word }, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_reads_back_as_written() {
        let table = WordClusters::from_pairs([(7, [1, 2, 3]), (3, [63, 255, 1023])]);
        let mut bytes = Vec::new();
        table.write(&mut bytes);
        bytes.extend_from_slice(b"rest");
        let (read, used) = WordClusters::read(&bytes).expect("reads");
        assert_eq!(read, table);
        assert_eq!(&bytes[used..], b"rest");
        assert_eq!(read.get(3), Some(&[63, 255, 1023]));
        assert_eq!(read.get(4), None);
    }

    #[test]
    fn a_short_or_out_of_range_table_is_refused() {
        let table = WordClusters::from_pairs([(7, [1, 2, 3])]);
        let mut bytes = Vec::new();
        table.write(&mut bytes);
        assert!(WordClusters::read(&bytes[..bytes.len() - 1]).is_none());
        let last = bytes.len() - 2;
        bytes[last..].copy_from_slice(&2000u16.to_le_bytes());
        assert!(WordClusters::read(&bytes).is_none());
    }
}

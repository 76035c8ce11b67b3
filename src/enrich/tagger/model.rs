//! A linear-chain tagging model: a hashed table of per-label feature weights, label-to-label
//! transition weights, Viterbi decoding under the BIO constraints, and the compact binary file the
//! models ship in.
//!
//! File layout (little endian): the magic `TTNER01\n`; `u32` feature-set version, table bits and
//! label count; `i32` transition (`from * labels + to`) and start weights; `u32` row count; then each
//! row with a weight: its index as a LEB128 gap from the previous row, and one `i16` per label.

use super::clusters::WordClusters;
use super::features::{Features, FEATURE_VERSION};

/// Number of labels: O, then B- and I- for PER, ORG, LOC and MISC.
pub const LABELS: usize = 9;

/// Entity types the tagger tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Per,
    Org,
    Loc,
    Misc,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Per, Kind::Org, Kind::Loc, Kind::Misc];

    /// The CoNLL name: PER, ORG, LOC, MISC.
    pub fn conll(self) -> &'static str {
        match self {
            Kind::Per => "PER",
            Kind::Org => "ORG",
            Kind::Loc => "LOC",
            Kind::Misc => "MISC",
        }
    }

    pub fn from_conll(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.conll() == name)
    }

    /// The label that begins an entity of this kind; the one after it continues it.
    pub fn begin(self) -> u8 {
        1 + 2 * self as u8
    }
}

/// The kind of a label and whether it begins an entity; `None` for O.
pub fn label_kind(label: u8) -> Option<(Kind, bool)> {
    let index = label.checked_sub(1)?;
    let kind = *Kind::ALL.get(usize::from(index / 2))?;
    Some((kind, index % 2 == 0))
}

/// Whether `to` may follow `from` (`None`: the sentence start): I-X only after B-X or I-X.
pub fn allowed(from: Option<u8>, to: u8) -> bool {
    match label_kind(to) {
        Some((kind, false)) => from
            .and_then(label_kind)
            .is_some_and(|(before, _)| before == kind),
        _ => true,
    }
}

/// Why a model file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not a topictrack tagger model (bad magic bytes)")]
    Magic,
    #[error("the model was trained with feature set {found}, this build computes feature set {expected}; retrain it with `cargo run --release --example train_ner`")]
    FeatureVersion { found: u32, expected: u32 },
    #[error("the model file is truncated or malformed")]
    Truncated,
}

const MAGIC: &[u8; 8] = b"TTNER01\n";

/// A trained model ready to decode.
pub struct Model {
    bits: u32,
    /// `2^bits` rows of [`LABELS`] weights, padded to 16 lanes, which the compiler sums with vector
    /// instructions.
    padded: Vec<Row>,
    transitions: [i32; LABELS * LABELS],
    start: [i32; LABELS],
    /// The word clusters the model was trained with (a part of its features).
    clusters: WordClusters,
}

/// Scores that Viterbi can add and compare (integers at run time, floats while training).
pub trait Score: Copy + PartialOrd + std::ops::Add<Output = Self> {
    const ZERO: Self;
    const MIN: Self;
}

impl Score for i32 {
    const ZERO: i32 = 0;
    const MIN: i32 = i32::MIN / 4;
}

impl Score for f32 {
    const ZERO: f32 = 0.0;
    const MIN: f32 = -1e30;
}

/// Best label sequence for one sentence's emission scores under the BIO constraints, into `labels`.
/// `back` is a reused buffer.
pub fn viterbi<S: Score>(
    emissions: &[[S; LABELS]],
    transitions: &[S; LABELS * LABELS],
    start: &[S; LABELS],
    back: &mut Vec<[u8; LABELS]>,
    labels: &mut Vec<u8>,
) {
    labels.clear();
    back.clear();
    let Some(first) = emissions.first() else {
        return;
    };
    let mut score = [S::MIN; LABELS];
    for (to, slot) in score.iter_mut().enumerate() {
        if allowed(None, to as u8) {
            *slot = start[to] + first[to];
        }
    }
    back.push([0; LABELS]);
    for emission in emissions.iter().skip(1) {
        let mut next = [S::MIN; LABELS];
        let mut from_best = [0u8; LABELS];
        for to in 0..LABELS {
            let mut best = S::MIN;
            let mut arg = 0u8;
            for (from, &prev) in score.iter().enumerate() {
                if !allowed(Some(from as u8), to as u8) {
                    continue;
                }
                let candidate = prev + transitions[from * LABELS + to];
                if candidate > best {
                    best = candidate;
                    arg = from as u8;
                }
            }
            next[to] = best + emission[to];
            from_best[to] = arg;
        }
        score = next;
        back.push(from_best);
    }
    let mut best = 0usize;
    for (label, &value) in score.iter().enumerate() {
        if value > score[best] {
            best = label;
        }
    }
    labels.resize(emissions.len(), 0);
    let mut label = best as u8;
    for index in (0..emissions.len()).rev() {
        labels[index] = label;
        label = back[index][usize::from(label)];
    }
}

/// One weight row padded to 16 lanes.
#[derive(Clone, Copy)]
#[repr(align(32))]
struct Row([i16; 16]);

fn pad(weights: &[i16]) -> Vec<Row> {
    weights
        .chunks(LABELS)
        .map(|chunk| {
            let mut row = [0i16; 16];
            row[..chunk.len()].copy_from_slice(chunk);
            Row(row)
        })
        .collect()
}

/// Sum of the weight rows of each token's features.
fn emissions_into(
    rows: &[Row],
    features: &Features,
    tokens: std::ops::Range<usize>,
    out: &mut Vec<[i32; LABELS]>,
) {
    out.clear();
    for token in tokens {
        let mut sum = [0i32; 16];
        for &row in features.of(token) {
            if let Some(Row(weights)) = rows.get(row as usize) {
                for (s, &w) in sum.iter_mut().zip(weights) {
                    *s += i32::from(w);
                }
            }
        }
        let mut scores = [0i32; LABELS];
        scores.copy_from_slice(&sum[..LABELS]);
        out.push(scores);
    }
}

impl Model {
    /// A model from trained weights: `weights` holds `2^bits` rows of [`LABELS`] values.
    pub fn new(
        bits: u32,
        weights: Vec<i16>,
        transitions: [i32; LABELS * LABELS],
        start: [i32; LABELS],
        clusters: WordClusters,
    ) -> Model {
        Model {
            bits,
            padded: pad(&weights),
            transitions,
            start,
            clusters,
        }
    }

    /// Bits of the hashed feature table.
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// The word clusters of the model's features.
    pub fn clusters(&self) -> &WordClusters {
        &self.clusters
    }

    /// Labels of the tokens of each sentence (`sentences` are ranges of token indices).
    pub fn decode(
        &self,
        features: &Features,
        sentences: &[std::ops::Range<usize>],
        scratch: &mut Scratch,
        labels: &mut Vec<u8>,
    ) {
        labels.clear();
        // Long "sentences" (lists, tables, a text without full stops) are decoded in pieces, which
        // also keeps the integer path scores far from overflow.
        let pieces = sentences.iter().flat_map(|sentence| {
            (sentence.start..sentence.end)
                .step_by(MAX_DECODED)
                .map(move |start| start..(start + MAX_DECODED).min(sentence.end))
        });
        for piece in pieces {
            emissions_into(&self.padded, features, piece, &mut scratch.emissions);
            viterbi(
                &scratch.emissions,
                &self.transitions,
                &self.start,
                &mut scratch.back,
                &mut scratch.labels,
            );
            labels.extend_from_slice(&scratch.labels);
        }
    }

    /// The model file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        for value in [FEATURE_VERSION, self.bits, LABELS as u32] {
            out.extend_from_slice(&value.to_le_bytes());
        }
        for value in self.transitions.iter().chain(&self.start) {
            out.extend_from_slice(&value.to_le_bytes());
        }
        let rows: Vec<(usize, &[i16])> = self
            .padded
            .iter()
            .map(|Row(row)| &row[..LABELS])
            .enumerate()
            .filter(|(_, row)| row.iter().any(|&w| w != 0))
            .collect();
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        let mut previous = 0usize;
        for (index, row) in rows {
            let mut gap = index - previous;
            previous = index;
            loop {
                let byte = (gap & 0x7f) as u8;
                gap >>= 7;
                if gap == 0 {
                    out.push(byte);
                    break;
                }
                out.push(byte | 0x80);
            }
            for w in row {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        self.clusters.write(&mut out);
        out
    }

    /// Reads a model file; fails on another feature-set version or a damaged file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(MAGIC.len())? != MAGIC {
            return Err(ModelError::Magic);
        }
        let version = reader.u32()?;
        if version != FEATURE_VERSION {
            return Err(ModelError::FeatureVersion {
                found: version,
                expected: FEATURE_VERSION,
            });
        }
        let bits = reader.u32()?;
        if reader.u32()? as usize != LABELS || !(8..=26).contains(&bits) {
            return Err(ModelError::Truncated);
        }
        let mut transitions = [0i32; LABELS * LABELS];
        for slot in transitions.iter_mut() {
            *slot = reader.i32()?;
        }
        let mut start = [0i32; LABELS];
        for slot in start.iter_mut() {
            *slot = reader.i32()?;
        }
        let rows = reader.u32()? as usize;
        let table = 1usize << bits;
        let mut weights = vec![0i16; table * LABELS];
        let mut index = 0usize;
        for _ in 0..rows {
            index += reader.leb128()?;
            let row = weights
                .get_mut(index * LABELS..(index + 1) * LABELS)
                .ok_or(ModelError::Truncated)?;
            for slot in row {
                let pair = reader.take(2)?;
                *slot = i16::from_le_bytes([pair[0], pair[1]]);
            }
        }
        let (clusters, used) = WordClusters::read(reader.rest()).ok_or(ModelError::Truncated)?;
        if used != reader.rest().len() {
            return Err(ModelError::Truncated);
        }
        Ok(Model::new(bits, weights, transitions, start, clusters))
    }
}

/// Most tokens decoded as one sequence: 256 tokens of at most ~40 features of weight below 2^15
/// sum to well under 2^31.
const MAX_DECODED: usize = 256;

/// Reused buffers for [`Model::decode`].
#[derive(Default)]
pub struct Scratch {
    emissions: Vec<[i32; LABELS]>,
    back: Vec<[u8; LABELS]>,
    labels: Vec<u8>,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let slice = self
            .bytes
            .get(self.at..self.at + n)
            .ok_or(ModelError::Truncated)?;
        self.at += n;
        Ok(slice)
    }

    /// The bytes not read yet.
    fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.at..).unwrap_or(&[])
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn i32(&mut self) -> Result<i32, ModelError> {
        Ok(self.u32()? as i32)
    }

    fn leb128(&mut self) -> Result<usize, ModelError> {
        let mut value = 0usize;
        for shift in (0..35).step_by(7) {
            let byte = *self.take(1)?.first().ok_or(ModelError::Truncated)?;
            value |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(ModelError::Truncated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_very_long_sentence_decodes_without_overflow() {
        let mut weights = vec![0i16; 256 * LABELS];
        weights.iter_mut().for_each(|w| *w = i16::MIN + 1);
        let model = Model::new(
            8,
            weights,
            [i16::MIN as i32; LABELS * LABELS],
            [0; LABELS],
            WordClusters::default(),
        );
        let n = 100_000;
        let features = Features {
            ids: (0..n * 40).map(|i| (i % 256) as u32).collect(),
            ends: (1..=n).map(|i| (i * 40) as u32).collect(),
        };
        let mut labels = Vec::new();
        let sentences: Vec<std::ops::Range<usize>> = std::iter::once(0..n).collect();
        model.decode(&features, &sentences, &mut Scratch::default(), &mut labels);
        assert_eq!(labels.len(), n);
    }

    #[test]
    fn labels_name_their_kind() {
        assert_eq!(label_kind(0), None);
        assert_eq!(label_kind(Kind::Org.begin()), Some((Kind::Org, true)));
        assert_eq!(label_kind(Kind::Org.begin() + 1), Some((Kind::Org, false)));
        assert!(!allowed(None, Kind::Per.begin() + 1));
        assert!(!allowed(Some(Kind::Loc.begin()), Kind::Per.begin() + 1));
        assert!(allowed(Some(Kind::Per.begin()), Kind::Per.begin() + 1));
    }

    #[test]
    fn a_model_survives_its_file_and_a_damaged_file_is_refused() {
        let mut weights = vec![0i16; 256 * LABELS];
        weights[3 * LABELS + 2] = 7;
        weights[200 * LABELS + 8] = -3;
        let model = Model::new(
            8,
            weights,
            [1; LABELS * LABELS],
            [2; LABELS],
            WordClusters::from_pairs([(5, [1, 2, 3])]),
        );
        let bytes = model.to_bytes();
        let back = Model::from_bytes(&bytes).expect("model reads back");
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.padded[3].0[2], 7);
        assert_eq!(back.padded[200].0[8], -3);
        assert_eq!(back.transitions, [1; LABELS * LABELS]);
        assert!(Model::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        let mut other = bytes.clone();
        other[8] = other[8].wrapping_add(1);
        assert!(matches!(
            Model::from_bytes(&other),
            Err(ModelError::FeatureVersion { .. })
        ));
    }
}

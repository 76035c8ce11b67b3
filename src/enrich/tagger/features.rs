//! The tagger's features, hashed straight into weight-table rows: one pass over each word's characters
//! computes its word, shape and affix hashes, and every feature of a token is a mix of a template
//! number with those hashes (its own and its neighbours'). No feature string is ever built.
//!
//! Features of a token: bias; lowercased word; shape ("Xxxx-dd") and short shape ("Xx-d"); prefixes
//! and suffixes of 1 to 4 letters; title-case, all-capitals, digit, hyphen and dot flags; first and
//! last token of its sentence; a sentence written in capitals; words and shapes of the neighbours ±2,
//! suffixes of the neighbours ±1; word bigrams with each neighbour; whether the word is written with
//! a capital in the middle of a sentence elsewhere in the same document; and the word's clusters
//! ([`WordClusters`], at each granularity) with its neighbours' ±1 (at the middle one), or a mark
//! that it has none.

use std::ops::Range;

use rustc_hash::FxHashSet;

use super::clusters::{ClusterIds, WordClusters};

/// Version of the feature set. A model records the version it was trained with; loading a model of
/// another version fails, so features and weights cannot drift apart silently. Bump it with every
/// change to what this module computes.
pub const FEATURE_VERSION: u32 = 2;

/// The feature rows of a document's tokens: token `i` has `ids[ends[i-1]..ends[i]]`.
#[derive(Debug, Default, Clone)]
pub struct Features {
    pub ids: Vec<u32>,
    pub ends: Vec<u32>,
}

impl Features {
    /// The feature rows of token `index`.
    pub fn of(&self, index: usize) -> &[u32] {
        let start = match index.checked_sub(1) {
            Some(prev) => self.ends.get(prev).copied().unwrap_or(0),
            None => 0,
        } as usize;
        let end = self.ends.get(index).copied().unwrap_or(0) as usize;
        self.ids.get(start..end).unwrap_or(&[])
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// What the features need to know about one word, computed once.
#[derive(Debug, Default, Clone, Copy)]
struct Word {
    lower: u64,
    shape: u64,
    short: u64,
    /// Hashes of the lowercased prefixes and suffixes of 1..=4 characters (0: word too short).
    prefixes: [u64; 4],
    suffixes: [u64; 4],
    flags: u8,
    clusters: Option<ClusterIds>,
}

const TITLE: u8 = 1;
const CAPS: u8 = 2;
const DIGIT: u8 = 4;
const HYPHEN: u8 = 8;
const DOT: u8 = 16;
const CAPITALISED: u8 = 32;
const LOWER: u8 = 64;

/// Feature templates; each feature is `mix(template, value)`.
#[derive(Clone, Copy)]
#[repr(u64)]
enum T {
    Bias = 1,
    Word,
    Shape,
    Short,
    Prefix1,
    Suffix1 = 9,
    Flag = 13,
    First,
    Last,
    CapsLine,
    WordAt = 17,
    ShapeAt = 22,
    SuffixAt = 27,
    BigramLeft = 30,
    BigramRight,
    DocCapital,
    Cluster,
    ClusterAt = 36,
    NoCluster = 38,
}

const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn step(hash: u64, c: char) -> u64 {
    (hash ^ u64::from(u32::from(c))).wrapping_mul(FNV_PRIME)
}

fn mix(template: u64, value: u64) -> u64 {
    let h =
        (value ^ template.wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 29)
}

/// Reusable buffers for feature extraction; one per thread.
#[derive(Default)]
pub struct Extractor {
    words: Vec<Word>,
    capitalised: FxHashSet<u64>,
}

/// The hash of a word's lowercased form, as the features compute it: the key of [`WordClusters`].
pub fn word_key(word: &str) -> u64 {
    word.chars()
        .fold(FNV_START, |hash, c| step(hash, lowercase(c)))
}

/// The lowercase form of one character, as the features see it (the first character of a longer
/// lowercase form).
fn lowercase(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else if c.is_uppercase() {
        c.to_lowercase().next().unwrap_or(c)
    } else {
        c
    }
}

fn describe(word: &str) -> Word {
    let mut lower = FNV_START;
    let mut shape = FNV_START;
    let mut short = FNV_START;
    let mut prefixes = [0u64; 4];
    let mut last = ['\0'; 4];
    let mut count = 0usize;
    let mut previous_class = '\0';
    let (mut upper, mut lowercase, mut digit, mut hyphen, mut dot) = (0, 0, false, false, false);
    for c in word.chars() {
        let (low, class) = if c.is_ascii() {
            let class = if c.is_ascii_uppercase() {
                upper += 1;
                'X'
            } else if c.is_ascii_lowercase() {
                lowercase += 1;
                'x'
            } else if c.is_ascii_digit() {
                digit = true;
                'd'
            } else {
                hyphen |= c == '-';
                dot |= c == '.';
                c
            };
            (c.to_ascii_lowercase(), class)
        } else if c.is_uppercase() {
            upper += 1;
            (c.to_lowercase().next().unwrap_or(c), 'X')
        } else if c.is_lowercase() {
            lowercase += 1;
            (c, 'x')
        } else if c.is_numeric() {
            digit = true;
            (c, 'd')
        } else {
            (c, c)
        };
        lower = step(lower, low);
        shape = step(shape, class);
        if class != previous_class {
            short = step(short, class);
            previous_class = class;
        }
        if let Some(slot) = prefixes.get_mut(count) {
            *slot = lower;
        }
        last.rotate_left(1);
        last[3] = low;
        count += 1;
    }
    let mut suffixes = [0u64; 4];
    for (len, slot) in suffixes.iter_mut().enumerate() {
        if count > len {
            let mut hash = FNV_START;
            for &c in &last[3 - len..] {
                hash = step(hash, c);
            }
            *slot = hash;
        }
    }
    let first_upper = word.chars().next().is_some_and(char::is_uppercase);
    let mut flags = 0;
    if first_upper {
        flags |= CAPITALISED;
        if lowercase > 0 && upper == 1 {
            flags |= TITLE;
        }
    }
    if upper > 0 && lowercase == 0 {
        flags |= CAPS;
    }
    if digit {
        flags |= DIGIT;
    }
    if hyphen {
        flags |= HYPHEN;
    }
    if dot {
        flags |= DOT;
    }
    if lowercase > 0 {
        flags |= LOWER;
    }
    Word {
        lower,
        shape,
        short,
        prefixes,
        suffixes,
        flags,
        clusters: None,
    }
}

impl Extractor {
    /// Features of every token of a document: `words` in order, split into `sentences` (ranges of word
    /// indices), with the language's `clusters`, hashed into a table of `2^bits` rows.
    pub fn document(
        &mut self,
        words: &[&str],
        sentences: &[Range<usize>],
        bits: u32,
        clusters: &WordClusters,
        out: &mut Features,
    ) {
        out.ids.clear();
        out.ends.clear();
        self.words.clear();
        self.words.extend(words.iter().map(|w| {
            let mut word = describe(w);
            word.clusters = clusters.get(word.lower).copied();
            word
        }));
        self.capitalised.clear();
        for sentence in sentences {
            for word in self
                .words
                .get(sentence.start + 1..sentence.end)
                .unwrap_or(&[])
            {
                if word.flags & CAPITALISED != 0 && word.flags & CAPS == 0 {
                    self.capitalised.insert(word.lower);
                }
            }
        }
        let shift = 64 - bits.clamp(8, 32);
        for sentence in sentences {
            let in_sentence = self.words.get(sentence.clone()).unwrap_or(&[]);
            let caps_line = in_sentence.iter().any(|w| w.flags & CAPS != 0)
                && in_sentence.iter().all(|w| w.flags & LOWER == 0);
            for at in sentence.clone() {
                self.token(at, sentence, caps_line, shift, out);
                out.ends.push(out.ids.len() as u32);
            }
        }
    }

    fn token(
        &self,
        at: usize,
        sentence: &Range<usize>,
        caps_line: bool,
        shift: u32,
        out: &mut Features,
    ) {
        let Some(w) = self.words.get(at) else { return };
        let mut push = |hash: u64| out.ids.push((hash >> shift) as u32);
        let near = |offset: isize| -> Option<&Word> {
            let index = at.checked_add_signed(offset)?;
            if sentence.contains(&index) {
                self.words.get(index)
            } else {
                None
            }
        };
        push(mix(T::Bias as u64, 0));
        push(mix(T::Word as u64, w.lower));
        push(mix(T::Shape as u64, w.shape));
        push(mix(T::Short as u64, w.short));
        for (i, (&p, &s)) in w.prefixes.iter().zip(&w.suffixes).enumerate() {
            if p != 0 {
                push(mix(T::Prefix1 as u64 + i as u64, p));
            }
            if s != 0 {
                push(mix(T::Suffix1 as u64 + i as u64, s));
            }
        }
        for bit in 0..5u64 {
            if w.flags & (1 << bit) != 0 {
                push(mix(T::Flag as u64, bit));
            }
        }
        if at == sentence.start {
            push(mix(T::First as u64, w.short));
        }
        if at + 1 == sentence.end {
            push(mix(T::Last as u64, 0));
        }
        if caps_line {
            push(mix(T::CapsLine as u64, w.lower));
        }
        // Neighbours: the sentence edge is a value of its own.
        const EDGE: u64 = 0x5bd1_e995;
        for (slot, offset) in [-2isize, -1, 1, 2].into_iter().enumerate() {
            let n = near(offset);
            let slot = slot as u64;
            push(mix(T::WordAt as u64 + slot, n.map_or(EDGE, |n| n.lower)));
            push(mix(T::ShapeAt as u64 + slot, n.map_or(EDGE, |n| n.short)));
        }
        for (slot, offset) in [-1isize, 1].into_iter().enumerate() {
            let n = near(offset);
            push(mix(
                T::SuffixAt as u64 + slot as u64,
                n.map_or(EDGE, |n| n.suffixes[2]),
            ));
        }
        let left = near(-1).map_or(EDGE, |n| n.lower);
        let right = near(1).map_or(EDGE, |n| n.lower);
        push(mix(T::BigramLeft as u64, mix(left, w.lower)));
        push(mix(T::BigramRight as u64, mix(w.lower, right)));
        match w.clusters {
            Some(ids) => {
                for (slot, id) in ids.into_iter().enumerate() {
                    push(mix(T::Cluster as u64 + slot as u64, u64::from(id)));
                }
            }
            None => push(mix(T::NoCluster as u64, 0)),
        }
        for (slot, offset) in [-1isize, 1].into_iter().enumerate() {
            let value = match near(offset) {
                Some(n) => n.clusters.map_or(EDGE ^ 1, |ids| u64::from(ids[1])),
                None => EDGE,
            };
            push(mix(T::ClusterAt as u64 + slot as u64, value));
        }
        if self.capitalised.contains(&w.lower) {
            let first = u64::from(at == sentence.start);
            let caps = u64::from(w.flags & CAPITALISED != 0);
            push(mix(T::DocCapital as u64, first * 2 + caps));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cluster_key_is_the_hash_the_features_compute() {
        for word in ["Madrid", "EE.UU.", "ÁLVAREZ", "straße", "İstanbul", "1996"] {
            assert_eq!(word_key(word), describe(word).lower, "{word}");
        }
    }
}

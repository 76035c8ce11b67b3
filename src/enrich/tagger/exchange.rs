//! Learning word clusters from unlabelled text with the exchange algorithm on a predictive class
//! bigram model (Uszkoreit and Brants, 2008): `P(w | v) = P(class(w) | v) · P(w | class(w))`. Each
//! pass takes every word in turn, from the most frequent down, and moves it to the class that most
//! raises the likelihood of the text; a few passes converge. The likelihood, up to terms that do not
//! depend on the classes, is `Σ N(v, c) log N(v, c) − Σ N(c) log N(c)` over predecessor words `v` and
//! classes `c`, so a move only touches the counts of the moved word's predecessors.
//!
//! Deterministic: the words are ordered by count (ties by hash) and start in classes round-robin.

use rustc_hash::FxHashMap;

use super::clusters::{ClusterIds, WordClusters, GRANULARITIES};

/// The text to cluster, as lowercased-word hashes with [`BOUNDARY`] between sentences.
pub struct Text {
    pub words: Vec<u64>,
}

/// Marks a sentence boundary in [`Text::words`] (no word hashes to 0 in practice; a word that did would
/// only be treated as a boundary).
pub const BOUNDARY: u64 = 0;

/// Settings of a clustering run.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Words seen fewer times are not clustered (they share one "rare word" slot while learning).
    pub min_count: u64,
    /// Passes over the vocabulary at each granularity.
    pub passes: usize,
}

/// The vocabulary and bigram counts, built once for all granularities.
struct Counts {
    /// Word hashes of ids `FIRST_WORD..`, most frequent first.
    keys: Vec<u64>,
    /// For each id, its predecessors and how often each precedes it (ids `0` = boundary and
    /// `1` = rare word included).
    predecessors: Vec<Vec<(u32, u32)>>,
    /// How often each id occurs as a successor.
    totals: Vec<u64>,
}

const BOUNDARY_ID: u32 = 0;
const RARE_ID: u32 = 1;
const FIRST_WORD: usize = 2;

fn count(text: &Text, min_count: u64) -> Counts {
    let mut frequency: FxHashMap<u64, u64> = FxHashMap::default();
    for &word in &text.words {
        if word != BOUNDARY {
            *frequency.entry(word).or_default() += 1;
        }
    }
    let mut kept: Vec<(u64, u64)> = frequency
        .into_iter()
        .filter(|&(_, n)| n >= min_count)
        .collect();
    kept.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let ids: FxHashMap<u64, u32> = kept
        .iter()
        .enumerate()
        .map(|(i, &(key, _))| (key, (i + FIRST_WORD) as u32))
        .collect();
    let size = kept.len() + FIRST_WORD;
    let mut pairs: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let mut previous = BOUNDARY_ID;
    for &word in &text.words {
        if word == BOUNDARY {
            previous = BOUNDARY_ID;
            continue;
        }
        let id = ids.get(&word).copied().unwrap_or(RARE_ID);
        *pairs.entry((previous, id)).or_default() += 1;
        previous = id;
    }
    let mut predecessors = vec![Vec::new(); size];
    let mut totals = vec![0u64; size];
    for ((v, w), n) in pairs {
        predecessors[w as usize].push((v, n));
        totals[w as usize] += u64::from(n);
    }
    for list in &mut predecessors {
        list.sort_unstable();
    }
    Counts {
        keys: kept.into_iter().map(|(key, _)| key).collect(),
        predecessors,
        totals,
    }
}

/// `x ln x`, from a table for small counts.
struct XLogX {
    table: Vec<f64>,
}

impl XLogX {
    fn new(size: usize) -> XLogX {
        let table = (0..size)
            .map(|x| {
                if x == 0 {
                    0.0
                } else {
                    x as f64 * (x as f64).ln()
                }
            })
            .collect();
        XLogX { table }
    }

    fn at(&self, x: u64) -> f64 {
        match self.table.get(x as usize) {
            Some(&value) => value,
            None => x as f64 * (x as f64).ln(),
        }
    }
}

/// Classes of every id (boundary and rare word included) at `classes` classes.
fn exchange(counts: &Counts, classes: usize, passes: usize, f: &XLogX) -> Vec<u16> {
    let size = counts.totals.len();
    // Clustered ids: the rare-word slot and every kept word; the boundary only ever precedes.
    let mut class: Vec<u16> = (0..size)
        .map(|id| (id.saturating_sub(1) % classes) as u16)
        .collect();
    // `predecessor × class` counts N(v, c), dense, and N(c).
    let mut pair = vec![0u32; size * classes];
    let mut total = vec![0u64; classes];
    let words = || counts.predecessors.iter().zip(&counts.totals).skip(1);
    for (&c, (list, &n_w)) in class.iter().skip(1).zip(words()) {
        let c = usize::from(c);
        for &(v, n) in list {
            pair[v as usize * classes + c] += n;
        }
        total[c] += n_w;
    }
    let mut gain = vec![0f64; classes];
    for _ in 0..passes {
        let mut moved = 0usize;
        for (slot, (list, &n_w)) in class.iter_mut().skip(1).zip(words()) {
            if n_w == 0 {
                continue;
            }
            let from = usize::from(*slot);
            for &(v, n) in list {
                pair[v as usize * classes + from] -= n;
            }
            total[from] -= n_w;
            for (c, slot) in gain.iter_mut().enumerate() {
                *slot = f.at(total[c]) - f.at(total[c] + n_w);
            }
            // A class none of a predecessor's successors is in gains `f(n)` from it; only the
            // classes it already precedes need a table lookup, and the common part is left out
            // (it is the same for every class).
            for &(v, n) in list {
                let row = &pair[v as usize * classes..(v as usize + 1) * classes];
                let n = u64::from(n);
                let alone = f.at(n);
                for (slot, &x) in gain.iter_mut().zip(row) {
                    if x != 0 {
                        let x = u64::from(x);
                        *slot += f.at(x + n) - f.at(x) - alone;
                    }
                }
            }
            // The best class; staying wins ties, so a pass that moves nothing has converged.
            let mut best = from;
            for (c, &g) in gain.iter().enumerate() {
                if g > gain[best] + 1e-9 {
                    best = c;
                }
            }
            if best != from {
                moved += 1;
            }
            for &(v, n) in list {
                pair[v as usize * classes + best] += n;
            }
            total[best] += n_w;
            *slot = best as u16;
        }
        if moved == 0 {
            break;
        }
    }
    class
}

/// Clusters every word seen at least `settings.min_count` times, at each of [`GRANULARITIES`].
pub fn learn(text: &Text, settings: Settings) -> WordClusters {
    let counts = count(text, settings.min_count);
    let f = XLogX::new(1 << 20);
    let per_granularity: Vec<Vec<u16>> = GRANULARITIES
        .iter()
        .map(|&classes| exchange(&counts, classes, settings.passes, &f))
        .collect();
    WordClusters::from_pairs(counts.keys.iter().enumerate().map(|(i, &key)| {
        let id = i + FIRST_WORD;
        let mut ids: ClusterIds = [0; GRANULARITIES.len()];
        for (slot, classes) in ids.iter_mut().zip(&per_granularity) {
            *slot = classes[id];
        }
        (key, ids)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Places follow "in", people follow "met": with three classes to fill (one is left for the two
    /// frame words), the exchange puts each kind in a class of its own, whatever the round-robin
    /// start mixed.
    #[test]
    fn words_that_follow_the_same_words_share_a_class() {
        let (frame_in, frame_met) = (1u64 << 40, 2u64 << 40);
        let places = [10u64, 11, 12, 13];
        let people = [20u64, 21, 22, 23];
        let mut words = Vec::new();
        for round in 0..400usize {
            words.extend([frame_in, places[round % 4], BOUNDARY]);
            words.extend([frame_met, people[(round * 3) % 4], BOUNDARY]);
        }
        let counts = count(&Text { words }, 2);
        let classes = exchange(&counts, 3, 10, &XLogX::new(1 << 12));
        let class = |word: u64| {
            let at = counts.keys.iter().position(|&k| k == word).expect("kept");
            classes[at + FIRST_WORD]
        };
        for group in [places, people] {
            for word in group {
                assert_eq!(class(word), class(group[0]), "{word}");
            }
        }
        assert_ne!(class(places[0]), class(people[0]));
    }

    #[test]
    fn every_kept_word_gets_a_cluster_at_every_granularity() {
        let words: Vec<u64> = (0..500u64).map(|i| 100 + i % 7).collect();
        let clusters = learn(
            &Text { words },
            Settings {
                min_count: 2,
                passes: 3,
            },
        );
        assert_eq!(clusters.len(), 7);
        for word in 100..107 {
            let ids = clusters.get(word).expect("clustered");
            for (id, classes) in ids.iter().zip(GRANULARITIES) {
                assert!(usize::from(*id) < classes);
            }
        }
    }
}

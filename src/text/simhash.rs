//! Near-duplicate signatures: a 64-bit SimHash (Charikar) over word shingles of a text, and the
//! band keys that find every signature within [`MAX_DISTANCE`] bits of another with exact lookups.
//!
//! Copies of one story (the same wire text under several outlets, a re-post with a new headline)
//! share almost all their three-word shingles, so their signatures differ in a few bits, while
//! unrelated texts differ in about 32. Written here rather than taken from a crate: the `simhash`
//! crate (0.3) computes the same sum over whitespace-split words with SipHash and has no shingles,
//! and `gaoya` (0.2) offers in-memory MinHash/SimHash LSH indexes with six dependencies, where
//! topictrack needs a signature to store and band keys to index; the whole algorithm is the
//! function below, over the crate's own folding and word tokens and xxh3 (already a dependency).

use xxhash_rust::xxh3::xxh3_64;

use super::{fold_into, words};

/// Words per shingle: three words keep word order (copies share it, texts on one subject do not)
/// while one changed word changes only three shingles.
pub const SHINGLE_WORDS: usize = 3;

/// Texts with fewer words than this get no signature and are never grouped: a short text (a
/// one-line brief, "Shr 12 cts vs 10 cts") shares most of its shingles with others by chance.
pub const MIN_WORDS: usize = 30;

/// Two texts are copies when their signatures differ in at most this many bits (chosen on
/// Reuters-21578: see BENCHMARKS.md, "Near-duplicates").
pub const MAX_DISTANCE: u32 = 5;

/// Bands a signature is cut into: with one more band than [`MAX_DISTANCE`], two signatures within
/// that distance agree exactly on at least one band (pigeonhole), so band keys find every copy.
pub const BANDS: u32 = MAX_DISTANCE + 1;

/// The SimHash of `text`'s folded words in shingles of [`SHINGLE_WORDS`], or `None` for a text of
/// fewer than [`MIN_WORDS`] words.
pub fn simhash(text: &str) -> Option<u64> {
    let mut buffer = String::new();
    let mut hashes: Vec<u64> = Vec::new();
    for (_, word) in words(text) {
        buffer.clear();
        fold_into(word, &mut buffer);
        hashes.push(xxh3_64(buffer.as_bytes()));
    }
    if hashes.len() < MIN_WORDS {
        return None;
    }
    let mut weights = [0i32; 64];
    let mut shingle = [0u8; 8 * SHINGLE_WORDS];
    for window in hashes.windows(SHINGLE_WORDS) {
        for (slot, hash) in shingle.chunks_exact_mut(8).zip(window) {
            slot.copy_from_slice(&hash.to_le_bytes());
        }
        let hash = xxh3_64(&shingle);
        for (bit, weight) in weights.iter_mut().enumerate() {
            if hash >> bit & 1 == 1 {
                *weight += 1;
            } else {
                *weight -= 1;
            }
        }
    }
    Some(
        weights
            .iter()
            .enumerate()
            .filter(|(_, weight)| **weight > 0)
            .fold(0u64, |signature, (bit, _)| signature | 1 << bit),
    )
}

/// Bits in which two signatures differ.
pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// Whether two signatures are of copies.
pub fn are_copies(a: u64, b: u64) -> bool {
    distance(a, b) <= MAX_DISTANCE
}

/// The band keys of a signature: band `i` (bits `i·64/BANDS` up to the next band) as
/// `i << 32 | bits`, distinct across bands. Two signatures within [`MAX_DISTANCE`] bits share at
/// least one key.
pub fn band_keys(signature: u64) -> impl Iterator<Item = u64> {
    (0..BANDS).map(move |band| {
        let start = band * 64 / BANDS;
        let end = (band + 1) * 64 / BANDS;
        let width = end - start;
        let mask = if width >= 64 {
            u64::MAX
        } else {
            (1u64 << width) - 1
        };
        u64::from(band) << 32 | (signature >> start & mask)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The central bank raised its benchmark interest rate by half a point on \
        Tuesday, the third increase this year, saying inflation remained well above its target \
        and that further tightening could be needed if wage growth did not slow in the coming \
        months, according to a statement released after the meeting.";

    #[test]
    fn copies_differ_in_few_bits_and_other_texts_in_many() {
        let original = simhash(STORY).expect("long enough");
        let recased = simhash(&STORY.to_uppercase()).expect("long enough");
        assert_eq!(original, recased, "folding makes case irrelevant");
        // Re-wrapped and re-punctuated by another outlet: the same words, the same signature.
        let reposted = STORY.replace(", ", " -- ").replace(" the ", "\nthe ");
        assert_eq!(simhash(&reposted), Some(original));
        // One changed word in a 50-word text changes 3 of its 48 shingles: a few bits.
        let edited = simhash(&STORY.replace("Tuesday", "Wednesday")).expect("long enough");
        assert!(
            distance(original, edited) < 12,
            "{}",
            distance(original, edited)
        );
        let other = "Heavy rain flooded several districts of the capital overnight, forcing \
            hundreds of families to leave their homes while emergency services worked to \
            reopen the main roads and restore electricity to the neighbourhoods near the river \
            before the next storm arrives later this week.";
        let other = simhash(other).expect("long enough");
        assert!(
            distance(original, other) > 12,
            "{}",
            distance(original, other)
        );
    }

    #[test]
    fn short_texts_have_no_signature() {
        assert_eq!(simhash("Shr 12 cts vs 10 cts net 1.2 mln vs 1.0 mln"), None);
        assert_eq!(simhash(""), None);
    }

    #[test]
    fn signatures_within_the_distance_share_a_band() {
        let a = 0x0123_4567_89ab_cdef_u64;
        // Flip MAX_DISTANCE bits, one in each of the first bands.
        let mut b = a;
        for band in 0..MAX_DISTANCE {
            b ^= 1 << (band * 64 / BANDS);
        }
        assert_eq!(distance(a, b), MAX_DISTANCE);
        let keys: Vec<u64> = band_keys(a).collect();
        assert_eq!(keys.len(), BANDS as usize);
        assert!(band_keys(b).any(|key| keys.contains(&key)));
        let unique: std::collections::HashSet<u64> = keys.iter().copied().collect();
        assert_eq!(unique.len(), keys.len());
    }
}

//! Case and accent folding that remembers, for every folded byte, where it came from in the original text,
//! so that one automaton pass over the folded text still yields byte spans of the original.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// A folded copy of a text plus the offset map back to the original.
pub(crate) struct Folded {
    /// Lower-cased, accent-stripped text; every whitespace run is one ASCII space.
    pub text: String,
    /// `map[i]` = byte offset in the original of the character that produced folded byte `i`;
    /// one extra entry at the end holds the original length.
    map: Vec<u32>,
}

impl Folded {
    /// Folds `original`. Texts longer than 4 GiB are not expected (documents, not archives); offsets saturate.
    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len() + 1);
        let mut in_space = false;
        for (at, ch) in original.char_indices() {
            let at = u32::try_from(at).unwrap_or(u32::MAX);
            if ch.is_whitespace() {
                if !in_space {
                    text.push(' ');
                    map.push(at);
                }
                in_space = true;
                continue;
            }
            in_space = false;
            if ch.is_ascii() {
                text.push(ch.to_ascii_lowercase());
                map.push(at);
                continue;
            }
            for lower in ch.to_lowercase() {
                decompose_canonical(lower, |part| {
                    if !is_combining_mark(part) {
                        text.push(part);
                        for _ in 0..part.len_utf8() {
                            map.push(at);
                        }
                    }
                });
            }
        }
        map.push(u32::try_from(original.len()).unwrap_or(u32::MAX));
        Folded { text, map }
    }

    /// The original byte span of the folded span `start..end`, or `None` when the folded span begins or
    /// ends inside the expansion of a single original character (so it has no exact original span).
    pub fn original_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end {
            return None;
        }
        let first = *self.map.get(start)?;
        if start > 0 && *self.map.get(start - 1)? == first {
            return None;
        }
        let last = *self.map.get(end - 1)?;
        let after = *self.map.get(end)?;
        if after == last {
            return None;
        }
        Some((first as usize, after as usize))
    }
}

/// Folds a short string (an alias or a discovered name) the same way as a document, without
/// keeping the offset map.
pub(crate) fn fold(text: &str) -> String {
    let text = text.trim();
    let mut folded = String::with_capacity(text.len());
    if text.is_ascii() && !text.bytes().any(|b| b.is_ascii_whitespace()) {
        folded.push_str(text);
        folded.make_ascii_lowercase();
        return folded;
    }
    let mut in_space = false;
    for ch in text.chars() {
        if ch.is_whitespace() {
            if !in_space {
                folded.push(' ');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        if ch.is_ascii() {
            folded.push(ch.to_ascii_lowercase());
            continue;
        }
        for lower in ch.to_lowercase() {
            decompose_canonical(lower, |part| {
                if !is_combining_mark(part) {
                    folded.push(part);
                }
            });
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_spaces() {
        let folded = Folded::new("Taiwán  y\nEE. UU. ÑANDÚ");
        assert_eq!(folded.text, "taiwan y ee. uu. nandu");
    }

    #[test]
    fn maps_folded_spans_back_to_original_bytes() {
        let original = "La Comisión  Europea dijo";
        let folded = Folded::new(original);
        let start = folded.text.find("comision europea").unwrap_or(0);
        let end = start + "comision europea".len();
        let (a, b) = folded.original_span(start, end).unwrap_or((0, 0));
        assert_eq!(&original[a..b], "Comisión  Europea");
    }

    #[test]
    fn rejects_spans_inside_one_expanded_character() {
        // A Hangul syllable decomposes canonically into three jamo: one original char, three folded chars.
        let folded = Folded::new("한 x");
        assert_eq!(folded.text.chars().count(), 5);
        assert_eq!(folded.original_span(0, 3), None);
        assert_eq!(folded.original_span(0, 9), Some((0, 3)));
        let folded = Folded::new("İx");
        assert_eq!(folded.text, "ix");
        assert_eq!(folded.original_span(0, 1), Some((0, 2)));
    }
}

//! Case and accent folding that remembers, for every folded byte, where it came from in the original text,
//! so that one automaton pass over the folded text still yields byte spans of the original.

use std::borrow::Cow;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// A folded copy of a text plus the offset map back to the original.
pub(crate) struct Folded {
    /// Lower-cased, accent-stripped text; every whitespace run is one ASCII space.
    pub text: String,
    /// The offset map, kept sparse: each `(folded, original)` anchor says that folded byte
    /// `folded` came from the character at byte `original` of the original text, and every later
    /// folded byte up to the next anchor from one byte further on. Most of a text is ASCII copied
    /// one to one, so anchors are needed only after collapsed white space and around non-ASCII
    /// characters. Folded byte `text.len()` maps to the original length.
    anchors: Vec<(usize, u32)>,
}

/// Builds the anchors of [`Folded`] as folded bytes are produced.
struct AnchorWriter {
    anchors: Vec<(usize, u32)>,
    /// The original offset the latest anchor predicts for the next folded byte.
    expected: u32,
}

impl AnchorWriter {
    /// Notes that folded byte `at` comes from original offset `offset`.
    fn note(&mut self, at: usize, offset: u32) {
        if offset != self.expected {
            self.anchors.push((at, offset));
        }
        self.expected = offset.saturating_add(1);
    }
}

impl Folded {
    /// Folds `original`. Texts longer than 4 GiB are not expected (documents, not archives); offsets saturate.
    pub fn new(original: &str) -> Folded {
        // Built as bytes (ASCII bytes and whole encoded characters only, so always valid UTF-8).
        let mut text: Vec<u8> = Vec::with_capacity(original.len());
        let mut map = AnchorWriter {
            anchors: vec![(0, 0)],
            expected: 0,
        };
        let mut in_space = false;
        let bytes = original.as_bytes();
        let mut at = 0;
        while let Some(&byte) = bytes.get(at) {
            let offset = u32::try_from(at).unwrap_or(u32::MAX);
            // Most of a news text is ASCII: a run of ASCII non-space bytes is lower-cased in one
            // go and needs at most one anchor.
            if byte.is_ascii() && !is_ascii_space(byte) {
                let rest = bytes.get(at..).unwrap_or_default();
                let length = rest
                    .iter()
                    .position(|&b| !b.is_ascii() || is_ascii_space(b))
                    .unwrap_or(rest.len());
                let run = rest.get(..length).unwrap_or_default();
                map.note(text.len(), offset);
                text.extend(run.iter().map(u8::to_ascii_lowercase));
                map.expected = offset.saturating_add(u32::try_from(length).unwrap_or(u32::MAX));
                in_space = false;
                at += length;
                continue;
            }
            if is_ascii_space(byte) {
                at += 1;
                if !in_space {
                    map.note(text.len(), offset);
                    text.push(b' ');
                }
                in_space = true;
                continue;
            }
            let Some(ch) = original.get(at..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            at += ch.len_utf8();
            if ch.is_whitespace() {
                if !in_space {
                    map.note(text.len(), offset);
                    text.push(b' ');
                }
                in_space = true;
                continue;
            }
            in_space = false;
            for lower in ch.to_lowercase() {
                decompose_canonical(lower, |part| {
                    if !is_combining_mark(part) {
                        let mut buffer = [0; 4];
                        // Every byte of the expansion comes from the same character.
                        for &encoded in part.encode_utf8(&mut buffer).as_bytes() {
                            map.note(text.len(), offset);
                            text.push(encoded);
                        }
                    }
                });
            }
        }
        map.note(
            text.len(),
            u32::try_from(original.len()).unwrap_or(u32::MAX),
        );
        let text = String::from_utf8(text)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
        Folded {
            text,
            anchors: map.anchors,
        }
    }

    /// The original offset that folded byte `at` maps to (`None` past the end).
    fn offset(&self, at: usize) -> Option<u32> {
        if at > self.text.len() {
            return None;
        }
        let index = self.anchors.partition_point(|anchor| anchor.0 <= at);
        let (folded, original) = *self.anchors.get(index.checked_sub(1)?)?;
        let step = u32::try_from(at - folded).unwrap_or(u32::MAX);
        Some(original.saturating_add(step))
    }

    /// The original byte span of the folded span `start..end`, or `None` when the folded span begins or
    /// ends inside the expansion of a single original character (so it has no exact original span).
    pub fn original_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end {
            return None;
        }
        let first = self.offset(start)?;
        if start > 0 && self.offset(start - 1)? == first {
            return None;
        }
        let last = self.offset(end - 1)?;
        let after = self.offset(end)?;
        if after == last {
            return None;
        }
        Some((first as usize, after as usize))
    }
}

/// Whether an ASCII byte is white space as `char::is_whitespace` sees it (tab to carriage return, space).
fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b'\t'..=b'\r' | b' ')
}

/// Folds a short string (an alias or a discovered name) the same way as a document, without
/// keeping the offset map.
pub(crate) fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    fold_into(text, &mut folded);
    folded
}

/// Appends the folded form of `text` (as [`fold`] returns it) to `out`, so that many words can be
/// folded into one buffer.
pub(crate) fn fold_into(text: &str, out: &mut String) {
    let text = text.trim();
    if text.is_ascii() && !text.bytes().any(|b| b.is_ascii_whitespace()) {
        let from = out.len();
        out.push_str(text);
        if let Some(added) = out.get_mut(from..) {
            added.make_ascii_lowercase();
        }
        return;
    }
    let mut in_space = false;
    for ch in text.chars() {
        if ch.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        if ch.is_ascii() {
            out.push(ch.to_ascii_lowercase());
            continue;
        }
        for lower in ch.to_lowercase() {
            decompose_canonical(lower, |part| {
                if !is_combining_mark(part) {
                    out.push(part);
                }
            });
        }
    }
}

/// `raw` with every whitespace run made one space and no space at either end (as
/// `split_whitespace` then `join(" ")` would give), borrowed when it is already so.
pub(crate) fn single_spaced(raw: &str) -> Cow<'_, str> {
    // A space before the first character counts as a doubled one, so a leading space is caught.
    let mut after_space = true;
    let clean = raw.chars().all(|ch| {
        if ch.is_whitespace() {
            let fine = ch == ' ' && !after_space;
            after_space = true;
            fine
        } else {
            after_space = false;
            true
        }
    });
    if clean && !after_space {
        Cow::Borrowed(raw)
    } else {
        Cow::Owned(raw.split_whitespace().collect::<Vec<_>>().join(" "))
    }
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
    fn single_spacing_matches_split_and_join() {
        for raw in [
            "Bank of England",
            "Bank  of\nEngland",
            " Bank",
            "Bank ",
            "Banco\u{a0}Santander",
            "Tab\tSeparated",
            "",
            "Ñandú Corp",
        ] {
            let joined = raw.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(single_spaced(raw), joined, "{raw:?}");
        }
        assert!(matches!(single_spaced("Bank of England"), Cow::Borrowed(_)));
    }

    #[test]
    fn fold_into_appends_what_fold_returns() {
        let mut out = String::from("x");
        for word in ["Tencent", "ÉLYSÉE", " Two  Words ", "AT&T", "İstanbul"] {
            let before = out.len();
            fold_into(word, &mut out);
            assert_eq!(out.get(before..), Some(fold(word).as_str()), "{word:?}");
        }
    }

    /// The offset map as one entry per folded byte, built the plain way, to check the anchors.
    fn dense_map(original: &str) -> Vec<u32> {
        let mut map = Vec::new();
        let mut in_space = false;
        for (at, ch) in original.char_indices() {
            let at = u32::try_from(at).unwrap_or(u32::MAX);
            if ch.is_whitespace() {
                if !in_space {
                    map.push(at);
                }
                in_space = true;
                continue;
            }
            in_space = false;
            for lower in ch.to_lowercase() {
                decompose_canonical(lower, |part| {
                    if !is_combining_mark(part) {
                        map.extend(std::iter::repeat_n(at, part.len_utf8()));
                    }
                });
            }
        }
        map.push(u32::try_from(original.len()).unwrap_or(u32::MAX));
        map
    }

    #[test]
    fn sparse_offsets_match_one_offset_per_folded_byte() {
        for original in [
            "",
            " ",
            "Plain ASCII text.",
            "  leading\n\n    spaces  and\ttabs ",
            "La Comisión  Europea dijo",
            "\u{301}accent first, ÑANDÚ last",
            "한국 x İx ß Straße ﬁnance",
            "no\u{a0}break\u{2003}em space",
        ] {
            let folded = Folded::new(original);
            let dense = dense_map(original);
            assert_eq!(dense.len(), folded.text.len() + 1, "{original:?}");
            for (at, &expected) in dense.iter().enumerate() {
                assert_eq!(folded.offset(at), Some(expected), "{original:?} at {at}");
            }
            assert_eq!(folded.offset(dense.len()), None, "{original:?}");
        }
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

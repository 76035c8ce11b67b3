//! Folding: the one meaning of "the same text" by which aliases, rule phrases, query filters and documents
//! are compared. Lower case, no accents, one apostrophe, single spaces. [`Folded`] folds a whole document
//! the same way and remembers where every folded byte came from, so that one automaton pass over the
//! folded text still yields byte spans of the original.

use std::borrow::Cow;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Folds `text`: lower case, accents stripped, typographic apostrophes (’ ‘) made `'`, every white space
/// run one ASCII space and none at either end. " Exportación  de\tChina’s " → "exportacion de china's".
///
/// Accents go by canonical decomposition (NFD) with the combining marks dropped, so every precomposed
/// Latin letter folds to its base letter ("ÑANDÚ" → "nandu"), and decomposed input folds the same as
/// precomposed. The document fold with offsets (`Folded::new`, inside the crate) gives the same text for
/// every input.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Appends the folded form of `text` (as [`fold`] returns it) to `out`, so that hot loops can reuse one
/// buffer for many words.
pub fn fold_into(text: &str, out: &mut String) {
    // Most calls fold one ASCII word, or an ASCII name already single spaced: lower-casing is all there
    // is to do.
    if folds_by_lowercase(text.as_bytes()) {
        push_lowercase(out, text);
        return;
    }
    fold_to(text, &mut Plain(out));
}

/// True if `bytes` fold by ASCII lower-casing alone: all ASCII, with white space only as single spaces
/// between other characters.
fn folds_by_lowercase(bytes: &[u8]) -> bool {
    // A space before the first byte counts as a doubled one, so that a leading space is caught.
    let mut after_space = true;
    for &byte in bytes {
        if byte == b' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if !byte.is_ascii() || is_ascii_space(byte) {
            return false;
        } else {
            after_space = false;
        }
    }
    !after_space || bytes.is_empty()
}

fn push_lowercase(out: &mut String, ascii: &str) {
    let start = out.len();
    out.push_str(ascii);
    if let Some(added) = out.get_mut(start..) {
        added.make_ascii_lowercase();
    }
}

/// Whether an ASCII byte is white space as `char::is_whitespace` sees it (tab to carriage return, space).
fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b'\t'..=b'\r' | b' ')
}

/// Where [`fold_to`] writes the folded text, piece by piece, each piece with the byte offset of the
/// original character it comes from.
trait Sink {
    /// Appends `run` (ASCII without white space) lower-cased; its first byte is at `offset` of the
    /// original and the others follow one to one.
    fn ascii_run(&mut self, run: &str, offset: usize);
    /// Appends one folded character that comes from the original character at `offset`.
    fn push(&mut self, ch: char, offset: usize);
}

/// A [`Sink`] that only keeps the text.
struct Plain<'a>(&'a mut String);

impl Sink for Plain<'_> {
    fn ascii_run(&mut self, run: &str, _offset: usize) {
        push_lowercase(self.0, run);
    }

    fn push(&mut self, ch: char, _offset: usize) {
        self.0.push(ch);
    }
}

/// Folds `text` into `sink` (the one implementation of [`fold`], shared with [`Folded::new`]) and
/// returns the original offset just past the last character that is not white space.
fn fold_to(text: &str, sink: &mut impl Sink) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    // Where the white space run before the next folded character began. It is written only when that
    // character comes, so that no run is doubled (a combining mark between two runs folds to nothing)
    // and none leads or trails.
    let mut space: Option<usize> = None;
    let mut written = false;
    let mut end = 0;
    while let Some(&byte) = bytes.get(at) {
        // Most of a news text is ASCII: a run of ASCII bytes other than white space is lower-cased in
        // one go.
        if byte.is_ascii() && !is_ascii_space(byte) {
            let rest = bytes.get(at..).unwrap_or_default();
            let length = rest
                .iter()
                .position(|&b| !b.is_ascii() || is_ascii_space(b))
                .unwrap_or(rest.len());
            if let Some(from) = space.take() {
                sink.push(' ', from);
            }
            sink.ascii_run(text.get(at..at + length).unwrap_or_default(), at);
            written = true;
            at += length;
            end = at;
            continue;
        }
        if is_ascii_space(byte) {
            if written && space.is_none() {
                space = Some(at);
            }
            at += 1;
            continue;
        }
        let Some(ch) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let offset = at;
        at += ch.len_utf8();
        if ch.is_whitespace() {
            if written && space.is_none() {
                space = Some(offset);
            }
            continue;
        }
        end = at;
        let mut emit = |part: char| {
            if let Some(from) = space.take() {
                sink.push(' ', from);
            }
            sink.push(part, offset);
            written = true;
        };
        // "China’s" and "China's" are one spelling.
        if matches!(ch, '\u{2019}' | '\u{2018}') {
            emit('\'');
            continue;
        }
        for lower in ch.to_lowercase() {
            decompose_canonical(lower, |part| {
                if !is_combining_mark(part) {
                    emit(part);
                }
            });
        }
    }
    end
}

/// A folded copy of a text plus the offset map back to the original.
pub(crate) struct Folded {
    /// The folded text: what [`fold`] returns for the original.
    pub text: String,
    /// The offset map, kept sparse: each `(folded, original)` anchor says that folded byte
    /// `folded` came from the character at byte `original` of the original text, and every later
    /// folded byte up to the next anchor from one byte further on. Most of a text is ASCII copied
    /// one to one, so anchors are needed only after collapsed or leading white space and around
    /// non-ASCII characters (an accented letter, or a three-byte ’ folded to one byte). Folded byte
    /// `text.len()` maps to the end of the last original character that is not white space.
    anchors: Vec<(usize, u32)>,
}

/// The [`Sink`] that builds a [`Folded`]: the text and its anchors, as folded bytes are produced.
struct AnchorWriter {
    text: String,
    anchors: Vec<(usize, u32)>,
    /// The original offset the latest anchor predicts for the next folded byte.
    expected: u32,
}

impl AnchorWriter {
    /// Notes that folded byte `at` comes from original offset `offset`.
    fn note(&mut self, at: usize, offset: u32) {
        if offset != self.expected {
            match self.anchors.last_mut() {
                // Nothing was written since that anchor (only the first one, or the end of an empty
                // text): this one replaces it.
                Some(last) if last.0 == at => last.1 = offset,
                _ => self.anchors.push((at, offset)),
            }
        }
        self.expected = offset.saturating_add(1);
    }
}

impl Sink for AnchorWriter {
    fn ascii_run(&mut self, run: &str, offset: usize) {
        let offset = saturating_u32(offset);
        self.note(self.text.len(), offset);
        push_lowercase(&mut self.text, run);
        self.expected = offset.saturating_add(saturating_u32(run.len()));
    }

    fn push(&mut self, ch: char, offset: usize) {
        let offset = saturating_u32(offset);
        // Every byte of the folded character comes from the same original character.
        let at = self.text.len();
        for byte in 0..ch.len_utf8() {
            self.note(at + byte, offset);
        }
        self.text.push(ch);
    }
}

fn saturating_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

impl Folded {
    /// Folds `original`. Texts longer than 4 GiB are not expected (documents, not archives); offsets saturate.
    pub fn new(original: &str) -> Folded {
        let mut writer = AnchorWriter {
            text: String::with_capacity(original.len()),
            anchors: vec![(0, 0)],
            expected: 0,
        };
        let end = fold_to(original, &mut writer);
        writer.note(writer.text.len(), saturating_u32(end));
        Folded {
            text: writer.text,
            anchors: writer.anchors,
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
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn fold_lowercases_and_strips_accents() {
        assert_eq!(fold("Exportación"), "exportacion");
        assert_eq!(fold("ÑANDÚ pingüino"), "nandu pinguino");
        assert_eq!(fold("plain ASCII"), "plain ascii");
        // Decomposed input (e + combining acute) folds the same as precomposed.
        assert_eq!(fold("exportacio\u{301}n"), "exportacion");
        assert_eq!(fold("İstanbul"), "istanbul");
    }

    #[test]
    fn fold_makes_typographic_apostrophes_plain() {
        assert_eq!(fold("China’s GPUs"), "china's gpus");
        assert_eq!(fold("‘quoted’"), "'quoted'");
        assert_eq!(fold("O’Neill"), fold("O'Neill"));
    }

    #[test]
    fn fold_single_spaces_and_trims() {
        assert_eq!(fold("  Bank  of\n\tEngland \r\n"), "bank of england");
        assert_eq!(fold("Banco\u{a0}Santander\u{2003}SA"), "banco santander sa");
        assert_eq!(fold(" \t\n"), "");
        assert_eq!(fold(""), "");
        // Vertical tab and form feed are white space too.
        assert_eq!(fold("a\u{b}\u{c}b"), "a b");
        // A combining mark alone folds to nothing and does not double the spaces around it.
        assert_eq!(fold("a \u{301} b"), "a b");
        assert_eq!(fold("\u{301} a \u{301}"), "a");
    }

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
    fn a_typographic_apostrophe_inside_a_name_keeps_its_span() {
        // ’ is three bytes folded to one: the bytes after it must still map to the right place.
        let original = "Dijo Mary O’Brien’s aide, y McDonald’s";
        let folded = Folded::new(original);
        assert_eq!(folded.text, "dijo mary o'brien's aide, y mcdonald's");
        for (name, surface) in [
            ("mary o'brien", "Mary O’Brien"),
            ("o'brien's", "O’Brien’s"),
            ("'s aide", "’s aide"),
            ("mcdonald's", "McDonald’s"),
            ("s", "s"),
        ] {
            let start = folded.text.find(name).unwrap_or(usize::MAX);
            let span = folded.original_span(start, start + name.len());
            let found = span.and_then(|(a, b)| original.get(a..b));
            assert_eq!(found, Some(surface), "{name:?}");
        }
    }

    #[test]
    fn trimmed_white_space_stays_out_of_spans() {
        let original = "\n  Tencent \n";
        let folded = Folded::new(original);
        assert_eq!(folded.text, "tencent");
        let (a, b) = folded.original_span(0, 7).unwrap_or((0, 0));
        assert_eq!(&original[a..b], "Tencent");
        // A decomposed accent at the very end belongs to its letter.
        let original = "Jose\u{301}\t";
        let folded = Folded::new(original);
        assert_eq!(folded.text, "jose");
        assert_eq!(folded.original_span(0, 4), Some((0, 6)));
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
        for word in [
            "Tencent",
            "ÉLYSÉE",
            " Two  Words ",
            "AT&T",
            "İstanbul",
            "it’s",
            "",
        ] {
            let before = out.len();
            fold_into(word, &mut out);
            assert_eq!(out.get(before..), Some(fold(word).as_str()), "{word:?}");
        }
    }

    /// The folded text and its offset map with one entry per folded byte, built the plain way (a char at
    /// a time, with the standard library's NFD), to check [`fold`] and the anchors of [`Folded`].
    fn plain_fold(original: &str) -> (String, Vec<u32>) {
        let mut text = String::new();
        let mut map = Vec::new();
        let mut space = None;
        let mut end = 0;
        for (at, ch) in original.char_indices() {
            let at = saturating_u32(at);
            if ch.is_whitespace() {
                if !text.is_empty() && space.is_none() {
                    space = Some(at);
                }
                continue;
            }
            end = at + saturating_u32(ch.len_utf8());
            let folded: String = if ch == '’' || ch == '‘' {
                "'".to_string()
            } else {
                ch.to_lowercase()
                    .collect::<String>()
                    .nfd()
                    .filter(|part| !is_combining_mark(*part))
                    .collect()
            };
            if folded.is_empty() {
                continue;
            }
            if let Some(from) = space.take() {
                text.push(' ');
                map.push(from);
            }
            text.push_str(&folded);
            map.extend(std::iter::repeat_n(at, folded.len()));
        }
        map.push(end);
        (text, map)
    }

    fn check_against_plain_fold(original: &str) {
        let (text, dense) = plain_fold(original);
        assert_eq!(fold(original), text, "{original:?}");
        let folded = Folded::new(original);
        assert_eq!(folded.text, text, "{original:?}");
        for (at, &expected) in dense.iter().enumerate() {
            assert_eq!(folded.offset(at), Some(expected), "{original:?} at {at}");
        }
        assert_eq!(folded.offset(dense.len()), None, "{original:?}");
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
            "O’Brien’s ‘quote’ it's",
            "x \u{301} y \u{301}",
        ] {
            check_against_plain_fold(original);
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

    proptest::proptest! {
        #[test]
        fn a_folded_document_is_what_fold_gives(
            text in "[ \t\n\r\u{b}\u{a0}\u{2003}aAzZ09.'’‘\u{301}\u{308}áÁñÑüİß한ﬁ-]{0,40}"
        ) {
            proptest::prop_assert_eq!(Folded::new(&text).text, fold(&text));
            proptest::prop_assert_eq!(fold(&text), without_shortcut(&text));
            check_against_plain_fold(&text);
        }

        #[test]
        fn ascii_text_folds_alike_with_and_without_the_shortcut(text in "[ \t\na-zA-Z.']{0,20}") {
            proptest::prop_assert_eq!(Folded::new(&text).text, fold(&text));
            proptest::prop_assert_eq!(fold(&text), without_shortcut(&text));
        }

        #[test]
        fn any_text_folds_alike_both_ways(text in proptest::prelude::any::<String>()) {
            proptest::prop_assert_eq!(Folded::new(&text).text, fold(&text));
            proptest::prop_assert_eq!(fold(&text), without_shortcut(&text));
            check_against_plain_fold(&text);
        }
    }

    /// [`fold`] without the lower-casing shortcut of [`fold_into`].
    fn without_shortcut(text: &str) -> String {
        let mut out = String::new();
        fold_to(text, &mut Plain(&mut out));
        out
    }
}

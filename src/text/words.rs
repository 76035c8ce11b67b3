//! Word tokens with the byte offset of each in its text, and the character scanner that word-level code
//! is built on.

use unicode_normalization::char::is_combining_mark;

/// Word tokens of `text` with the byte offset where each starts in `text`.
///
/// A word is a run of letters and digits (combining marks stay with their letter). A hyphen or
/// apostrophe between two word characters stays inside the word, so "US-China", "state-of-the-art"
/// and "China's" are one token each; one at the edge of a word ("--", "'quoted'") is dropped.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    Words { text, pos: 0 }
}

struct Words<'a> {
    text: &'a str,
    pos: usize,
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_combining_mark(c)
    }
}

fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '-' | '\'' | '\u{2010}' | '\u{2011}' | '\u{2019}' | '\u{00AD}'
    )
}

/// The character that starts at byte `at` of `text` and its length in bytes, decoded only when it
/// is not ASCII (word scanners call this for every character).
pub(crate) fn char_at(text: &str, at: usize) -> Option<(char, usize)> {
    let byte = *text.as_bytes().get(at)?;
    if byte.is_ascii() {
        return Some((char::from(byte), 1));
    }
    let c = text.get(at..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

impl<'a> Iterator for Words<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let mut start = self.pos;
        loop {
            let (c, len) = char_at(self.text, start)?;
            if is_word_char(c) {
                break;
            }
            start += len;
        }
        let mut end = start;
        let mut at = start;
        while let Some((c, len)) = char_at(self.text, at) {
            if is_word_char(c) {
                at += len;
                end = at;
            } else if is_joiner(c)
                && char_at(self.text, at + len).is_some_and(|(next, _)| is_word_char(next))
            {
                at += len;
            } else {
                break;
            }
        }
        self.pos = end;
        self.text.get(start..end).map(|word| (start, word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_give_offsets_in_the_original() {
        let text = "¡Exportación de GPUs!";
        let found: Vec<(usize, &str)> = words(text).collect();
        assert_eq!(found, vec![(2, "Exportación"), (15, "de"), (18, "GPUs")]);
        for (start, word) in found {
            assert_eq!(&text[start..start + word.len()], word);
        }
    }

    #[test]
    fn words_keep_inner_hyphens_and_apostrophes_only() {
        let found: Vec<&str> = words("US-China rivalry -- China's 'chips' end- x")
            .map(|(_, w)| w)
            .collect();
        assert_eq!(
            found,
            vec!["US-China", "rivalry", "China's", "chips", "end", "x"]
        );
        assert_eq!(words("").count(), 0);
        assert_eq!(words(" ,;- ").count(), 0);
    }

    #[test]
    fn char_at_decodes_only_what_is_not_ascii() {
        let text = "añb";
        assert_eq!(char_at(text, 0), Some(('a', 1)));
        assert_eq!(char_at(text, 1), Some(('ñ', 2)));
        assert_eq!(char_at(text, 2), None);
        assert_eq!(char_at(text, 3), Some(('b', 1)));
        assert_eq!(char_at(text, 4), None);
    }
}

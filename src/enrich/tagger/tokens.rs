//! Splits running text into the tokens and sentences the tagger was trained on: CoNLL-style tokens
//! (punctuation apart, "EE.UU." and "J." kept whole, English "'s" apart) with byte offsets, and
//! sentences ended by `.`, `!`, `?`, a blank line or the end of a line written in capitals.

use std::ops::Range;

/// One token, as a byte range of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
}

/// The tokens of a text and where its sentences start and end (ranges of token indices).
#[derive(Debug, Default)]
pub struct Tokenized {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Range<usize>>,
}

/// Punctuation that is a token of its own at the start of a word.
fn is_leading(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '"' | '\'' | '¿' | '¡' | '«' | '“' | '‘' | '`' | '*' | '<'
    )
}

/// Punctuation that is a token of its own at the end of a word.
fn is_trailing(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '"'
            | '\''
            | '»'
            | '”'
            | '’'
            | '*'
            | '>'
            | '…'
    )
}

/// Abbreviations whose final dot belongs to the word.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "sra", "srta", "jr", "st", "inc", "corp", "co", "ltd",
    "gen", "gov", "sen", "rep", "lt", "col", "capt", "sgt", "mt", "ft", "no", "vs", "dña", "dª",
    "d", "av", "avda", "etc", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov",
    "dec", "u.s", "u.k", "s.a", "plc", "bros", "cía",
];

/// Whether the dot that ends `word` (given without it) is part of the word.
fn keeps_dot(word: &str) -> bool {
    if word.contains('.') {
        // "EE.UU", "U.S", "S.A": the last dot belongs with the others.
        return true;
    }
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        // An initial: "J." in "J. Smith".
        return c.is_uppercase();
    }
    word.len() <= 5
        && ABBREVIATIONS
            .iter()
            .any(|abbr| abbr.len() == word.len() && abbr.eq_ignore_ascii_case(word))
}

/// Tokens and sentences of `text`.
pub fn tokenize(text: &str) -> Tokenized {
    let mut out = Tokenized::default();
    tokenize_into(text, &mut out);
    out
}

/// [`tokenize`] into reused buffers.
pub fn tokenize_into(text: &str, out: &mut Tokenized) {
    out.tokens.clear();
    out.sentences.clear();
    let mut sentence_start = 0usize;
    let mut line_start = 0usize;
    let mut pos = 0usize;
    while pos < text.len() {
        // Whitespace: a blank line, or the end of a line without lower-case letters, ends a sentence.
        let Some(c) = text.get(pos..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        if c.is_whitespace() {
            if c == '\n' {
                let line = text.get(line_start..pos).unwrap_or("");
                let blank_next = text
                    .get(pos + 1..)
                    .map(|rest| rest.split('\n').next().is_some_and(|l| l.trim().is_empty()))
                    .unwrap_or(true);
                if blank_next || is_capitals_line(line) {
                    close_sentence(out, &mut sentence_start);
                }
                line_start = pos + 1;
            }
            pos += c.len_utf8();
            continue;
        }
        let chunk_end = text
            .get(pos..)
            .and_then(|rest| rest.find(char::is_whitespace))
            .map_or(text.len(), |n| pos + n);
        let chunk = text.get(pos..chunk_end).unwrap_or("");
        split_chunk(chunk, pos, out, &mut sentence_start);
        pos = chunk_end;
    }
    close_sentence(out, &mut sentence_start);
}

fn is_capitals_line(line: &str) -> bool {
    line.chars().any(char::is_alphabetic) && !line.chars().any(char::is_lowercase)
}

fn close_sentence(out: &mut Tokenized, start: &mut usize) {
    if out.tokens.len() > *start {
        out.sentences.push(*start..out.tokens.len());
    }
    *start = out.tokens.len();
}

/// Splits one whitespace-free chunk into tokens.
fn split_chunk(chunk: &str, offset: usize, out: &mut Tokenized, sentence_start: &mut usize) {
    let mut start = 0usize;
    let mut end = chunk.len();
    // Leading punctuation, one token per character.
    while let Some(c) = chunk.get(start..end).and_then(|s| s.chars().next()) {
        if !is_leading(c) || start + c.len_utf8() >= end {
            break;
        }
        push(out, offset + start, offset + start + c.len_utf8());
        start += c.len_utf8();
    }
    // Trailing punctuation, peeled from the end and pushed afterwards in text order.
    let mut trailing: Vec<(usize, usize)> = Vec::new();
    while let Some(c) = chunk.get(start..end).and_then(|s| s.chars().next_back()) {
        if !is_trailing(c) || end - c.len_utf8() <= start {
            break;
        }
        let before = chunk.get(start..end - c.len_utf8()).unwrap_or("");
        if c == '.' && keeps_dot(before) {
            break;
        }
        trailing.push((end - c.len_utf8(), end));
        end -= c.len_utf8();
    }
    let word = chunk.get(start..end).unwrap_or("");
    // "Clinton's" → "Clinton" "'s"; "don't" stays whole (rare in names).
    let possessive = ["'s", "’s", "'S"]
        .iter()
        .find(|p| word.len() > p.len() + 1 && word.ends_with(*p))
        .map(|p| p.len());
    match possessive {
        Some(len) => {
            push(out, offset + start, offset + end - len);
            push(out, offset + end - len, offset + end);
        }
        None if !word.is_empty() => {
            push(out, offset + start, offset + end);
            if matches!(word, "." | "!" | "?") {
                close_sentence(out, sentence_start);
            }
        }
        None => {}
    }
    for (s, e) in trailing.into_iter().rev() {
        push(out, offset + s, offset + e);
        let ends = matches!(chunk.get(s..e), Some("." | "!" | "?"));
        if ends {
            close_sentence(out, sentence_start);
        }
    }
}

fn push(out: &mut Tokenized, start: usize, end: usize) {
    out.tokens.push(Token { start, end });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Vec<&str>> {
        let t = tokenize(text);
        t.sentences
            .iter()
            .map(|s| {
                t.tokens[s.clone()]
                    .iter()
                    .map(|tok| &text[tok.start..tok.end])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn punctuation_is_split_but_abbreviations_keep_their_dot() {
        assert_eq!(
            words("EE.UU. y la UE (Bruselas) firmaron. Mr. J. Smith's firm, Acme Inc., won!"),
            vec![
                vec!["EE.UU.", "y", "la", "UE", "(", "Bruselas", ")", "firmaron", "."],
                vec!["Mr.", "J.", "Smith", "'s", "firm", ",", "Acme", "Inc.", ",", "won", "!"],
            ]
        );
    }

    #[test]
    fn capital_lines_and_blank_lines_end_sentences() {
        assert_eq!(
            words("SOCCER - JAPAN WIN\nTokyo said\nit won\n\nNext one"),
            vec![
                vec!["SOCCER", "-", "JAPAN", "WIN"],
                vec!["Tokyo", "said", "it", "won"],
                vec!["Next", "one"],
            ]
        );
    }

    #[test]
    fn unicode_spaces_separate_words() {
        assert_eq!(
            words("Tencent\u{a0}dijo\u{2009}algo"),
            vec![vec!["Tencent", "dijo", "algo"]]
        );
    }

    #[test]
    fn lone_punctuation_and_unicode_survive() {
        assert_eq!(
            words("¿Qué dijo «Álvarez»?"),
            vec![vec!["¿", "Qué", "dijo", "«", "Álvarez", "»", "?"]]
        );
        assert_eq!(
            words("Ya ganó .\nPero luego ! Sí"),
            vec![
                vec!["Ya", "ganó", "."],
                vec!["Pero", "luego", "!"],
                vec!["Sí"]
            ]
        );
    }
}

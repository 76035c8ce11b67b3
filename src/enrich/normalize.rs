//! Shared text normalisation: accent and case folding, word tokens, and the per-language stems
//! that topic rules and documents are compared by.

use std::borrow::Cow;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Lowercases `text` and strips accents: "Exportación" → "exportacion", "Ñandú" → "nandu".
///
/// Accents go by canonical decomposition (NFD) with the combining marks dropped, so every
/// precomposed Latin letter folds to its base letter. Typographic apostrophes (’ ‘) become `'`
/// so that "China’s" and "China's" compare equal.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Appends the folded form of `text` to `out` (see [`fold`]); lets hot loops reuse one buffer.
pub fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        if let Some(appended) = out.get_mut(start..) {
            appended.make_ascii_lowercase();
        }
        return;
    }
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c == '\u{2019}' || c == '\u{2018}' {
            out.push('\'');
        } else {
            for lower in c.to_lowercase() {
                decompose_canonical(lower, |part| {
                    if !is_combining_mark(part) {
                        out.push(part);
                    }
                });
            }
        }
    }
}

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

impl<'a> Iterator for Words<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let rest = self.text.get(self.pos..)?;
        let (offset, _) = rest.char_indices().find(|&(_, c)| is_word_char(c))?;
        let start = self.pos + offset;
        let mut end = start;
        let mut chars = self.text.get(start..)?.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if is_word_char(c) {
                end = start + i + c.len_utf8();
            } else if is_joiner(c) && chars.peek().is_some_and(|&(_, next)| is_word_char(next)) {
                continue;
            } else {
                break;
            }
        }
        self.pos = end;
        self.text.get(start..end).map(|word| (start, word))
    }
}

/// The languages stems are computed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StemLang {
    Es,
    En,
}

impl StemLang {
    pub const ALL: [StemLang; 2] = [StemLang::Es, StemLang::En];

    /// The stemmers to use for a document language code: its own, or both for anything else.
    pub fn for_code(code: &str) -> &'static [StemLang] {
        match code {
            "es" => &[StemLang::Es],
            "en" => &[StemLang::En],
            _ => &StemLang::ALL,
        }
    }

    pub fn index(self) -> usize {
        match self {
            StemLang::Es => 0,
            StemLang::En => 1,
        }
    }
}

/// Turns folded word tokens into stems for one language, dropping the language's stop words.
///
/// Snowball stemmers from `frostem`, the crate tantivy 0.27 itself uses for its stemming
/// analyzers, so topic rules and the index agree on what an inflection is.
#[derive(Clone, Copy)]
pub struct Stemmer {
    lang: StemLang,
    inner: frostem::Stemmer,
}

impl Stemmer {
    pub fn new(lang: StemLang) -> Stemmer {
        let algorithm = match lang {
            StemLang::Es => frostem::Algorithm::Spanish,
            StemLang::En => frostem::Algorithm::English,
        };
        Stemmer {
            lang,
            inner: frostem::Stemmer::new(algorithm),
        }
    }

    /// True for short function words ("de", "la", "the", "of") that rules and texts may add or
    /// leave out without changing what a phrase means.
    pub fn is_stop_word(&self, folded: &str) -> bool {
        match self.lang {
            StemLang::Es => SPANISH_STOP_WORDS.contains(&folded),
            StemLang::En => ENGLISH_STOP_WORDS.contains(&folded),
        }
    }

    /// Calls `emit` with the stem of every content part of one word token as written.
    ///
    /// The token is split at hyphens ("US-China" → "us", "china"), folded into `scratch`,
    /// stripped of a possessive "'s", and each part that is not a stop word is stemmed.
    /// Acronym plurals written as such ("GPUs", "ASICs") lose their "s" first, which the
    /// Snowball rules would keep.
    pub fn stems_of(&self, token: &str, scratch: &mut String, mut emit: impl FnMut(&str)) {
        for part in token.split(['-', '\u{2010}', '\u{2011}', '\u{00AD}']) {
            if part.is_empty() {
                continue;
            }
            let part = strip_acronym_plural(part);
            scratch.clear();
            fold_into(part, scratch);
            let mut word: &str = scratch;
            if let Some(base) = word.strip_suffix("'s") {
                word = base;
            }
            if word.contains('\'') {
                // "l'exportation", "d'Italia": the part after the apostrophe carries the meaning.
                word = word.rsplit('\'').next().unwrap_or(word);
            }
            if word.is_empty() || self.is_stop_word(word) {
                continue;
            }
            let stem: Cow<'_, str> = self.inner.stem(word);
            match self.lang {
                StemLang::Es => emit(strip_loanword_plural(&stem)),
                StemLang::En => emit(&stem),
            }
        }
    }
}

/// "GPUs" → "GPU", "LLMs" → "LLM"; anything else unchanged.
fn strip_acronym_plural(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(base) if base.len() >= 2 && base.chars().all(|c| c.is_ascii_uppercase()) => base,
        _ => word,
    }
}

/// Spanish Snowball keeps the "s" of loanword plurals that end in a consonant ("chips", "robots",
/// "tests"); native Spanish words almost never end that way, so the "s" goes.
fn strip_loanword_plural(stem: &str) -> &str {
    let bytes = stem.as_bytes();
    match bytes {
        [.., before, b's']
            if bytes.len() >= 4 && before.is_ascii_lowercase() && !b"aeious".contains(before) =>
        {
            stem.get(..stem.len() - 1).unwrap_or(stem)
        }
        _ => stem,
    }
}

/// Articles, prepositions and conjunctions that stay out of phrase matching in Spanish.
const SPANISH_STOP_WORDS: &[&str] = &[
    "a", "al", "con", "de", "del", "e", "el", "en", "la", "las", "lo", "los", "o", "para", "por",
    "su", "sus", "u", "un", "una", "unas", "unos", "y",
];

/// The same for English.
const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "an", "and", "by", "for", "in", "its", "of", "on", "or", "the", "their", "to", "with",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(lang: StemLang, text: &str) -> Vec<String> {
        let stemmer = Stemmer::new(lang);
        let mut scratch = String::new();
        let mut out = Vec::new();
        for (_, word) in words(text) {
            stemmer.stems_of(word, &mut scratch, |stem| out.push(stem.to_string()));
        }
        out
    }

    #[test]
    fn fold_lowercases_and_strips_accents() {
        assert_eq!(fold("Exportación"), "exportacion");
        assert_eq!(fold("ÑANDÚ pingüino"), "nandu pinguino");
        assert_eq!(fold("China’s GPUs"), "china's gpus");
        assert_eq!(fold("plain ASCII"), "plain ascii");
        // Decomposed input (e + combining acute) folds the same as precomposed.
        assert_eq!(fold("exportacio\u{301}n"), "exportacion");
    }

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
    fn spanish_stems_join_inflections_and_drop_stop_words() {
        assert_eq!(
            stems(StemLang::Es, "control de exportación"),
            stems(StemLang::Es, "Controles de las exportaciones")
        );
        assert_eq!(
            stems(StemLang::Es, "exportacion"),
            stems(StemLang::Es, "exportación")
        );
        assert_eq!(
            stems(StemLang::Es, "chip de IA"),
            stems(StemLang::Es, "chips de IA")
        );
        assert_eq!(stems(StemLang::Es, "robot"), stems(StemLang::Es, "robots"));
        assert_eq!(stems(StemLang::Es, "GPU"), stems(StemLang::Es, "GPUs"));
        // Native plurals are the stemmer's job and are left to it.
        assert_eq!(
            stems(StemLang::Es, "semiconductor"),
            stems(StemLang::Es, "semiconductores")
        );
    }

    #[test]
    fn english_stems_join_inflections_hyphens_and_acronym_plurals() {
        assert_eq!(
            stems(StemLang::En, "export control"),
            stems(StemLang::En, "export controls")
        );
        assert_eq!(stems(StemLang::En, "GPU"), stems(StemLang::En, "GPUs"));
        assert_eq!(stems(StemLang::En, "US-China"), vec!["us", "china"]);
        assert_eq!(
            stems(StemLang::En, "chain-of-thought"),
            stems(StemLang::En, "chain of thought")
        );
        assert_eq!(stems(StemLang::En, "China's"), stems(StemLang::En, "China"));
        // "bus" is not an acronym plural and keeps its s.
        assert_eq!(stems(StemLang::En, "bus"), vec!["bus"]);
    }
}

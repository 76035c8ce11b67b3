//! Per-language stems that topic rules and documents are compared by: Snowball stemming of folded
//! words, stop words, possessives and acronym plurals, and the rules that join words damaged input
//! split in two ("semi conductores").

use std::borrow::Cow;
use std::cell::RefCell;

use crate::text::{fold, fold_into};

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

    /// The language whose rules this stemmer applies.
    pub fn lang(&self) -> StemLang {
        self.lang
    }

    /// True for short function words ("de", "la", "the", "of") that rules and texts may add or
    /// leave out without changing what a phrase means.
    pub fn is_stop_word(&self, folded: &str) -> bool {
        // Every listed word is short: longer words (most of them) are not looked up at all.
        if folded.len() > LONGEST_STOP_WORD {
            return false;
        }
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
    pub fn stems_of(&self, token: &str, scratch: &mut String, emit: impl FnMut(&str)) {
        self.stems_of_wanted(token, scratch, |_| true, emit);
    }

    /// [`Stemmer::stems_of`] for a reader that only needs some stems: a content word for which
    /// `wanted` (given the folded word) says no is not stemmed, and [`UNWANTED_STEM`] stands in
    /// for its stem, so that the words around it stay apart.
    pub fn stems_of_wanted(
        &self,
        token: &str,
        scratch: &mut String,
        wanted: impl Fn(&str) -> bool,
        mut emit: impl FnMut(&str),
    ) {
        // Most tokens are plain ASCII words with nothing to split, which `split` would still
        // scan character by character for four separators.
        if token.bytes().all(|b| b.is_ascii_alphanumeric()) {
            self.stem_part(token, scratch, &wanted, &mut emit);
            return;
        }
        for part in token.split(['-', '\u{2010}', '\u{2011}', '\u{00AD}']) {
            self.stem_part(part, scratch, &wanted, &mut emit);
        }
    }

    /// [`Stemmer::stems_of_wanted`] for one hyphen-free part of a token.
    fn stem_part(
        &self,
        part: &str,
        scratch: &mut String,
        wanted: &impl Fn(&str) -> bool,
        emit: &mut impl FnMut(&str),
    ) {
        if part.is_empty() {
            return;
        }
        let word = content_form(part, scratch);
        if word.is_empty() || self.is_stop_word(word) {
            return;
        }
        if wanted(word) {
            self.cached_stem(word, emit);
        } else {
            emit(UNWANTED_STEM);
        }
    }

    /// Emits the stem of one folded word that the caller has already found to be a content word
    /// (the term extractor keeps its own, longer stop lists).
    pub fn stem_folded(&self, word: &str, mut emit: impl FnMut(&str)) {
        self.cached_stem(word, &mut emit);
    }

    /// Emits the stem of one folded content word, from this thread's cache when the word was seen
    /// before: news repeats a small vocabulary, and a hash lookup is several times cheaper than
    /// running the Snowball rules again.
    fn cached_stem(&self, word: &str, emit: &mut impl FnMut(&str)) {
        STEM_CACHE.with(|cache| {
            let Ok(mut caches) = cache.try_borrow_mut() else {
                // Re-entered from `emit` (never done today): stem without the cache.
                emit(&self.stem_uncached(word));
                return;
            };
            let map = &mut caches[self.lang.index()];
            if let Some(stem) = map.get(word) {
                emit(stem);
                return;
            }
            let stem = self.stem_uncached(word);
            if map.len() >= STEM_CACHE_WORDS {
                map.clear();
            }
            map.insert(word.into(), stem.as_str().into());
            emit(&stem);
        });
    }

    fn stem_uncached(&self, word: &str) -> String {
        let stem: Cow<'_, str> = self.inner.stem(word);
        match self.lang {
            StemLang::Es => strip_loanword_plural(&stem).to_string(),
            StemLang::En => stem.into_owned(),
        }
    }
}

/// What [`Stemmer::stems_of_wanted`] emits for a word it was told not to stem; no word stems to it.
pub const UNWANTED_STEM: &str = "_";

/// Words kept per language and thread before the stem cache starts again (a few MB at most).
const STEM_CACHE_WORDS: usize = 50_000;

// rustc-hash (already built for tantivy) hashes short words much faster than the default SipHash;
// the keys are words of the text, and a collision only costs a comparison.
type StemMap = rustc_hash::FxHashMap<Box<str>, Box<str>>;

thread_local! {
    /// Folded word → stem, one map per [`StemLang`] (by [`StemLang::index`]).
    static STEM_CACHE: RefCell<[StemMap; 2]> = RefCell::new(Default::default());
}

/// The folded form of one hyphen-free part of a word token that stems are taken from, written
/// into `scratch`: an acronym plural loses its "s" ("GPUs" → "gpu"), a possessive "'s" goes, and
/// of "l'exportation" or "d'Italia" only the part after the apostrophe is kept.
pub(crate) fn content_form<'a>(part: &str, scratch: &'a mut String) -> &'a str {
    let part = strip_acronym_plural(part);
    scratch.clear();
    fold_into(part, scratch);
    let mut word: &str = scratch;
    if let Some(base) = word.strip_suffix("'s") {
        word = base;
    }
    if word.contains('\'') {
        word = word.rsplit('\'').next().unwrap_or(word);
    }
    word
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

/// Word starts that machine translation and PDF extraction split from the rest of their word
/// ("semi conductores", "micro chips"): joined to the next word before stemming.
const SPLIT_PREFIXES: &[&str] = &["semi", "micro", "nano", "ciber", "cyber", "multi"];

/// Whole words split in two by the same damage, as (first half, second half).
const SPLIT_WORDS: &[(&str, &str)] = &[("soft", "ware"), ("hard", "ware")];

/// Every first half that [`is_split_word`] may join to the word after it.
pub fn split_word_heads() -> impl Iterator<Item = &'static str> {
    SPLIT_PREFIXES
        .iter()
        .copied()
        .chain(SPLIT_WORDS.iter().map(|(first, _)| *first))
}

/// True if `first` and `second`, written with a single space between them, are most likely one
/// word split by damaged input; both are compared folded.
pub fn is_split_word(first: &str, gap: &str, second: &str) -> bool {
    if gap != " " || second.is_empty() {
        return false;
    }
    // Nearly every pair of words is ASCII and fails on the first comparison: no need to fold.
    if first.is_ascii() && second.is_ascii() {
        return rejoins(first, second, str::eq_ignore_ascii_case);
    }
    rejoins(&fold(first), &fold(second), |a, b| a == b)
}

/// [`is_split_word`] on two halves, with `same` telling a half from a listed spelling.
fn rejoins(first: &str, second: &str, same: impl Fn(&str, &str) -> bool) -> bool {
    let prefix = SPLIT_PREFIXES.iter().any(|listed| same(first, listed));
    let word = SPLIT_WORDS.iter().any(|(one, _)| same(first, one));
    if !(prefix || word) || !second.chars().all(char::is_alphabetic) {
        return false;
    }
    prefix && second.chars().count() >= 4
        || SPLIT_WORDS
            .iter()
            .any(|(one, two)| same(first, one) && same(second, two))
}

/// Bytes in the longest word of [`SPANISH_STOP_WORDS`] and [`ENGLISH_STOP_WORDS`] (checked by a test).
const LONGEST_STOP_WORD: usize = 6;

/// Articles, prepositions and conjunctions that stay out of phrase matching in Spanish.
const SPANISH_STOP_WORDS: &[&str] = &[
    "a", "al", "con", "de", "del", "e", "el", "en", "la", "las", "lo", "los", "o", "para", "por",
    "su", "sus", "u", "un", "una", "unas", "unos", "y",
    // Machine translation and careless typing glue two function words together ("enla cadena",
    // "dela inteligencia"); none of these is a Spanish word, so they are safe to drop as well.
    "enla", "enlas", "enlos", "enel", "dela", "delas", "delos", "conla", "conel", "porla", "porel",
    "parala", "parael",
];

/// The same for English.
const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "an", "and", "by", "for", "in", "its", "of", "on", "or", "the", "their", "to", "with",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::words;

    #[test]
    fn no_stop_word_is_longer_than_the_limit() {
        let longest = SPANISH_STOP_WORDS
            .iter()
            .chain(ENGLISH_STOP_WORDS)
            .map(|word| word.len())
            .max();
        assert_eq!(longest, Some(LONGEST_STOP_WORD));
    }

    #[test]
    fn cached_stems_equal_fresh_ones() {
        for (lang, text) in [
            (
                StemLang::En,
                "controls Controls exporting exports GPUs running runs",
            ),
            (
                StemLang::Es,
                "controles exportaciones chips Chips corriendo corriendo",
            ),
        ] {
            let stemmer = Stemmer::new(lang);
            let fresh: Vec<String> = text
                .split(' ')
                .map(|word| stemmer.stem_uncached(&fold(strip_acronym_plural(word))))
                .collect();
            // Twice: the first pass fills the cache, the second reads it.
            assert_eq!(stems(lang, text), fresh);
            assert_eq!(stems(lang, text), fresh);
        }
    }

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
    fn split_words_are_recognised() {
        assert!(is_split_word("semi", " ", "conductores"));
        assert!(is_split_word("soft", " ", "ware"));
        assert!(!is_split_word("semi", ", ", "conductores"));
        assert!(!is_split_word("soft", " ", "drinks"));
        assert!(!is_split_word("semi", " ", "2024"));
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

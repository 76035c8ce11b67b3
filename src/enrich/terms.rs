//! Terms: the words and two- or three-word phrases of a document, stemmed for counting and paired
//! with the spelling the text used, so that `trends --kind term` can count them from a fast column
//! prepared at index time and show "controles de exportación" rather than "control export".
//!
//! A term key is the stems of its content words joined by single spaces ("control export"), the
//! same for Spanish and English (a stem both languages share counts once). Stop words (the NLTK
//! lists of the `stop-words` crate, both languages, and a few words of reporting such as "said")
//! may sit inside a phrase, at most two in a row, but never start or end one, and are not part of
//! the key. Numbers, one-letter tokens, month and weekday names, counting words ("mln",
//! "millones"), news agency names and punctuation are no terms and break phrases. Documents in
//! neither language get no terms.

use std::collections::HashSet;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::dates::{is_month_word, is_weekday_name};
use super::lang::Lang;
use super::stems::{content_form, StemLang, Stemmer};
use crate::text::{fold, words};

/// Most term keys kept per document: a long report has thousands of distinct phrases, nearly all
/// said once. The kept ones are those of the title first, then the most repeated, then words
/// before phrases, then the earliest.
pub const MAX_TERMS_PER_DOCUMENT: usize = 120;

/// Stop words that may sit inside a phrase run at most this long.
const MAX_INNER_STOP_WORDS: usize = 2;

/// Words that are no term and end any phrase: dates, counting words and agency credits, which a
/// window of news is full of without their being what the news is about.
const BREAK_WORDS: &[&str] = &[
    "today",
    "yesterday",
    "tomorrow",
    "hoy",
    "ayer",
    "manana",
    // Counting words and units that stand beside numbers.
    "mln",
    "bln",
    "dlr",
    "dlrs",
    "cts",
    "pct",
    "percent",
    "million",
    "millions",
    "billion",
    "billions",
    "trillion",
    "thousand",
    "thousands",
    "hundred",
    "millon",
    "millones",
    "billon",
    "billones",
    "mil",
    "miles",
    "ciento",
    "cientos",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    // News agencies and credit lines.
    "reuter",
    "reuters",
    "efe",
    "afp",
    "dpa",
    "ansa",
    "xinhua",
    "europapress",
    "apnews",
];

/// Words of reporting that news puts around every fact ("said", "dijo"): treated as stop words.
const REPORTING_WORDS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "added",
    "according",
    "also",
    "would",
    "could",
    "reported",
    "dijo",
    "dice",
    "afirmo",
    "aseguro",
    "senalo",
    "explico",
    "anadio",
    "indico",
    "segun",
    "tambien",
    "ademas",
];

/// What one word of the text is to the extractor.
enum Part {
    /// A content word, by its stem.
    Content,
    /// A stop word: allowed inside a phrase.
    Stop,
    /// No term, and the end of any phrase.
    Break,
}

/// The folded stop words of one language, with the break words.
struct Lists {
    stop: HashSet<String>,
    breaks: HashSet<&'static str>,
}

fn lists(lang: StemLang) -> &'static Lists {
    static LISTS: OnceLock<[Lists; 2]> = OnceLock::new();
    let all = LISTS.get_or_init(|| {
        let make = |code: &str| Lists {
            stop: stop_words::get(code)
                .iter()
                .map(|word| fold(word))
                .chain(REPORTING_WORDS.iter().map(|word| word.to_string()))
                .collect(),
            breaks: BREAK_WORDS.iter().copied().collect(),
        };
        [make("es"), make("en")]
    });
    &all[lang.index()]
}

/// A content word seen, with its stem and where it is in the text.
#[derive(Clone)]
struct Seen {
    stem: String,
    start: usize,
}

/// Calls `each(key, words, surface)` for every occurrence of a term in `text` (a language
/// of [`Lang::Es`] or [`Lang::En`]; nothing for others): `words` is 1, 2 or 3 and `surface` the
/// text from the first content word to the last, as written.
pub fn for_each_term(lang: Lang, text: &str, mut each: impl FnMut(&str, usize, &str)) {
    let stem_lang = match lang {
        Lang::Es => StemLang::Es,
        Lang::En => StemLang::En,
        Lang::Other => return,
    };
    let stemmer = Stemmer::new(stem_lang);
    let lists = lists(stem_lang);
    let mut chain: Vec<Seen> = Vec::with_capacity(3);
    let mut stops = 0;
    let mut scratch = String::new();
    let mut key = String::new();
    let mut last_end = 0;
    for (offset, token) in words(text) {
        if breaks_between(text.get(last_end..offset).unwrap_or("")) {
            chain.clear();
        }
        last_end = offset + token.len();
        let mut part_start = offset;
        for part in token.split(['-', '\u{2010}', '\u{2011}', '\u{00AD}']) {
            let start = part_start;
            part_start += part.len() + 1;
            if part.is_empty() {
                continue;
            }
            let mut stem = String::new();
            match classify(&stemmer, lists, part, &mut scratch, &mut stem) {
                Part::Break => {
                    chain.clear();
                    stops = 0;
                }
                Part::Stop => {
                    stops += 1;
                    if stops > MAX_INNER_STOP_WORDS {
                        chain.clear();
                    }
                }
                Part::Content => {
                    stops = 0;
                    let end = start + part.len();
                    chain.push(Seen { stem, start });
                    if chain.len() > 3 {
                        chain.remove(0);
                    }
                    for first in (0..chain.len()).rev() {
                        key.clear();
                        for (at, seen) in chain[first..].iter().enumerate() {
                            if at > 0 {
                                key.push(' ');
                            }
                            key.push_str(&seen.stem);
                        }
                        let surface = text.get(chain[first].start..end).unwrap_or("");
                        each(&key, chain.len() - first, surface);
                    }
                }
            }
        }
    }
}

/// True when the text between two words ends a phrase: any punctuation, or a blank line.
fn breaks_between(gap: &str) -> bool {
    gap.chars().any(|c| !c.is_whitespace()) || gap.matches('\n').count() > 1
}

/// What `part` (one hyphen-free piece of a word token) is; a content word's stem goes to `stem`.
fn classify(
    stemmer: &Stemmer,
    lists: &Lists,
    part: &str,
    scratch: &mut String,
    stem: &mut String,
) -> Part {
    let word = content_form(part, scratch);
    if word.chars().count() < 2
        || lists.breaks.contains(word)
        || is_month_word(word.as_bytes())
        || is_weekday_name(word)
    {
        return Part::Break;
    }
    if word.bytes().any(|b| b.is_ascii_digit()) {
        // A number, a year or an amount is no term; a model name that starts with a letter
        // ("H20", "G7") is one, as written.
        if word.starts_with(|c: char| c.is_alphabetic()) {
            stem.push_str(word);
            return Part::Content;
        }
        return Part::Break;
    }
    if lists.stop.contains(word) {
        return Part::Stop;
    }
    stemmer.stem_folded(word, |found| stem.push_str(found));
    if stem.is_empty() {
        return Part::Break;
    }
    Part::Content
}

/// How a document uses one term.
#[derive(Clone, Copy)]
struct Use {
    in_title: bool,
    count: u32,
    words: usize,
    first: usize,
}

/// The distinct term keys of a document (title and article body), at most
/// [`MAX_TERMS_PER_DOCUMENT`] of them, kept as that constant says.
pub fn document_terms(lang: Lang, title: Option<&str>, body: &str) -> Vec<String> {
    let mut uses: FxHashMap<String, Use> = FxHashMap::default();
    let mut position = 0;
    let mut add = |key: &str, words: usize, in_title: bool| {
        position += 1;
        match uses.get_mut(key) {
            Some(seen) => {
                seen.count += 1;
                seen.in_title |= in_title;
            }
            None => {
                uses.insert(
                    key.to_string(),
                    Use {
                        in_title,
                        count: 1,
                        words,
                        first: position,
                    },
                );
            }
        }
    };
    if let Some(title) = title {
        for_each_term(lang, title, |key, words, _| add(key, words, true));
    }
    for_each_term(lang, body, |key, words, _| add(key, words, false));
    let mut kept: Vec<(String, Use)> = uses.into_iter().collect();
    if kept.len() > MAX_TERMS_PER_DOCUMENT {
        let rank = |seen: &Use| {
            (
                !seen.in_title,
                std::cmp::Reverse(seen.count),
                seen.words,
                seen.first,
            )
        };
        kept.select_nth_unstable_by_key(MAX_TERMS_PER_DOCUMENT - 1, |(_, seen)| rank(seen));
        kept.truncate(MAX_TERMS_PER_DOCUMENT);
    }
    let mut keys: Vec<String> = kept.into_iter().map(|(key, _)| key).collect();
    keys.sort_unstable();
    keys
}

/// Tallies the spellings of the terms `wanted` in documents, to show each term as people write
/// it: the most frequent spelling wins, the one with fewer capitals on a tie.
#[derive(Debug, Default)]
pub struct Surfaces {
    seen: FxHashMap<String, FxHashMap<String, u32>>,
}

impl Surfaces {
    /// Counts the spellings of `wanted` terms in one document. A title in capitals ("JAPAN CHIP
    /// TARIFFS") says nothing about how a word is written and is skipped.
    pub fn add_document(
        &mut self,
        lang: Lang,
        title: Option<&str>,
        body: &str,
        wanted: &HashSet<String>,
    ) {
        let mut add = |key: &str, _: usize, surface: &str| {
            if wanted.contains(key) {
                let spelled = surface.split_whitespace().collect::<Vec<_>>().join(" ");
                *self
                    .seen
                    .entry(key.to_string())
                    .or_default()
                    .entry(spelled)
                    .or_default() += 1;
            }
        };
        if let Some(title) = title.filter(|title| !is_shouted(title)) {
            for_each_term(lang, title, &mut add);
        }
        for_each_term(lang, body, &mut add);
    }

    /// The spelling of `key` seen most often, if any was seen.
    pub fn best(&self, key: &str) -> Option<String> {
        let capitals = |text: &str| text.chars().filter(|c| c.is_uppercase()).count();
        self.seen
            .get(key)?
            .iter()
            .max_by(|(a, n), (b, m)| {
                n.cmp(m)
                    .then_with(|| capitals(b).cmp(&capitals(a)))
                    .then_with(|| b.cmp(a))
            })
            .map(|(spelled, _)| spelled.clone())
    }
}

/// True for text written in capitals (a wire headline), which hides how its words are spelled.
fn is_shouted(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let lower = text.chars().filter(|c| c.is_lowercase()).count();
    letters >= 4 && lower * 10 < letters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(lang: Lang, text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for_each_term(lang, text, |key, _, surface| {
            out.push((key.to_string(), surface.to_string()));
        });
        out
    }

    fn keys(lang: Lang, text: &str) -> Vec<String> {
        terms(lang, text).into_iter().map(|(key, _)| key).collect()
    }

    #[test]
    fn spanish_phrases_may_hold_stop_words_inside_but_not_at_the_ends() {
        let found = terms(Lang::Es, "Los controles de exportación de chips.");
        let surfaces: Vec<&str> = found.iter().map(|(_, s)| s.as_str()).collect();
        assert!(surfaces.contains(&"controles de exportación"), "{found:?}");
        assert!(
            surfaces.contains(&"controles de exportación de chips"),
            "{found:?}"
        );
        assert!(surfaces
            .iter()
            .all(|s| !s.starts_with("Los ") && !s.starts_with("de ")));
        // Inflections and accents share a key.
        assert_eq!(
            keys(Lang::Es, "controles de exportaciones").last().cloned(),
            keys(Lang::Es, "control de la exportacion").last().cloned()
        );
    }

    #[test]
    fn english_words_and_phrases_are_stemmed_and_stop_words_dropped() {
        let found = keys(Lang::En, "The new export controls on chips");
        assert!(found.contains(&"export control".to_string()), "{found:?}");
        assert!(
            found.contains(&"new export control".to_string()),
            "{found:?}"
        );
        assert!(found.contains(&"control chip".to_string()), "{found:?}");
        assert!(!found
            .iter()
            .any(|k| k.split(' ').any(|w| w == "the" || w == "on")));
        assert_eq!(
            found.iter().filter(|k| !k.contains(' ')).count(),
            4,
            "{found:?}"
        );
    }

    #[test]
    fn numbers_dates_letters_agencies_and_punctuation_break_phrases() {
        let found = keys(
            Lang::En,
            "Tokyo, March 27 - Reuter: tariffs of 300 mln dlrs on U.S. chips. Japan retaliates",
        );
        for absent in ["27", "march", "reuter", "300", "mln", "dlr", "u", "s"] {
            assert!(
                !found.iter().any(|k| k.split(' ').any(|w| w == absent)),
                "{absent} {found:?}"
            );
        }
        // Nothing joins across the full stop, the comma or the dropped words.
        assert!(
            !found
                .iter()
                .any(|k| k == "chip japan" || k == "tokyo tariff"),
            "{found:?}"
        );
        // A model name that starts with a letter is a term.
        assert!(keys(Lang::En, "H20 chips").contains(&"h20 chip".to_string()));
        assert!(keys(Lang::Other, "anything at all").is_empty());
    }

    #[test]
    fn three_stop_words_in_a_row_end_a_phrase() {
        let found = keys(Lang::En, "chips and all of the tariffs");
        assert!(!found.iter().any(|k| k.contains(' ')), "{found:?}");
        assert!(keys(Lang::En, "Bank of Japan").contains(&"bank japan".to_string()));
    }

    #[test]
    fn the_most_frequent_spelling_is_shown_and_shouted_titles_are_skipped() {
        let mut surfaces = Surfaces::default();
        let key = keys(Lang::Es, "controles de exportación")
            .last()
            .cloned()
            .unwrap_or_default();
        let wanted: HashSet<String> = [key.clone()].into_iter().collect();
        surfaces.add_document(
            Lang::Es,
            Some("CONTROLES DE EXPORTACION"),
            "Los controles de exportación. Controles de exportación. Los controles de exportación.",
            &wanted,
        );
        assert_eq!(
            surfaces.best(&key).as_deref(),
            Some("controles de exportación")
        );
        assert_eq!(surfaces.best("nothing"), None);
    }

    #[test]
    fn a_document_keeps_its_title_and_most_repeated_terms_within_the_cap() {
        let body: String = (0..400).map(|n| format!("word{} ", letters(n))).collect();
        let body = format!("{body}. Semiconductor tariffs. Semiconductor tariffs.");
        let kept = document_terms(Lang::En, Some("Chip dispute"), &body);
        assert_eq!(kept.len(), MAX_TERMS_PER_DOCUMENT);
        for wanted in [
            "chip disput",
            "semiconductor tariff",
            "semiconductor",
            "tariff",
        ] {
            assert!(kept.contains(&wanted.to_string()), "{wanted} missing");
        }
    }

    /// A distinct lower-case word for each number ("a", "b", … "ba").
    fn letters(mut n: usize) -> String {
        let mut out = String::new();
        loop {
            out.insert(0, char::from(b'a' + (n % 26) as u8));
            n /= 26;
            if n == 0 {
                return out;
            }
        }
    }
}

//! Discovery of names that are not in the gazetteer: runs of capitalised words, joined by a few connectors
//! ("de", "del", "de la", "of", "of the"…), with sentence starts, function words, calendar words, titles,
//! all-capitals headline lines and curated mentions taken out.

use std::borrow::Cow;

use rustc_hash::FxHashSet;

use super::words;
use crate::text::{char_at, fold, fold_into, single_spaced};

/// One discovered name, in byte offsets of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Discovered<'t> {
    pub start: usize,
    pub end: usize,
    /// The surface form with whitespace normalised (borrowed from the text when it already is).
    pub surface: Cow<'t, str>,
    /// Folded surface, used to merge variants.
    pub key: String,
}

/// A capitalised word or a connector of the text and what discovery needs to know about it. Other
/// words only break runs, so they get no token of their own (see `after_break`).
#[derive(Debug)]
struct Token {
    start: usize,
    end: usize,
    /// Byte range of the folded form in [`Tokens::folded`]; empty unless the word is capitalised.
    folded: (usize, usize),
    capitalised: bool,
    /// First word of a sentence (worked out for capitalised words only, the only ones that ask).
    initial: bool,
    /// On a line written in capitals only (a headline or dateline).
    headline: bool,
    /// Only spaces (no punctuation, no blank line) separate it from the previous word (worked out
    /// for capitalised words and connectors only, the only ones that ask).
    joinable: bool,
    /// Only an ampersand separates it from the previous word ("Procter & Gamble"); capitalised
    /// words only.
    ampersand: bool,
    /// Ends in a possessive "'s": the name stops here ("Security Pacific's Bannon" is two names).
    possessive: bool,
    /// A word that breaks runs (neither capitalised nor a connector) came since the previous token.
    after_break: bool,
}

/// The words of a text, with the folded forms of the capitalised ones kept one after another in
/// a single string (one allocation instead of one per word).
struct Tokens {
    list: Vec<Token>,
    folded: String,
}

impl Tokens {
    fn get(&self, index: usize) -> Option<&Token> {
        self.list.get(index)
    }

    /// The folded form of a capitalised word ("" for other words).
    fn folded(&self, token: &Token) -> &str {
        self.folded
            .get(token.folded.0..token.folded.1)
            .unwrap_or("")
    }
}

/// Longest discovered name, in words; longer runs are title-cased prose, not names.
const MAX_WORDS: usize = 8;

/// Finds names in `text`; `curated` holds the byte spans of curated mentions (sorted), which win;
/// `known` holds folded words that are names even when they open a sentence (surnames of curated people).
pub(crate) fn discover<'t>(
    text: &'t str,
    curated: &[(usize, usize)],
    known: impl Fn(&str) -> bool,
) -> Vec<Discovered<'t>> {
    let mut found = Vec::new();
    // Without a capital letter no word is capitalised, so nothing can be a name.
    if !text.chars().any(char::is_uppercase) {
        return found;
    }
    let tokens = tokenize(text);
    let mut vouch = Vouch {
        tokens: &tokens,
        elsewhere: None,
        known: &known,
    };
    let mut run: Vec<usize> = Vec::new();
    let mut pending: Vec<usize> = Vec::new();
    let mut next_curated = 0;
    for (index, token) in tokens.list.iter().enumerate() {
        // What each skipped word between the previous token and this one would have done.
        if token.after_break {
            pending.clear();
            if !run.is_empty() {
                flush(text, &tokens, &run, &mut vouch, &mut found);
                run.clear();
            }
        }
        while curated
            .get(next_curated)
            .is_some_and(|span| span.1 <= token.start)
        {
            next_curated += 1;
        }
        let blocked = token.headline
            || curated
                .get(next_curated)
                .is_some_and(|span| span.0 < token.end);
        if token.capitalised && !blocked {
            // At most two connectors wait (see below), so the chain fits in two slots.
            let mut chain_words = [""; 2];
            let mut chain_len = 0;
            for &i in &pending {
                if let Some(word) = word_of(text, &tokens, i) {
                    if let Some(slot) = chain_words.get_mut(chain_len) {
                        *slot = word;
                    }
                    chain_len += 1;
                }
            }
            let chain = chain_words.get(..chain_len);
            let after_possessive = run
                .last()
                .and_then(|&i| tokens.get(i))
                .is_some_and(|t| t.possessive);
            let joins = !run.is_empty()
                && !after_possessive
                && run.len() + pending.len() < MAX_WORDS
                && (pending.is_empty()
                    || run.len() == 1
                    || !matches!(chain.and_then(|c| c.first()), Some(&"of"))
                    || ends_with_head_noun(&tokens, &run))
                && (token.joinable || (token.ampersand && pending.is_empty()))
                && chain.is_some_and(|chain| {
                    chain_allowed(chain, || has_of_connector(text, &tokens, &run))
                });
            if joins {
                run.append(&mut pending);
                run.push(index);
            } else {
                pending.clear();
                if !run.is_empty() {
                    flush(text, &tokens, &run, &mut vouch, &mut found);
                }
                run.clear();
                run.push(index);
            }
        } else if !run.is_empty()
            && !blocked
            && token.joinable
            && pending.len() < 2
            && is_connector(text.get(token.start..token.end).unwrap_or(""))
        {
            pending.push(index);
        } else {
            pending.clear();
            if !run.is_empty() {
                flush(text, &tokens, &run, &mut vouch, &mut found);
                run.clear();
            }
        }
    }
    flush(text, &tokens, &run, &mut vouch, &mut found);
    found
}

/// Answers whether a lone word opening a sentence is still a name: it is capitalised mid-sentence
/// elsewhere in the text, or `known` says so. The set of such words is built on the first question.
struct Vouch<'a, K> {
    tokens: &'a Tokens,
    elsewhere: Option<FxHashSet<&'a str>>,
    known: &'a K,
}

impl<K: Fn(&str) -> bool> Vouch<'_, K> {
    fn vouches(&mut self, folded: &str) -> bool {
        let tokens = self.tokens;
        let elsewhere = self.elsewhere.get_or_insert_with(|| {
            let mut set = FxHashSet::with_capacity_and_hasher(
                tokens.list.len() / 4,
                rustc_hash::FxBuildHasher,
            );
            set.extend(
                tokens
                    .list
                    .iter()
                    .filter(|t| t.capitalised && !t.initial && !t.headline)
                    .map(|t| tokens.folded(t)),
            );
            set
        });
        elsewhere.contains(folded) || (self.known)(folded)
    }
}

fn word_of<'t>(text: &'t str, tokens: &Tokens, index: usize) -> Option<&'t str> {
    let token = tokens.get(index)?;
    text.get(token.start..token.end)
}

fn is_connector(word: &str) -> bool {
    // Every connector has at most three letters; most words are longer.
    word.len() <= 3
        && matches!(
            word,
            "de" | "del"
                | "la"
                | "las"
                | "los"
                | "y"
                | "e"
                | "of"
                | "the"
                | "and"
                | "for"
                | "van"
                | "von"
                | "der"
                | "da"
                | "di"
                | "du"
        )
}

/// Whether a run of connectors may sit between two capitalised words; "y"/"and" only inside a name that
/// already has a "de"/"of" ("Ministerio de Trabajo y Asuntos Sociales"), so that "Juan y Pedro" stay two.
/// `has_of` is only asked when the answer depends on it.
fn chain_allowed(chain: &[&str], has_of: impl FnOnce() -> bool) -> bool {
    match chain {
        [] => true,
        ["de" | "del" | "of" | "for" | "van" | "von" | "der" | "da" | "di" | "du"] => true,
        ["de", "la" | "las" | "los"] | ["of", "the"] | ["van" | "von", "der"] => true,
        ["y" | "e" | "and"] => has_of(),
        _ => false,
    }
}

/// Whether the last word of the run is an institution or place head noun ("… Bank" of England). English
/// "of" after two or more words needs one, since "Bob Bannon of Pacific Bank" is a person and a bank;
/// Spanish "de" does not, because it is part of many names of both kinds.
fn ends_with_head_noun(tokens: &Tokens, run: &[usize]) -> bool {
    run.last()
        .and_then(|&i| tokens.get(i))
        .is_some_and(|t| words::is_head_noun(tokens.folded(t)))
}

fn has_of_connector(text: &str, tokens: &Tokens, run: &[usize]) -> bool {
    run.iter()
        .filter_map(|&i| word_of(text, tokens, i))
        .any(|w| matches!(w, "de" | "del" | "of"))
}

/// Turns a run of tokens into a discovered name, if anything name-like is left after trimming.
fn flush<'t, K: Fn(&str) -> bool>(
    text: &'t str,
    tokens: &Tokens,
    run: &[usize],
    vouch: &mut Vouch<'_, K>,
    found: &mut Vec<Discovered<'t>>,
) {
    if run.is_empty() {
        return;
    }
    let picked = |k: usize| run.get(k).and_then(|&i| tokens.get(i));
    let mut first = 0;
    let mut last = run.len();
    // Leading titles, function words and calendar words go; so do connectors they leave at the front.
    while first < last {
        let Some(token) = picked(first) else {
            break;
        };
        let lists = words::lists_of(tokens.folded(token));
        let strip = !token.capitalised
            || lists.calendar_word()
            || lists.stop_word()
            || (lists.title()
                && (first + 1..last).any(|k| picked(k).is_some_and(|t| t.capitalised)));
        if !strip {
            break;
        }
        first += 1;
    }
    while last > first {
        let Some(token) = picked(last - 1) else {
            break;
        };
        let lists = words::lists_of(tokens.folded(token));
        let strip =
            !token.capitalised || lists.calendar_word() || lists.stop_word() || lists.title();
        if !strip {
            break;
        }
        last -= 1;
    }
    if first >= last {
        return;
    }
    let (Some(head), Some(tail)) = (picked(first), picked(last - 1)) else {
        return;
    };
    if last - first == 1 {
        let folded = tokens.folded(head);
        let letters = folded.chars().filter(|c| c.is_alphabetic()).count();
        let lists = words::lists_of(folded);
        if letters < 2 || lists.title() || lists.demonym() || lists.not_name() {
            return;
        }
        // A lone capitalised word opening a sentence is a name only if it is capitalised mid-sentence elsewhere.
        if head.initial && first == 0 && !vouch.vouches(folded) {
            return;
        }
    }
    let Some(raw) = text.get(head.start..tail.end) else {
        return;
    };
    let surface = single_spaced(raw);
    // Single spaced ASCII folds to its lower case (the common case, done in one cheap pass).
    let key = if surface.is_ascii() {
        surface.to_ascii_lowercase()
    } else {
        fold(&surface)
    };
    found.push(Discovered {
        start: head.start,
        end: tail.end,
        surface,
        key,
    });
}

/// Splits `text` into words and notes capitalisation, sentence starts, headline lines and separators.
/// Only capitalised words and connectors become tokens; the others only mark the next token.
fn tokenize(text: &str) -> Tokens {
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 16);
    // Folded capitalised words, one after another (ASCII bytes and whole characters: valid UTF-8).
    let mut folded: Vec<u8> = Vec::with_capacity(text.len() / 8);
    // Scratch space for folding a non-ASCII word or a word before a full stop.
    let mut scratch = String::new();
    // The line around the current word: where it ends and whether it is a headline.
    let mut line_end = 0;
    let mut line_headline = false;
    let mut pos = 0;
    // What the next word needs to know about the one before it, token or not.
    let mut first_word = true;
    let mut prev_end = 0;
    let mut prev_abbreviation = false;
    let mut prev_headline = false;
    let mut after_break = false;
    let bytes = text.as_bytes();
    loop {
        // ASCII spaces and punctuation between words need no decoding.
        pos += ascii_run(bytes, pos, |b| b.is_ascii() && !b.is_ascii_alphanumeric());
        if pos >= bytes.len() {
            break;
        }
        let Some((ch, len)) = char_at(text, pos) else {
            break;
        };
        if !ch.is_alphanumeric() {
            pos += len;
            continue;
        }
        let start = pos;
        let mut end = word_end(text, start);
        let dot_follows = bytes.get(end) == Some(&b'.');
        // Initials and initialisms keep their final dot: "J.", "C.C.", "U.S.".
        let mut own_dot = false;
        if dot_follows {
            let word = text.get(start..end).unwrap_or("");
            let single_capital = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            let initialism =
                word.contains('.') && word.split('.').all(|part| part.chars().count() <= 2);
            if single_capital || initialism {
                end += 1;
                own_dot = true;
            }
        }
        pos = end;
        // Possessives: "Tencent's" names Tencent.
        let word_full = text.get(start..end).unwrap_or("");
        let name_end = if word_full.ends_with(['s', 'S']) {
            ["'s", "’s", "'S"]
                .iter()
                .find_map(|suffix| word_full.strip_suffix(suffix))
                .map_or(end, |stem| start + stem.len())
        } else {
            end
        };
        let word = text.get(start..name_end).unwrap_or("");
        let capitalised = ch.is_uppercase();
        // A line with a lower-case letter is never a headline, so most words skip the line check.
        let headline = if ch.is_lowercase() {
            false
        } else {
            if start >= line_end {
                let line_start = text
                    .get(..start)
                    .and_then(|before| before.rfind('\n'))
                    .map_or(0, |at| at + 1);
                line_end = text
                    .get(start..)
                    .and_then(|after| after.find('\n'))
                    .map_or(text.len(), |at| start + at + 1);
                line_headline = is_headline_line(text.get(line_start..line_end).unwrap_or(""));
            }
            line_headline
        };
        let is_token = capitalised || is_connector(word);
        if is_token {
            let gap = text.get(prev_end..start).unwrap_or("");
            // Most words follow a single space, which neither ends a sentence nor breaks a name.
            let single_space = gap == " ";
            let initial = capitalised
                && (first_word
                    || (!single_space && ends_sentence(gap, prev_abbreviation))
                    || (prev_headline && gap.contains('\n')));
            let folded_range = if capitalised {
                let from = folded.len();
                fold_word(word, &mut folded, &mut scratch);
                (from, folded.len())
            } else {
                (0, 0)
            };
            // Tokens are capitalised words or connectors, so only the gap decides.
            let joinable = single_space
                || (!gap.is_empty() && gap.chars().all(char::is_whitespace) && !blank_line(gap));
            let ampersand = capitalised && !single_space && gap.trim() == "&" && !blank_line(gap);
            tokens.push(Token {
                start,
                end: name_end,
                folded: folded_range,
                capitalised,
                initial,
                headline,
                joinable,
                ampersand,
                possessive: name_end < end,
                after_break,
            });
        }
        after_break = !is_token;
        // Whether a full stop right after this word may end the sentence; only asked when one follows.
        prev_abbreviation = own_dot
            || (dot_follows && {
                scratch.clear();
                fold_into(word, &mut scratch);
                words::is_abbreviation(&scratch)
            });
        first_word = false;
        prev_headline = headline;
        prev_end = end;
    }
    Tokens {
        list: tokens,
        folded: String::from_utf8(folded)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()),
    }
}

/// Appends the bytes of the folded form of a word (no white space inside) to `out`: what
/// `fold_into` gives, with a shorter path for ASCII words; `scratch` is reused for the others.
fn fold_word(word: &str, out: &mut Vec<u8>, scratch: &mut String) {
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| b.to_ascii_lowercase()));
    } else {
        scratch.clear();
        fold_into(word, scratch);
        out.extend_from_slice(scratch.as_bytes());
    }
}

/// End of the word starting at `start`: letters and digits, with inner apostrophes, hyphens, dots and
/// ampersands when a letter or digit follows them ("AT&T", "EE.UU", "Hewlett-Packard", "O'Neill").
fn word_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = start;
    let mut at = start;
    loop {
        // ASCII letters and digits, most of a word, need no decoding; counting them over a slice
        // keeps the loop in registers.
        let letters = ascii_run(bytes, at, u8::is_ascii_alphanumeric);
        if letters > 0 {
            at += letters;
            end = at;
        }
        // Most words end at an ASCII space or punctuation mark that cannot join two words.
        if bytes
            .get(at)
            .is_some_and(|b| b.is_ascii() && !matches!(b, b'\'' | b'-' | b'.' | b'&'))
        {
            break;
        }
        let Some((ch, len)) = char_at(text, at) else {
            break;
        };
        at += len;
        if ch.is_alphanumeric() {
            end = at;
            continue;
        }
        let joiner = matches!(ch, '\'' | '’' | '-' | '.' | '&');
        let next_is_word = char_at(text, at).is_some_and(|(next, _)| next.is_alphanumeric());
        if !(joiner && next_is_word) {
            break;
        }
    }
    end
}

/// How many bytes from `at` on pass `keep`.
fn ascii_run(bytes: &[u8], at: usize, keep: impl Fn(&u8) -> bool) -> usize {
    bytes
        .get(at..)
        .map_or(0, |rest| rest.iter().take_while(|b| keep(b)).count())
}

/// Whether the text between two words ends a sentence.
fn ends_sentence(gap: &str, prev_abbreviation: bool) -> bool {
    let mut punctuation = gap.trim_start_matches(char::is_whitespace);
    if prev_abbreviation && gap.starts_with('.') {
        punctuation = gap.get(1..).unwrap_or("");
    }
    punctuation.contains(['.', '!', '?', '…', '¿', '¡'])
        || blank_line(gap)
        || gap.contains("\n ")
        || gap.contains("\n\t")
}

fn blank_line(gap: &str) -> bool {
    let mut newlines = 0;
    for ch in gap.chars() {
        if ch == '\n' {
            newlines += 1;
            if newlines >= 2 {
                return true;
            }
        } else if !ch.is_whitespace() {
            newlines = 0;
        }
    }
    false
}

/// Whether a line is a headline: capitals only (no lower-case letter and at least four capitals),
/// e.g. Reuters titles and datelines.
fn is_headline_line(line: &str) -> bool {
    let mut upper = 0;
    for ch in line.chars() {
        if ch.is_lowercase() {
            return false;
        }
        if ch.is_uppercase() {
            upper += 1;
        }
    }
    upper >= 4
}

#[cfg(test)]
mod tests;

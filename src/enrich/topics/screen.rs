//! A first look at a document that rules out every topic phrase before a single word is stemmed.
//!
//! The Snowball rules only cut and rewrite the end of a word, so most stems start their words
//! ("exports" → "export"), and the others keep all their letters but the last ("controles" →
//! "control" starts "contro"), or for short ones the first two ("dying" → "die"): see
//! [`keeps_its_last_letter`]. That held for all 139,457 distinct words of eight corpora in both
//! languages (checked once, with a scratch program), and a property test checks it on random
//! words. So a phrase can only match a
//! document where, for each of its stems, one of these anchors starts a word; one automaton pass
//! over the text finds them, and most news documents lack them for every phrase and are never
//! stemmed.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap;

use crate::enrich::stems::split_word_heads;
use crate::text::fold_into;

/// Tells documents that may match a phrase from those that cannot.
pub struct PhraseScreen {
    /// Every anchor spelling, lower-case ASCII or folded, matched without ASCII case.
    automaton: AhoCorasick,
    /// For each automaton pattern, the stems it is an anchor of (as stem numbers).
    stems_of_pattern: Vec<Vec<usize>>,
    /// For each way a phrase can match (one per phrase and stemming language), the stems it
    /// needs, as stem numbers; stems without an anchor are left out.
    needs: Vec<Vec<usize>>,
    stem_count: usize,
}

impl PhraseScreen {
    /// A screen for phrases given as their stems joined by spaces (one entry per phrase and
    /// language). `None` when some phrase has no stem long enough to anchor: such a phrase may
    /// match anywhere, so every document has to be looked at.
    pub fn new<'a>(phrases: impl IntoIterator<Item = &'a str>) -> Option<PhraseScreen> {
        let mut stem_numbers: FxHashMap<&str, usize> = FxHashMap::default();
        let mut pattern_numbers: FxHashMap<String, usize> = FxHashMap::default();
        let mut patterns: Vec<String> = Vec::new();
        let mut stems_of_pattern: Vec<Vec<usize>> = Vec::new();
        let mut needs = Vec::new();
        for phrase in phrases {
            let mut need = Vec::new();
            for stem in phrase.split(' ') {
                let anchors = anchors_of(stem);
                if anchors.is_empty() {
                    continue;
                }
                let next = stem_numbers.len();
                let number = *stem_numbers.entry(stem).or_insert(next);
                if number == next {
                    for anchor in anchors {
                        let next_pattern = patterns.len();
                        let pattern = *pattern_numbers
                            .entry(anchor.clone())
                            .or_insert(next_pattern);
                        if pattern == next_pattern {
                            patterns.push(anchor);
                            stems_of_pattern.push(Vec::new());
                        }
                        if let Some(stems) = stems_of_pattern.get_mut(pattern) {
                            stems.push(number);
                        }
                    }
                }
                need.push(number);
            }
            if need.is_empty() {
                return None;
            }
            needs.push(need);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .ok()?;
        Some(PhraseScreen {
            automaton,
            stems_of_pattern,
            needs,
            stem_count: stem_numbers.len(),
        })
    }

    /// False when no phrase can match the title and body; true when one may.
    pub fn may_match(&self, title: Option<&str>, body: &str) -> bool {
        let mut present = vec![false; self.stem_count];
        let mut folded = String::new();
        for text in title.into_iter().chain(std::iter::once(body)) {
            // ASCII text folds to itself but for case, which the automaton ignores, and for runs of
            // white space, which only a split-word anchor ("semi conductor") could span, and only as
            // the single space that a split word is rejoined across.
            let text = if text.is_ascii() {
                text
            } else {
                folded.clear();
                fold_into(text, &mut folded);
                folded.as_str()
            };
            for hit in self.automaton.find_overlapping_iter(text) {
                if !starts_word(text, hit.start()) {
                    continue;
                }
                for &stem in self
                    .stems_of_pattern
                    .get(hit.pattern().as_usize())
                    .into_iter()
                    .flatten()
                {
                    if let Some(flag) = present.get_mut(stem) {
                        *flag = true;
                    }
                }
            }
        }
        self.needs.iter().any(|need| {
            need.iter()
                .all(|&stem| present.get(stem).copied().unwrap_or(false))
        })
    }
}

/// The spellings one of which starts a word wherever a word stems to `stem`; empty for a
/// one-letter stem the rules may have rewritten.
fn anchors_of(stem: &str) -> Vec<String> {
    let chars: Vec<char> = stem.chars().collect();
    let mut anchors: Vec<String> = match chars.as_slice() {
        [] => Vec::new(),
        _ if keeps_its_last_letter(stem) => vec![stem.to_string()],
        [_] => Vec::new(),
        [first, second] | [first, second, _] => {
            vec![
                [*first, *second].iter().collect(),
                [*first, 'y'].iter().collect(),
            ]
        }
        [kept @ .., _] => vec![kept.iter().collect()],
    };
    anchors.dedup();
    // "semi conductores" is stemmed as one word, "semiconductor", which starts no word of the
    // text: there the anchor is split by one space after the head.
    let split: Vec<String> = anchors
        .iter()
        .filter_map(|anchor| {
            split_word_heads()
                .filter_map(|head| Some((head, anchor.strip_prefix(head)?)))
                .find(|(_, rest)| !rest.is_empty())
                .map(|(head, rest)| format!("{head} {rest}"))
        })
        .collect();
    anchors.extend(split);
    anchors
}

/// True if every word that stems to `stem` has the whole stem at its start. The Snowball rules
/// rewrite a letter, rather than cut, only at the end of stems ending in "i" ("policy" →
/// "polici"), "e" ("hoping" → "hope"), "l" ("capability" → "capabl"), "y" ("skies" → "sky") or
/// "nt" ("presencia" → "present"); those stems keep all their letters but the last, or if shorter
/// than four letters their first two ("using" → "use") or their first and a "y" ("dying" →
/// "die").
fn keeps_its_last_letter(stem: &str) -> bool {
    !(stem.ends_with(['e', 'i', 'l', 'y']) || stem.ends_with("nt"))
}

/// True if the match at byte `at` starts a word: nothing before it, or no letter or digit.
fn starts_word(text: &str, at: usize) -> bool {
    text.get(..at)
        .and_then(|before| before.chars().next_back())
        .is_none_or(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::stems::{StemLang, Stemmer};

    fn screen(phrases: &[&str]) -> PhraseScreen {
        PhraseScreen::new(phrases.iter().copied()).unwrap()
    }

    #[test]
    fn a_phrase_needs_an_anchor_for_every_stem() {
        let s = screen(&["export control", "entiti list"]);
        assert!(s.may_match(None, "New EXPORT controls on chips"));
        assert!(s.may_match(Some("Controles"), "ni exportaciones"));
        assert!(s.may_match(None, "added to the Entity List"));
        assert!(!s.may_match(None, "Exports rose, prices fell"));
        assert!(!s.may_match(None, "a list of names"));
    }

    #[test]
    fn anchors_must_start_a_word() {
        let s = screen(&["export control"]);
        assert!(!s.may_match(None, "reexported and uncontrolled"));
        assert!(s.may_match(None, "re-export, self-control"));
    }

    #[test]
    fn accents_and_case_are_folded_first() {
        let s = screen(&["tecnolog rival"]);
        assert!(s.may_match(None, "la RIVALIDAD TECNOLÓGICA"));
        assert!(!s.may_match(None, "la rivalidad técnica"));
    }

    #[test]
    fn short_stems_are_known_by_their_first_letters() {
        let s = screen(&["die", "gpu"]);
        assert!(s.may_match(None, "a dying industry"));
        assert!(s.may_match(None, "more GPUs"));
        assert!(!s.may_match(None, "a bright future"));
    }

    #[test]
    fn words_split_in_two_are_found_across_the_space() {
        let s = screen(&["semiconductor"]);
        assert!(s.may_match(None, "semiconductores"));
        assert!(s.may_match(None, "Semi conductores"));
        assert!(!s.may_match(None, "superconductores"));
        assert!(!s.may_match(None, "conductores"));
    }

    proptest::proptest! {
        #[test]
        fn every_word_passes_the_screen_of_its_own_stems(word in "[a-zA-Zñáéíóúü]{1,16}") {
            for lang in StemLang::ALL {
                Stemmer::new(lang).stems_of(&word, &mut String::new(), |stem| {
                    if let Some(screen) = PhraseScreen::new([stem]) {
                        assert!(screen.may_match(None, &word), "{word} → {stem}");
                    }
                });
            }
        }
    }

    #[test]
    fn a_phrase_of_one_letter_stems_turns_the_screen_off() {
        assert!(PhraseScreen::new(["chip i"]).is_some());
        assert!(PhraseScreen::new(["chip", "i"]).is_none());
    }
}

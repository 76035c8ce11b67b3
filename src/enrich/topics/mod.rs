//! Topic classification: which taxonomy topics a document is about, and the phrase hits that show why.
//!
//! Every phrase, required and excluded term is compiled once into a sequence of stems for each
//! language (Spanish and English), and all of them go into one Aho-Corasick automaton per
//! language. A document is folded, tokenised and stemmed once into a string of stems, and the
//! automaton finds every rule in a single pass over it — the cost per document does not grow
//! with the number of topics. Before that, a screen (`topics/screen.rs`) passes over the raw
//! text and rules out the documents in which no phrase can match, most of them, without
//! stemming a word.

mod screen;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::enrich::stems::{is_split_word, StemLang, Stemmer};
use crate::taxonomy::{Taxonomy, TaxonomyError, TopicDef};
use crate::text::words;
use screen::PhraseScreen;

/// One topic a document belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicMatch {
    pub id: String,
    /// Facet path, e.g. `/topic/geopolitics/export-controls`.
    pub facet: String,
    /// Phrase hits in title and body together.
    pub hits: u32,
    /// Which rule phrases matched and how often, most hits first.
    pub evidence: Vec<Evidence>,
}

/// One rule phrase that matched a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The phrase as written in the taxonomy.
    pub phrase: String,
    pub hits: u32,
}

/// What a compiled pattern stands for in one topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Index into the global phrase table.
    Phrase(u32),
    Required,
    Excluded,
}

#[derive(Debug, Clone, Copy)]
struct Target {
    topic: u32,
    role: Role,
}

/// The automaton and pattern targets for one stemming language.
struct LangRules {
    stemmer: Stemmer,
    automaton: AhoCorasick,
    /// For each automaton pattern, the topic rules it stands for.
    targets: Vec<Vec<Target>>,
    gate: StemGate,
    /// Tells this rule set's entries in a thread's [`WORD_STEMS`] from another's: the stems a
    /// word gets depend on the gate, so on the taxonomy.
    id: u64,
}

/// Hands out [`LangRules::id`]s.
static NEXT_RULES_ID: AtomicU64 = AtomicU64::new(0);

/// Words as written kept per language and thread before the cache starts again (a few MB).
const WORD_CACHE_WORDS: usize = 50_000;

/// Word as written → what [`LangRules::push_stems`] appends for it, for the rule set `id`.
#[derive(Default)]
struct WordStems {
    id: Option<u64>,
    stems: FxHashMap<Box<str>, Box<str>>,
}

thread_local! {
    /// One cache per [`StemLang`] (by [`StemLang::index`]); most words of a text were seen in
    /// earlier documents, and one lookup replaces folding, gating and stemming them.
    static WORD_STEMS: RefCell<[WordStems; 2]> = RefCell::new(Default::default());
}

/// Tells, from its first letters alone, whether a folded word may stem to a stem some rule uses;
/// only those words are stemmed (stemming every word of every document was most of the cost of
/// topic matching, and few words can matter).
///
/// Snowball stemmers remove or rewrite endings, so a stem of four letters or more keeps the first
/// three letters of its word and is known by them. A shorter stem may differ from its word from
/// the second letter on ("dying" → "die", "spy" → "spi", "skies" → "sky"), so it is known by its
/// first two letters and by its first letter followed by "y".
#[derive(Default)]
struct StemGate {
    heads: FxHashSet<[u8; 3]>,
    short_heads: FxHashSet<[u8; 2]>,
    initials: FxHashSet<u8>,
}

impl StemGate {
    fn admit(&mut self, stem: &str) {
        match stem.as_bytes() {
            [a, b, c, _, ..] => {
                self.heads.insert([*a, *b, *c]);
            }
            [a, b, ..] => {
                self.short_heads.insert([*a, *b]);
                self.short_heads.insert([*a, b'y']);
            }
            [a] => {
                self.initials.insert(*a);
            }
            [] => {}
        }
    }

    fn may_stem_to_a_rule(&self, folded_word: &str) -> bool {
        match folded_word.as_bytes() {
            [a, b, c, ..] => {
                self.initials.contains(a)
                    || self.short_heads.contains(&[*a, *b])
                    || self.heads.contains(&[*a, *b, *c])
            }
            [a, b] => self.initials.contains(a) || self.short_heads.contains(&[*a, *b]),
            [a] => self.initials.contains(a),
            [] => false,
        }
    }
}

struct CompiledTopic {
    id: String,
    facet: String,
    min_hits: u32,
    has_required: bool,
    /// Range of this topic's entries in the global phrase table.
    phrases: std::ops::Range<usize>,
}

/// Compiled topic rules, built once per run and shared read-only by worker threads.
pub struct TopicMatcher {
    topics: Vec<CompiledTopic>,
    /// Every phrase of every topic, as written.
    phrases: Vec<String>,
    /// Indexed by [`StemLang::index`].
    langs: Vec<LangRules>,
    /// Rules out most documents before stemming; `None` when some phrase could match anywhere.
    screen: Option<PhraseScreen>,
}

/// Stands between the title and the body, and at sentence ends, so no phrase spans them.
const BREAK: &str = "|";

impl TopicMatcher {
    /// Validates `taxonomy` and compiles its phrase rules.
    ///
    /// Topics' `query` rules are not compiled here: they are evaluated against the index after
    /// documents are written, so [`TopicMatcher::classify`] ignores them.
    pub fn new(taxonomy: &Taxonomy) -> Result<TopicMatcher, TaxonomyError> {
        taxonomy.validate()?;
        let mut topics = Vec::with_capacity(taxonomy.topics.len());
        let mut phrases = Vec::new();
        for topic in &taxonomy.topics {
            let start = phrases.len();
            phrases.extend(topic.phrases.iter().cloned());
            topics.push(CompiledTopic {
                id: topic.id.clone(),
                facet: taxonomy.facet_path(&topic.id),
                min_hits: topic.min_hits,
                has_required: !topic.required.is_empty(),
                phrases: start..phrases.len(),
            });
        }
        let mut patterns: Vec<Vec<String>> = vec![Vec::new(); StemLang::ALL.len()];
        let mut targets: Vec<Vec<Vec<Target>>> = vec![Vec::new(); StemLang::ALL.len()];
        let mut pattern_ids: Vec<HashMap<String, usize>> =
            vec![HashMap::new(); StemLang::ALL.len()];
        // Each phrase's stems in each language it compiles in, for the screen.
        let mut phrase_stems: Vec<String> = Vec::new();
        for (topic_index, (topic, compiled)) in taxonomy.topics.iter().zip(&topics).enumerate() {
            let topic_number = u32::try_from(topic_index)
                .map_err(|_| TaxonomyError::TooLarge("too many topics".to_string()))?;
            for (field, text, role) in rules_of(topic, compiled.phrases.start) {
                let mut compiled_somewhere = false;
                for lang in StemLang::ALL {
                    let stems = stem_sequence(Stemmer::new(lang), text);
                    if stems.is_empty() {
                        continue;
                    }
                    compiled_somewhere = true;
                    if matches!(role, Role::Phrase(_)) {
                        phrase_stems.push(stems.clone());
                    }
                    let ids = &mut pattern_ids[lang.index()];
                    let next = ids.len();
                    let pattern = *ids.entry(stems.clone()).or_insert(next);
                    if pattern == next {
                        patterns[lang.index()].push(stems);
                        targets[lang.index()].push(Vec::new());
                    }
                    let list = &mut targets[lang.index()][pattern];
                    // Two phrases of one topic that stem alike count once, for the first.
                    let duplicate = list
                        .iter()
                        .any(|t: &Target| t.topic == topic_number && same_kind(t.role, role));
                    if !duplicate {
                        list.push(Target {
                            topic: topic_number,
                            role,
                        });
                    }
                }
                if !compiled_somewhere {
                    return Err(TaxonomyError::StopWordsOnly {
                        id: topic.id.clone(),
                        field,
                        text: text.to_string(),
                    });
                }
            }
        }
        let mut langs = Vec::with_capacity(StemLang::ALL.len());
        for ((lang, patterns), targets) in StemLang::ALL.into_iter().zip(patterns).zip(targets) {
            // Standard semantics so overlapping matches are all reported (each phrase counts on
            // its own); word boundaries are checked on the stem string afterwards.
            let automaton = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                // A full DFA: more memory than the default NFA, but the fastest search for the
                // few hundred to few thousand patterns a taxonomy has.
                .kind(Some(AhoCorasickKind::DFA))
                .build(&patterns)
                .map_err(|err| TaxonomyError::TooLarge(err.to_string()))?;
            let mut gate = StemGate::default();
            for stem in patterns.iter().flat_map(|pattern| pattern.split(' ')) {
                gate.admit(stem);
            }
            langs.push(LangRules {
                stemmer: Stemmer::new(lang),
                automaton,
                targets,
                gate,
                id: NEXT_RULES_ID.fetch_add(1, Ordering::Relaxed),
            });
        }
        Ok(TopicMatcher {
            topics,
            phrases,
            langs,
            screen: PhraseScreen::new(phrase_stems.iter().map(String::as_str)),
        })
    }

    /// Topics of one document: `lang` is "es", "en" or "other" (then try both stemmers).
    ///
    /// Title and body both count. A topic matches when its phrase hits reach `min_hits`, at
    /// least one `required` term (if any) appears, and no `excluded` term does. A phrase found
    /// inside a longer phrase of the same topic at the same place counts once. `query` rules
    /// are ignored here (see [`TopicMatcher::new`]). For "other" each phrase counts with the
    /// larger of its Spanish and English hit counts.
    pub fn classify(&self, title: Option<&str>, body: &str, lang: &str) -> Vec<TopicMatch> {
        // Without a phrase hit no topic matches, whatever its other rules say.
        if let Some(screen) = &self.screen {
            if !screen.may_match(title, body) {
                return Vec::new();
            }
        }
        self.classify_unscreened(title, body, lang)
    }

    /// [`TopicMatcher::classify`] without the screen: every document is stemmed and matched.
    fn classify_unscreened(&self, title: Option<&str>, body: &str, lang: &str) -> Vec<TopicMatch> {
        let mut tally = Tally::new(self.topics.len(), self.phrases.len());
        let mut stems = String::with_capacity(body.len() + title.map_or(0, str::len) + 8);
        let mut scratch = String::new();
        let mut found = Vec::new();
        for &stem_lang in StemLang::for_code(lang) {
            let Some(rules) = self.langs.get(stem_lang.index()) else {
                continue;
            };
            stem_document(rules, title, body, &mut stems, &mut scratch);
            found.clear();
            rules.collect(&stems, &mut found, &mut tally);
            tally.add_phrase_hits(&mut found);
        }
        self.decide(&tally)
    }

    fn decide(&self, tally: &Tally) -> Vec<TopicMatch> {
        let mut matches = Vec::new();
        for (index, topic) in self.topics.iter().enumerate() {
            let flags = tally.flags.get(index).copied().unwrap_or_default();
            if flags.excluded || (topic.has_required && !flags.required) {
                continue;
            }
            let counts = tally.phrase_hits.get(topic.phrases.clone()).unwrap_or(&[]);
            let hits: u32 = counts.iter().sum();
            if hits == 0 || hits < topic.min_hits {
                continue;
            }
            let texts = self.phrases.get(topic.phrases.clone()).unwrap_or(&[]);
            let mut evidence: Vec<Evidence> = counts
                .iter()
                .zip(texts)
                .filter(|(count, _)| **count > 0)
                .map(|(count, phrase)| Evidence {
                    phrase: phrase.clone(),
                    hits: *count,
                })
                .collect();
            evidence.sort_by_key(|e| std::cmp::Reverse(e.hits));
            matches.push(TopicMatch {
                id: topic.id.clone(),
                facet: topic.facet.clone(),
                hits,
                evidence,
            });
        }
        matches.sort_by_key(|m| std::cmp::Reverse(m.hits));
        matches
    }
}

fn same_kind(a: Role, b: Role) -> bool {
    matches!(
        (a, b),
        (Role::Phrase(_), Role::Phrase(_))
            | (Role::Required, Role::Required)
            | (Role::Excluded, Role::Excluded)
    )
}

/// Every rule text of a topic with its field name and role; phrases are numbered from `first`.
fn rules_of(topic: &TopicDef, first: usize) -> impl Iterator<Item = (&'static str, &str, Role)> {
    let phrases = topic.phrases.iter().enumerate().map(move |(i, text)| {
        let number = u32::try_from(first + i).unwrap_or(u32::MAX);
        ("phrases", text.as_str(), Role::Phrase(number))
    });
    let required = topic
        .required
        .iter()
        .map(|text| ("required", text.as_str(), Role::Required));
    let excluded = topic
        .excluded
        .iter()
        .map(|text| ("excluded", text.as_str(), Role::Excluded));
    phrases.chain(required).chain(excluded)
}

/// The stems of a rule text joined by single spaces ("control de exportación" → "control export").
fn stem_sequence(stemmer: Stemmer, text: &str) -> String {
    let mut out = String::new();
    let mut scratch = String::new();
    for (_, word) in words(text) {
        stemmer.stems_of(word, &mut scratch, |stem| {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(stem);
        });
    }
    out
}

/// Writes a document's stems into `out` as " s1 s2 | s3 … ": a space before and after every
/// stem, and a break between title and body and at sentence ends. Words that cannot stem to any
/// rule's stem are written as `_` without being stemmed.
fn stem_document(
    rules: &LangRules,
    title: Option<&str>,
    body: &str,
    out: &mut String,
    scratch: &mut String,
) {
    out.clear();
    out.push(' ');
    for text in title.into_iter().chain(std::iter::once(body)) {
        let mut previous_end = 0;
        let mut tokens = words(text).peekable();
        let mut joined = String::new();
        while let Some((start, word)) = tokens.next() {
            let gap = text.get(previous_end..start).unwrap_or("");
            if ends_sentence(gap) {
                out.push_str(BREAK);
                out.push(' ');
            }
            previous_end = start + word.len();
            // Damaged input splits words ("semi conductores", "soft ware"): stem them rejoined.
            let mut word = word;
            if let Some(&(next_start, next)) = tokens.peek() {
                let between = text.get(previous_end..next_start).unwrap_or("");
                if is_split_word(word, between, next) {
                    joined.clear();
                    joined.push_str(word);
                    joined.push_str(next);
                    word = &joined;
                    previous_end = next_start + next.len();
                    tokens.next();
                }
            }
            rules.push_stems(word, scratch, out);
        }
        out.push_str(BREAK);
        out.push(' ');
    }
}

/// True if the text between two words ends a sentence or a paragraph.
fn ends_sentence(gap: &str) -> bool {
    gap.bytes().any(|b| matches!(b, b'.' | b'!' | b'?' | b';'))
        || gap.bytes().filter(|&b| b == b'\n').count() >= 2
}

/// Per-document flags of one topic.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    required: bool,
    excluded: bool,
}

/// A phrase found in the stem string of one language.
#[derive(Debug, Clone, Copy)]
struct Found {
    topic: u32,
    phrase: u32,
    start: usize,
    end: usize,
}

/// What one document's rules add up to, over all the languages tried.
struct Tally {
    flags: Vec<Flags>,
    phrase_hits: Vec<u32>,
    /// Hits of the language being processed, merged into `phrase_hits` by maximum.
    current: Vec<u32>,
}

impl Tally {
    fn new(topics: usize, phrases: usize) -> Tally {
        Tally {
            flags: vec![Flags::default(); topics],
            phrase_hits: vec![0; phrases],
            current: vec![0; phrases],
        }
    }

    /// Counts the phrases of one language, dropping a hit that lies inside a longer hit of the
    /// same topic, and keeps for each phrase the best count over the languages seen so far.
    fn add_phrase_hits(&mut self, found: &mut [Found]) {
        found.sort_unstable_by(|a, b| {
            (a.topic, a.start, std::cmp::Reverse(a.end)).cmp(&(
                b.topic,
                b.start,
                std::cmp::Reverse(b.end),
            ))
        });
        self.current.iter_mut().for_each(|count| *count = 0);
        let mut last: Option<(u32, usize)> = None;
        for hit in found.iter() {
            if let Some((topic, end)) = last {
                if topic == hit.topic && hit.end <= end {
                    continue;
                }
            }
            last = Some((hit.topic, hit.end));
            if let Some(count) = self.current.get_mut(hit.phrase as usize) {
                *count += 1;
            }
        }
        for (best, count) in self.phrase_hits.iter_mut().zip(&self.current) {
            *best = (*best).max(*count);
        }
    }
}

impl LangRules {
    /// Appends the stems of one word as written, each followed by a space; words that cannot
    /// stem to a rule's stem give [`crate::enrich::stems::UNWANTED_STEM`], stop words nothing.
    fn push_stems(&self, word: &str, scratch: &mut String, out: &mut String) {
        WORD_STEMS.with(|cell| {
            let Ok(mut caches) = cell.try_borrow_mut() else {
                // Re-entered (never done today): work it out without the cache.
                self.push_stems_uncached(word, scratch, out);
                return;
            };
            let cache = &mut caches[self.stemmer.lang().index()];
            if cache.id != Some(self.id) {
                cache.stems.clear();
                cache.id = Some(self.id);
            }
            if let Some(stems) = cache.stems.get(word) {
                out.push_str(stems);
                return;
            }
            let start = out.len();
            self.push_stems_uncached(word, scratch, out);
            if cache.stems.len() >= WORD_CACHE_WORDS {
                cache.stems.clear();
            }
            let stems = out.get(start..).unwrap_or_default();
            cache.stems.insert(word.into(), stems.into());
        });
    }

    fn push_stems_uncached(&self, word: &str, scratch: &mut String, out: &mut String) {
        let wanted = |folded: &str| self.gate.may_stem_to_a_rule(folded);
        self.stemmer.stems_of_wanted(word, scratch, wanted, |stem| {
            out.push_str(stem);
            out.push(' ');
        });
    }

    /// Runs the automaton over a stem string; phrases go to `found`, terms set flags.
    fn collect(&self, stems: &str, found: &mut Vec<Found>, tally: &mut Tally) {
        let Ok(iter) = self.automaton.try_find_overlapping_iter(stems) else {
            return;
        };
        let bytes = stems.as_bytes();
        for hit in iter {
            // Patterns are whole stems; they must start and end at stem boundaries.
            let before = hit.start().checked_sub(1).and_then(|i| bytes.get(i));
            if before != Some(&b' ') || bytes.get(hit.end()) != Some(&b' ') {
                continue;
            }
            let Some(targets) = self.targets.get(hit.pattern().as_usize()) else {
                continue;
            };
            for target in targets {
                match target.role {
                    Role::Phrase(phrase) => found.push(Found {
                        topic: target.topic,
                        phrase,
                        start: hit.start(),
                        end: hit.end(),
                    }),
                    Role::Required | Role::Excluded => {
                        if let Some(flags) = tally.flags.get_mut(target.topic as usize) {
                            if target.role == Role::Required {
                                flags.required = true;
                            } else {
                                flags.excluded = true;
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;

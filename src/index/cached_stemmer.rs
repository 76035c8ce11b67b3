//! A Snowball stemming token filter that remembers the stems it computed, for the indexing analyzers.
//!
//! tantivy's own `Stemmer` filter runs the Snowball rules on every token, and on Reuters that was a
//! fifth of all indexing work. News repeats a small vocabulary, so each analyzer keeps a bounded map
//! from word to stem; a lookup costs a fraction of the rules. The output is the same stem for the
//! same word, so indexes built with or without the cache cannot be told apart.

use std::mem;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per analyzer before the map starts afresh; a map this full holds a few
/// megabytes, and the commonest words come back within a few documents.
const CACHE_WORDS: usize = 1 << 16;

/// Token filter: replaces each (lower-cased) token by its Snowball stem.
#[derive(Clone, Copy)]
pub struct CachedStemmer {
    algorithm: frostem::Algorithm,
}

impl CachedStemmer {
    pub fn new(algorithm: frostem::Algorithm) -> CachedStemmer {
        CachedStemmer { algorithm }
    }
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            stemmer: frostem::Stemmer::new(self.algorithm),
            stems: FxHashMap::default(),
        }
    }
}

/// The analyzer stage built by [`CachedStemmer`]; each clone (tantivy clones one per segment
/// writer and per query) has its own map, so no lock is ever taken.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    stemmer: frostem::Stemmer,
    stems: FxHashMap<Box<str>, Box<str>>,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: &self.stemmer,
            stems: &mut self.stems,
        }
    }
}

pub struct CachedStemmerStream<'a, T> {
    tail: T,
    stemmer: &'a frostem::Stemmer,
    stems: &'a mut FxHashMap<Box<str>, Box<str>>,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem: Box<str> = self.stemmer.stem(&token.text).into();
        if self.stems.len() >= CACHE_WORDS {
            self.stems.clear();
        }
        let word = mem::replace(&mut token.text, String::from(&*stem));
        self.stems.insert(word.into_boxed_str(), stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

    fn stems(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let token = stream.token();
            out.push((
                token.text.clone(),
                token.position,
                token.offset_from,
                token.offset_to,
            ));
        }
        out
    }

    /// The cached filter must give exactly what tantivy's own filter gives, on the first sight
    /// of a word and on every later one, including after the map has been emptied.
    #[test]
    fn matches_tantivy_stemmer_on_first_and_repeated_words() {
        let texts = [
            "Las exportaciones de semiconductores crecieron; los controles de exportación también.",
            "Export controls on chips: exporters said the controlling rules were exported again.",
            "Ñandú árboles canción CAMIÓN camiones niños 2024 x86-64 running runs ran",
        ];
        for (language, algorithm) in [
            (Language::Spanish, frostem::Algorithm::Spanish),
            (Language::English, frostem::Algorithm::English),
        ] {
            let mut reference = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(Stemmer::new(language))
                .build();
            let mut cached = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(CachedStemmer::new(algorithm))
                .build();
            for _ in 0..3 {
                for text in texts {
                    assert_eq!(stems(&mut cached, text), stems(&mut reference, text));
                }
            }
        }
    }

    #[test]
    fn a_full_cache_starts_afresh_and_keeps_stemming() {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(CachedStemmer::new(frostem::Algorithm::English))
            .build();
        let words: Vec<String> = (0..CACHE_WORDS + 10).map(|n| format!("w{n}ing")).collect();
        let text = words.join(" ");
        let got = stems(&mut analyzer, &text);
        assert_eq!(got.len(), words.len());
        assert_eq!(stems(&mut analyzer, "running")[0].0, "run");
    }
}

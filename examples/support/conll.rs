//! The CoNLL-2002 (Spanish) and CoNLL-2003 (English) NER files as the examples read them: one reader
//! that splits them into documents (English at `-DOCSTART-`, Spanish at each EFE dateline sentence) with
//! IOB2 labels, so training, tagging and scoring all see the same documents. Not an example itself:
//! each example includes it with `#[path = "support/conll.rs"] mod conll;`.

// Each example uses only part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use topictrack::enrich::tagger::model::{label_kind, Kind};
use topictrack::enrich::Lang;

/// The shared folder with `corpora/`: `TOPICTRACK_SHARED`, or `../shared` next to the crate (as
/// bench/bench.py and the tests find it).
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("TOPICTRACK_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")),
    }
}

/// The languages a `--lang` option names: `en` or `es`.
pub fn langs(value: &str) -> Result<Vec<Lang>, String> {
    match value {
        "en" => Ok(vec![Lang::En]),
        "es" => Ok(vec![Lang::Es]),
        other => Err(format!("--lang: unknown language {other} (en or es)")),
    }
}

/// The default corpus folder, `corpora/conll` of the shared folder.
pub fn corpus_dir() -> PathBuf {
    shared_dir().join("corpora/conll")
}

/// The CoNLL files of a language, relative to the corpus folder. Test B is never named.
pub struct Files {
    pub code: &'static str,
    pub train: &'static str,
    pub testa: &'static str,
}

/// The files of `lang`; any language but English reads the Spanish ones.
pub fn files(lang: Lang) -> Files {
    match lang {
        Lang::En => Files {
            code: "en",
            train: "conll2003/eng.train",
            testa: "conll2003/eng.testa",
        },
        _ => Files {
            code: "es",
            train: "conll2002/esp.train",
            testa: "conll2002/esp.testa",
        },
    }
}

/// A CoNLL document: words, sentences (ranges of word indices) and IOB2 labels as the tagger numbers
/// them (see `model::label_kind`); its `text()` is the running text it rebuilds.
pub use topictrack::enrich::tagger::train::TrainDoc as Doc;

/// The label of a CoNLL tag as written (`B-PER`, `I-LOC`, `O`); unknown types are O.
pub fn label_of(tag: &str) -> u8 {
    match tag.split_once('-') {
        Some((prefix, kind)) => match Kind::from_conll(kind) {
            Some(kind) => kind.begin() + u8::from(prefix == "I"),
            None => 0,
        },
        None => 0,
    }
}

/// The CoNLL tag of a label: `O`, `B-PER`, `I-PER`, ...
pub fn tag_of(label: u8) -> String {
    match label_kind(label) {
        Some((kind, true)) => format!("B-{}", kind.conll()),
        Some((kind, false)) => format!("I-{}", kind.conll()),
        None => "O".to_string(),
    }
}

/// Reads a CoNLL file of `lang` (Spanish files are ISO-8859-1) into documents.
pub fn read(path: &Path, lang: Lang) -> std::io::Result<Vec<Doc>> {
    let bytes = std::fs::read(path)?;
    let spanish = lang != Lang::En;
    // encoding_rs: the maintained decoder used by Firefox; ISO-8859-1 is decoded as its superset
    // windows-1252.
    let text = if spanish {
        encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned()
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Ok(parse(&text, spanish))
}

/// Reads CoNLL columns (token first, NER tag last) into documents. English documents start at
/// `-DOCSTART-` and its IOB1 tags become IOB2; Spanish has no markers, so a story starts at each EFE
/// dateline sentence.
pub fn parse(text: &str, spanish: bool) -> Vec<Doc> {
    let mut sentences: Vec<Vec<(&str, &str)>> = Vec::new();
    let mut breaks = vec![0usize];
    let mut current: Vec<(&str, &str)> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        let columns: Vec<&str> = line.split_whitespace().collect();
        match (columns.first(), columns.last()) {
            (Some(&"-DOCSTART-"), _) => {
                breaks.push(sentences.len() + usize::from(!current.is_empty()))
            }
            (Some(token), Some(tag)) if columns.len() >= 2 => current.push((token, tag)),
            _ => {
                if !current.is_empty() {
                    if spanish && is_dateline(&current) {
                        breaks.push(sentences.len());
                    }
                    sentences.push(std::mem::take(&mut current));
                }
            }
        }
    }
    breaks.push(sentences.len());
    breaks.sort_unstable();
    breaks.dedup();
    breaks
        .windows(2)
        .filter_map(|pair| sentences.get(pair[0]..pair[1]))
        .filter(|group| !group.is_empty())
        .map(|group| document(group))
        .collect()
}

/// An EFE dateline: a short sentence with `EFE` (`Madrid , 25 may ( EFE ) .`).
fn is_dateline(sentence: &[(&str, &str)]) -> bool {
    sentence.len() <= 16
        && sentence
            .iter()
            .any(|(token, _)| *token == "EFE" || *token == "EFECOM")
}

/// One document of sentences of (token, tag), the tags turned into IOB2 labels: an I-X starts an
/// entity unless it follows X (IOB1; in IOB2 files it always follows X).
fn document(sentences: &[Vec<(&str, &str)>]) -> Doc {
    let mut doc = Doc::default();
    for sentence in sentences {
        let start = doc.words.len();
        let mut previous = 0u8;
        for (word, tag) in sentence {
            let mut label = label_of(tag);
            if let Some((kind, false)) = label_kind(label) {
                let continues = label_kind(previous).is_some_and(|(k, _)| k == kind);
                if !continues {
                    label = kind.begin();
                }
            }
            doc.words.push(word.to_string());
            doc.labels.push(label);
            previous = label;
        }
        doc.sentences.push(start..doc.words.len());
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob1_becomes_iob2_and_documents_split_at_docstart() {
        let text = "-DOCSTART- -X- -X- O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\
                    -DOCSTART- -X- -X- O\n\nPeter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\n";
        let docs = parse(text, false);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].labels, vec![Kind::Org.begin(), 0]);
        assert_eq!(
            docs[1].labels,
            vec![Kind::Per.begin(), Kind::Per.begin() + 1]
        );
        assert_eq!(docs[1].text().0, "Peter Blackburn");
    }

    #[test]
    fn spanish_stories_start_at_datelines() {
        let text = "Hola NC O\n\nMadrid NP B-LOC\n( Fpa O\nEFE NC B-ORG\n) Fpt O\n\nYa RG O\n";
        let docs = parse(text, true);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].sentences, vec![0..4, 4..5]);
        assert_eq!(docs[1].text().0, "Madrid ( EFE )\nYa");
    }
}

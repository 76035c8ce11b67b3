//! The shipped models against fixed sentences: a model that no longer agrees with the features this
//! build computes (a feature-set change without retraining) fails here.

use super::*;

fn tagged(lang: Lang, text: &str) -> Vec<(String, &'static str)> {
    let Some(model) = shipped(lang) else {
        panic!(
            "the shipped {lang:?} model does not load: {:?}",
            load_shipped(lang).err()
        );
    };
    tag(model, text)
        .into_iter()
        .map(|t| (text[t.start..t.end].to_string(), t.kind.conll()))
        .collect()
}

fn owned(list: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    list.iter().map(|(s, k)| (s.to_string(), *k)).collect()
}

#[test]
fn the_english_model_tags_people_organisations_and_places() {
    assert_eq!(
        tagged(
            Lang::En,
            "Czech President Vaclav Havel met officials of Real Madrid in Madrid on Monday."
        ),
        owned(&[
            ("Czech", "MISC"),
            ("Vaclav Havel", "PER"),
            ("Real Madrid", "ORG"),
            ("Madrid", "LOC")
        ])
    );
}

#[test]
fn the_spanish_model_tags_people_organisations_and_places() {
    assert_eq!(
        tagged(
            Lang::Es,
            "El presidente de Telefónica, Juan Villalonga, viajó ayer a Buenos Aires."
        ),
        owned(&[
            ("Telefónica", "ORG"),
            ("Juan Villalonga", "PER"),
            ("Buenos Aires", "LOC")
        ])
    );
}

#[test]
fn other_languages_have_no_model() {
    assert!(shipped(Lang::Other).is_none());
}

#[test]
fn spans_follow_bio_labels_within_sentences() {
    let per = Kind::Per.begin();
    let org = Kind::Org.begin();
    // B-PER I-PER O B-ORG | B-ORG I-ORG (second sentence)
    let labels = [per, per + 1, 0, org, org, org + 1];
    assert_eq!(
        spans(&labels, &[0..4, 4..6]),
        vec![(0..2, Kind::Per), (3..4, Kind::Org), (4..6, Kind::Org)]
    );
}

#[test]
fn a_training_document_as_running_text_keeps_its_entities_on_the_new_tokens() {
    let loc = Kind::Loc.begin();
    let per = Kind::Per.begin();
    let doc = train::TrainDoc {
        // "(Madrid)" is one CoNLL word here; the tokenizer splits its brackets off.
        words: ["Talks", "in", "New", "York", "(Madrid)", "ended"]
            .map(String::from)
            .to_vec(),
        sentences: vec![0..4, 4..6],
        labels: vec![0, 0, loc, loc + 1, per, 0],
    };
    let running = doc.as_running_text();
    let pairs: Vec<(&str, u8)> = running
        .words
        .iter()
        .map(String::as_str)
        .zip(running.labels.iter().copied())
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("Talks", 0),
            ("in", 0),
            ("New", loc),
            ("York", loc + 1),
            ("(", per),
            ("Madrid", per + 1),
            (")", per + 1),
            ("ended", 0),
        ]
    );
    assert_eq!(doc.text().0, "Talks in New York\n(Madrid) ended");
}

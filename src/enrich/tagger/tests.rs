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

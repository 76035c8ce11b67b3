//! Unit tests of `discover`.

use super::*;

fn nothing_known(_: &str) -> bool {
    false
}

fn names(text: &str) -> Vec<String> {
    discover(text, &[], nothing_known)
        .into_iter()
        .map(|d| d.surface.into_owned())
        .collect()
}

#[test]
fn finds_capitalised_runs_with_connectors() {
    assert_eq!(
        names("El acuerdo lo firmó el Ministerio de Trabajo y Asuntos Sociales con Juan y Pedro Gómez."),
        vec!["Ministerio de Trabajo y Asuntos Sociales", "Juan", "Pedro Gómez"]
    );
    assert_eq!(
        names("He works at the Bank of England in the City."),
        vec!["Bank of England", "City"]
    );
    assert_eq!(
        names("said Bob Bannon of Pacific Bank, and Federal Reserve Bank of Dallas's Mary Kay."),
        vec![
            "Bob Bannon",
            "Pacific Bank",
            "Federal Reserve Bank of Dallas",
            "Mary Kay"
        ]
    );
}

#[test]
fn skips_sentence_starts_months_and_function_words() {
    assert_eq!(
        names("Analysts expect growth. Shares rose in March. Según la prensa, Acme ganó."),
        vec!["Acme"]
    );
    // A sentence-initial word counts when it is capitalised mid-sentence elsewhere.
    assert_eq!(
        names("Zorvex sold chips. Buyers like Zorvex."),
        vec!["Zorvex", "Zorvex"]
    );
}

#[test]
fn strips_titles_and_possessives_and_headlines() {
    assert_eq!(
        names("He met President Xavi Pons and Mr. Lee's team."),
        vec!["Xavi Pons", "Lee"]
    );
    assert_eq!(
        names("ZORVEX BUYS ACME\nThe deal with Acme closed."),
        vec!["Acme"]
    );
}

#[test]
fn words_without_tokens_still_inform_the_next_word() {
    // Only the first word of the text opens it, not the first capitalised one.
    assert_eq!(names("shares in Zorvex rose"), vec!["Zorvex"]);
    // A lower-case abbreviation keeps its full stop from ending the sentence.
    assert_eq!(names("Costs rose approx. Zorvex said."), vec!["Zorvex"]);
    assert!(names("Costs rose sharply. Zorvex said.").is_empty());
    // A number ending a headline line still makes the next line open a sentence.
    assert!(names("ZORVEX BUYS QUARZ 1987\nQuarz rose.").is_empty());
    assert_eq!(names("zorvex buys quarz 1987\nQuarz rose."), vec!["Quarz"]);
    // Lower-case words break runs.
    assert_eq!(names("deal with Acme Zorvex"), vec!["Acme Zorvex"]);
    assert_eq!(
        names("deal with Acme pleased Zorvex"),
        vec!["Acme", "Zorvex"]
    );
}

#[test]
fn curated_spans_split_runs() {
    let text = "Martin Lau de Tencent habló";
    let found = discover(text, &[(0, 10), (14, 21)], nothing_known);
    assert!(found.is_empty(), "{found:?}");
    let found = discover("with Bank Zorvex Tencent today", &[(17, 24)], nothing_known);
    assert_eq!(
        found
            .iter()
            .map(|d| d.surface.as_ref())
            .collect::<Vec<&str>>(),
        vec!["Bank Zorvex"]
    );
    let found = discover("Lau dijo algo.", &[], |word| word == "lau");
    assert_eq!(
        found
            .iter()
            .map(|d| d.surface.as_ref())
            .collect::<Vec<&str>>(),
        vec!["Lau"]
    );
}

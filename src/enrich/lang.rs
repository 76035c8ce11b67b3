//! Tells Spanish from English (and from anything else) for each document, so that search can filter by
//! language and pick the right stemmer.
//!
//! Detection is whatlang's: a small, fast, maintained trigram detector that separates Spanish and
//! English well; a language declared by the input is trusted only where detection cannot be.

use serde::Serialize;

/// How much of the body is looked at. Measured with `examples/eval_lang.rs` on the first 2,000
/// records of Reuters (English) and of a Spanish news corpus: 1 KB, 768 B and 512 B give the same
/// accuracy within 0.2 points (Spanish 100 % at all three), while 512 B detects ~15 % faster.
const SAMPLE_BYTES: usize = 512;
/// Below this many letters the text says too little and a declared language wins.
const SHORT_LETTERS: usize = 40;

/// Below this whatlang confidence an unreliable guess is overruled by the better of Spanish and English.
const WEAK_CONFIDENCE: f64 = 0.5;

/// The languages topictrack tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Lang {
    #[serde(rename = "es")]
    Es,
    #[serde(rename = "en")]
    En,
    #[serde(rename = "other")]
    Other,
}

impl Lang {
    /// The code stored in the index and shown to users: "es", "en" or "other".
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
            Lang::Other => "other",
        }
    }
}

/// whatlang scores every candidate language, so detection time grows with the candidates: limiting
/// them to the languages of news most likely to sit beside Spanish and English keeps "other" meaningful
/// (French, Portuguese, German… are still told apart from Spanish and English) at a fraction of the cost.
static DETECTOR: std::sync::LazyLock<whatlang::Detector> = std::sync::LazyLock::new(|| {
    use whatlang::Lang::*;
    whatlang::Detector::with_allowlist(vec![
        Eng, Spa, Por, Fra, Ita, Deu, Nld, Cat, Rus, Cmn, Jpn, Kor, Ara,
    ])
});

/// Detects Spanish, English or other from the title and the first 512 bytes of the body.
///
/// The declared language (`lang` field: "es", "es-ES", "spa", "Spanish", "en", "English", "fr"…) is
/// used only when the text has fewer than 40 letters or whatlang says its guess is unreliable; an
/// unreliable guess with no usable declaration is still taken. No text and no declaration gives `Other`.
pub fn detect_language(title: Option<&str>, body: &str, declared: Option<&str>) -> Lang {
    detect_language_sampled(title, body, declared, SAMPLE_BYTES)
}

/// [`detect_language`] looking at `sample_bytes` of the body instead of the default; used to weigh
/// speed against accuracy (`examples/eval_lang.rs`).
pub fn detect_language_sampled(
    title: Option<&str>,
    body: &str,
    declared: Option<&str>,
    sample_bytes: usize,
) -> Lang {
    let hint = declared.and_then(declared_language);
    let sample = sample(title, body, sample_bytes);
    let letters = sample.chars().filter(|c| c.is_alphabetic()).count();
    if letters < SHORT_LETTERS {
        if let Some(hint) = hint {
            return hint;
        }
    }
    match DETECTOR.detect(&sample) {
        Some(info) if info.is_reliable() => from_whatlang(info.lang()),
        Some(info) => hint.unwrap_or_else(|| spanish_or_english(&sample, info)),
        None => hint.unwrap_or(Lang::Other),
    }
}

/// For an unreliable guess: the better of Spanish and English when the guess was weak (telegraphic
/// or garbled news fools the trigram model), else the guess itself.
fn spanish_or_english(sample: &str, guess: whatlang::Info) -> Lang {
    if guess.confidence() >= WEAK_CONFIDENCE {
        return from_whatlang(guess.lang());
    }
    let detector =
        whatlang::Detector::with_allowlist(vec![whatlang::Lang::Spa, whatlang::Lang::Eng]);
    detector
        .detect(sample)
        .map_or(Lang::Other, |info| from_whatlang(info.lang()))
}

fn from_whatlang(lang: whatlang::Lang) -> Lang {
    match lang {
        whatlang::Lang::Spa => Lang::Es,
        whatlang::Lang::Eng => Lang::En,
        _ => Lang::Other,
    }
}

/// The title and the start of the body, cut on a character boundary.
fn sample(title: Option<&str>, body: &str, sample_bytes: usize) -> String {
    let mut end = body.len().min(sample_bytes);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let head = body.get(..end).unwrap_or("");
    match title {
        Some(title) => format!("{title}\n{head}"),
        None => head.to_string(),
    }
}

/// Reads a declared language: a BCP 47 tag, an ISO 639 code or a language name in English or Spanish.
/// Empty and "unknown"-style values give `None`.
fn declared_language(declared: &str) -> Option<Lang> {
    let lower = declared.trim().to_lowercase();
    let primary = lower.split(['-', '_']).next().unwrap_or("").trim();
    match primary {
        "es" | "spa" | "esp" | "spanish" | "español" | "espanol" | "castellano" => Some(Lang::Es),
        "en" | "eng" | "english" | "inglés" | "ingles" => Some(Lang::En),
        "" | "und" | "unknown" | "mul" | "zxx" | "xx" | "none" | "null" => None,
        other if other.chars().all(char::is_alphabetic) => Some(Lang::Other),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPANISH: &str = "El presidente de Tencent, Martin Lau, explicó a los analistas que la empresa \
        tiene suficientes procesadores para seguir entrenando sus modelos durante varias generaciones, \
        aunque los controles de exportación de Estados Unidos limitan las compras.";
    const ENGLISH: &str = "Tencent president Martin Lau told analysts that the company has enough \
        processors to keep training its models for several generations, even though United States \
        export controls limit what it can buy.";
    const FRENCH: &str = "Le président de Tencent a déclaré aux analystes que l'entreprise dispose de \
        suffisamment de processeurs pour continuer à entraîner ses modèles pendant plusieurs générations.";

    #[test]
    fn detects_spanish_and_english() {
        assert_eq!(detect_language(None, SPANISH, None), Lang::Es);
        assert_eq!(
            detect_language(Some("Chips y controles"), ENGLISH, None),
            Lang::En
        );
        assert_eq!(
            detect_language(None, ENGLISH, Some("es")),
            Lang::En,
            "reliable text beats a wrong hint"
        );
    }

    #[test]
    fn french_is_other() {
        assert_eq!(detect_language(None, FRENCH, None), Lang::Other);
        assert_eq!(Lang::Other.code(), "other");
    }

    #[test]
    fn short_texts_follow_the_declared_language() {
        assert_eq!(
            detect_language(Some("Nvidia H20"), "", Some("es-ES")),
            Lang::Es
        );
        assert_eq!(
            detect_language(None, "GPU stock", Some("English")),
            Lang::En
        );
        assert_eq!(detect_language(None, "GPU", Some("fr")), Lang::Other);
        assert_eq!(detect_language(None, "", None), Lang::Other);
    }

    #[test]
    fn declared_values() {
        assert_eq!(declared_language(" es_MX "), Some(Lang::Es));
        assert_eq!(declared_language("spa"), Some(Lang::Es));
        assert_eq!(declared_language("Español"), Some(Lang::Es));
        assert_eq!(declared_language("en-GB"), Some(Lang::En));
        assert_eq!(declared_language("de"), Some(Lang::Other));
        assert_eq!(declared_language("und"), None);
        assert_eq!(declared_language("42"), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(body in "\\PC{0,300}", declared in "\\PC{0,8}") {
            let _ = detect_language(Some(&body), &body, Some(&declared));
        }
    }

    #[test]
    fn long_multibyte_text_is_cut_safely() {
        let body = "ñ".repeat(SAMPLE_BYTES);
        assert_eq!(sample(None, &body, SAMPLE_BYTES).len(), SAMPLE_BYTES);
        let _ = detect_language(None, &body, None);
    }
}

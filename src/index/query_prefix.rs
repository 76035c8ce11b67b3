//! Prefix words (`nvidi*`) in queries. tantivy's query grammar reads a trailing `*` as a prefix
//! only on phrases of two words or more (`"export contr"*`); on a single word its tokenizer drops
//! the `*` and the word is searched whole, so `nvidi*` quietly found only the documents whose
//! stemmed text holds the word "nvidi". This rewrites each prefix word, before parsing, into what
//! the grammar does support: the word itself (so `exportacion*` still meets its stem) or, on each
//! text field, any indexed word starting with it (a regex over the terms).

use crate::text::fold;

/// The fields a bare prefix word is looked for in: the query's default fields.
const TEXT_FIELDS: [&str; 4] = ["title", "text_es", "text_en", "text_other"];

/// `text` with every `word*` and `field:word*` outside "phrases" rewritten for the parser; other
/// text is left exactly as it was.
pub fn expand_prefixes(text: &str) -> String {
    text.split('"')
        .enumerate()
        .map(|(position, part)| {
            if position % 2 == 1 {
                return part.to_string();
            }
            part.split(' ')
                .map(expand_token)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\"")
}

/// One space-separated token: `(`s, an optional `-`/`+`, an optional text field, letters or digits,
/// `*`, then `)`s. Anything else (`*` alone, `entity:x*`, `a*b`) is returned untouched.
fn expand_token(token: &str) -> String {
    let inner = token.trim_start_matches('(');
    let opens = &token[..token.len() - inner.len()];
    let core = inner.trim_end_matches(')');
    let closes = &inner[core.len()..];
    let (sign, core) = match core.strip_prefix(['-', '+']) {
        Some(rest) => (&core[..1], rest),
        None => ("", core),
    };
    let Some(stem) = core.strip_suffix('*') else {
        return token.to_string();
    };
    let (field, word) = match stem.split_once(':') {
        Some((field, word)) if TEXT_FIELDS.contains(&field) => (Some(field), word),
        Some(_) => return token.to_string(),
        None => (None, stem),
    };
    let folded = fold(word);
    // Only letters and digits go into the regex, so nothing in it needs escaping.
    if folded.is_empty() || !folded.chars().all(char::is_alphanumeric) {
        return token.to_string();
    }
    let fields: &[&str] = match field {
        Some(field) => &[field][..],
        None => &TEXT_FIELDS[..],
    };
    let whole = match field {
        Some(field) => format!("{field}:{folded}"),
        None => folded.clone(),
    };
    let starts: Vec<String> = fields
        .iter()
        .map(|field| format!("{field}:/{folded}.*/"))
        .collect();
    format!("{opens}{sign}({whole} OR {}){closes}", starts.join(" OR "))
}

#[cfg(test)]
mod tests {
    use super::expand_prefixes;

    #[test]
    fn a_prefix_word_becomes_the_word_or_any_word_it_starts() {
        assert_eq!(
            expand_prefixes("Nvidi*"),
            "(nvidi OR title:/nvidi.*/ OR text_es:/nvidi.*/ OR text_en:/nvidi.*/ OR text_other:/nvidi.*/)"
        );
        assert_eq!(
            expand_prefixes("-title:exportació*)"),
            "-(title:exportacio OR title:/exportacio.*/))"
        );
    }

    #[test]
    fn other_stars_and_phrases_are_left_alone() {
        for text in [
            "*",
            "\"export contr\"*",
            "\"nvidi* x\"",
            "entity:nvid*",
            "a*b",
            "chips",
        ] {
            assert_eq!(expand_prefixes(text), text);
        }
    }
}

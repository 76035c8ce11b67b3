//! Closing lines that are not article content (advertisements, newsletter pitches, agency credit
//! lines), left out of enrichment so that they add no names, dates or topics the story never mentions.

use crate::text::fold;

/// How the closing lines that are not article content start (folded): advertisements, newsletter
/// pitches and agency credit lines that pasted and scraped articles drag along.
const BOILERPLATE_STARTS: &[&str] = &[
    "anuncio",
    "publicidad",
    "suscribete",
    "suscribase",
    "contenido patrocinado",
    "patrocinado",
    "lee tambien",
    "te puede interesar",
    "advertisement",
    "sponsored",
    "subscribe",
    "sign up for",
    "read more",
    "related:",
    "(reporting by",
    "reporting by",
    "(editing by",
    "(writing by",
];

/// News agencies whose name alone on the closing line signs a wire story off ("Reuter", "(EFE)"):
/// the name of the sender, not of anything the story is about.
const AGENCY_SIGN_OFFS: &[&str] = &[
    "reuter",
    "reuters",
    "ap",
    "afp",
    "efe",
    "dpa",
    "upi",
    "ansa",
    "xinhua",
    "europa press",
    "bloomberg",
];

/// How many closing lines at most are looked at; boilerplate is a line or two, not a section.
const BOILERPLATE_LINES: usize = 3;

/// `body` without its closing advertisement, newsletter or credit lines, for enrichment only (the
/// stored text stays whole). A line is dropped when it starts like one of `BOILERPLATE_STARTS` or is
/// only an agency's name (`AGENCY_SIGN_OFFS`); at
/// most the last `BOILERPLATE_LINES` non-blank lines are looked at, and never the only line.
pub fn without_trailing_boilerplate(body: &str) -> &str {
    let mut end = body.trim_end().len();
    for _ in 0..BOILERPLATE_LINES {
        let Some(kept) = body.get(..end) else { break };
        let line_start = kept.rfind('\n').map_or(0, |i| i + 1);
        if line_start == 0 {
            break;
        }
        let line = kept
            .get(line_start..)
            .unwrap_or("")
            .trim_start_matches(['>', ' ', '\t']);
        let folded = fold(line.get(..line.len().min(40)).unwrap_or(line));
        let folded = folded.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(');
        let bare = folded.trim_matches(|c: char| !c.is_alphanumeric());
        let sign_off = AGENCY_SIGN_OFFS.contains(&bare);
        if !sign_off
            && !BOILERPLATE_STARTS
                .iter()
                .any(|start| folded.starts_with(start))
        {
            break;
        }
        end = body.get(..line_start).unwrap_or("").trim_end().len();
    }
    body.get(..end).unwrap_or(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agency_sign_off_is_left_out_but_a_line_about_it_is_not() {
        let body = "Cocoa rose after\ncarnival.\n Reuter";
        assert_eq!(
            without_trailing_boilerplate(body),
            "Cocoa rose after\ncarnival."
        );
        assert_eq!(
            without_trailing_boilerplate("Talks went on.\n(EFE)\n"),
            "Talks went on."
        );
        let about = "Shares fell.\nReuters said it would appeal.";
        assert_eq!(without_trailing_boilerplate(about), about);
    }

    #[test]
    fn closing_adverts_and_credits_are_left_out() {
        let body = "Chips sold out.\n\nMore text here.\n\nSuscríbete a nuestro boletín\n";
        assert_eq!(
            without_trailing_boilerplate(body),
            "Chips sold out.\n\nMore text here."
        );
        let wire =
            "Nvidia fell.\r\n(Reporting by A. Writer; Editing by B. Editor)\r\nAdvertisement";
        assert_eq!(without_trailing_boilerplate(wire), "Nvidia fell.");
        // A single line, or a closing line that is content, stays.
        assert_eq!(without_trailing_boilerplate("Publicidad"), "Publicidad");
        let plain = "First.\nLa publicidad digital creció.";
        assert_eq!(without_trailing_boilerplate(plain), plain);
    }
}

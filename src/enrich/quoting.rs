//! What a mail or news message says in its own words: quoted replies (`> …` lines, the "On … wrote:"
//! line that introduces them, a forwarded "Original Message") and the signature after `-- ` are
//! someone else's text or the sender's letterhead. They stay in the stored, searchable body, but
//! are left out of enrichment, so they give the message no topic, entity or date of their own.

/// Lines that introduce quoted text end with one of these (folded to lower case).
const ATTRIBUTION_ENDS: &[&str] = &[
    "wrote:",
    "writes:",
    "said:",
    "escribió:",
    "escribio:",
    "escribe:",
    "a écrit :",
    "a écrit:",
];

/// Lines after which everything is a forwarded or replied-to message.
const ORIGINAL_MESSAGE: &[&str] = &[
    "-----original message-----",
    "-----mensaje original-----",
    "---------- forwarded message ---------",
    "---------- mensaje reenviado ---------",
];

/// The message's own text: `body` without quoted lines, their attribution lines and the signature.
pub fn own_text(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
    for (at, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        // RFC 3676's delimiter is "-- "; many programs trim it to "--".
        if trimmed == "--" && line.trim_end_matches(['\r', ' ']) == "--" {
            break;
        }
        let folded = trimmed.to_lowercase();
        if ORIGINAL_MESSAGE.contains(&folded.as_str()) {
            break;
        }
        if is_quoted(line) {
            continue;
        }
        if ATTRIBUTION_ENDS.iter().any(|end| folded.ends_with(end)) && quote_follows(&lines, at) {
            // A wrapped attribution ("On Mon, 5 May, Ana <a@b>" / "wrote:") loses its first half too.
            if !starts_attribution(&folded)
                && kept
                    .last()
                    .is_some_and(|last| starts_attribution(&last.trim().to_lowercase()))
            {
                kept.pop();
            }
            continue;
        }
        kept.push(line);
    }
    let mut own = kept.join("\n");
    own.truncate(own.trim_end().len());
    own
}

/// How attribution lines begin, folded: "On Mon, …", "El lun, …", "Le …", "In article <…>".
fn starts_attribution(folded: &str) -> bool {
    ["on ", "el ", "le ", "am ", "in article"]
        .iter()
        .any(|start| folded.starts_with(start))
}

fn is_quoted(line: &str) -> bool {
    line.trim_start().starts_with('>')
}

/// Whether the next non-blank line after `at` is quoted.
fn quote_follows(lines: &[&str], at: usize) -> bool {
    lines
        .iter()
        .skip(at + 1)
        .find(|line| !line.trim().is_empty())
        .is_some_and(|line| is_quoted(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_attributions_and_signature_are_left_out() {
        let body = "I agree with the plan.\n\nOn Mon, 5 May 2025, Ana <ana@example.org> wrote:\n> Nvidia shipped H20 chips.\n>> Older quote.\n\nSecond own line.\n-- \nLuis Pérez\nAcme Corp, Madrid\n";
        assert_eq!(
            own_text(body),
            "I agree with the plan.\n\n\nSecond own line."
        );
    }

    #[test]
    fn wrapped_and_spanish_attributions() {
        let body = "Respuesta.\nEl lun, 5 may 2025 a las 10:00, Ana Ruiz\n<ana@example.org> escribió:\n> Texto citado\n";
        assert_eq!(own_text(body), "Respuesta.");
        let wrapped = "Reply.\nOn Mon, 5 May 2025, Ana Ruiz <ana@example.org>\nwrote:\n> quoted\n";
        assert_eq!(own_text(wrapped), "Reply.");
        let usenet = "In article <1@host>, bob@host (Bob) writes:\n> old text\nNew text.";
        assert_eq!(own_text(usenet), "New text.");
    }

    #[test]
    fn a_line_ending_in_wrote_without_a_quote_is_text() {
        let body = "The minister wrote:\nthe plan stands.";
        assert_eq!(own_text(body), body);
    }

    #[test]
    fn forwarded_original_message_is_left_out() {
        let body = "See below.\n\n-----Original Message-----\nFrom: x\nTencent bought GPUs.";
        assert_eq!(own_text(body), "See below.");
    }
}

//! The precedence of `OR` in the query language. tantivy's parser, with AND by default, reads
//! `a b OR c` as a disjunction that makes every word optional; users of Lucene-style engines mean
//! `a AND (b OR c)`. The rule here: `OR` joins only the operands on either side of it (a word, a
//! `"phrase"`, a `field:value` or a parenthesised group), a chain `a OR b OR c` is one group, and
//! everything else — juxtaposed or joined by a written `AND` — is required. The text is rewritten
//! before tantivy reads it by putting each OR chain in parentheses, outside quoted phrases and
//! within each level of the user's own parentheses.
//!
//! A negated operand inside a chain (`nvidia -huawei OR intel`) is refused: it could mean "neither"
//! or "one of these two groups", so the error shows both spellings.

/// A piece of the query text: a parenthesis, or a run of text between spaces and parentheses
/// (quoted phrases and `[..]`/`{..}` ranges stay whole); positions are byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Open(usize),
    Close(usize),
    Word(usize, usize),
}

fn lex(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, ch)) = chars.peek() {
        match ch {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                tokens.push(Token::Open(start));
                chars.next();
            }
            ')' => {
                tokens.push(Token::Close(start));
                chars.next();
            }
            _ => {
                let mut end = start;
                let mut closing: Option<char> = None;
                let mut previous: Option<char> = None;
                while let Some(&(position, c)) = chars.peek() {
                    if closing.is_none()
                        && (c.is_whitespace() || c == '(' || c == ')')
                        && previous != Some('\\')
                    {
                        break;
                    }
                    chars.next();
                    end = position + c.len_utf8();
                    match closing {
                        Some(close) if c == close && previous != Some('\\') => closing = None,
                        Some(_) => {}
                        None if previous == Some('\\') => {}
                        None => {
                            closing = match c {
                                '"' => Some('"'),
                                '[' => Some(']'),
                                '{' => Some('}'),
                                '\'' if !previous.is_some_and(char::is_alphanumeric) => Some('\''),
                                _ => None,
                            }
                        }
                    }
                    // A backslash escapes one character only: `\\` does not escape the next.
                    previous = if previous == Some('\\') && c == '\\' {
                        None
                    } else {
                        Some(c)
                    };
                }
                tokens.push(Token::Word(start, end));
            }
        }
    }
    tokens
}

/// One element of a level: an operator or an operand with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    And,
    Or,
    /// `core` is where the operand starts once a leading `-` or `NOT ` is set aside.
    Operand {
        start: usize,
        core: usize,
        end: usize,
        negated: bool,
    },
}

struct Grouper<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    position: usize,
    /// Parentheses to add: byte offset and `(` or `)`.
    inserts: Vec<(usize, char)>,
}

/// Puts every OR chain of `text` in parentheses; a chain with a negated operand is an error whose
/// sentence shows the two unambiguous spellings.
pub(crate) fn group_or_chains(text: &str) -> Result<String, String> {
    let mut grouper = Grouper {
        text,
        tokens: lex(text),
        position: 0,
        inserts: Vec::new(),
    };
    // Stray `)` are reported by the balance check before this runs; skip any here.
    while grouper.position < grouper.tokens.len() {
        grouper.level()?;
        grouper.position += 1;
    }
    let mut inserts = grouper.inserts;
    // At one offset a `)` closing an inner chain comes before a `(` opening the next one.
    inserts.sort_by_key(|&(offset, paren)| (offset, paren == '('));
    let mut out = String::with_capacity(text.len() + inserts.len());
    let mut copied = 0;
    for (offset, paren) in inserts {
        out.push_str(&text[copied..offset]);
        out.push(paren);
        copied = offset;
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

impl Grouper<'_> {
    /// Reads one level up to its `)` (left unread) or the end, and marks its chains.
    fn level(&mut self) -> Result<(), String> {
        let mut units: Vec<Unit> = Vec::new();
        let mut pending_not: Option<usize> = None;
        while let Some(&token) = self.tokens.get(self.position) {
            let (start, end) = match token {
                Token::Close(_) => break,
                Token::Open(start) => (start, self.group()?),
                Token::Word(start, end) => {
                    let glued = matches!(self.tokens.get(self.position + 1), Some(Token::Open(open)) if *open == end);
                    if glued {
                        self.position += 1;
                        (start, self.group()?)
                    } else {
                        self.position += 1;
                        match &self.text[start..end] {
                            "AND" => {
                                units.push(Unit::And);
                                continue;
                            }
                            "OR" => {
                                units.push(Unit::Or);
                                continue;
                            }
                            "NOT" => {
                                pending_not = Some(start);
                                continue;
                            }
                            _ => (start, end),
                        }
                    }
                }
            };
            let dashed = self.text[start..end].starts_with('-');
            let not = pending_not.take();
            units.push(Unit::Operand {
                start: not.unwrap_or(start),
                core: if dashed { start + 1 } else { start },
                end,
                negated: dashed || not.is_some(),
            });
        }
        self.mark_chains(&units)
    }

    /// Reads a group from its `(` (at the current token) through its `)` and a suffix glued to it
    /// (`^2`); returns the byte offset where the group ends.
    fn group(&mut self) -> Result<usize, String> {
        self.position += 1;
        self.level()?;
        let mut end = self.text.len();
        if let Some(Token::Close(close)) = self.tokens.get(self.position) {
            end = close + 1;
            self.position += 1;
        }
        if let Some(&Token::Word(start, word_end)) = self.tokens.get(self.position) {
            if start == end {
                self.position += 1;
                end = word_end;
            }
        }
        Ok(end)
    }

    fn mark_chains(&mut self, units: &[Unit]) -> Result<(), String> {
        let mut index = 0;
        while index < units.len() {
            let mut last = index;
            while matches!(units.get(last), Some(Unit::Operand { .. }))
                && units.get(last + 1) == Some(&Unit::Or)
                && matches!(units.get(last + 2), Some(Unit::Operand { .. }))
            {
                last += 2;
            }
            if last > index {
                let chain: Vec<(usize, usize, usize, bool)> = units[index..=last]
                    .iter()
                    .filter_map(|unit| match *unit {
                        Unit::Operand {
                            start,
                            core,
                            end,
                            negated,
                        } => Some((start, core, end, negated)),
                        _ => None,
                    })
                    .collect();
                if chain.iter().any(|operand| operand.3) {
                    return Err(self.ambiguity(units, &chain));
                }
                if let (Some(first), Some(final_operand)) = (chain.first(), chain.last()) {
                    self.inserts.push((first.0, '('));
                    self.inserts.push((final_operand.2, ')'));
                }
            }
            index = last + 1;
        }
        Ok(())
    }

    /// The error for a chain holding a negated operand, with the level around it in both readings.
    fn ambiguity(&self, units: &[Unit], chain: &[(usize, usize, usize, bool)]) -> String {
        let span = |unit: &Unit| match *unit {
            Unit::Operand { start, end, .. } => Some((start, end)),
            _ => None,
        };
        let level_start = units.iter().find_map(span).map_or(0, |(start, _)| start);
        let level_end = units.iter().rev().find_map(span).map_or(0, |(_, end)| end);
        let (Some(first), Some(last)) = (chain.first(), chain.last()) else {
            return "a negation inside OR is ambiguous; use parentheses".to_string();
        };
        let before = self.text[level_start..first.0].trim_end();
        let after = self.text[last.2..level_end].trim_start();
        let cores: Vec<&str> = chain
            .iter()
            .map(|&(_, core, end, _)| self.text[core..end].trim_start_matches("NOT ").trim())
            .collect();
        let join = |parts: &[&str]| {
            parts
                .iter()
                .filter(|part| !part.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let neither = join(&[before, &format!("-({})", cores.join(" OR ")), after]);
        let written = &self.text[first.0..last.2];
        let mut message = format!(
            "{written:?} negates a word inside OR, which is ambiguous; write `{neither}` to exclude all of them"
        );
        if let Some(negated) = chain.iter().position(|operand| operand.3) {
            if !before.is_empty() {
                let others: Vec<&str> = cores
                    .iter()
                    .enumerate()
                    .filter(|(index, _)| *index != negated)
                    .map(|(_, core)| *core)
                    .collect();
                let grouped = join(&[
                    &format!("({before} -{}) OR {}", cores[negated], others.join(" OR ")),
                    after,
                ]);
                message.push_str(&format!(", or `{grouped}` for either side"));
            }
        }
        message
    }
}

#[cfg(test)]
mod tests {
    use super::group_or_chains;

    fn grouped(text: &str) -> String {
        group_or_chains(text).unwrap_or_else(|err| panic!("{text}: {err}"))
    }

    #[test]
    fn or_chains_are_wrapped_and_other_words_stay_outside() {
        assert_eq!(grouped("chips China OR Taiwan"), "chips (China OR Taiwan)");
        assert_eq!(grouped("a OR b OR c d"), "(a OR b OR c) d");
        assert_eq!(grouped("a OR b c OR d"), "(a OR b) (c OR d)");
        assert_eq!(grouped("a AND b OR c"), "a AND (b OR c)");
        assert_eq!(grouped("plain words"), "plain words");
    }

    #[test]
    fn phrases_fields_ranges_and_groups_are_single_operands() {
        assert_eq!(
            grouped("nvidia \"export OR controls\" OR lang:es"),
            "nvidia (\"export OR controls\" OR lang:es)"
        );
        assert_eq!(
            grouped("title:\"a b\"~2 OR date:[2025-01-01T00:00:00Z TO 2026-01-01T00:00:00Z] x"),
            "(title:\"a b\"~2 OR date:[2025-01-01T00:00:00Z TO 2026-01-01T00:00:00Z]) x"
        );
        assert_eq!(grouped("x (a b) OR c"), "x ((a b) OR c)");
        assert_eq!(grouped("x title:(a b)^2 OR c"), "x (title:(a b)^2 OR c)");
        assert_eq!(grouped("x (a b OR c)"), "x (a (b OR c))");
        assert_eq!(grouped("x -(a OR b)"), "x -((a OR b))");
        assert_eq!(grouped("'a OR b' c"), "'a OR b' c");
        assert_eq!(grouped("O'Brien OR x"), "(O'Brien OR x)");
    }

    #[test]
    fn a_negation_inside_a_chain_is_refused_with_both_spellings() {
        let err = group_or_chains("nvidia -huawei OR intel").unwrap_err();
        assert!(err.contains("`nvidia -(huawei OR intel)`"), "{err}");
        assert!(err.contains("`(nvidia -huawei) OR intel`"), "{err}");
        let err = group_or_chains("nvidia NOT huawei OR intel").unwrap_err();
        assert!(err.contains("`nvidia -(huawei OR intel)`"), "{err}");
        let err = group_or_chains("a OR -b").unwrap_err();
        assert!(err.contains("`-(a OR b)`"), "{err}");
        assert!(group_or_chains("a -b c OR d").is_ok());
    }
}

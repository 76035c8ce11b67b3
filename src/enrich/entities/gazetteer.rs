//! Curated entity matching: every alias of every entity goes into one Aho-Corasick automaton that runs once
//! over the folded document; hits are then checked for word boundaries and capitalisation rules.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use std::collections::HashMap;

use super::words;
use super::EntityError;
use crate::taxonomy::defs::{EntityDef, EntityKind};
use crate::text::{fold, Folded};

/// How strictly the capitalisation of the text must agree with an alias.
#[derive(Debug, Clone, PartialEq)]
enum CaseRule {
    /// Any capitalisation ("bytedance", "NVIDIA").
    Any,
    /// The first letter must be upper case (aliases that are also common words: "Meta", "Arm").
    Capitalised,
    /// Exactly this spelling ("US", listed in `case_sensitive` or short and all capitals).
    Exact(String),
}

#[derive(Debug, Clone)]
struct Candidate {
    entity: usize,
    rule: CaseRule,
}

/// One accepted curated mention, in byte offsets of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CuratedMatch {
    pub start: usize,
    pub end: usize,
    pub entity: usize,
}

/// The compiled gazetteer.
pub(crate) struct Gazetteer {
    // aho-corasick: the standard, well-kept multi-pattern matcher (used by regex itself); one pass over the
    // text finds all aliases at once, whatever their number.
    automaton: AhoCorasick,
    /// Per automaton pattern id, the entities that share this folded alias, first definition first.
    candidates: Vec<Vec<Candidate>>,
    /// Kind and canonical name of each entity, by index.
    pub entities: Vec<(EntityKind, String)>,
}

fn case_rule(alias: &str, def: &EntityDef) -> CaseRule {
    if def
        .case_sensitive
        .iter()
        .any(|listed| listed.trim() == alias)
    {
        return CaseRule::Exact(alias.to_string());
    }
    let letters: Vec<char> = alias.chars().filter(|c| c.is_alphabetic()).collect();
    if !letters.is_empty() && letters.len() <= 3 && letters.iter().all(|c| c.is_uppercase()) {
        return CaseRule::Exact(alias.to_string());
    }
    if words::is_common_word_alias(&fold(alias)) {
        return CaseRule::Capitalised;
    }
    CaseRule::Any
}

impl Gazetteer {
    pub fn new(defs: &[EntityDef]) -> Result<Gazetteer, EntityError> {
        let mut pattern_ids: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut candidates: Vec<Vec<Candidate>> = Vec::new();
        let mut entities = Vec::with_capacity(defs.len());
        for (entity, def) in defs.iter().enumerate() {
            let name = def.name.trim();
            if name.is_empty() {
                return Err(EntityError::EmptyName { index: entity });
            }
            if def.kind == EntityKind::Other {
                return Err(EntityError::OtherKind {
                    name: name.to_string(),
                });
            }
            entities.push((def.kind, name.to_string()));
            let spellings = std::iter::once(&def.name)
                .chain(&def.aliases)
                .chain(&def.case_sensitive);
            for raw in spellings {
                let alias = raw.split_whitespace().collect::<Vec<_>>().join(" ");
                if alias.is_empty() {
                    return Err(EntityError::EmptyAlias {
                        entity: name.to_string(),
                    });
                }
                if !alias.chars().any(char::is_alphanumeric) {
                    return Err(EntityError::NoLetters {
                        entity: name.to_string(),
                        alias,
                    });
                }
                let key = fold(&alias);
                let rule = case_rule(&alias, def);
                let id = *pattern_ids.entry(key.clone()).or_insert_with(|| {
                    patterns.push(key);
                    candidates.push(Vec::new());
                    candidates.len() - 1
                });
                if let Some(list) = candidates.get_mut(id) {
                    let candidate = Candidate { entity, rule };
                    if !list
                        .iter()
                        .any(|c| c.entity == entity && c.rule == candidate.rule)
                    {
                        list.push(candidate);
                    }
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            // A full DFA: more memory than the default NFA, but the fastest search for the
            // few hundred to few thousand patterns a taxonomy has.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|source| EntityError::Automaton(source.to_string()))?;
        Ok(Gazetteer {
            automaton,
            candidates,
            entities,
        })
    }

    /// All curated mentions in `text` (whose folded form is `folded`), left to right, not overlapping.
    pub fn find(&self, text: &str, folded: &Folded) -> Vec<CuratedMatch> {
        let hay = folded.text.as_str();
        let mut found = Vec::new();
        let mut pos = 0;
        while pos < hay.len() {
            let Some(hit) = self.automaton.find(Input::new(hay).range(pos..)) else {
                break;
            };
            match self.accept(
                text,
                folded,
                hit.pattern().as_usize(),
                hit.start(),
                hit.end(),
            ) {
                Some(accepted) => {
                    found.push(accepted);
                    pos = hit.end().max(pos + 1);
                }
                None => pos = next_boundary(hay, hit.start()),
            }
        }
        found
    }

    fn accept(
        &self,
        text: &str,
        folded: &Folded,
        pattern: usize,
        start: usize,
        end: usize,
    ) -> Option<CuratedMatch> {
        let (start, end) = folded.original_span(start, end)?;
        let surface = text.get(start..end)?;
        let before_ok =
            !matches!(text.get(..start)?.chars().next_back(), Some(c) if c.is_alphanumeric());
        // An alias that ends in a full stop ("EE.UU.") has ended its word even when damaged
        // input glues the next word to it ("EE.UU.porque").
        let after_ok = surface.ends_with('.')
            || !matches!(text.get(end..)?.chars().next(), Some(c) if c.is_alphanumeric());
        if !before_ok || !after_ok {
            return None;
        }
        let candidate = self
            .candidates
            .get(pattern)?
            .iter()
            .find(|c| match &c.rule {
                CaseRule::Any => true,
                CaseRule::Capitalised => surface.chars().next().is_some_and(char::is_uppercase),
                CaseRule::Exact(alias) => surface.split_whitespace().eq(alias.split_whitespace()),
            })?;
        let mut end = end;
        if self
            .entities
            .get(candidate.entity)
            .is_some_and(|(kind, _)| *kind == EntityKind::Org)
        {
            end = extend_org_suffix(text, end);
        }
        Some(CuratedMatch {
            start,
            end,
            entity: candidate.entity,
        })
    }
}

/// The byte position just after the character that starts at `at`.
fn next_boundary(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(text.len(), |c| at + c.len_utf8())
}

/// Extends an organisation mention over following company-form words: "Nvidia Corp.", "Tencent Holdings Ltd".
fn extend_org_suffix(text: &str, mut end: usize) -> usize {
    for _ in 0..2 {
        let Some(rest) = text.get(end..) else { break };
        let trimmed = rest.trim_start_matches(' ');
        let gap = rest.len() - trimmed.len();
        if gap != 1 {
            break;
        }
        let word_len: usize = trimmed
            .chars()
            .take_while(|c| c.is_alphabetic())
            .map(char::len_utf8)
            .sum();
        let Some(word) = trimmed.get(..word_len) else {
            break;
        };
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        if word.is_empty() || !capitalised || !words::is_org_suffix(&fold(word)) {
            break;
        }
        let after = trimmed.get(word_len..).unwrap_or("");
        let mut next = end + gap + word_len;
        let dotted = after.starts_with('.')
            && matches!(
                word.to_ascii_lowercase().as_str(),
                "inc" | "corp" | "co" | "ltd"
            );
        if dotted {
            next += 1;
        } else if after.chars().next().is_some_and(char::is_alphanumeric) {
            break;
        }
        end = next;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, kind: EntityKind, aliases: &[&str], exact: &[&str]) -> EntityDef {
        EntityDef {
            name: name.to_string(),
            kind,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            case_sensitive: exact.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn names(gazetteer: &Gazetteer, text: &str) -> Vec<(String, String)> {
        let folded = Folded::new(text);
        gazetteer
            .find(text, &folded)
            .iter()
            .map(|m| {
                let name = gazetteer
                    .entities
                    .get(m.entity)
                    .map(|e| e.1.clone())
                    .unwrap_or_default();
                (name, text.get(m.start..m.end).unwrap_or("").to_string())
            })
            .collect()
    }

    #[test]
    fn one_pass_finds_aliases_with_boundaries_and_case_rules() {
        let gazetteer = Gazetteer::new(&[
            def(
                "United States",
                EntityKind::Place,
                &["Estados Unidos", "EE.UU."],
                &["US"],
            ),
            def("Intel", EntityKind::Org, &[], &[]),
            def("Meta", EntityKind::Org, &["Meta Platforms"], &[]),
        ]);
        let gazetteer = match gazetteer {
            Ok(g) => g,
            Err(e) => panic!("gazetteer: {e}"),
        };
        let found = names(
            &gazetteer,
            "Intel Intelligence USB US us estados  unidos EE.UU. meta Meta",
        );
        let got: Vec<&str> = found.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(
            got,
            vec!["Intel", "US", "estados  unidos", "EE.UU.", "Meta"]
        );
        assert_eq!(found.get(2).map(|f| f.0.as_str()), Some("United States"));
    }

    #[test]
    fn org_mentions_take_company_suffixes() {
        let gazetteer = match Gazetteer::new(&[def("Nvidia", EntityKind::Org, &[], &[])]) {
            Ok(g) => g,
            Err(e) => panic!("gazetteer: {e}"),
        };
        let found = names(
            &gazetteer,
            "Nvidia Corp. said; Nvidia Corporate; NVIDIA Inc",
        );
        let got: Vec<&str> = found.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(got, vec!["Nvidia Corp.", "Nvidia", "NVIDIA Inc"]);
    }

    #[test]
    fn rejects_bad_definitions() {
        let empty_alias = Gazetteer::new(&[def("Tencent", EntityKind::Org, &[" "], &[])]);
        assert!(matches!(empty_alias, Err(EntityError::EmptyAlias { .. })));
        let empty_name = Gazetteer::new(&[def("", EntityKind::Org, &[], &[])]);
        assert!(matches!(empty_name, Err(EntityError::EmptyName { .. })));
        let punct = Gazetteer::new(&[def("X", EntityKind::Org, &["--"], &[])]);
        assert!(matches!(punct, Err(EntityError::NoLetters { .. })));
    }
}

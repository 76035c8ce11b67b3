//! Counts in words: "1 match", "2 matches". Every text output that puts a number before a noun goes
//! through here, so none says "1 documents" or hedges with "hit(s)". English nouns have irregular
//! plurals, so callers give both forms rather than a rule guessing them.

/// The noun for `count` things: `one` for exactly one, `many` otherwise (zero included: "0 matches").
pub fn noun<'a>(count: u64, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 {
        one
    } else {
        many
    }
}

/// `count` followed by its noun: `counted(1, "match", "matches")` is `"1 match"`.
pub fn counted(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", noun(count, one, many))
}

#[cfg(test)]
mod tests {
    use super::{counted, noun};

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(0, "match", "matches"), "0 matches");
        assert_eq!(counted(1, "match", "matches"), "1 match");
        assert_eq!(counted(2, "document", "documents"), "2 documents");
        assert_eq!(noun(1, "hit", "hits"), "hit");
        assert_eq!(noun(11, "hit", "hits"), "hits");
    }
}

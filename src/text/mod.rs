//! Plain text helpers shared by every layer that compares words: folding (case, accents, apostrophes and
//! white space) and word tokens, and counts in words ("1 match", "2 matches"). Enrichment, taxonomy loading and query filters all use them, so this is a
//! leaf module: it imports nothing else of the crate.

mod count;
mod fold;
pub mod simhash;
mod words;

pub use count::{counted, noun};

pub use fold::{fold, fold_into};
pub(crate) use fold::{single_spaced, Folded};
pub(crate) use words::char_at;
pub use words::words;

//! Plain definitions of topics and entities, as written in TOML (embedded defaults or a user's `topictrack.toml`).

use serde::{Deserialize, Serialize};

pub use crate::keys::EntityKind;

/// One tracked topic and the rules that decide whether a document belongs to it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TopicDef {
    /// Short stable id used in filters and facets, e.g. `export-controls`.
    pub id: String,
    /// Human label, e.g. "Export controls".
    pub label: String,
    /// Optional parent id; facets become `/topic/<parent>/<id>`.
    #[serde(default)]
    pub parent: Option<String>,
    /// Phrases in any language, matched case- and accent-insensitively, with inflections.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// If non-empty, at least one of these terms must also appear.
    #[serde(default)]
    pub required: Vec<String>,
    /// If any of these terms appears, the topic does not match.
    #[serde(default)]
    pub excluded: Vec<String>,
    /// Minimum number of phrase hits (all phrases together) for a match; default 1.
    #[serde(default = "default_min_hits")]
    pub min_hits: u32,
    /// Optional query in the tool's query syntax; documents matching it belong to the topic.
    #[serde(default)]
    pub query: Option<String>,
    /// Set for a topic learned from examples (`topic add --like`): a profile kept in the index
    /// decides membership. Refused in TOML files (the profile only exists in an index).
    #[serde(default, skip_serializing_if = "is_false")]
    pub learned: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

fn default_min_hits() -> u32 {
    1
}

/// One curated entity: its canonical name, kind and the other spellings that refer to it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EntityDef {
    /// Canonical name, used in facets: `/entity/org/Tencent`.
    pub name: String,
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// Other surface forms ("Holdings de Tencent", "EE.UU.").
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Aliases that only match with exactly this capitalisation (e.g. "US", which must not match "us").
    #[serde(default)]
    pub case_sensitive: Vec<String>,
}

/// Whether a user file's section extends the embedded defaults or replaces them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectionOptions {
    /// `true`: the user's list replaces the embedded one instead of extending it.
    #[serde(default)]
    pub replace: bool,
}

/// The layout of a taxonomy TOML file (the embedded defaults and a user's `topictrack.toml` share it).
///
/// ```toml
/// [topics]
/// replace = false
///
/// [[topic]]
/// id = "export-controls"
/// label = "Export controls"
/// parent = "geopolitics"
/// phrases = ["export controls", "control de exportaciones"]
///
/// [entities]
/// replace = false
///
/// [[entity]]
/// name = "Tencent"
/// type = "org"
/// aliases = ["Holdings de Tencent", "Tencent Holdings"]
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyFile {
    #[serde(default)]
    pub topics: SectionOptions,
    #[serde(default)]
    pub topic: Vec<TopicDef>,
    #[serde(default)]
    pub entities: SectionOptions,
    #[serde(default)]
    pub entity: Vec<EntityDef>,
}

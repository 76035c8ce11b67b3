//! Rendering results for people (text, tables, charts) and programs (CSV); JSON comes from serde.

pub mod chart;
pub mod csv;
pub mod roots;
pub mod style;
pub mod table;
pub mod text;
pub mod track;
pub mod trends;
pub mod user_topics;

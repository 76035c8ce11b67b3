//! User topics as taxonomy topics: the definitions `topic add` records, placed on top of the
//! taxonomy files so that every command and every indexing run sees one taxonomy.

use crate::error::{Error, Result};
use crate::index::state::{TopicRule, UserTopic};
use crate::taxonomy::defs::TopicDef;
use crate::taxonomy::Taxonomy;

/// The taxonomy topic a user topic stands for.
pub(crate) fn topic_def(topic: &UserTopic) -> TopicDef {
    let (query, learned) = match &topic.rule {
        TopicRule::Query { query } => (Some(query.clone()), false),
        TopicRule::Learned { .. } => (None, true),
    };
    TopicDef {
        id: topic.id.clone(),
        label: topic.label.clone(),
        parent: topic.parent.clone(),
        phrases: Vec::new(),
        required: Vec::new(),
        excluded: Vec::new(),
        min_hits: 1,
        query,
        learned,
    }
}

/// `taxonomy` with the user topics added; a user topic whose id a taxonomy file also defines is
/// an error naming both ways out.
pub(crate) fn with_user_topics(mut taxonomy: Taxonomy, topics: &[UserTopic]) -> Result<Taxonomy> {
    for topic in topics {
        if taxonomy.topics.iter().any(|known| known.id == topic.id) {
            return Err(Error::TopicRefused {
                id: topic.id.clone(),
                detail: "is defined both by the taxonomy and by `topic add`; remove one \
                         (`topictrack topic remove ID`, or take it out of the taxonomy file)"
                    .to_owned(),
            });
        }
        taxonomy.topics.push(topic_def(topic));
    }
    taxonomy.validate().map_err(|err| Error::TopicRefused {
        id: topics
            .last()
            .map(|topic| topic.id.clone())
            .unwrap_or_default(),
        detail: err.to_string(),
    })?;
    Ok(taxonomy)
}

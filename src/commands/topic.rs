//! `topictrack topic add | remove | list | show`: topics of the user's own, kept with the index.

use std::path::Path;
use std::process::ExitCode;

use topictrack::index::{add_topic, refine_topic, remove_topic, AddTopicRequest, NewRule};
use topictrack::query::{user_topic_row, user_topic_rows};
use topictrack::render::user_topics as render;

use super::{open, print, print_json};
use crate::cli::{TopicAction, TopicArgs};
use crate::exit;

pub fn run(index_dir: &Path, args: TopicArgs) -> anyhow::Result<ExitCode> {
    match args.action {
        TopicAction::Add {
            id,
            query,
            like,
            unlike,
            label,
            parent,
            json,
        } => {
            // clap requires one of --query and --like, and not both.
            let rule = match query {
                Some(query) => NewRule::Query(query),
                None => NewRule::Like { like, unlike },
            };
            let request = AddTopicRequest {
                id,
                label,
                parent,
                rule,
            };
            let change = add_topic(index_dir, &request)?;
            if json {
                print_json(&change)?;
            } else {
                print(&render::added(&change))?;
            }
        }
        TopicAction::Feedback { id, yes, no, json } => {
            let change = refine_topic(index_dir, &id, &yes, &no)?;
            if json {
                print_json(&change)?;
            } else {
                print(&render::refined(&change))?;
            }
        }
        TopicAction::Remove { id, json } => {
            let change = remove_topic(index_dir, &id)?;
            if json {
                print_json(&change)?;
            } else {
                print(&render::removed(&change))?;
            }
        }
        TopicAction::List { json } => {
            let rows = user_topic_rows(&open(index_dir)?)?;
            if json {
                print_json(&rows)?;
            } else {
                print(&render::list(&rows))?;
            }
        }
        TopicAction::Show { id, json } => {
            let row = user_topic_row(&open(index_dir)?, &id)?;
            if json {
                print_json(&row)?;
            } else {
                print(&render::show(&row))?;
            }
        }
    }
    Ok(exit::SUCCESS)
}

//! `topictrack facets [QUERY]`

use std::path::Path;
use std::process::ExitCode;

use topictrack::index::rules;
use topictrack::query::facets::count_facets_with_parents;
use topictrack::query::filters::Filters;
use topictrack::query::parse::parse_query;
use topictrack::render::{csv, table};

use super::{filters, open, paint, print, print_json};
use crate::cli::FacetsArgs;
use crate::exit;

pub fn run(index_dir: &Path, args: FacetsArgs) -> anyhow::Result<ExitCode> {
    let filters = filters(&args.filters)?;
    let opened = open(index_dir)?;
    let taxonomy = rules::load(&opened.path);
    let query = parse_query(&opened, args.query.as_deref().unwrap_or("*"))?;
    let query = filters.apply(query, &opened.fields, &taxonomy)?;
    let searcher = opened.reader()?.searcher();
    // Parent topics are never tagged themselves: count each as "itself or any child".
    let mut parents = Vec::new();
    for topic in &taxonomy.topics {
        if taxonomy
            .topics
            .iter()
            .any(|child| child.parent.as_deref() == Some(topic.id.as_str()))
        {
            let only = Filters {
                topics: vec![topic.id.clone()],
                ..Filters::default()
            };
            parents.push((
                topic.id.clone(),
                only.apply(query.box_clone(), &opened.fields, &taxonomy)?,
            ));
        }
    }
    let counts = count_facets_with_parents(&searcher, &opened.fields, &*query, args.top, &parents)
        .map_err(|err| opened.damaged(err))?;
    if args.json {
        print_json(&counts)?;
    } else if args.csv {
        print(&csv::facets_csv(&counts))?;
    } else {
        print(&table::facets_table(&counts, paint().on))?;
    }
    Ok(exit::SUCCESS)
}

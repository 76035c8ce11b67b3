//! Keyword search: ranked or date-sorted hits with snippets, the total match count, and optional facets.

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::sort_key::SortByStaticFastValue;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument};

use super::Matching;
use crate::error::Result;
use crate::index::schema::Fields;
use crate::index::stored::{all_texts, first_text, indexed_time, published_day};
use crate::index::OpenIndex;
use crate::query::facets::{count_facets_for_taxonomy, FacetCounts};
use crate::query::filters::Filters;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    #[default]
    Relevance,
    /// Newest first; undated documents last.
    Date,
    /// Oldest first; undated documents last here too.
    Oldest,
}

/// `search`: a query in the tool's syntax, filters, one page of hits.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
    pub sort: SortOrder,
    /// Also count facets over all matching documents, keeping this many values per group.
    pub facets: Option<usize>,
}

/// A highlighted passage: the text and the byte ranges of the matched words.
///
/// In JSON it is one string with each matched word between `**` marks.
#[derive(Debug, Clone, PartialEq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

impl Snippet {
    /// The text with each highlighted range wrapped in `before` and `after`, on one line.
    pub fn marked(&self, before: &str, after: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + self.highlights.len() * 4);
        let mut last = 0;
        for &(start, end) in &self.highlights {
            let (Some(plain), Some(word)) = (self.text.get(last..start), self.text.get(start..end))
            else {
                continue;
            };
            out.push_str(plain);
            out.push_str(before);
            out.push_str(word);
            out.push_str(after);
            last = end;
        }
        out.push_str(self.text.get(last..).unwrap_or_default());
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

impl Serialize for Snippet {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.marked("**", "**"))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub title: Option<String>,
    pub date: Option<String>,
    /// When the document entered the index (RFC 3339, UTC).
    pub indexed: Option<String>,
    pub lang: Option<String>,
    pub source: Option<String>,
    pub path: Option<String>,
    pub score: f32,
    pub topics: Vec<String>,
    pub entities: Vec<String>,
    pub tags: Vec<String>,
    pub snippet: Snippet,
}

#[derive(Debug, Serialize)]
pub struct SearchResults {
    /// Every matching document, not just this page.
    pub total: usize,
    pub hits: Vec<Hit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<FacetCounts>,
}

/// Runs a search against the last commit of the index.
pub fn search(opened: &OpenIndex, request: &SearchRequest) -> Result<SearchResults> {
    let Matching {
        searcher,
        user_query,
        query,
    } = Matching::new(opened, &request.query, &request.filters)?;
    // No page needs more than the index holds; an enormous limit or offset would overflow inside
    // tantivy's top-docs collector.
    let held = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let page =
        TopDocs::with_limit(request.limit.min(held).max(1)).and_offset(request.offset.min(held));
    let (total, addresses) = ranked(opened, &searcher, &*query, page, request.sort)?;
    let addresses = if request.limit == 0 {
        Vec::new()
    } else {
        addresses
    };
    let hits = hits_at(opened, &searcher, &*user_query, addresses)?;
    let facets = match request.facets {
        Some(top) => Some(
            count_facets_for_taxonomy(opened, &searcher, &*query, top)
                .map_err(|err| opened.explained(err))?,
        ),
        None => None,
    };
    Ok(SearchResults {
        total,
        hits,
        facets,
    })
}

/// How many documents `query` matches, and the `page` of them in `sort` order (each with its
/// score; 0 when sorted by date).
pub(crate) fn ranked(
    opened: &OpenIndex,
    searcher: &Searcher,
    query: &dyn Query,
    page: TopDocs,
    sort: SortOrder,
) -> Result<(usize, Vec<(f32, DocAddress)>)> {
    let fields = &opened.fields;
    Ok(match sort {
        SortOrder::Relevance => searcher
            .search(query, &(Count, page.order_by_score()))
            .map_err(|err| opened.explain(err))?,
        SortOrder::Date | SortOrder::Oldest => {
            // By publication day, which every dated document has whatever its year, then by the
            // time within the day where tantivy could hold it. tantivy ranks documents without a
            // value below every value, and its ascending order puts them last as well, so undated
            // hits end the list either way.
            let order = if sort == SortOrder::Date {
                Order::Desc
            } else {
                Order::Asc
            };
            let name = |field| fields.schema.get_field_name(field).to_string();
            let by_date = (
                (
                    SortByStaticFastValue::<u64>::for_field(name(fields.day)),
                    order,
                ),
                (
                    SortByStaticFastValue::<DateTime>::for_field(name(fields.date)),
                    order,
                ),
            );
            let (total, dated) = searcher
                .search(query, &(Count, page.order_by(by_date)))
                .map_err(|err| opened.explain(err))?;
            (
                total,
                dated
                    .into_iter()
                    .map(|(_, address)| (0.0, address))
                    .collect(),
            )
        }
    })
}

/// The hits at `addresses` (each with its score), with snippets highlighting `user_query`.
pub(crate) fn hits_at(
    opened: &OpenIndex,
    searcher: &Searcher,
    user_query: &dyn Query,
    addresses: impl IntoIterator<Item = (f32, DocAddress)>,
) -> Result<Vec<Hit>> {
    let fields = &opened.fields;
    let snippets =
        Snippets::new(searcher, fields, user_query).map_err(|err| opened.explain(err))?;
    let members = opened.members(searcher)?;
    addresses
        .into_iter()
        .map(|(score, address)| {
            let doc: TantivyDocument = searcher.doc(address).map_err(|err| opened.explain(err))?;
            let day =
                published_day(searcher, fields, address).map_err(|err| opened.explain(err))?;
            let mut hit = hit_from_doc(fields, &doc, day, score, &snippets);
            let segment = searcher.segment_reader(address.segment_ord).segment_id();
            hit.topics.extend(
                members
                    .topics_of(segment, address.doc_id)
                    .map(|topic| topic.topic.id.clone()),
            );
            Ok(hit)
        })
        .collect()
}

/// One snippet generator per language field, since each analyses the query its own way.
struct Snippets {
    es: SnippetGenerator,
    en: SnippetGenerator,
    other: SnippetGenerator,
}

const SNIPPET_CHARS: usize = 220;

impl Snippets {
    fn new(searcher: &Searcher, fields: &Fields, query: &dyn Query) -> tantivy::Result<Snippets> {
        let make = |field: Field| -> tantivy::Result<SnippetGenerator> {
            let mut generator = SnippetGenerator::create(searcher, query, field)?;
            generator.set_max_num_chars(SNIPPET_CHARS);
            Ok(generator)
        };
        Ok(Snippets {
            es: make(fields.text_es)?,
            en: make(fields.text_en)?,
            other: make(fields.text_other)?,
        })
    }

    fn for_text(&self, lang: &str, body: &str) -> Snippet {
        let generator = match lang {
            "es" => &self.es,
            "en" => &self.en,
            _ => &self.other,
        };
        let snippet = generator.snippet(body);
        if snippet.is_empty() {
            return Snippet {
                text: opening(body),
                highlights: Vec::new(),
            };
        }
        Snippet {
            text: snippet.fragment().to_string(),
            highlights: snippet
                .highlighted()
                .iter()
                .map(|range| (range.start, range.end))
                .collect(),
        }
    }
}

/// The first words of a text, cut at a word boundary, for hits without highlighted words.
fn opening(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= SNIPPET_CHARS {
        return flat;
    }
    let mut cut: String = flat.chars().take(SNIPPET_CHARS).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    cut.push('…');
    cut
}

fn hit_from_doc(
    fields: &Fields,
    doc: &TantivyDocument,
    day: Option<NaiveDate>,
    score: f32,
    snippets: &Snippets,
) -> Hit {
    let lang = first_text(doc, fields.lang);
    let body = first_text(doc, fields.body).unwrap_or_default();
    Hit {
        id: first_text(doc, fields.id).unwrap_or_default(),
        title: first_text(doc, fields.title),
        date: day.map(|day| day.format("%Y-%m-%d").to_string()),
        indexed: indexed_time(fields, doc),
        source: first_text(doc, fields.source),
        path: first_text(doc, fields.path),
        score,
        topics: all_texts(doc, fields.topic),
        entities: all_texts(doc, fields.entity),
        tags: all_texts(doc, fields.tag),
        snippet: snippets.for_text(lang.as_deref().unwrap_or("other"), &body),
        lang,
    }
}

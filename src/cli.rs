//! Command-line definitions (clap derive). Only the binary sees these types; commands turn them into
//! library requests.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use topictrack::error::Field;

const EXAMPLES: &str = "\
Examples:
  topictrack index sample_corpus
  topictrack search 'export controls' --from 2025 --lang es
  topictrack search '\"H20\" AND nvidia' --sort date --json
  topictrack search 'nvidi*' --sort oldest --csv > hits.csv
  topictrack facets --topic ai-chips
  topictrack timeline export-controls ai-chips --by quarter --svg chips.svg
  topictrack show <ID or its first characters>
  topictrack roots prune --dry-run
  topictrack completions zsh > ~/.zfunc/_topictrack";

/// Index folders of news and reports, then search them and follow topics, entities and dates.
#[derive(Debug, Parser)]
#[command(name = "topictrack", version, about, after_long_help = EXAMPLES)]
pub struct Cli {
    /// Index folder [default: ./topictrack-index]
    #[arg(long, global = true, env = "TOPICTRACK_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add, update and remove documents from files and folders
    Index(IndexArgs),
    /// Search with keywords, phrases and filters
    Search(SearchArgs),
    /// Count topics, entities, tags, languages, sources and years of matching documents
    Facets(FacetsArgs),
    /// Documents per day/week/month/quarter/year for topics, entities, tags or queries
    Timeline(TimelineArgs),
    /// List topics with document counts, first and last dates and peak period
    Topics(SummaryArgs),
    /// List the most named entities with counts and the spellings seen
    Entities(EntitiesArgs),
    /// Show one document, its metadata and why each topic matched
    Show(ShowArgs),
    /// Documents, date range, languages and index size
    Stats(JsonArg),
    /// List the indexed folders (roots); remove one, or every one that no longer exists
    Roots(RootsArgs),
    /// What is new on your topics since the last look (exit 0: something new, 3: nothing new)
    Track(TrackArgs),
    /// Topics, entities and tags rising in a window against a baseline, with the documents behind them
    Trends(TrendsArgs),
    /// Define topics of your own (saved queries, or learned from examples), applied at once to every indexed document
    Topic(TopicArgs),
    /// Serve a read-only web page and JSON API over the index (loopback only unless --bind says otherwise)
    Serve(ServeArgs),
    /// Print a shell completion script, e.g. `topictrack completions bash > ~/.local/share/bash-completion/completions/topictrack`
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `topictrack man > ~/.local/share/man/man1/topictrack.1`
    Man,
}

const SERVE_EXAMPLES: &str = "\
Examples:
  topictrack serve                     http://127.0.0.1:7700/
  topictrack serve --port 0            any free port; the URL printed says which
  topictrack serve --bind 0.0.0.0      every address: anyone who can reach it reads the index

The page has no login and changes nothing. It keeps answering while `index` runs, and shows
each new commit. The JSON API under /api/ answers as the commands' --json do.";

#[derive(Debug, Args)]
#[command(after_long_help = SERVE_EXAMPLES)]
pub struct ServeArgs {
    /// Port to listen on (0: any free port)
    #[arg(long, default_value_t = 7700)]
    pub port: u16,
    /// Address to listen on; anything but a loopback address prints a warning, as the page has no login
    #[arg(long, default_value = "127.0.0.1", value_name = "IP")]
    pub bind: std::net::IpAddr,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

const ROOTS_EXAMPLES: &str = "\
Examples:
  topictrack roots
  topictrack roots remove old_feeds
  topictrack roots prune --dry-run

A folder moved with `mv` needs none of these: `topictrack index NEW_PLACE` recognises it
(most of the old folder's files at the same places, same sizes and times) and replaces the
old documents instead of adding a second copy.";

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, after_long_help = ROOTS_EXAMPLES)]
pub struct RootsArgs {
    #[command(subcommand)]
    pub action: Option<RootsAction>,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum RootsAction {
    /// Remove every document of these roots (the folders need not exist any more)
    Remove {
        /// Roots as `topictrack roots` lists them, or as typed to `index` (relative or absolute)
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Remove every root whose folder no longer exists
    Prune {
        /// Say what would be removed and change nothing
        #[arg(long)]
        dry_run: bool,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

const TOPIC_EXAMPLES: &str = "\
Examples:
  topictrack topic add dock-strikes --query '(strike OR huelga) AND (port OR puerto)' --label 'Dock strikes'
  topictrack topic add tin-crisis --like 3f2a9c01 --like 77b0e3d4 --like 0c1d2e3f --like 5a6b7c8d
  topictrack topic feedback tin-crisis --yes 9e8d7c6b --no 1a2b3c4d
  topictrack topic list
  topictrack topic show dock-strikes
  topictrack topic remove dock-strikes

A topic of your own works wherever a taxonomy topic does: --topic, topic: in queries, facets,
timeline series, show. Every document indexed later is tagged with it too.";

#[derive(Debug, Args)]
#[command(after_long_help = TOPIC_EXAMPLES)]
pub struct TopicArgs {
    #[command(subcommand)]
    pub action: TopicAction,
}

#[derive(Debug, Subcommand)]
pub enum TopicAction {
    /// Define a topic by a query or by example documents, and tag every document that belongs
    #[command(group(clap::ArgGroup::new("rule").required(true).args(["query", "like"])))]
    Add {
        /// The topic's id: letters, digits and dashes, as in `--topic ID`
        id: String,
        /// The query that decides membership, in the syntax of `topictrack search`
        #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
        query: Option<String>,
        /// A document of the topic (its id, as `search` shows it); repeat for more examples
        #[arg(long, value_name = "DOC_ID", conflicts_with = "query")]
        like: Vec<String>,
        /// A document that is not of the topic, though close to it; repeat for more
        #[arg(long, value_name = "DOC_ID", requires = "like")]
        unlike: Vec<String>,
        /// A label to show beside the id (default: the id)
        #[arg(long)]
        label: Option<String>,
        /// A topic to place it under, in facets and filters (a parent includes its children)
        #[arg(long)]
        parent: Option<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Refine a topic learned with --like: say which documents belong and which do not
    Feedback {
        id: String,
        /// Documents that belong to the topic
        #[arg(long, value_name = "DOC_ID", num_args = 1..)]
        yes: Vec<String>,
        /// Documents that do not
        #[arg(long, value_name = "DOC_ID", num_args = 1..)]
        no: Vec<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Remove a topic defined with `topic add`, and take it off every document
    Remove {
        id: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// List the topics defined with `topic add`, with their rules and counts
    List {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Show one topic defined with `topic add`
    Show {
        id: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

const TRACK_EXAMPLES: &str = "\
Examples:
  topictrack track                       every topic of your own, since the last look
  topictrack track dock-strikes --peek   look without moving the checkpoint
  topictrack track --since 7d            the last week, checkpoints untouched

Exit codes: 0 something new, 3 nothing new, 1 a runtime failure, 2 bad input. A crontab line:
  0 7 * * *  topictrack index ~/news && topictrack track --quiet || [ $? -eq 3 ]";

#[derive(Debug, Args)]
#[command(after_long_help = TRACK_EXAMPLES)]
pub struct TrackArgs {
    /// Topics to look at (default: every topic added with `topic add`)
    #[arg(value_name = "TOPIC")]
    pub topics: Vec<String>,
    /// Look back this far (a date, or a span such as 24h or 7d) and leave the checkpoints alone
    #[arg(long, value_name = "DATE|DURATION")]
    pub since: Option<String>,
    /// Show what is new without moving the checkpoints
    #[arg(long)]
    pub peek: bool,
    /// Stories listed per topic
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: usize,
    /// Print nothing; the exit code says whether anything is new
    #[arg(long, short = 'q', conflicts_with = "json")]
    pub quiet: bool,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

const TRENDS_EXAMPLES: &str = "\
Examples:
  topictrack trends                                   the last 7 days against the 90 before
  topictrack trends --window 30d --baseline 52w
  topictrack trends --from 2025-04-10 --to 2025-04-20 --baseline all
  topictrack trends --topic export-controls --kind entity
  topictrack trends --kind term --from 1987-03-23 --to 1987-04-05 --baseline all
  topictrack trends --bursts --kind topic,entity --by week

An item is listed when it is in at least --min-count documents of the window and its rise
scores at least --min-score on Dunning's log-likelihood ratio G² (3.84: p = 0.05, 10.83:
p = 0.001). Shares, not counts: a week with more news overall raises nothing. Terms (words
and two- or three-word phrases, counted by stem) also need their share to at least double.";

#[derive(Debug, Args)]
#[command(after_long_help = TRENDS_EXAMPLES)]
pub struct TrendsArgs {
    /// Query restricting the documents counted (all documents when absent)
    #[arg(allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Filters; --from and --to give the window
    #[command(flatten)]
    pub filters: FilterArgs,
    /// The window: the last N days of the index's dates (7d, 2w)
    #[arg(long, value_name = "SPAN", default_value = "7d", conflicts_with_all = ["from", "to"])]
    pub window: String,
    /// The baseline: a span just before the window (90d, 12w) or `all` (every other day)
    #[arg(long, value_name = "SPAN|all", default_value = "90d", conflicts_with_all = ["baseline_from", "baseline_to"])]
    pub baseline: String,
    /// The baseline's first day (instead of --baseline)
    #[arg(long, value_name = "DATE")]
    pub baseline_from: Option<String>,
    /// The baseline's last day (instead of --baseline)
    #[arg(long, value_name = "DATE")]
    pub baseline_to: Option<String>,
    /// Kinds of item: topic, entity, tag, term (comma-separated or repeated)
    #[arg(
        long,
        value_name = "KIND",
        value_delimiter = ',',
        default_value = "topic,entity,tag"
    )]
    pub kind: Vec<String>,
    /// Items listed per kind
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Fewest documents of the window an item needs
    #[arg(long, default_value_t = 3)]
    pub min_count: u64,
    /// Lowest G² score an item needs (10.83 is p = 0.001)
    #[arg(long, default_value_t = 10.83)]
    pub min_score: f64,
    /// Documents shown under each item
    #[arg(long, default_value_t = 3)]
    pub examples: usize,
    /// List the strongest bursts of every topic and of the 100 most named entities over the
    /// whole index (or --from/--to) instead of what rises in the window
    #[arg(long, conflicts_with_all = ["window", "baseline", "baseline_from", "baseline_to", "min_count", "min_score"])]
    pub bursts: bool,
    /// Period length for --bursts [default: days up to 120 days, weeks up to 3 years, else months]
    #[arg(long, value_enum, requires = "bursts")]
    pub by: Option<IntervalArg>,
    /// Print JSON instead of text
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV rows (kind,value,label,window,window_total,baseline,baseline_total,expected,ratio,g2,documents)
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files, archives or folders to index (folders are walked recursively), http(s):// URLs
    /// of feeds and pages, or `-` for standard input
    #[arg(required_unless_present = "urls", value_name = "PATH|URL")]
    pub paths: Vec<PathBuf>,

    /// The format of standard input (`-`): md, txt, html, json, jsonl, csv, tsv, rss, atom, xml,
    /// eml, mbox, pdf, docx or odt
    #[arg(long, default_value = "jsonl", value_name = "FORMAT")]
    pub format: String,

    /// The id prefix of documents from standard input (a second stream needs another one)
    #[arg(long, default_value = "stdin", value_name = "NAME")]
    pub id_prefix: String,

    /// A file listing URLs of feeds and pages to fetch and index, one a line (# starts a comment)
    #[arg(long, value_name = "FILE")]
    pub urls: Option<PathBuf>,

    /// Give up on a URL that has not answered in full within this many seconds
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,

    /// Start from an empty index (also mends a damaged or outdated one)
    #[arg(long)]
    pub rebuild: bool,

    /// Map a document field to input keys, e.g. `body=text` or `tags=places,orgs` (repeatable)
    #[arg(long = "field", value_name = "FIELD=KEYS")]
    pub fields: Vec<String>,

    /// Skip files, fetched URLs (and JSON Lines records) larger than this many MiB
    #[arg(long, default_value_t = 64, value_name = "MIB")]
    pub max_file_size: u64,

    /// Topic taxonomy TOML that extends or replaces the built-in one
    #[arg(long, value_name = "FILE")]
    pub taxonomy: Option<PathBuf>,

    /// Entity gazetteer TOML that extends or replaces the built-in one
    #[arg(long, value_name = "FILE")]
    pub entities: Option<PathBuf>,

    /// Only language and publication date; no entities, topics or mentioned dates (faster)
    #[arg(long)]
    pub no_enrich: bool,

    /// Memory for the indexing threads, in MiB (32 to 4095)
    #[arg(long, default_value_t = 256, value_name = "MIB", value_parser = memory_mib())]
    pub memory: u64,

    /// Print the run's report as JSON
    #[arg(long)]
    pub json: bool,
}

/// Filters shared by the read commands.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// First day, inclusive: YYYY, YYYY-MM or YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day, inclusive: YYYY, YYYY-MM or YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only documents with this tag (repeatable: any of them)
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Only documents in this language: es, en or other (repeatable)
    #[arg(long, value_name = "LANG")]
    pub lang: Vec<String>,
    /// Only documents from this source (repeatable)
    #[arg(long, value_name = "SOURCE")]
    pub source: Vec<String>,
    /// Only documents on this topic id, or any child of this parent id (repeatable)
    #[arg(long, value_name = "TOPIC")]
    pub topic: Vec<String>,
    /// Only documents naming this entity, by name or alias (repeatable)
    #[arg(long, value_name = "NAME")]
    pub entity: Vec<String>,
    #[command(flatten)]
    pub indexed: IndexedSinceArg,
}

/// `--indexed-since`, shared by every read command that filters.
#[derive(Debug, Args, Clone, Default)]
pub struct IndexedSinceArg {
    /// Only documents that entered the index at or after this time: YYYY-MM-DD (UTC), an RFC 3339
    /// time (2026-12-01T08:00:00Z) or a span back from now (90m, 24h, 7d, 2w)
    #[arg(long, value_name = "DATE|DURATION")]
    pub indexed_since: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum SortArg {
    /// Best match first
    #[default]
    Relevance,
    /// Newest first; undated documents last
    Date,
    /// Oldest first; undated documents last
    #[value(alias = "date-asc")]
    Oldest,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query: words, "phrases", AND/OR/NOT, -word, field:value; `*` matches everything
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of hits to show
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Hits to skip (for paging)
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Order of hits
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Also count topics, entities, tags, languages, sources and years of all matches
    #[arg(long)]
    pub facets: bool,
    /// Print JSON instead of text
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV: a header, then one row per hit (id,date,lang,source,title,score,topics,entities,tags,path)
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// Query restricting the documents counted (all documents when absent)
    #[arg(allow_hyphen_values = true)]
    pub query: Option<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Values to keep per group
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Print JSON instead of text
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV rows (group,value,count)
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum IntervalArg {
    Day,
    Week,
    #[default]
    Month,
    Quarter,
    Year,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// Topic ids to draw, one series each
    #[arg(value_name = "TOPIC")]
    pub topics: Vec<String>,
    /// A series for an entity, by name or alias (repeatable)
    #[arg(long, value_name = "NAME")]
    pub entity: Vec<String>,
    /// A series for a tag (repeatable)
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// A series for a query (repeatable)
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Vec<String>,
    /// A series for all documents
    #[arg(long)]
    pub all: bool,
    /// Period length
    #[arg(long, value_enum, default_value_t = IntervalArg::Month)]
    pub by: IntervalArg,
    /// First day, inclusive [default: the index's first date]
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day, inclusive [default: the index's last date]
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Restrict every series to this language (repeatable)
    #[arg(long, value_name = "LANG")]
    pub lang: Vec<String>,
    /// Restrict every series to this source (repeatable)
    #[arg(long, value_name = "SOURCE")]
    pub source: Vec<String>,
    /// Restrict every series to documents matching this query
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
    pub filter: Option<String>,
    #[command(flatten)]
    pub indexed: IndexedSinceArg,
    /// Show each count as a share of all documents in its period
    #[arg(long)]
    pub normalize: bool,
    /// Moving average over this many periods
    #[arg(long, value_name = "N")]
    pub smooth: Option<usize>,
    /// Mark the periods where each series bursts (Kleinberg's two-state automaton on shares)
    #[arg(long)]
    pub bursts: bool,
    /// Write an SVG chart to this file
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Print JSON instead of a table
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV: one row per period, one column per series
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// First day, inclusive
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day, inclusive
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    #[command(flatten)]
    pub indexed: IndexedSinceArg,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Only this kind: org, person, place or other
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// Entities to list
    #[arg(long, default_value_t = 25)]
    pub top: usize,
    #[command(flatten)]
    pub summary: SummaryArgs,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Document id as shown by `search`, or any prefix of it that only one id starts with
    pub id: String,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// `--memory` in MiB. tantivy refuses less than 15 MB per indexing thread and 4,293,967,295 bytes
/// (just under 4 GiB) or more per thread; with one core every MiB goes to one thread, so 4095 MiB
/// is the most that works on every machine. Under 32 MiB a run would be one starved thread.
fn memory_mib() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(32..=4095)
}

/// The flag (or argument) that sets a request field, for error messages: the library names
/// fields, the binary names its flags.
pub fn flag_for(field: Field) -> String {
    match field {
        Field::Query => "QUERY".to_string(),
        Field::Interval => "--by".to_string(),
        // The other flags are spelled as their fields: `--from`, `--type`, `--field`...
        other => format!("--{}", other.name()),
    }
}

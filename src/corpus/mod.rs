//! The input side of topictrack: finding supported files under folders and reading every
//! supported format into `SourceDoc` records, one file at a time, reporting what cannot be
//! read instead of failing.

mod archive;
mod csv;
mod decode;
mod docmeta;
mod feed;
mod fetch;
mod fields;
mod frontmatter;
mod html;
mod json;
mod jsonld;
mod mail;
mod markdown;
mod markdown_text;
mod office;
mod pdf;
mod plain;
mod source;
mod walk;

use std::fmt;
use std::fs::File;
use std::io::BufRead;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use thiserror::Error;
use xxhash_rust::xxh3::xxh3_64;

use crate::document::SourceDoc;

pub use fetch::{
    is_url, read_fetched, read_url_list, Body, FetchOptions, Fetched, Fetcher, Validators,
    USER_AGENT,
};
pub use fields::{Field, FieldMap, FieldMapError};
pub use source::{container_of, Compression};
pub use walk::{is_index_folder, walk, WalkOptions, INDEX_META_FILE, INDEX_STAMP_FILE};

/// A supported input format, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    Text,
    Html,
    Json,
    JsonLines,
    /// Comma-separated values with a header row, one document per row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    Zip,
    /// A tar archive, possibly compressed as a whole (`.tar.gz`, `.tgz`).
    Tar,
    /// `.rss` and `.atom`: a feed, each item a document.
    Feed,
    /// `.xml`: read as a feed when its root element is one, else reported as unsupported.
    Xml,
    Pdf,
    Docx,
    Odt,
    /// One mail message (`.eml`).
    Eml,
    /// A mailbox of messages (`.mbox`), read as a stream.
    Mbox,
}

impl Format {
    /// The format for a path's extension (case-insensitive), or `None` when unsupported. A
    /// compression suffix is looked through: `x.jsonl.gz` is JSON Lines, `x.tgz` a tar archive.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "tgz" | "tzst" | "tbz2" | "tbz" => return Some(Format::Tar),
            _ if Compression::from_path(path).is_some() => {
                return Format::from_path(Path::new(path.file_stem()?));
            }
            _ => {}
        }
        Format::from_name(&ext)
    }

    /// The format a name (an extension without its dot, or `--format`'s value) names.
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "txt" => Some(Format::Text),
            "html" | "htm" => Some(Format::Html),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "csv" => Some(Format::Csv),
            "tsv" | "tab" => Some(Format::Tsv),
            "zip" => Some(Format::Zip),
            "tar" => Some(Format::Tar),
            "rss" | "atom" => Some(Format::Feed),
            "xml" => Some(Format::Xml),
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "odt" => Some(Format::Odt),
            "eml" => Some(Format::Eml),
            "mbox" => Some(Format::Mbox),
            _ => None,
        }
    }

    /// Whether files of this format hold other files.
    pub fn is_archive(self) -> bool {
        matches!(self, Format::Zip | Format::Tar)
    }

    /// The extensions this reader understands, for messages.
    pub const EXTENSIONS: &'static str = ".md .markdown .txt .html .htm .json .jsonl .ndjson \
        .csv .tsv .rss .atom .xml .eml .mbox .pdf .docx .odt .zip .tar .tgz, and any of them (but .zip) \
        compressed as .gz .zst .bz2";
}

/// The names `--format` takes for standard input, for messages.
pub const STDIN_FORMATS: &str =
    "md, txt, html, json, jsonl, csv, tsv, rss, atom, xml, eml, mbox, pdf, docx, odt";

/// A supported file found by [`walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    /// Absolute path.
    pub path: PathBuf,
    pub size: u64,
    pub modified: Option<SystemTime>,
    pub format: Format,
}

impl FoundFile {
    /// Describes a file by reading its metadata now (for callers that have a path).
    pub fn from_path(path: &Path) -> Result<FoundFile, Problem> {
        let format = Format::from_path(path).ok_or_else(|| {
            Problem::new(
                path,
                None,
                format!(
                    "unsupported file type; supported extensions are {}",
                    Format::EXTENSIONS
                ),
            )
        })?;
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let meta = std::fs::metadata(&path).map_err(|err| io_problem(&path, &err))?;
        Ok(FoundFile {
            size: meta.len(),
            modified: meta.modified().ok(),
            format,
            path,
        })
    }

    /// Standard input, read as `format`, its documents shown as `stdin:NAME` and given ids under
    /// the prefix `name` (see [`FoundFile::stdin_prefix`]).
    pub fn stdin(name: &str, format: Format) -> FoundFile {
        FoundFile {
            path: source::stdin_path(name),
            size: 0,
            modified: None,
            format,
        }
    }

    /// The id prefix of standard input, when this is it rather than a file: walked paths are
    /// absolute, so a relative `stdin:NAME` is never a file's.
    pub fn stdin_prefix(&self) -> Option<&str> {
        if self.path.is_absolute() {
            return None;
        }
        self.path.to_str()?.strip_prefix(source::STDIN_PREFIX)
    }
}

/// Checks an id prefix for standard input: letters, digits, `-`, `_` and `.`, so that the ids it
/// makes stay plain words in queries and shells.
pub fn check_id_prefix(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the id prefix is empty; give a short name such as `wire`".to_owned());
    }
    match name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        Some(bad) => Err(format!(
            "the id prefix `{name}` holds `{bad}`; use letters, digits, `-`, `_` and `.`"
        )),
        None => Ok(()),
    }
}

/// Something that went wrong with one file, folder or record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    /// 1-based line of the record or of the error, where it is known.
    pub line: Option<u64>,
    /// One sentence, lower-case start, saying what is wrong and what to do where useful.
    pub reason: String,
}

impl Problem {
    pub fn new(path: &Path, line: Option<u64>, reason: impl Into<String>) -> Problem {
        Problem {
            path: path.to_path_buf(),
            line,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for Problem {}

/// Turns an I/O error on `path` into a problem with a sentence a user can act on.
pub(crate) fn io_problem(path: &Path, err: &std::io::Error) -> Problem {
    use std::io::ErrorKind;
    if let Some(reason) = source::stream_reason(err) {
        return Problem::new(path, None, reason);
    }
    let reason = match err.kind() {
        ErrorKind::NotFound => "path does not exist".to_owned(),
        ErrorKind::PermissionDenied => {
            "permission denied; check the permissions or run as a user who can read it".to_owned()
        }
        _ => format!("could not be read: {err}"),
    };
    Problem::new(path, None, reason)
}

/// As [`io_problem`], for a read that failed at 1-based `line`.
pub(crate) fn io_problem_at(path: &Path, err: &std::io::Error, line: u64) -> Problem {
    Problem {
        line: Some(line),
        ..io_problem(path, err)
    }
}

/// How files are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Files (and JSON Lines lines) larger than this are skipped.
    pub max_bytes: u64,
    pub fields: FieldMap,
}

impl ReadOptions {
    /// A short text that changes whenever an option that changes what a file yields changes, so
    /// that an index run can tell that files it saw before must be read again. Every option of
    /// `ReadOptions` takes part: an option added later must be added here too.
    pub fn fingerprint(&self) -> String {
        let mut described = format!("readers={READERS_VERSION};max_bytes={}", self.max_bytes);
        for field in Field::ALL {
            described.push_str(&format!(";{}={:?}", field.name(), self.fields.keys(field)));
        }
        format!("{:016x}", xxh3_64(described.as_bytes()))
    }
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_bytes: 64 * 1024 * 1024,
            fields: FieldMap::default(),
        }
    }
}

/// Receives what [`read_file`] finds, as it finds it.
pub trait DocSink {
    fn document(&mut self, doc: SourceDoc);
    /// A whole file, or one record of it, could not be read.
    fn skipped(&mut self, problem: Problem);
    /// The file was read, but something about it deserves attention.
    fn warning(&mut self, problem: Problem);
}

/// Why a whole file was skipped.
#[derive(Debug, Error)]
pub(crate) enum SkipReason {
    #[error(transparent)]
    Decode(#[from] decode::DecodeError),
    #[error("file is {size}, over the limit of {limit} (raise it with --max-file-size)")]
    TooLarge { size: String, limit: String },
    #[error("file is over the limit of {limit} once decompressed (raise it with --max-file-size)")]
    StreamTooLarge { limit: String },
}

/// A reader of one format that takes a file's bytes: the path is only reported.
type BytesReader = fn(&Path, &[u8], &ReadOptions, &mut dyn DocSink);

/// The version of what the readers make of a file. It is part of [`ReadOptions::fingerprint`], so
/// that files indexed by older readers are read again. Bump it when a reader finds other text,
/// titles or dates in files it read before (2: Markdown syntax kept out of the text, JSON-LD).
const READERS_VERSION: u32 = 2;

/// Reads one file, streaming its documents into the sink. Never panics; whole-file
/// failures become `sink.skipped`.
pub fn read_file(file: &FoundFile, options: &ReadOptions, sink: &mut dyn DocSink) {
    guarded(&file.path, sink, |sink| {
        read_file_inner(file, options, sink)
    });
}

/// Runs a reader of `path`. The readers are written not to panic, but a panic in a parser
/// dependency on hostile input must cost one file (or URL), not the whole run.
fn guarded(path: &Path, sink: &mut dyn DocSink, read: impl FnOnce(&mut dyn DocSink)) {
    let outcome = catch_unwind(AssertUnwindSafe(|| read(&mut *sink)));
    if outcome.is_err() {
        sink.skipped(Problem::new(
            path,
            None,
            "internal error while reading this file; please report it with the file attached",
        ));
    }
}

fn read_file_inner(file: &FoundFile, options: &ReadOptions, sink: &mut dyn DocSink) {
    if let Some(prefix) = file.stdin_prefix() {
        let stdin = std::io::stdin();
        let mut reader = stdin.lock();
        let mut prefixed = source::PrefixedIds {
            derived: path_id(&file.path),
            prefix,
            inner: sink,
        };
        let stream = Stream {
            path: &file.path,
            reader: &mut reader,
            size: None,
        };
        return read_stream(stream, file.format, options, &mut prefixed);
    }
    let path = file.path.as_path();
    let handle = match File::open(path) {
        Ok(handle) => handle,
        Err(err) => return sink.skipped(io_problem(path, &err)),
    };
    if file.format == Format::Zip {
        if Compression::from_path(path).is_some() {
            return sink.skipped(Problem::new(
                path,
                None,
                "a compressed zip archive cannot be read as a stream; decompress it first",
            ));
        }
        return archive::read_zip(path, handle, options, sink);
    }
    match Compression::from_path(path) {
        None => {
            let mut reader = source::buffered(handle);
            let stream = Stream {
                path,
                reader: &mut reader,
                size: Some(file.size),
            };
            read_stream(stream, file.format, options, sink);
        }
        Some(compression) => {
            let limits = source::Limits::default();
            match compression.decoder(handle, &limits) {
                Ok(decoder) => {
                    let mut reader = source::buffered(decoder);
                    let stream = Stream {
                        path,
                        reader: &mut reader,
                        size: None,
                    };
                    read_stream(stream, file.format, options, sink);
                }
                Err(err) => sink.skipped(io_problem(path, &err)),
            }
        }
    }
}

/// The bytes a reader gets: the path to report and a stream, with its size where it is known
/// beforehand (a plain file or an archive member; not a decompressed stream or standard input).
pub(crate) struct Stream<'a> {
    pub path: &'a Path,
    pub reader: &'a mut dyn BufRead,
    pub size: Option<u64>,
}

/// Reads the documents of one stream by its format.
pub(crate) fn read_stream(
    stream: Stream,
    format: Format,
    options: &ReadOptions,
    sink: &mut dyn DocSink,
) {
    let path = stream.path;
    match format {
        Format::JsonLines => return json::read_lines(path, stream.reader, options, sink),
        Format::Csv => return csv::read_csv(path, stream.reader, b',', options, sink),
        Format::Tsv => return csv::read_csv(path, stream.reader, b'\t', options, sink),
        Format::Tar => return archive::read_tar(path, stream.reader, options, sink),
        Format::Mbox => return mail::read_mbox(path, stream.reader, options, sink),
        Format::Zip => {
            return sink.skipped(Problem::new(
                path,
                None,
                "a zip archive can only be read from a file; save it and index the file",
            ))
        }
        Format::Feed | Format::Xml => {
            let expect = match format {
                Format::Feed => feed::Expect::Feed,
                _ => feed::Expect::AnyXml,
            };
            // feed-rs reads the encoding an XML feed declares, so it gets the bytes as they are.
            match source::load_bytes(path, stream.reader, stream.size, options.max_bytes) {
                Ok(bytes) if bytes.is_empty() => {
                    sink.skipped(Problem::new(path, None, "empty file"))
                }
                Ok(bytes) => feed::read_feed(path, &bytes, expect, sink),
                Err(problem) => sink.skipped(problem),
            }
            return;
        }
        Format::Pdf | Format::Docx | Format::Odt => {
            // Binary documents: the reader gets the bytes and the path to report.
            let read: BytesReader = match format {
                Format::Pdf => pdf::read_pdf,
                Format::Docx => office::read_docx,
                _ => office::read_odt,
            };
            match source::load_bytes(path, stream.reader, stream.size, options.max_bytes) {
                Ok(bytes) => read(path, &bytes, options, sink),
                Err(problem) => sink.skipped(problem),
            }
            return;
        }
        Format::Markdown | Format::Text | Format::Html | Format::Json | Format::Eml => {}
    }
    let hint = match format {
        Format::Html => decode::Hint::Html,
        _ => decode::Hint::Plain,
    };
    let bytes = match source::load_bytes(path, stream.reader, stream.size, options.max_bytes) {
        Ok(bytes) => bytes,
        Err(problem) => {
            sink.skipped(problem);
            return;
        }
    };
    // An `.eml`, or a `.txt` that begins with mail or news headers (a saved message): read
    // before decoding, as their bytes declare their own charsets.
    if format == Format::Eml || (format == Format::Text && mail::looks_like_message(&bytes)) {
        mail::read_message(path, &bytes, sink);
        return;
    }
    let decoded = decode::decode(&bytes, hint)
        .map_err(|err| Problem::new(path, None, SkipReason::from(err).to_string()));
    let text = match decoded {
        Ok(loaded) => loaded,
        Err(problem) => {
            sink.skipped(problem);
            return;
        }
    };
    if let Some(warning) = text.warning {
        sink.warning(Problem::new(path, None, warning));
    }
    let single = match format {
        Format::Text => markdown::read_text(path, &text.text),
        Format::Html => html::read_html(path, &text.text),
        Format::Json if feed::is_json_feed(&text.text) => {
            feed::read_feed(path, text.text.as_bytes(), feed::Expect::Feed, sink);
            return;
        }
        Format::Json => {
            json::read_json(path, &text.text, options, sink);
            return;
        }
        Format::Markdown => markdown::read_markdown(path, &text.text),
        // Streamed above.
        Format::JsonLines
        | Format::Csv
        | Format::Tsv
        | Format::Zip
        | Format::Tar
        | Format::Feed
        | Format::Xml
        | Format::Pdf
        | Format::Docx
        | Format::Odt
        | Format::Mbox
        | Format::Eml => return,
    };
    match single {
        Ok(doc) => sink.document(doc),
        Err(problem) => sink.skipped(problem),
    }
}

/// A size for messages: "70 MiB", "1.5 MiB", "12 KiB", "300 bytes".
pub(crate) fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    let tenths = |unit: u64| {
        let tenths = (u128::from(bytes) * 10 + u128::from(unit) / 2) / u128::from(unit);
        if tenths % 10 == 0 {
            format!("{}", tenths / 10)
        } else {
            format!("{}.{}", tenths / 10, tenths % 10)
        }
    };
    if bytes >= MIB {
        format!("{} MiB", tenths(MIB))
    } else if bytes >= KIB {
        format!("{} KiB", tenths(KIB))
    } else {
        format!("{bytes} bytes")
    }
}

/// The id of a document derived from its file: hex xxh3-64 of the absolute path.
/// xxh3 is fast and stable across versions and platforms, which is what ids need.
pub(crate) fn path_id(path: &Path) -> String {
    format!("{:016x}", xxh3_64(path.as_os_str().as_encoded_bytes()))
}

/// Whether `doc` carries an id of its own (a record's `id` field) rather than one derived from its
/// path, which is unique by construction.
pub fn has_own_id(doc: &SourceDoc) -> bool {
    let derived = path_id(&doc.path);
    match doc.id.strip_prefix(&derived) {
        Some(rest) => !(rest.is_empty() || rest.starts_with('#')),
        None => true,
    }
}

/// A document with its path and path-derived id filled in.
pub(crate) fn new_doc(path: &Path) -> SourceDoc {
    SourceDoc {
        id: path_id(path),
        path: path.to_path_buf(),
        ..SourceDoc::default()
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;

    /// A sink that keeps everything, for tests.
    #[derive(Debug, Default)]
    pub struct Collect {
        pub docs: Vec<SourceDoc>,
        pub skipped: Vec<Problem>,
        pub warnings: Vec<Problem>,
    }

    impl DocSink for Collect {
        fn document(&mut self, doc: SourceDoc) {
            self.docs.push(doc);
        }
        fn skipped(&mut self, problem: Problem) {
            self.skipped.push(problem);
        }
        fn warning(&mut self, problem: Problem) {
            self.warnings.push(problem);
        }
    }

    /// Writes `bytes` to `name` in `dir` and reads it with `options`.
    pub fn read_bytes(
        dir: &tempfile::TempDir,
        name: &str,
        bytes: &[u8],
        options: &ReadOptions,
    ) -> Collect {
        let path = dir.path().join(name);
        let mut sink = Collect::default();
        if let Err(err) = std::fs::write(&path, bytes) {
            sink.skipped.push(io_problem(&path, &err));
            return sink;
        }
        match FoundFile::from_path(&path) {
            Ok(found) => read_file(&found, options, &mut sink),
            Err(problem) => sink.skipped.push(problem),
        }
        sink
    }

    /// Reads one file with default options; the single skip reason, if any.
    pub fn read_one(name: &str, bytes: &[u8]) -> Collect {
        match tempfile::tempdir() {
            Ok(dir) => read_bytes(&dir, name, bytes, &ReadOptions::default()),
            Err(err) => Collect {
                skipped: vec![Problem::new(Path::new(name), None, err.to_string())],
                ..Collect::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    #[test]
    fn format_by_extension_ignores_case() {
        assert_eq!(
            Format::from_path(Path::new("a/B.MD")),
            Some(Format::Markdown)
        );
        assert_eq!(
            Format::from_path(Path::new("x.Ndjson")),
            Some(Format::JsonLines)
        );
        assert_eq!(Format::from_path(Path::new("x.htm")), Some(Format::Html));
        assert_eq!(Format::from_path(Path::new("x.PDF")), Some(Format::Pdf));
        assert_eq!(Format::from_path(Path::new("x.doc")), None);
        assert_eq!(Format::from_path(Path::new("README")), None);
    }

    #[test]
    fn human_sizes_read_well() {
        assert_eq!(human_size(70 * 1024 * 1024), "70 MiB");
        assert_eq!(human_size(1536 * 1024), "1.5 MiB");
        assert_eq!(human_size(2048), "2 KiB");
        assert_eq!(human_size(12), "12 bytes");
    }

    #[test]
    fn files_over_the_limit_are_skipped_with_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let options = ReadOptions {
            max_bytes: 1024 * 1024,
            ..ReadOptions::default()
        };
        let big = vec![b'a'; 2 * 1024 * 1024];
        let sink = read_bytes(&dir, "big.txt", &big, &options);
        assert!(sink.docs.is_empty());
        assert_eq!(
            sink.skipped[0].reason,
            "file is 2 MiB, over the limit of 1 MiB (raise it with --max-file-size)"
        );
    }

    #[test]
    fn binary_empty_and_legacy_files() {
        let binary = read_one("x.txt", b"GIF89a\x00\x01\x02");
        assert_eq!(binary.skipped[0].reason, "binary file");
        let empty = read_one("x.md", b"");
        assert_eq!(empty.skipped[0].reason, "empty file");
        let blank = read_one("x.html", b"  \r\n ");
        assert_eq!(blank.skipped[0].reason, "empty file");
        let legacy = read_one("x.txt", b"Caf\xE9\r\nPol\xEDtica exterior");
        assert_eq!(legacy.docs[0].title.as_deref(), Some("Café"));
        assert_eq!(legacy.docs[0].body, "Política exterior");
        assert_eq!(
            legacy.warnings[0].reason,
            "not valid UTF-8; decoded as Windows-1252"
        );
    }

    #[test]
    fn utf16_file_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Título\r\nTexto del artículo".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let sink = read_one("x.txt", &bytes);
        assert_eq!(sink.docs[0].title.as_deref(), Some("Título"));
        assert_eq!(sink.docs[0].body, "Texto del artículo");
        assert!(sink.warnings.is_empty());
    }

    #[test]
    fn missing_file_is_skipped_not_panicking() {
        let found = FoundFile {
            path: PathBuf::from("/definitely/not/here.md"),
            size: 0,
            modified: None,
            format: Format::Markdown,
        };
        let mut sink = Collect::default();
        read_file(&found, &ReadOptions::default(), &mut sink);
        assert_eq!(sink.skipped[0].reason, "path does not exist");
    }

    #[test]
    fn reading_fingerprint_follows_every_option() {
        let default = ReadOptions::default();
        assert_eq!(default.fingerprint(), ReadOptions::default().fingerprint());
        let smaller = ReadOptions {
            max_bytes: 1024,
            ..ReadOptions::default()
        };
        assert_ne!(default.fingerprint(), smaller.fingerprint());
        let mut mapped = ReadOptions::default();
        mapped.fields.set_override("body=story").expect("valid");
        assert_ne!(default.fingerprint(), mapped.fingerprint());
    }

    #[test]
    fn own_ids_are_told_from_derived_ones() {
        let derived = read_one(
            "x.jsonl",
            b"{\"title\":\"a\"}\n{\"id\":\"same\",\"title\":\"b\"}\n",
        );
        assert!(!has_own_id(&derived.docs[0]), "{:?}", derived.docs[0]);
        assert!(has_own_id(&derived.docs[1]), "{:?}", derived.docs[1]);
        let whole = read_one("x.md", b"# Title\n\nText\n");
        assert!(!has_own_id(&whole.docs[0]));
    }

    #[test]
    fn path_ids_are_stable_and_distinct() {
        let a = path_id(Path::new("/data/a.md"));
        assert_eq!(a, path_id(Path::new("/data/a.md")));
        assert_ne!(a, path_id(Path::new("/data/b.md")));
        assert_eq!(a.len(), 16);
    }
}

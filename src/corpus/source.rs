//! Where a reader's bytes come from: a plain file, a decompressing stream (`.gz`, `.zst`, `.bz2`),
//! an archive member or standard input. Readers never open a path themselves: they are handed a
//! stream and the path to report, and this module bounds what a stream may grow to, so that a
//! compression bomb costs one line in the report, not the machine.

use std::cell::Cell;
use std::ffi::OsString;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use thiserror::Error;

use super::{human_size, io_problem, DocSink, Problem, SkipReason};
use crate::document::SourceDoc;

/// A compression applied on top of a format, named by the last extension of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
    Bzip2,
}

impl Compression {
    /// The compression a file's last extension names (`x.jsonl.gz` → gzip), if any.
    pub fn from_path(path: &Path) -> Option<Compression> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "gz" | "gzip" | "tgz" => Some(Compression::Gzip),
            "zst" | "zstd" | "tzst" => Some(Compression::Zstd),
            "bz2" | "tbz2" | "tbz" => Some(Compression::Bzip2),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Bzip2 => "bzip2",
        }
    }

    /// A stream of the decompressed bytes of `compressed`, bounded by `limits`.
    ///
    /// flate2 (with its multi-member decoder, so concatenated gzip files read whole), zstd
    /// (bindings to the reference library) and bzip2 (a Rust port of libbzip2) are the
    /// maintained decoders of each format; each streams, so nothing is held whole in memory.
    pub(crate) fn decoder<'a>(
        self,
        compressed: impl Read + 'a,
        limits: &Limits,
    ) -> io::Result<Box<dyn Read + 'a>> {
        let counted = Rc::new(Cell::new(0u64));
        let input = Counting {
            inner: compressed,
            count: Rc::clone(&counted),
        };
        let inner: Box<dyn Read + 'a> = match self {
            Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(input)),
            Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(input)?),
            Compression::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(input)),
        };
        Ok(Box::new(Inflated {
            inner,
            out: 0,
            input: InputSize::Counted(counted),
            kind: self.name(),
            limits: limits.clone(),
        }))
    }
}

/// How far decompression may go before it is taken for a bomb.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    /// Decompressed bytes may be at most this many times the compressed bytes read...
    pub max_ratio: u64,
    /// ...once past this many decompressed bytes (small files may compress very well).
    pub ratio_floor: u64,
    /// Decompressed bytes of all the members of one archive together.
    pub total: Rc<Budget>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_ratio: 100,
            ratio_floor: 1024 * 1024,
            total: Rc::new(Budget::new(DEFAULT_ARCHIVE_TOTAL)),
        }
    }
}

/// The uncompressed size all the members of one archive may add up to.
pub(crate) const DEFAULT_ARCHIVE_TOTAL: u64 = 16 * 1024 * 1024 * 1024;

/// A count of decompressed bytes shared by the streams of one archive, with its limit.
#[derive(Debug)]
pub(crate) struct Budget {
    used: Cell<u64>,
    limit: u64,
}

impl Budget {
    pub(crate) fn new(limit: u64) -> Budget {
        Budget {
            used: Cell::new(0),
            limit,
        }
    }

    /// Whether more was read than the limit allows.
    pub(crate) fn is_spent(&self) -> bool {
        self.used.get() > self.limit
    }
}

/// Why a decompressing stream stopped.
#[derive(Debug, Error)]
pub(crate) enum StreamError {
    #[error(
        "decompressed data grew past {ratio} times its compressed size, which only a \
         compression bomb does; it was not read further"
    )]
    Ratio { ratio: u64 },
    #[error(
        "the archive's members add up to more than {limit} uncompressed, so it was not read \
         further; split the archive"
    )]
    Total { limit: String },
    #[error("damaged or truncated {kind} data ({source})")]
    Damaged {
        kind: &'static str,
        source: io::Error,
    },
}

impl StreamError {
    /// The error a stream returns, carried in an `io::Error` so readers report it as they do any
    /// read failure (see [`super::io_problem`]).
    fn into_io(self) -> io::Error {
        io::Error::other(self)
    }
}

/// How many compressed bytes a stream has consumed.
enum InputSize {
    /// Counted as the decoder reads them.
    Counted(Rc<Cell<u64>>),
    /// Known in advance (an archive member's recorded compressed size).
    Fixed(u64),
}

/// A read counting its bytes.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get().saturating_add(n as u64));
        Ok(n)
    }
}

/// Decompressed bytes, checked against the ratio and the archive's total as they come.
struct Inflated<'a> {
    inner: Box<dyn Read + 'a>,
    out: u64,
    input: InputSize,
    kind: &'static str,
    limits: Limits,
}

impl Read for Inflated<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => return Err(err),
            Err(err) if err.get_ref().is_some_and(|inner| inner.is::<StreamError>()) => {
                return Err(err)
            }
            Err(source) => {
                return Err(StreamError::Damaged {
                    kind: self.kind,
                    source,
                }
                .into_io())
            }
        };
        self.out = self.out.saturating_add(n as u64);
        let input = match &self.input {
            InputSize::Counted(count) => count.get(),
            InputSize::Fixed(size) => *size,
        };
        if self.out > self.limits.ratio_floor
            && self.out > input.max(1).saturating_mul(self.limits.max_ratio)
        {
            return Err(StreamError::Ratio {
                ratio: self.limits.max_ratio,
            }
            .into_io());
        }
        let total = &self.limits.total;
        total.used.set(total.used.get().saturating_add(n as u64));
        if total.used.get() > total.limit {
            return Err(StreamError::Total {
                limit: human_size(total.limit),
            }
            .into_io());
        }
        Ok(n)
    }
}

/// An archive member's stream, bounded as a decompressed stream is: `compressed` is the size the
/// archive records for it (the member's reader cannot read past it).
pub(crate) fn member_stream<'a>(
    member: impl Read + 'a,
    compressed: u64,
    limits: &Limits,
) -> Box<dyn Read + 'a> {
    Box::new(Inflated {
        inner: Box::new(member),
        out: 0,
        input: InputSize::Fixed(compressed),
        kind: "archive member",
        limits: limits.clone(),
    })
}

/// The reason for an I/O error that a stream returned on purpose, if it is one.
pub(crate) fn stream_reason(err: &io::Error) -> Option<String> {
    err.get_ref()
        .and_then(|inner| inner.downcast_ref::<StreamError>())
        .map(ToString::to_string)
}

/// Reads a whole stream's bytes as they are, refusing one over `max_bytes`; `size` is its size
/// where it is known beforehand (a plain file), so that a large file is refused without being
/// read. Readers decode what they get themselves (text by its marks, feeds and mail by the
/// charsets they declare).
pub(crate) fn load_bytes(
    path: &Path,
    reader: &mut dyn Read,
    size: Option<u64>,
    max_bytes: u64,
) -> Result<Vec<u8>, Problem> {
    let skip = |reason: SkipReason| Problem::new(path, None, reason.to_string());
    let too_large = |size: u64| {
        skip(SkipReason::TooLarge {
            size: human_size(size),
            limit: human_size(max_bytes),
        })
    };
    if let Some(size) = size.filter(|size| *size > max_bytes) {
        return Err(too_large(size));
    }
    let capacity = size.unwrap_or(64 * 1024).min(max_bytes);
    let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    // A file may grow between the size check and the read, and a stream has no size: never
    // read past the limit.
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| io_problem(path, &err))?;
    if bytes.len() as u64 > max_bytes {
        return Err(match size {
            Some(_) => too_large(bytes.len() as u64),
            None => skip(SkipReason::StreamTooLarge {
                limit: human_size(max_bytes),
            }),
        });
    }
    Ok(bytes)
}

/// The archive a member's display path (`/data/a.zip!/inner/b.md`) names, or `None` for a
/// path that is no archive member.
pub fn container_of(path: &Path) -> Option<PathBuf> {
    let text = path.to_str()?;
    let mut from = 0;
    while let Some(at) = text.get(from..)?.find("!/") {
        let end = from + at;
        let head = Path::new(text.get(..end)?);
        if super::Format::from_path(head).is_some_and(super::Format::is_archive) {
            return Some(head.to_path_buf());
        }
        from = end + 2;
    }
    None
}

/// The display path of `member` inside `archive`: `archive!/member`.
pub(crate) fn member_path(archive: &Path, member: &str) -> PathBuf {
    let mut joined = OsString::from(archive.as_os_str());
    joined.push("!/");
    joined.push(member);
    PathBuf::from(joined)
}

/// The name standard input is shown under (`stdin:NAME`) for the id prefix `name`.
pub(crate) fn stdin_path(name: &str) -> PathBuf {
    PathBuf::from(format!("{STDIN_PREFIX}{name}"))
}

/// What the display path of standard input starts with. Walked paths are absolute, so a relative
/// path that starts with it is never a file's.
pub(crate) const STDIN_PREFIX: &str = "stdin:";

/// A sink that gives the documents of standard input ids under the stream's prefix: `NAME#L3`
/// for the third line, `NAME` for a single document; records' own ids are kept.
pub(crate) struct PrefixedIds<'a> {
    pub derived: String,
    pub prefix: &'a str,
    pub inner: &'a mut dyn DocSink,
}

impl DocSink for PrefixedIds<'_> {
    fn document(&mut self, mut doc: SourceDoc) {
        if let Some(rest) = doc.id.strip_prefix(self.derived.as_str()) {
            doc.id = format!("{}{rest}", self.prefix);
        }
        self.inner.document(doc);
    }
    fn skipped(&mut self, problem: Problem) {
        self.inner.skipped(problem);
    }
    fn warning(&mut self, problem: Problem) {
        self.inner.warning(problem);
    }
}

/// A buffered reader over any stream, with the buffer size the readers use.
pub(crate) fn buffered<'a>(reader: impl Read + 'a) -> Box<dyn BufRead + 'a> {
    Box::new(io::BufReader::with_capacity(64 * 1024, reader))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).expect("written");
        encoder.finish().expect("finished")
    }

    fn inflate(compressed: &[u8], limits: &Limits) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        Compression::Gzip
            .decoder(compressed, limits)?
            .read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn compression_follows_the_last_extension() {
        assert_eq!(
            Compression::from_path(Path::new("a.jsonl.GZ")),
            Some(Compression::Gzip)
        );
        assert_eq!(
            Compression::from_path(Path::new("a.md.zst")),
            Some(Compression::Zstd)
        );
        assert_eq!(
            Compression::from_path(Path::new("a.tbz2")),
            Some(Compression::Bzip2)
        );
        assert_eq!(Compression::from_path(Path::new("a.md")), None);
    }

    #[test]
    fn a_stream_past_the_ratio_is_stopped() {
        let zeros = vec![0u8; 4 * 1024 * 1024];
        let err = inflate(&gzip(&zeros), &Limits::default()).expect_err("a bomb");
        let reason = stream_reason(&err).expect("a stream error");
        assert!(
            reason.starts_with("decompressed data grew past 100 times"),
            "{reason}"
        );
        let text = b"Una frase corriente sobre chips y controles. ".repeat(1000);
        assert_eq!(inflate(&gzip(&text), &Limits::default()).ok(), Some(text));
    }

    #[test]
    fn archive_total_is_shared_between_members() {
        let limits = Limits {
            total: Rc::new(Budget::new(1000)),
            ..Limits::default()
        };
        let mut first = Vec::new();
        member_stream(&[b'a'; 600][..], 600, &limits)
            .read_to_end(&mut first)
            .expect("within the total");
        let err = member_stream(&[b'b'; 600][..], 600, &limits)
            .read_to_end(&mut Vec::new())
            .expect_err("over the total");
        let reason = stream_reason(&err).expect("a stream error");
        assert!(
            reason.contains("more than 1000 bytes uncompressed"),
            "{reason}"
        );
    }

    #[test]
    fn truncated_gzip_is_named_damaged() {
        let text = b"linea de texto\n".repeat(5000);
        let compressed = gzip(&text);
        let cut = compressed.get(..compressed.len() / 2).expect("half");
        let err = inflate(cut, &Limits::default()).expect_err("truncated");
        let reason = stream_reason(&err).expect("a stream error");
        assert!(
            reason.starts_with("damaged or truncated gzip data"),
            "{reason}"
        );
    }

    #[test]
    fn members_are_told_by_their_archive() {
        let member = member_path(Path::new("/d/a.zip"), "in/b.md");
        assert_eq!(member, Path::new("/d/a.zip!/in/b.md"));
        assert_eq!(container_of(&member), Some(PathBuf::from("/d/a.zip")));
        assert_eq!(
            container_of(Path::new("/d/x.tar.gz!/c.txt")),
            Some(PathBuf::from("/d/x.tar.gz"))
        );
        assert_eq!(container_of(Path::new("/d/wow!/b.md")), None);
        assert_eq!(container_of(Path::new("/d/b.md")), None);
    }
}

//! Reads `.zip` and `.tar` archives (also `.tar.gz`/`.tgz`, `.tar.zst`, `.tar.bz2`) member by
//! member, as streams, never extracting anything to disk. Each supported member is read by its
//! format's reader under the path `archive!/member`; unsupported members are passed over as the
//! folder walk passes over unsupported files; members named with `..` or an absolute path,
//! nested archives and members that decompress like a bomb are reported in one line each.
//!
//! The `zip` and `tar` crates are the maintained readers of both formats; both read members as
//! streams (zip through the archive's central directory, so it needs a seekable file).

use std::fs::File;
use std::io::BufRead;
use std::path::{Component, Path};

use super::source::{buffered, member_path, member_stream, stream_reason, Limits};
use super::{read_stream, DocSink, Format, Problem, ReadOptions, Stream};

/// What to do with one member, from its name.
enum Member {
    Read(Format),
    /// Not a format topictrack reads: passed over quietly.
    Unsupported,
    Refused(&'static str),
}

fn classify(name: &str) -> Member {
    let path = Path::new(name);
    if name.starts_with('/')
        || name.starts_with('\\')
        || path
            .components()
            .any(|part| !matches!(part, Component::Normal(_) | Component::CurDir))
        || name.split(['/', '\\']).any(|part| part == "..")
    {
        return Member::Refused(
            "member name is absolute or climbs out of the archive with `..`, so it was not read",
        );
    }
    match Format::from_path(path) {
        Some(format) if format.is_archive() => Member::Refused(
            "an archive inside an archive is not read; extract the inner archive and index it",
        ),
        Some(format) => Member::Read(format),
        None => Member::Unsupported,
    }
}

/// Reads every supported member of the zip archive at `path`.
pub(crate) fn read_zip(path: &Path, file: File, options: &ReadOptions, sink: &mut dyn DocSink) {
    let mut archive = match zip::ZipArchive::new(std::io::BufReader::new(file)) {
        Ok(archive) => archive,
        Err(err) => {
            return sink.skipped(Problem::new(
                path,
                None,
                format!("not a readable zip archive ({err})"),
            ))
        }
    };
    let limits = Limits::default();
    for index in 0..archive.len() {
        let unreadable = |what: &str, err: zip::result::ZipError| {
            Problem::new(path, None, format!("member {} {what} ({err})", index + 1))
        };
        let mut member = match archive.by_index(index) {
            Ok(member) => member,
            Err(err) => {
                sink.skipped(unreadable("could not be read", err));
                continue;
            }
        };
        if member.is_dir() {
            continue;
        }
        let name = match member.name() {
            Ok(name) => name.into_owned(),
            Err(err) => {
                sink.skipped(unreadable("has an unreadable name", err));
                continue;
            }
        };
        let shown = member_path(path, &name);
        let format = match classify(&name) {
            Member::Read(format) => format,
            Member::Unsupported => continue,
            Member::Refused(reason) => {
                sink.skipped(Problem::new(&shown, None, reason));
                continue;
            }
        };
        if member.encrypted() {
            sink.skipped(Problem::new(
                &shown,
                None,
                "member is encrypted; decrypt the archive first",
            ));
            continue;
        }
        let compressed = member.compressed_size();
        let size = member.size();
        let mut stream = buffered(member_stream(&mut member, compressed, &limits));
        read_member(&shown, format, size, &mut stream, options, &limits, sink);
        if limits.total_spent() {
            return;
        }
    }
}

/// Reads every supported member of a tar stream (already decompressed when the archive is).
pub(crate) fn read_tar(
    path: &Path,
    stream: &mut dyn BufRead,
    options: &ReadOptions,
    sink: &mut dyn DocSink,
) {
    let limits = Limits::default();
    let mut archive = tar::Archive::new(stream);
    let entries = match archive.entries() {
        Ok(entries) => entries,
        Err(err) => return sink.skipped(tar_problem(path, &err)),
    };
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                // A damaged header leaves nothing to resynchronise on: the rest is lost.
                return sink.skipped(tar_problem(path, &err));
            }
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let shown = member_path(path, &name);
        let format = match classify(&name) {
            Member::Read(format) => format,
            Member::Unsupported => continue,
            Member::Refused(reason) => {
                sink.skipped(Problem::new(&shown, None, reason));
                continue;
            }
        };
        let size = entry.size();
        // A tar member is stored whole: the archive's own compression is bounded outside.
        let mut stream = buffered(member_stream(&mut entry, size, &limits));
        read_member(&shown, format, size, &mut stream, options, &limits, sink);
        if limits.total_spent() {
            return;
        }
    }
}

fn tar_problem(path: &Path, err: &std::io::Error) -> Problem {
    let reason = stream_reason(err)
        .unwrap_or_else(|| format!("not a readable tar archive, or damaged ({err})"));
    Problem::new(path, None, reason)
}

/// Reads one member, decompressing it first when its name says it is compressed.
fn read_member(
    shown: &Path,
    format: Format,
    size: u64,
    stream: &mut dyn BufRead,
    options: &ReadOptions,
    limits: &Limits,
    sink: &mut dyn DocSink,
) {
    match super::source::Compression::from_path(shown) {
        None => read_stream(
            Stream {
                path: shown,
                reader: stream,
                size: Some(size),
            },
            format,
            options,
            sink,
        ),
        Some(compression) => match compression.decoder(stream, limits) {
            Ok(decoder) => {
                let mut decompressed = buffered(decoder);
                read_stream(
                    Stream {
                        path: shown,
                        reader: &mut decompressed,
                        size: None,
                    },
                    format,
                    options,
                    sink,
                );
            }
            Err(err) => sink.skipped(super::io_problem(shown, &err)),
        },
    }
}

impl Limits {
    /// Whether the archive's total is used up: later members would only fail the same way.
    fn total_spent(&self) -> bool {
        self.total.is_spent()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names_are_classified() {
        assert!(matches!(
            classify("in/a.md"),
            Member::Read(Format::Markdown)
        ));
        assert!(matches!(
            classify("a.jsonl.gz"),
            Member::Read(Format::JsonLines)
        ));
        assert!(matches!(classify("photo.png"), Member::Unsupported));
        assert!(matches!(classify("notes.pdf"), Member::Read(Format::Pdf)));
        assert!(matches!(classify("../evil.md"), Member::Refused(_)));
        assert!(matches!(classify("in/../../evil.md"), Member::Refused(_)));
        assert!(matches!(classify("/etc/evil.md"), Member::Refused(_)));
        assert!(matches!(classify("inner.zip"), Member::Refused(_)));
        assert!(matches!(classify("inner.tar.gz"), Member::Refused(_)));
    }
}

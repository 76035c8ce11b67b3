//! Turns the raw bytes of a file into text: byte-order marks, UTF-16, the Windows-1252
//! fallback for legacy files, binary and empty detection, and line-ending normalisation.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use thiserror::Error;

/// How far into a file we look for a NUL byte before calling it binary.
pub(crate) const BINARY_SNIFF_BYTES: usize = 8 * 1024;

/// Warning text for input that was not UTF-8 and was read as Windows-1252.
pub(crate) const LEGACY_WARNING: &str = "not valid UTF-8; decoded as Windows-1252";

/// Why a file's bytes cannot be turned into a document.
#[derive(Debug, Error, PartialEq, Eq)]
pub(crate) enum DecodeError {
    #[error("binary file")]
    Binary,
    #[error("empty file")]
    Empty,
}

/// Text decoded from a file, with a warning when a fallback encoding was used.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

/// What kind of file the bytes come from, for encoding hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hint {
    Plain,
    /// HTML may declare its legacy encoding in a `<meta charset>` tag.
    Html,
}

/// Decodes a whole file's bytes.
///
/// encoding_rs (the decoder Firefox uses) does the BOM sniffing and the UTF-16 and
/// Windows-1252 conversions; hand-written tables would only be a source of bugs.
pub(crate) fn decode(bytes: &[u8], hint: Hint) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let (text, warning) = if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        let (text, had_errors) = encoding.decode_without_bom_handling(rest);
        let warning = (had_errors && encoding == UTF_8)
            .then(|| "contains bytes that are not valid UTF-8; they were replaced".to_owned());
        (text.into_owned(), warning)
    } else if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    } else {
        match (std::str::from_utf8(bytes), hint) {
            (Ok(text), _) => (text.to_owned(), None),
            (Err(_), Hint::Html) => decode_declared_html(bytes),
            (Err(_), Hint::Plain) => {
                let (text, warning) = decode_unmarked(bytes);
                (text, warning.map(str::to_owned))
            }
        }
    };
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded {
        text: normalize_newlines(text),
        warning,
    })
}

/// Decodes bytes that carry no byte-order mark: UTF-8 when valid, else Windows-1252.
pub(crate) fn decode_unmarked(bytes: &[u8]) -> (String, Option<&'static str>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), None),
        Err(_) => {
            // Windows-1252 maps every byte, so this never fails; it is what Latin-1 era
            // Spanish news sites and Word exports actually used.
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), Some(LEGACY_WARNING))
        }
    }
}

/// Decodes a page that is not UTF-8 with the encoding it declares, else Windows-1252.
fn decode_declared_html(bytes: &[u8]) -> (String, Option<String>) {
    match declared_html_encoding(bytes) {
        Some(encoding) if encoding != WINDOWS_1252 => {
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            let warning = format!(
                "not valid UTF-8; decoded as {}, as the page declares",
                encoding.name()
            );
            (text.into_owned(), Some(warning))
        }
        _ => {
            let (text, warning) = decode_unmarked(bytes);
            (text, warning.map(str::to_owned))
        }
    }
}

/// The encoding named by `charset=` in the first 4 KiB of a page, when it is a legacy
/// single- or multi-byte encoding (a UTF-16 or UTF-8 label cannot explain invalid UTF-8).
fn declared_html_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..4096).unwrap_or(bytes).to_ascii_lowercase();
    let key = b"charset=";
    let at = head.windows(key.len()).position(|window| window == key)? + key.len();
    let label: Vec<u8> = head
        .get(at..)?
        .iter()
        .skip_while(|b| matches!(b, b'"' | b'\'' | b' '))
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        .copied()
        .collect();
    Encoding::for_label(&label).filter(|enc| ![UTF_8, UTF_16LE, UTF_16BE].contains(enc))
}

/// True when a NUL byte appears in the first 8 KiB.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = bytes.get(..BINARY_SNIFF_BYTES).unwrap_or(bytes);
    head.contains(&0)
}

/// Turns CRLF and lone CR line endings into LF.
pub(crate) fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_plain(bytes: &[u8]) -> Result<Decoded, DecodeError> {
        decode(bytes, Hint::Plain)
    }

    #[test]
    fn html_declared_legacy_encoding_is_used() {
        let koi8 = b"<html><head><meta charset=\"koi8-r\"></head><body>\xF0\xD2\xC9</body></html>";
        let decoded = decode(koi8, Hint::Html).unwrap();
        assert!(
            decoded.text.contains("\u{41F}\u{440}\u{438}"),
            "{}",
            decoded.text
        );
        assert_eq!(
            decoded.warning.as_deref(),
            Some("not valid UTF-8; decoded as KOI8-R, as the page declares")
        );
        let latin =
            b"<meta http-equiv=Content-Type content='text/html; charset=ISO-8859-1'>caf\xE9";
        let decoded = decode(latin, Hint::Html).unwrap();
        assert!(decoded.text.ends_with("caf\u{E9}"));
        assert_eq!(decoded.warning.as_deref(), Some(LEGACY_WARNING));
        let lying = b"<meta charset=utf-8>caf\xE9";
        assert!(decode(lying, Hint::Html)
            .unwrap()
            .text
            .ends_with("caf\u{E9}"));
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let decoded = decode_plain(b"\xEF\xBB\xBFhola").unwrap();
        assert_eq!(decoded.text, "hola");
        assert_eq!(decoded.warning, None);
    }

    #[test]
    fn utf16_le_and_be_with_bom_are_decoded() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in "Año\r\nnuevo".encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode_plain(&le).unwrap().text, "Año\nnuevo");
        assert_eq!(decode_plain(&be).unwrap().text, "Año\nnuevo");
    }

    #[test]
    fn windows_1252_fallback_warns() {
        let decoded = decode_plain(b"caf\xE9 \x93quoted\x94").unwrap();
        assert_eq!(decoded.text, "café \u{201C}quoted\u{201D}");
        assert_eq!(decoded.warning.as_deref(), Some(LEGACY_WARNING));
    }

    #[test]
    fn nul_byte_means_binary_but_only_near_the_start() {
        assert_eq!(
            decode_plain(b"PK\x03\x04\x00\x00"),
            Err(DecodeError::Binary)
        );
        let mut late = vec![b'a'; BINARY_SNIFF_BYTES + 10];
        late.push(0);
        assert!(decode_plain(&late).is_ok());
    }

    #[test]
    fn empty_and_blank_files_are_empty() {
        assert_eq!(decode_plain(b""), Err(DecodeError::Empty));
        assert_eq!(decode_plain(b" \r\n\t\n"), Err(DecodeError::Empty));
        assert_eq!(decode_plain(b"\xEF\xBB\xBF\n"), Err(DecodeError::Empty));
    }

    #[test]
    fn crlf_and_lone_cr_become_lf() {
        assert_eq!(decode_plain(b"a\r\nb\rc").unwrap().text, "a\nb\nc");
    }
}

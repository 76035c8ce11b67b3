use super::super::testutil::read_one;
use super::looks_like_message;

/// A message whose subject is an ISO-8859-1 encoded word, with a UTF-8 quoted-printable part and a
/// windows-1252 base64 part.
const THREE_CHARSETS: &[u8] = b"From: =?UTF-8?Q?Jos=C3=A9_Mu=C3=B1oz?= <jose@example.org>\r\n\
Subject: =?ISO-8859-1?Q?Exportaci=F3n_de_chips?=\r\n\
Date: Thu, 15 May 2025 10:00:00 +0200\r\n\
Message-ID: <three@example.org>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
La exportaci=C3=B3n sigue.\r\n\
--b1\r\n\
Content-Type: text/plain; charset=windows-1252\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
k0dhc3RvcyCAIDUwMJQ=\r\n\
--b1\r\n\
Content-Type: application/pdf; name=\"informe.pdf\"\r\n\
Content-Disposition: attachment; filename=\"informe.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQK\r\n\
--b1--\r\n";

#[test]
fn three_charsets_are_decoded_and_attachments_only_named() {
    let sink = read_one("m.eml", THREE_CHARSETS);
    assert!(sink.skipped.is_empty(), "{:?}", sink.skipped);
    let doc = &sink.docs[0];
    assert_eq!(doc.id, "three@example.org");
    assert_eq!(doc.title.as_deref(), Some("Exportación de chips"));
    assert_eq!(
        doc.body,
        "La exportación sigue.\n\n\u{201c}Gastos \u{20ac} 500\u{201d}"
    );
    assert_eq!(
        doc.date_raw.as_deref(),
        Some("Thu, 15 May 2025 10:00:00 +0200")
    );
    assert_eq!(doc.date_key.as_deref(), Some("Date"));
    assert!(doc.mail);
    let meta = |key: &str| {
        doc.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(meta("author"), Some("José Muñoz <jose@example.org>"));
    assert_eq!(meta("attachments"), Some("informe.pdf"));
    assert!(!doc.body.contains("JVBER"));
}

#[test]
fn a_boundary_that_never_appears_skips_the_message_in_one_line() {
    let broken = String::from_utf8_lossy(THREE_CHARSETS).replace("--b1", "--zz");
    let sink = read_one("m.eml", broken.as_bytes());
    assert!(sink.docs.is_empty());
    assert_eq!(sink.skipped.len(), 1);
    assert!(
        sink.skipped[0]
            .reason
            .starts_with("damaged MIME message: the boundary \"b1\""),
        "{:?}",
        sink.skipped[0]
    );
}

#[test]
fn html_only_message_is_turned_into_text() {
    let html = b"From: a@example.org\nSubject: Hola\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>Texto <b>visible</b></p><script>x()</script></body></html>\n";
    let sink = read_one("h.eml", html);
    assert_eq!(sink.docs[0].body, "Texto visible");
}

#[test]
fn saved_news_post_is_a_message_and_a_plain_text_is_not() {
    let post = b"Path: news.example.edu!not-for-mail\nFrom: bob@example.edu (Bob Smith)\nNewsgroups: sci.space,sci.astro\nSubject: Shuttle launch\nDate: 23 Apr 93 21:24:30 GMT\nMessage-ID: <1993Apr23.212430@example.edu>\n\nThe launch slipped a day.\n";
    assert!(looks_like_message(post));
    let sink = read_one("post.txt", post);
    let doc = &sink.docs[0];
    assert_eq!(doc.id, "1993Apr23.212430@example.edu");
    assert_eq!(doc.tags, ["sci.space", "sci.astro"]);
    assert_eq!(doc.title.as_deref(), Some("Shuttle launch"));
    assert_eq!(doc.body, "The launch slipped a day.");

    for text in [
        &b"Titular de prueba\nDate: tomorrow\nFrom: here\n"[..],
        b"Note: one\nSubject: two\n\nbody",
        b"Plain text\n\nwith lines",
    ] {
        assert!(
            !looks_like_message(text),
            "{:?}",
            String::from_utf8_lossy(text)
        );
    }
    let plain = read_one("note.txt", b"Titular\nFrom: here to there\n");
    assert!(!plain.docs[0].mail);
    assert_eq!(plain.docs[0].title.as_deref(), Some("Titular"));
}

#[test]
fn list_id_and_message_without_id_in_a_file() {
    let message = b"From: Ana <ana@example.org>\nSubject: Aviso\nList-Id: Chips news <chips.lists.example.org>\n\nTexto.\n";
    let sink = read_one("a.eml", message);
    let doc = &sink.docs[0];
    assert_eq!(doc.tags, ["chips.lists.example.org"]);
    assert_eq!(
        doc.id.len(),
        16,
        "an .eml without Message-ID keeps its path id"
    );
}

const MBOX: &[u8] = b"From ana@example.org Thu May 15 10:00:00 2025\n\
From: ana@example.org\n\
Subject: First\n\
Message-ID: <one@example.org>\n\
\n\
Body one.\n\
>From the archive, quoted.\n\
\n\
From bob@example.org Thu May 15 11:00:00 2025\n\
From: bob@example.org\n\
Subject: Second, no id\n\
\n\
Body two.\n";

#[test]
fn mbox_messages_are_documents_with_their_lines() {
    let sink = read_one("box.mbox", MBOX);
    assert!(sink.skipped.is_empty(), "{:?}", sink.skipped);
    assert_eq!(sink.docs.len(), 2);
    assert_eq!(sink.docs[0].id, "one@example.org");
    assert_eq!(sink.docs[0].line, Some(1));
    assert_eq!(sink.docs[0].body, "Body one.\nFrom the archive, quoted.");
    assert_eq!(sink.docs[1].line, Some(9));
    assert!(sink.docs[1].id.starts_with("mail-"), "{}", sink.docs[1].id);
    // The id of a message without Message-ID follows its headers, not its place.
    let moved = [&MBOX[MBOX.len() - 102..], b"\n", &MBOX[..MBOX.len() - 102]].concat();
    let again = read_one("other.mbox", &moved);
    assert!(
        again.docs.iter().any(|doc| doc.id == sink.docs[1].id),
        "{:?}",
        again.docs
    );
}

#[test]
fn a_file_that_is_no_mbox_is_named() {
    let sink = read_one("x.mbox", b"Subject: hi\n\nbody\n");
    assert!(sink.docs.is_empty());
    assert!(
        sink.skipped[0].reason.starts_with("not an mbox"),
        "{:?}",
        sink.skipped
    );
    let empty = read_one("y.mbox", b"");
    assert_eq!(empty.skipped[0].reason, "empty file");
}

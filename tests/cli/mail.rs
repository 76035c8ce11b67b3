//! Mail and Usenet input (issue 17): `.eml`, `.mbox` and `.txt` files that begin with RFC 5322
//! headers, indexed through the real binary — dates from the `Date` header, tags from Newsgroups,
//! ids from Message-ID, damaged messages reported in one line, and an appended mbox that adds only
//! its new messages.

use serde_json::Value;

use crate::support::{ids, path_str, stderr, Workspace};

fn message(id: &str, subject: &str, date: &str, body: &str) -> String {
    format!(
        "From: Ana Ruiz <ana@example.org>\nSubject: {subject}\nDate: {date}\nMessage-ID: <{id}>\n\n{body}\n"
    )
}

fn mbox_entry(id: &str, subject: &str, body: &str) -> String {
    format!(
        "From ana@example.org Thu May 15 10:00:00 2025\n{}\n",
        message(id, subject, "Thu, 15 May 2025 10:00:00 +0000", body)
    )
}

fn show(ws: &Workspace, id: &str) -> Value {
    ws.json(&["show", id, "--json"])
}

#[test]
fn every_date_form_of_a_mail_header_dates_its_document() {
    let ws = Workspace::new();
    let forms = [
        ("Fri, 21 Nov 1997 09:55:06 -0600", "1997-11-21"),
        ("21 Nov 1997 09:55:06 +0000", "1997-11-21"),
        ("23 Apr 93 21:24:30 GMT", "1993-04-23"),
        ("Fri, 23 Apr 93 21:24:30 EST", "1993-04-24"),
        ("Sat, 24 Apr 1993 10:00:00 PDT", "1993-04-24"),
        ("12 Mar 104 12:00:00 +0000", "2004-03-12"),
        ("Fri, 21 Nov 1997 23:55:06 Z", "1997-11-21"),
        ("Fri, 21 Nov 1997 09:55 (morning) -0600 (CST)", "1997-11-21"),
    ];
    for (n, (date, _)) in forms.iter().enumerate() {
        ws.write(
            &format!("m{n}.eml"),
            message(
                &format!("d{n}@example.org"),
                &format!("Form {n}"),
                date,
                "Text.",
            ),
        );
    }
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["added"], forms.len() as u64);
    for (n, (date, day)) in forms.iter().enumerate() {
        let shown = show(&ws, &format!("d{n}@example.org"));
        assert_eq!(shown["date"].as_str(), Some(*day), "{date}: {shown}");
        assert_eq!(shown["date_source"].as_str(), Some("mail header"), "{date}");
    }
    let text = ws.run(&["show", "d2@example.org"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("1993-04-23 (from mail header)"), "{text}");
    assert!(text.contains("Ana Ruiz <ana@example.org>"), "{text}");
}

#[test]
fn a_saved_news_post_as_txt_gets_its_newsgroups_as_tags() {
    let ws = Workspace::new();
    ws.write(
        "post.txt",
        "Path: news.example.edu!not-for-mail\nFrom: bob@example.edu (Bob Smith)\nNewsgroups: sci.space,sci.astro\nSubject: Shuttle launch slips\nDate: 23 Apr 93 21:24:30 GMT\nMessage-ID: <1993Apr23.1@example.edu>\n\nThe launch slipped a day.\n",
    );
    ws.write(
        "note.txt",
        "Ordinary note\n\nFrom: the usual place, nothing more.\n",
    );
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    let found = ws.search("*", &["--tag", "sci.space"]);
    assert_eq!(ids(&found), ["1993Apr23.1@example.edu"]);
    assert_eq!(found["hits"][0]["date"].as_str(), Some("1993-04-23"));
    assert_eq!(
        found["hits"][0]["title"].as_str(),
        Some("Shuttle launch slips")
    );
    let note = ws.search("usual", &[]);
    assert_eq!(note["hits"][0]["title"].as_str(), Some("Ordinary note"));
}

#[test]
fn quoted_text_and_signature_give_no_topic_or_entity_but_stay_searchable() {
    let ws = Workspace::new();
    let body = "Thanks, I will read it tonight.\n\nOn Thu, 15 May 2025, Luis <luis@example.org> wrote:\n> Tencent and Alibaba ordered Nvidia H20 chips before the export controls.\n> The export controls on GPUs widened under Trump.\n\n-- \nLuis Pérez, Huawei Technologies, Shenzhen";
    ws.write(
        "reply.eml",
        message(
            "reply@example.org",
            "Re: reading",
            "Thu, 15 May 2025 10:00:00 +0000",
            body,
        ),
    );
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    let shown = show(&ws, "reply@example.org");
    assert_eq!(shown["topics"], Value::Array(Vec::new()), "{shown}");
    assert_eq!(shown["entities"], Value::Array(Vec::new()), "{shown}");
    assert_eq!(ids(&ws.search("Tencent", &[])), ["reply@example.org"]);
    assert_eq!(ids(&ws.search("Shenzhen", &[])), ["reply@example.org"]);
}

#[test]
fn a_broken_mime_boundary_costs_one_message_in_one_line() {
    let ws = Workspace::new();
    let broken = "From ana@example.org Thu May 15 10:00:00 2025\nFrom: ana@example.org\nSubject: Broken\nMessage-ID: <broken@example.org>\nContent-Type: multipart/mixed; boundary=\"abc\"\n\n--xyz\nContent-Type: text/plain\n\nLost text.\n--xyz--\n\n";
    let mbox = format!(
        "{}{broken}{}",
        mbox_entry("a@example.org", "First", "One."),
        mbox_entry("c@example.org", "Third", "Three.")
    );
    ws.write("box.mbox", mbox);
    let output = ws.run(&["index", path_str(&ws.corpus())]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    let lines: Vec<&str> = err
        .lines()
        .filter(|line| line.contains("boundary"))
        .collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("box.mbox:9"), "{err}");
    assert!(lines[0].contains("damaged MIME message"), "{err}");
    let mut all = ids(&ws.search("*", &[]));
    all.sort();
    assert_eq!(all, ["a@example.org", "c@example.org"]);
}

#[test]
fn an_appended_mbox_adds_only_its_new_messages() {
    let ws = Workspace::new();
    let first = format!(
        "{}{}",
        mbox_entry("a@example.org", "First", "One."),
        mbox_entry("b@example.org", "Second", "Two.")
    );
    let path = ws.write("box.mbox", &first);
    let (report, code) = ws.index_corpus();
    assert_eq!((report["added"].as_u64(), code), (Some(2), 0), "{report}");
    let indexed_before = show(&ws, "a@example.org")["indexed"].clone();
    let appended = format!("{first}{}", mbox_entry("c@example.org", "Third", "Three."));
    std::fs::write(&path, appended).expect("appended");
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["added"].as_u64(), Some(1), "{report}");
    assert_eq!(report["unchanged"].as_u64(), Some(2), "{report}");
    assert_eq!(report["updated"].as_u64(), Some(0), "{report}");
    assert_eq!(report["documents"].as_u64(), Some(3), "{report}");
    assert_eq!(show(&ws, "a@example.org")["indexed"], indexed_before);
    // A message removed from the box leaves the index; an edited one is updated (a message whose
    // place moved is updated too: its line is part of what `show` gives).
    let edited = format!(
        "{}{}",
        mbox_entry("a@example.org", "First", "One, edited."),
        mbox_entry("b@example.org", "Second", "Two.")
    );
    std::fs::write(&path, edited).expect("rewritten");
    let (report, _) = ws.index_corpus();
    assert_eq!(
        (
            report["updated"].as_u64(),
            report["removed"].as_u64(),
            report["unchanged"].as_u64()
        ),
        (Some(1), Some(1), Some(1)),
        "{report}"
    );
    let mut all = ids(&ws.search("*", &[]));
    all.sort();
    assert_eq!(all, ["a@example.org", "b@example.org"]);
    assert_eq!(ids(&ws.search("edited", &[])), ["a@example.org"]);
}

#[test]
fn a_message_with_three_charsets_is_read_whole() {
    let ws = Workspace::new();
    let raw = "From: =?UTF-8?Q?Jos=C3=A9?= <jose@example.org>\nSubject: =?ISO-8859-1?Q?Exportaci=F3n?=\nMessage-ID: <cs@example.org>\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nLa exportaci=C3=B3n sigue.\n--b\nContent-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: base64\n\nk0dhc3RvcyCAIDUwMJQ=\n--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"informe.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b--\n";
    ws.write("cs.eml", raw);
    let (report, code) = ws.index_corpus();
    assert_eq!(code, 0, "{report}");
    let shown = show(&ws, "cs@example.org");
    assert_eq!(shown["title"].as_str(), Some("Exportación"));
    let body = shown["body"].as_str().unwrap_or_default();
    assert!(
        body.contains("La exportación sigue.") && body.contains("Gastos € 500"),
        "{body}"
    );
    assert_eq!(
        shown["metadata"]["fields"]["attachments"].as_str(),
        Some("informe.pdf")
    );
    assert!(ids(&ws.search("JVBERi0xLjQK", &[])).is_empty());
}

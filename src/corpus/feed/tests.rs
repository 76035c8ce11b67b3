//! Unit tests of the feed reader, on feeds written here.

use super::*;
use crate::corpus::testutil::{read_bytes, read_one, Collect};

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Diario de Prueba</title>
  <link>https://diario.test/</link>
  <language>es-ES</language>
  <item>
    <title>Controles a la exportación de chips</title>
    <link>https://diario.test/2025/05/controles</link>
    <guid isPermaLink="false">diario-2025-0515-1</guid>
    <pubDate>Thu, 15 May 2025 09:30:00 +0200</pubDate>
    <category>Tecnología</category>
    <category>Geopolítica</category>
    <description>Resumen corto.</description>
    <content:encoded><![CDATA[<p>Primer <b>párrafo</b>.</p><p>Segundo &amp; último.</p><script>no()</script>]]></content:encoded>
  </item>
  <item>
    <title>Sin guid pero con enlace</title>
    <link>https://diario.test/2025/05/enlace</link>
    <description>&lt;p&gt;Texto en &lt;i&gt;HTML&lt;/i&gt; escapado.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Ni guid ni enlace</title>
    <pubDate>Fri, 16 May 2025 10:00:00 GMT</pubDate>
    <description>Solo texto.</description>
  </item>
</channel>
</rss>
"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Wire Test</title>
  <id>urn:wire:test</id>
  <updated>2025-05-16T12:00:00Z</updated>
  <entry>
    <title type="html">Tencent &lt;b&gt;stockpile&lt;/b&gt;</title>
    <id>urn:wire:1</id>
    <link rel="alternate" href="https://wire.test/1"/>
    <link rel="enclosure" href="https://wire.test/1.mp3"/>
    <updated>2025-05-16T08:00:00Z</updated>
    <author><name>Ana Ruiz</name></author>
    <category term="chips" label="AI chips"/>
    <summary>Only a summary.</summary>
  </entry>
</feed>
"#;

const JSON_FEED: &str = r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "JSON Desk",
  "language": "en",
  "items": [
    {"id": "j1", "url": "https://json.test/1", "title": "First", "content_html": "<p>Body one</p>",
     "date_published": "2025-05-15T10:00:00Z", "tags": ["export controls"]},
    {"id": "j2", "title": "Second", "content_text": "Body two", "date_modified": "2025-05-17T10:00:00Z"}
  ]
}"#;

fn read(name: &str, text: &str) -> Collect {
    read_one(name, text.as_bytes())
}

#[test]
fn rss_items_become_documents() {
    let sink = read("news.rss", RSS);
    assert!(sink.skipped.is_empty(), "{:?}", sink.skipped);
    assert_eq!(sink.docs.len(), 3);
    let first = &sink.docs[0];
    assert_eq!(first.id, "diario-2025-0515-1");
    assert_eq!(
        first.title.as_deref(),
        Some("Controles a la exportación de chips")
    );
    assert_eq!(first.body, "Primer párrafo.\n\nSegundo & último.");
    assert_eq!(
        first.url.as_deref(),
        Some("https://diario.test/2025/05/controles")
    );
    assert_eq!(first.date_raw.as_deref(), Some("2025-05-15T07:30:00Z"));
    assert_eq!(first.date_key.as_deref(), Some("published"));
    assert_eq!(first.tags, vec!["Tecnología", "Geopolítica"]);
    assert_eq!(first.source.as_deref(), Some("Diario de Prueba"));
    assert_eq!(first.lang.as_deref(), Some("es"));

    let second = &sink.docs[1];
    assert_eq!(second.id, "https://diario.test/2025/05/enlace");
    assert_eq!(second.body, "Texto en HTML escapado.");
    assert_eq!(second.date_raw, None);

    let third = &sink.docs[2];
    assert!(third.id.starts_with(&path_id(&third.path)), "{}", third.id);
    assert!(!crate::corpus::has_own_id(third));
}

#[test]
fn ids_without_guid_or_link_stay_put_when_the_feed_grows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = crate::corpus::ReadOptions::default();
    let before = read_bytes(&dir, "news.rss", RSS.as_bytes(), &options);
    let grown = RSS.replace(
        "<channel>\n  <title>Diario de Prueba</title>",
        "<channel>\n  <title>Diario de Prueba</title>\n  <item><title>Nueva</title><description>nueva</description></item>",
    );
    let after = read_bytes(&dir, "news.rss", grown.as_bytes(), &options);
    assert_eq!(after.docs.len(), 4);
    let ids = |sink: &Collect| {
        sink.docs
            .iter()
            .map(|doc| doc.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&after)[1..], ids(&before)[..]);
}

#[test]
fn atom_entries_use_alternate_link_summary_and_authors() {
    let sink = read("wire.atom", ATOM);
    assert!(sink.skipped.is_empty(), "{:?}", sink.skipped);
    let doc = &sink.docs[0];
    assert_eq!(doc.id, "urn:wire:1");
    assert_eq!(doc.title.as_deref(), Some("Tencent stockpile"));
    assert_eq!(doc.body, "Only a summary.");
    assert_eq!(doc.url.as_deref(), Some("https://wire.test/1"));
    assert_eq!(doc.date_raw.as_deref(), Some("2025-05-16T08:00:00Z"));
    assert_eq!(doc.date_key.as_deref(), Some("updated"));
    assert_eq!(doc.tags, vec!["AI chips"]);
    assert_eq!(doc.source.as_deref(), Some("Wire Test"));
    assert_eq!(
        doc.metadata,
        vec![("author".to_owned(), "Ana Ruiz".to_owned())]
    );
}

#[test]
fn json_feed_is_told_from_other_json_by_its_version() {
    assert!(is_json_feed(JSON_FEED));
    assert!(is_json_feed(
        "{\"title\":\"x\",\n \"version\" :  \"https://jsonfeed.org/version/1\"}"
    ));
    assert!(!is_json_feed(
        "{\"version\": \"1.1\", \"url\": \"https://jsonfeed.org/version/1\"}"
    ));
    assert!(!is_json_feed(
        "[{\"version\": \"https://jsonfeed.org/version/1\"}]"
    ));
    let sink = read("desk.json", JSON_FEED);
    assert!(sink.skipped.is_empty(), "{:?}", sink.skipped);
    assert_eq!(sink.docs.len(), 2);
    assert_eq!(sink.docs[0].id, "j1");
    assert_eq!(sink.docs[0].body, "Body one");
    assert_eq!(sink.docs[0].tags, vec!["export controls"]);
    assert_eq!(sink.docs[1].body, "Body two");
    assert_eq!(sink.docs[1].date_key.as_deref(), Some("updated"));
    // Other JSON is still read as records.
    let plain = read("plain.json", "{\"title\":\"A record\",\"text\":\"body\"}");
    assert_eq!(plain.docs[0].title.as_deref(), Some("A record"));
}

#[test]
fn a_broken_rss_item_costs_that_item_only() {
    let broken = RSS.replace(
        "<title>Sin guid pero con enlace</title>",
        "<title>Sin guid pero con enlace</titel>",
    );
    let sink = read("news.rss", &broken);
    assert_eq!(sink.docs.len(), 2, "{:?}", sink.skipped);
    assert_eq!(sink.skipped.len(), 1, "{:?}", sink.skipped);
    let problem = &sink.skipped[0];
    assert_eq!(problem.line, Some(18), "{problem}");
    assert!(
        problem.reason.starts_with("item 2 is not valid ("),
        "{problem}"
    );
    assert!(
        problem.reason.ends_with("the other items were read"),
        "{problem}"
    );
    assert_eq!(sink.docs[1].title.as_deref(), Some("Ni guid ni enlace"));
}

#[test]
fn a_broken_json_feed_item_costs_that_item_only() {
    let broken = JSON_FEED.replace("\"title\": \"Second\"", "\"title\": 42");
    let sink = read("desk.json", &broken);
    assert_eq!(sink.docs.len(), 1, "{:?}", sink.skipped);
    assert_eq!(sink.skipped.len(), 1);
    assert!(
        sink.skipped[0].reason.starts_with("item 2 is not valid"),
        "{:?}",
        sink.skipped
    );
}

#[test]
fn an_item_without_title_or_text_is_reported() {
    let feed = "<rss version=\"2.0\"><channel><title>T</title>\
        <item><title>Kept</title></item><item><link>https://x.test/</link></item></channel></rss>";
    let sink = read("a.rss", feed);
    assert_eq!(sink.docs.len(), 1);
    assert_eq!(
        sink.skipped[0].reason,
        "item 2 has no title or text, so it was left out"
    );
}

#[test]
fn xml_that_is_no_feed_is_unsupported_not_an_error() {
    let sink = read(
        "config.xml",
        "<?xml version=\"1.0\"?>\n<config><a/></config>",
    );
    assert!(sink.docs.is_empty());
    assert!(sink.skipped.is_empty());
    assert_eq!(
        sink.warnings[0].reason,
        "unsupported XML file (its root element is <config>); only RSS and Atom feeds are read from .xml files"
    );
    let feed = read("feed.xml", ATOM);
    assert_eq!(feed.docs.len(), 1);
    let wrong = read("wrong.rss", "<html><body>x</body></html>");
    assert!(wrong.skipped[0]
        .reason
        .starts_with("not an RSS, Atom or JSON feed"));
}

#[test]
fn sniffing_skips_prolog_comments_and_doctype() {
    assert_eq!(
        sniff(b"\xEF\xBB\xBF<?xml version='1.0'?><!DOCTYPE rss><rss>"),
        Ok(FeedKind::Rss)
    );
    assert_eq!(sniff(b"<rdf:RDF xmlns:rdf='x'>"), Ok(FeedKind::Rss));
    assert_eq!(sniff(b"  <atom:feed xmlns:atom='x'>"), Ok(FeedKind::Atom));
    assert_eq!(sniff(b"{\"items\":[]}"), Ok(FeedKind::Json));
    assert_eq!(sniff(b"plain text"), Err(None));
    assert_eq!(sniff(b"<svg width='1'/>"), Err(Some("svg".to_owned())));
}

#[test]
fn garbage_in_a_feed_file_is_one_problem() {
    let sink = read("a.rss", "<rss version=\"2.0\"><channel><title>T</ti");
    assert!(sink.docs.is_empty());
    assert_eq!(sink.skipped.len(), 1, "{:?}", sink.skipped);
    assert!(sink.skipped[0].reason.starts_with("not a readable feed"));
    let empty = read("b.atom", "");
    assert_eq!(empty.skipped[0].reason, "empty file");
}

//! Turns a Markdown body into the plain text a reader sees, so that Markdown's own syntax — heading
//! and emphasis marks, code fences and their info strings, link and image URLs, HTML comments and
//! tags — is never indexed, matched as a topic, or shown in a snippet. A leading level-1 heading is
//! handed back apart, as the title candidate.
//!
//! pulldown-cmark parses the CommonMark (with tables and strikethrough); it never fails, so any
//! text reads. Kept: the words of paragraphs, headings, list items, quotes, table cells, code (a
//! code block line by line), link text and image descriptions. Line breaks inside a paragraph stay
//! line breaks, as the dates reader looks for datelines at the start of a line.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::plain::TextBuilder;

/// A Markdown body as plain text.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct PlainMarkdown {
    /// The text of a level-1 heading that is the body's first block.
    pub heading: Option<String>,
    /// The text after that heading (the whole text when there is none).
    pub rest: String,
}

/// The plain text of a Markdown body.
pub(crate) fn plain(markdown: &str) -> PlainMarkdown {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut rest = TextBuilder::default();
    let mut heading: Option<TextBuilder> = None;
    let mut heading_done = false;
    let mut first_block = true;
    let mut in_code_block = false;
    let mut in_comment = false;
    for event in Parser::new_ext(markdown, options) {
        let in_heading = heading.is_some() && !heading_done;
        let out = match (&mut heading, in_heading) {
            (Some(builder), true) => builder,
            _ => &mut rest,
        };
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if first_block => {
                first_block = false;
                heading = Some(TextBuilder::default());
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) if in_heading => heading_done = true,
            Event::Start(tag) => {
                first_block = false;
                match tag {
                    Tag::CodeBlock(_) => {
                        in_code_block = true;
                        out.paragraph_break();
                    }
                    Tag::Item | Tag::TableRow | Tag::TableHead => out.line_break(),
                    Tag::TableCell => out.space(),
                    Tag::Paragraph
                    | Tag::Heading { .. }
                    | Tag::BlockQuote(_)
                    | Tag::List(_)
                    | Tag::Table(_)
                    | Tag::HtmlBlock => out.paragraph_break(),
                    _ => {}
                }
            }
            Event::End(tag) => match tag {
                TagEnd::CodeBlock => {
                    in_code_block = false;
                    out.paragraph_break();
                }
                TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead => out.line_break(),
                TagEnd::TableCell => out.space(),
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Table
                | TagEnd::HtmlBlock => out.paragraph_break(),
                _ => {}
            },
            Event::Text(text) if in_code_block => {
                let mut lines = text.split('\n').peekable();
                while let Some(line) = lines.next() {
                    out.push_text(line);
                    if lines.peek().is_some() {
                        out.line_break();
                    }
                }
            }
            Event::Text(text) | Event::Code(text) => out.push_text(&text),
            Event::InlineMath(text) | Event::DisplayMath(text) => out.push_text(&text),
            Event::Html(html) | Event::InlineHtml(html) => {
                out.push_text(&html_text(&html, &mut in_comment));
                if html.ends_with('\n') {
                    out.line_break();
                }
            }
            Event::SoftBreak | Event::HardBreak => out.line_break(),
            Event::Rule => {
                first_block = false;
                out.paragraph_break();
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }
    PlainMarkdown {
        heading: heading
            .map(TextBuilder::finish)
            .filter(|text| !text.is_empty()),
        rest: rest.finish(),
    }
}

/// The text of raw HTML in Markdown: tags dropped, comments (which may span several pieces, hence
/// `in_comment`) dropped with everything inside them.
fn html_text(html: &str, in_comment: &mut bool) -> String {
    let mut text = String::new();
    let mut rest = html;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    *in_comment = false;
                    rest = &rest[end + 3..];
                }
                None => return text,
            }
        }
        let comment = rest.find("<!--");
        let tag = rest.find('<');
        match (comment, tag) {
            (Some(start), Some(tag)) if start == tag => {
                text.push_str(&rest[..start]);
                *in_comment = true;
                rest = &rest[start + 4..];
            }
            (_, Some(start)) => {
                text.push_str(&rest[..start]);
                match rest[start..].find('>') {
                    Some(end) => rest = &rest[start + end + 1..],
                    None => return text,
                }
            }
            (_, None) => {
                text.push_str(rest);
                return text;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_is_kept_out_and_words_kept_in() {
        let markdown = "# Controles *nuevos*\n\nTexto con **negrita**, _cursiva_ y un \
            [enlace](https://ejemplo.test/secreto \"t\").\nSegunda línea con `código`.\n\n\
            ```rust\nlet chips = 20;\n```\n\n![gráfico de ventas](img/ventas.png)\n\n\
            <!-- nota interna\n que no se indexa -->\n\n## Sección\n\n- uno\n- dos <b>tres</b>\n";
        let plain = plain(markdown);
        assert_eq!(plain.heading.as_deref(), Some("Controles nuevos"));
        assert_eq!(
            plain.rest,
            "Texto con negrita, cursiva y un enlace.\nSegunda línea con código.\n\n\
             let chips = 20;\n\ngráfico de ventas\n\nSección\n\nuno\ndos tres"
        );
    }

    #[test]
    fn a_heading_after_text_is_not_the_title() {
        let plain = plain("Intro line\n\n# Later heading\n");
        assert_eq!(plain.heading, None);
        assert_eq!(plain.rest, "Intro line\n\nLater heading");
        let setext = super::plain("Título\n======\n\nCuerpo.");
        assert_eq!(setext.heading.as_deref(), Some("Título"));
        assert_eq!(setext.rest, "Cuerpo.");
    }

    #[test]
    fn tables_read_row_by_row_and_comments_inline() {
        let plain = plain("| Empresa | Chip |\n|---|---|\n| Tencent | H20 |\n\nA <!-- x --> B");
        assert_eq!(plain.rest, "Empresa Chip\nTencent H20\n\nA B");
    }
}

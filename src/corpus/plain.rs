//! Plain text built piece by piece from a parsed document (HTML, Markdown, DOCX, ODT): runs of
//! whitespace collapse to one space, and paragraph and line breaks are kept where the document
//! had them, so that every reader hands enrichment and snippets the same shape of text.

/// Collects text with whitespace collapsed, keeping paragraph breaks.
#[derive(Debug, Default)]
pub(crate) struct TextBuilder {
    paragraphs: Vec<String>,
    current: String,
    pending_space: bool,
}

impl TextBuilder {
    pub(crate) fn push_text(&mut self, text: &str) {
        for ch in text.chars() {
            if ch.is_whitespace() {
                self.space();
            } else {
                if self.pending_space && !self.current.is_empty() && !self.current.ends_with('\n') {
                    self.current.push(' ');
                }
                self.pending_space = false;
                self.current.push(ch);
            }
        }
    }

    pub(crate) fn space(&mut self) {
        self.pending_space = true;
    }

    pub(crate) fn line_break(&mut self) {
        if !self.current.is_empty() && !self.current.ends_with('\n') {
            self.current.push('\n');
        }
        self.pending_space = false;
    }

    pub(crate) fn paragraph_break(&mut self) {
        let paragraph = self.current.trim();
        if !paragraph.is_empty() {
            self.paragraphs.push(paragraph.to_owned());
        }
        self.current.clear();
        self.pending_space = false;
    }

    pub(crate) fn finish(mut self) -> String {
        self.paragraph_break();
        self.paragraphs.join("\n\n")
    }
}

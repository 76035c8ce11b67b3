//! Terminal styling: bold and colour only when the output is a terminal and `NO_COLOR` is unset.

use std::io::IsTerminal;

/// Whether to emit ANSI styles on stdout.
pub fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
        && std::io::stdout().is_terminal()
}

/// A pair of ANSI sequences around a piece of text, or nothing when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    pub fn bold(self, text: &str) -> String {
        self.wrap("\x1b[1m", text)
    }

    pub fn dim(self, text: &str) -> String {
        self.wrap("\x1b[2m", text)
    }

    pub fn highlight(self) -> (&'static str, &'static str) {
        if self.on {
            ("\x1b[1;33m", "\x1b[0m")
        } else {
            ("[", "]")
        }
    }

    fn wrap(self, code: &str, text: &str) -> String {
        if self.on {
            format!("{code}{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

//! Text from the account (names, tags, descriptions, messages) and from the team's
//! files is untrusted: one module per output kind turns it into inert text of that
//! kind, and every renderer (`check`, `diff`, `gdpr`) goes through it.

pub mod html;
pub mod markdown;
pub mod terminal;
pub mod xml;

/// A character a reader does not see but a terminal or a text renderer acts on:
/// control characters (C0, DEL, C1) and the invisible formatting characters that
/// reorder or hide text (bidi embeddings, overrides and isolates, zero-width
/// characters, line and paragraph separators, the byte-order mark).
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// How a hidden character is shown: `\u{202e}`.
pub fn written_out(c: char) -> String {
    format!("\\u{{{:x}}}", u32::from(c))
}

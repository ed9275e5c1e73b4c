//! XML 1.0 (the JUnit report): text as XML may hold it. quick-xml escapes the
//! markup (`<`, `&`, quotes); this removes what XML can not hold at all.

use std::borrow::Cow;

/// Text as XML 1.0 may hold it: ANSI escape sequences (colours a resource name or a
/// tag could carry into a CI log viewer) and other control characters removed; tab,
/// newline and carriage return kept. quick-xml escapes the markup.
pub fn text(text: &str) -> Cow<'_, str> {
    // What XML 1.0 cannot hold at all; everything else is kept.
    let clean =
        |c: char| !matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if text.chars().all(clean) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // CSI: ESC [ parameters, intermediates, one final byte.
            '\u{1b}' if chars.peek() == Some(&'[') => {
                chars.next();
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
            }
            // OSC (links, titles): ESC ] text, ended by BEL or ESC \.
            '\u{1b}' if chars.peek() == Some(&']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            // Any other escape (ESC ( B, ESC 7): intermediates (space to /), a final character.
            '\u{1b}' => {
                while chars.next_if(|c| (' '..='/').contains(c)).is_some() {}
                chars.next();
            }
            c if clean(c) => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_ansi_escapes_are_removed() {
        assert!(matches!(text("plain ✗ <text> & \"quotes\""), Cow::Borrowed(_)));
        assert_eq!(text("\u{1b}[1;31mred\u{1b}[0m tab\tbell\u{7} nul\0 line\r\n"), "red tab\tbell nul line\r\n");
        assert_eq!(text("\u{1b}]8;;https://example.com\u{7}link\u{1b}]8;;\u{1b}\\ done"), "link done");
        assert_eq!(text("\u{1b}(Bx \u{fffe}cut \u{1b}["), "x cut ");
    }
}

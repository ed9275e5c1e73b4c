//! Terminal text (the checklist table, the drift and snapshot-diff text): untrusted
//! text is shown, never obeyed. Control characters (escape sequences that clear the
//! screen, retitle the window or hide a link, a bell, a newline inside a name) and the
//! invisible characters that reorder or hide text (bidi overrides, zero-width
//! characters) are written out as `\u{202e}`.

use std::borrow::Cow;

/// The text with every character a terminal would act on written out.
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(super::is_hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if super::is_hidden(c) {
            out.push_str(&super::written_out(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_bidi_are_written_out() {
        assert!(matches!(text("orders-api · /aws/lambda/x ✗"), Cow::Borrowed(_)));
        assert_eq!(text("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(text("\u{1b}]8;;https://x\u{7}link"), "\\u{1b}]8;;https://x\\u{7}link");
        assert_eq!(text("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(text("two\nlines\ttab\u{0}"), "two\\u{a}lines\\u{9}tab\\u{0}");
        assert_eq!(text("zero\u{200b}width\u{feff}"), "zero\\u{200b}width\\u{feff}");
    }
}

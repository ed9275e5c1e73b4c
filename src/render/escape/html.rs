//! HTML: text for an element's content or a quoted attribute.

/// HTML-escapes text for an element's content or a double- or single-quoted attribute.
/// Control and invisible reordering characters are written out (`\u{202e}`): a
/// browser would hide them or reverse the text that follows.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' | '\r' => out.push(ch),
            _ if super::is_hidden(ch) => out.push_str(&super::written_out(ch)),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            text(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert_eq!(text("arn:aws:lambda:eu-west-3:1:function:a"), "arn:aws:lambda:eu-west-3:1:function:a");
    }

    #[test]
    fn hidden_characters_are_written_out() {
        assert_eq!(text("evil\u{202e}gol.exe\u{1b}[2J\u{200b}"), "evil\\u{202e}gol.exe\\u{1b}[2J\\u{200b}");
        assert_eq!(text("two\nlines"), "two\nlines");
    }
}

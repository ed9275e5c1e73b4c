//! Markdown (CommonMark with GitHub's tables and extensions): untrusted text as
//! inline content that can not open a link, an image, raw HTML, emphasis, a table
//! cell or a code span of its own. One rule for every Markdown jalon writes: the
//! check report, the drift, `jalon diff` and the GDPR appendix.

/// Untrusted text as inline Markdown: on one line, with every character that could
/// start markup (emphasis, links, images, HTML, code, table cells, math, headings,
/// entities) backslash-escaped.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\n' | '\r' | '\t' => out.push(' '),
            _ if super::is_hidden(ch) => out.push_str(&super::written_out(ch)),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '$' | '#' | '!' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

/// Untrusted text as an inline code span, safe in a table cell: on one line, the
/// fence longer than any backtick run inside, and `|` escaped (GFM splits table
/// cells before it parses code spans, and unescapes `\|` inside them; outside a
/// table the backslash would show, see [`code`]).
pub fn table_code(s: &str) -> String {
    span(&one_line(s).replace('|', "\\|"))
}

/// Untrusted text as an inline code span outside a table: on one line, the fence
/// longer than any backtick run inside.
pub fn code(s: &str) -> String {
    span(&one_line(s))
}

/// On one line, and without the characters a reader can not see (bidi overrides that
/// reverse what follows, zero-width characters, escapes): those are written out.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            _ if super::is_hidden(c) => out.push_str(&super::written_out(c)),
            _ => out.push(c),
        }
    }
    out
}

fn span(body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if body.starts_with('`') || body.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{body}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_everything_that_could_become_markup() {
        assert_eq!(text("a <script>alert(\"x\")</script>"), r#"a \<script\>alert("x")\</script\>"#);
        assert_eq!(text("[link](http://x) ![img](y)"), r"\[link\](http://x) \!\[img\](y)");
        assert_eq!(
            text("*bold* _it_ `code` a|b ~~s~~ $x$ #1 &amp;"),
            r"\*bold\* \_it\_ \`code\` a\|b \~\~s\~\~ \$x\$ \#1 \&amp;"
        );
        assert_eq!(text("two\nlines\r\n"), "two lines  ");
        assert_eq!(text(r"back\slash"), r"back\\slash");
    }

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(code("aws logs x"), "`aws logs x`");
        assert_eq!(table_code("a | b"), r"`a \| b`");
        assert_eq!(code("a | b"), "`a | b`");
        assert_eq!(code("echo `date`"), "`` echo `date` ``");
        assert_eq!(code("``x``"), "``` ``x`` ```");
        assert_eq!(code("multi\nline"), "`multi line`");
    }

    #[test]
    fn hidden_characters_are_written_out() {
        assert_eq!(text("evil\u{202e}gol.exe\u{1b}[2J"), r"evil\u{202e}gol.exe\u{1b}\[2J");
        assert_eq!(code("evil\u{202e}gol.exe\u{200b}"), r"`evil\u{202e}gol.exe\u{200b}`");
    }
}

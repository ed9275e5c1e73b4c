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

fn one_line(s: &str) -> String {
    s.chars().map(|c| if matches!(c, '\n' | '\r' | '\t') { ' ' } else { c }).collect()
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
}

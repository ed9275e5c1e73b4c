//! Markdown (CommonMark with GitHub's tables and extensions): untrusted text as
//! inline content that can not open a link, an image, raw HTML, emphasis, a table
//! cell or a code span of its own. One rule for every Markdown jalon writes: the
//! check report, the drift, `jalon diff` and the GDPR appendix.

/// Untrusted text as inline Markdown: on one line, with every character that could
/// start markup (emphasis, links, images, HTML, code, table cells, math, headings,
/// entities) backslash-escaped, and the autolinks GitHub would make of bare text
/// (`https://…`, `www.…`, `name@host`) broken the same way: `https\://` reads the
/// same and links nowhere.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, ch) in s.char_indices() {
        match ch {
            '\n' | '\r' | '\t' => out.push(' '),
            _ if super::is_hidden(ch) => out.push_str(&super::written_out(ch)),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '$' | '#' | '!' | '@' => {
                out.push('\\');
                out.push(ch);
            }
            ':' if s[i + 1..].starts_with("//") => out.push_str("\\:"),
            '.' if starts_www(s, i) => out.push_str("\\."),
            _ => out.push(ch),
        }
    }
    out
}

/// Whether the `.` at `dot` ends a `www` that starts a word (GitHub's autolink).
fn starts_www(s: &str, dot: usize) -> bool {
    dot >= 3
        && s.get(dot - 3..dot).is_some_and(|w| w.eq_ignore_ascii_case("www"))
        && s[..dot - 3].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
}

/// Untrusted text as an inline code span, safe in a table cell: on one line, the
/// fence longer than any backtick run inside, and `|` escaped (GFM splits table
/// cells before it parses code spans, and unescapes `\|` inside them; outside a
/// table the backslash would show, see [`code`]).
/// Text inside an HTML block of a Markdown document (`<summary>…</summary>`): HTML-
/// escaped, on one line. A line break would let a blank line end the block, and
/// whatever follows it would be read as Markdown.
pub fn html_line(s: &str) -> String {
    super::html::text(s).replace(['\n', '\r', '\t'], " ")
}

pub fn table_code(s: &str) -> String {
    span(&one_line(s).replace('|', "\\|"))
}

/// Untrusted text as an inline code span outside a table: on one line, the fence
/// longer than any backtick run inside.
pub fn code(s: &str) -> String {
    span(&one_line(s))
}

/// Untrusted lines as a fenced code block: the fence longer than any run of
/// backticks in the body (at least three), so no line of it can close the block;
/// inside, nothing is markup and nothing links.
pub fn fenced(body: &str, info: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    let newline = if body.ends_with('\n') { "" } else { "\n" };
    format!("{fence}{info}\n{body}{newline}{fence}\n")
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
        assert_eq!(text("[link](http://x) ![img](y)"), r"\[link\](http\://x) \!\[img\](y)");
        assert_eq!(
            text("*bold* _it_ `code` a|b ~~s~~ $x$ #1 &amp;"),
            r"\*bold\* \_it\_ \`code\` a\|b \~\~s\~\~ \$x\$ \#1 \&amp;"
        );
        assert_eq!(text("two\nlines\r\n"), "two lines  ");
        assert_eq!(text(r"back\slash"), r"back\\slash");
    }

    #[test]
    fn html_lines_stay_one_line_of_text() {
        assert_eq!(html_line("a\n\n![x](http://e)\r<b>"), "a  ![x](http://e) &lt;b&gt;");
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
    fn a_fenced_block_can_not_be_closed_from_inside() {
        assert_eq!(fenced("a\nb\n", "text"), "```text\na\nb\n```\n");
        let hostile = "x ``` y\n~~~~\n````` z";
        assert_eq!(fenced(hostile, ""), format!("``````\n{hostile}\n``````\n"));
    }

    #[test]
    fn bare_urls_and_addresses_do_not_become_links() {
        assert_eq!(text("see https://evil.example/x"), r"see https\://evil.example/x");
        assert_eq!(text("WWW.evil.example and awww.no"), r"WWW\.evil.example and awww.no");
        assert_eq!(text("mail ops@evil.example"), r"mail ops\@evil.example");
        assert_eq!(text("arn:aws:logs:eu-west-3:1:log-group:/a"), "arn:aws:logs:eu-west-3:1:log-group:/a");
    }

    #[test]
    fn hidden_characters_are_written_out() {
        assert_eq!(text("evil\u{202e}gol.exe\u{1b}[2J"), r"evil\u{202e}gol.exe\u{1b}\[2J");
        assert_eq!(code("evil\u{202e}gol.exe\u{200b}"), r"`evil\u{202e}gol.exe\u{200b}`");
    }
}

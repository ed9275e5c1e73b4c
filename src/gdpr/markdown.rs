//! The appendix as Markdown (CommonMark with GitHub tables).

use super::doc::{is_safe_url, Block, Document, Inline};
use crate::result::Verdict;

pub fn render(doc: &Document) -> String {
    let mut out = format!("# {}\n", escape(&doc.title));
    for block in &doc.blocks {
        out.push('\n');
        match block {
            Block::Heading(level, title) => {
                out.push_str(&format!("{} {}\n", "#".repeat(usize::from(*level)), escape(title)));
            }
            Block::Para(inlines) => {
                out.push_str(&inline(inlines, false));
                out.push('\n');
            }
            Block::Bullets(items) => {
                for item in items {
                    out.push_str(&format!("- {}\n", inline(item, false)));
                }
            }
            Block::Table { header, rows } => {
                let cells = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
                out.push_str(&cells(header.iter().map(|h| escape(h)).collect()));
                out.push_str(&cells(header.iter().map(|_| "---".to_string()).collect()));
                for row in rows {
                    out.push_str(&cells(row.iter().map(|c| inline(c, true)).collect()));
                }
            }
            Block::Gap(inlines) => {
                out.push_str(&format!("> **Gap:** {}\n", inline(inlines, false)));
            }
        }
    }
    out
}

fn inline(inlines: &[Inline], in_table: bool) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text(s) => out.push_str(&escape(s)),
            Inline::Code(s) => out.push_str(&code(s, in_table)),
            Inline::Strong(s) => out.push_str(&format!("**{}**", escape(s))),
            Inline::Em(s) => out.push_str(&format!("_{}_", escape(s))),
            Inline::Link { text, url } if is_safe_url(url) => {
                let url = url.replace('(', "%28").replace(')', "%29");
                out.push_str(&format!("[{}]({url})", escape(text)));
            }
            Inline::Link { text, .. } => out.push_str(&escape(text)),
            Inline::Missing(field) => out
                .push_str(&format!("**missing**: _not declared in the processing record_ ({})", code(field, in_table))),
            Inline::Verdict(v) if *v == Verdict::Fail => out.push_str("**FAIL**"),
            Inline::Verdict(v) => out.push_str(v.as_str()),
        }
    }
    out
}

/// Text as Markdown: whitespace collapsed (one line), markup characters escaped.
/// An underscore inside a word (`NOT_APPLICABLE`) is not markup and stays as is.
pub fn escape(text: &str) -> String {
    let chars: Vec<char> = collapse(text).chars().collect();
    let mut out = String::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let word = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|c| c.is_alphanumeric());
        let escaped = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' => true,
            '_' => !(word(i.checked_sub(1)) && word(Some(i + 1))),
            '#' => i == 0,
            _ => false,
        };
        if escaped {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Every run of whitespace (newlines included) as one space, kept at the ends too:
/// inline pieces are concatenated.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// A code span fenced with more backticks than it contains; `|` escaped in tables.
fn code(text: &str, in_table: bool) -> String {
    let text = collapse(text.trim());
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    let body = if in_table { text.replace('|', "\\|") } else { text };
    format!("{fence}{pad}{body}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_but_stays_readable() {
        assert_eq!(escape("NOT_APPLICABLE"), "NOT_APPLICABLE");
        assert_eq!(escape("_x_ *y* [z](u) a|b <b>"), "\\_x\\_ \\*y\\* \\[z\\](u) a\\|b \\<b\\>");
        assert_eq!(escape("# not a heading\nsecond line "), "\\# not a heading second line ");
        assert_eq!(code("a`b", false), "``a`b``");
        assert_eq!(code("a|b", true), "`a\\|b`");
    }
}

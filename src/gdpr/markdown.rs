//! The appendix as Markdown (CommonMark with GitHub tables).

use super::doc::{is_safe_url, Block, Document, Inline};
use crate::render::escape::markdown::{code, table_code, text as escape};
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
            Inline::Code(s) => out.push_str(&code_span(s, in_table)),
            Inline::Strong(s) => out.push_str(&format!("**{}**", escape(s))),
            Inline::Em(s) => out.push_str(&format!("_{}_", escape(s))),
            Inline::Link { text, url } if is_safe_url(url) => {
                let url = url.replace('(', "%28").replace(')', "%29");
                out.push_str(&format!("[{}]({url})", escape(text)));
            }
            Inline::Link { text, .. } => out.push_str(&escape(text)),
            Inline::Missing(field) => out.push_str(&format!(
                "**missing**: _not declared in the processing record_ ({})",
                code_span(field, in_table)
            )),
            Inline::Verdict(v) if *v == Verdict::Fail => out.push_str("**FAIL**"),
            Inline::Verdict(v) => out.push_str(v.as_str()),
        }
    }
    out
}

fn code_span(s: &str, in_table: bool) -> String {
    if in_table {
        table_code(s)
    } else {
        code(s)
    }
}

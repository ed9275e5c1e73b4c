//! The appendix as one self-contained HTML file: no script, no external resource,
//! every piece of text escaped.

use super::doc::{is_safe_url, Block, Document, Inline};
use crate::render::escape::html::text as escape;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.5;color:#1b1f24;margin:0}\
main{max-width:72rem;margin:0 auto;padding:1.5rem 2rem 4rem}\
h1{font-size:1.7rem;border-bottom:2px solid #d0d7de;padding-bottom:.4rem}\
h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}\
h3{font-size:1.05rem;margin-top:1.4rem}\
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem;width:100%}\
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#f3f5f7}\
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.88em;background:#f3f5f7;padding:0 .2em;border-radius:3px;overflow-wrap:anywhere}\
.gap{border-left:4px solid #bf8700;background:#fff8e5;padding:.5rem .8rem;margin:.8rem 0}\
.missing{color:#a40e26}\
.v{font-weight:600;font-family:ui-monospace,monospace;font-size:.85em;padding:0 .3em;border-radius:3px}\
.v-PASS{color:#116329;background:#dafbe1}.v-FAIL{color:#a40e26;background:#ffebe9}\
.v-WAIVED,.v-PENDING{color:#7d4e00;background:#fff8c5}.v-UNKNOWN,.v-NEEDS_EVIDENCE{color:#6e40c9;background:#fbefff}\
.v-NOT_APPLICABLE{color:#57606a;background:#f3f5f7}\
@media print{main{max-width:none;padding:0}}";

pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&crate::render::html::content_security_policy(None));
    out.push('\n');
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n", escape(&doc.title)));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&doc.title)));
    for block in &doc.blocks {
        match block {
            Block::Heading(level, title) => {
                let id = slug(title);
                out.push_str(&format!("<h{level} id=\"{id}\">{}</h{level}>\n", escape(title)));
            }
            Block::Para(inlines) => out.push_str(&format!("<p>{}</p>\n", inline(inlines))),
            Block::Bullets(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", inline(item)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table { header, rows } => {
                out.push_str("<table>\n<thead><tr>");
                for h in header {
                    out.push_str(&format!("<th>{}</th>", escape(h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        out.push_str(&format!("<td>{}</td>", inline(cell)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Gap(inlines) => {
                out.push_str(&format!("<div class=\"gap\"><strong>Gap:</strong> {}</div>\n", inline(inlines)));
            }
        }
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn inline(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text(s) => out.push_str(&escape(s)),
            Inline::Code(s) => out.push_str(&format!("<code>{}</code>", escape(s))),
            Inline::Strong(s) => out.push_str(&format!("<strong>{}</strong>", escape(s))),
            Inline::Em(s) => out.push_str(&format!("<em>{}</em>", escape(s))),
            Inline::Link { text, url } if is_safe_url(url) => {
                out.push_str(&format!("<a href=\"{}\">{}</a>", escape(url), escape(text)))
            }
            Inline::Link { text, .. } => out.push_str(&escape(text)),
            Inline::Missing(field) => out.push_str(&format!(
                "<strong class=\"missing\">missing</strong>: <em>not declared in the processing record</em> (<code>{}</code>)",
                escape(field)
            )),
            Inline::Verdict(v) => out.push_str(&format!("<span class=\"v v-{0}\">{0}</span>", v.as_str())),
        }
    }
    out
}

fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gdpr::doc::{t, Inline};

    #[test]
    fn everything_is_escaped_and_only_safe_urls_link() {
        let doc = Document {
            title: "<script>".into(),
            blocks: vec![Block::Para(vec![
                t("a & b <i>"),
                Inline::Link { text: "x".into(), url: "javascript:alert(1)".into() },
                Inline::Link { text: "ok".into(), url: "https://example.com/?a=1&b=\"2\"".into() },
            ])],
        };
        let html = render(&doc);
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
        assert!(html.contains("a &amp; b &lt;i&gt;"));
        assert!(!html.contains("javascript:"));
        // The appendix has no script: its policy allows none, and loads nothing.
        assert!(html.contains("script-src 'none'") && html.contains("default-src 'none'"), "{html}");
        // A URL with a quote is not a safe link: text, escaped.
        assert!(!html.contains("<a href=\"https://example.com"));
        assert_eq!(slug("1. Controller, processor, DPO"), "1-controller-processor-dpo");
    }
}

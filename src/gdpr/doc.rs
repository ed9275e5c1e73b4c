//! A small document model the appendix is built in once, then rendered to
//! Markdown ([`super::markdown`]) and HTML ([`super::html`]), so that both say
//! exactly the same thing and every piece of text is escaped in one place.

use crate::result::Verdict;

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    /// Identifiers: ARNs, names, field paths, hashes.
    Code(String),
    Strong(String),
    Em(String),
    /// Rendered as a link only for http(s) and mailto URLs; as text otherwise.
    Link {
        text: String,
        url: String,
    },
    /// A fact the processing record does not declare: the field to fill in.
    Missing(String),
    Verdict(Verdict),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 2 (a section) or 3 (a subsection); the title is level 1.
    Heading(u8, String),
    Para(Vec<Inline>),
    Bullets(Vec<Vec<Inline>>),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// Evidence jalon does not have: said plainly, never filled in.
    Gap(Vec<Inline>),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// Shorthands for building inline content.
pub fn t(text: impl Into<String>) -> Inline {
    Inline::Text(text.into())
}

pub fn code(text: impl Into<String>) -> Inline {
    Inline::Code(text.into())
}

pub fn strong(text: impl Into<String>) -> Inline {
    Inline::Strong(text.into())
}

pub fn em(text: impl Into<String>) -> Inline {
    Inline::Em(text.into())
}

pub fn missing(field: impl Into<String>) -> Inline {
    Inline::Missing(field.into())
}

/// A declared value, or the missing marker naming its field.
pub fn fact(value: Option<&str>, field: &str) -> Vec<Inline> {
    match value {
        Some(v) => vec![text_or_link(v)],
        None => vec![missing(field)],
    }
}

/// A URL becomes a link; anything else stays text.
pub fn text_or_link(value: &str) -> Inline {
    if is_safe_url(value) {
        Inline::Link { text: value.to_string(), url: value.to_string() }
    } else {
        t(value)
    }
}

pub fn is_safe_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        && !value.chars().any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
}

impl Document {
    pub fn h2(&mut self, title: impl Into<String>) {
        self.blocks.push(Block::Heading(2, title.into()));
    }

    pub fn h3(&mut self, title: impl Into<String>) {
        self.blocks.push(Block::Heading(3, title.into()));
    }

    pub fn para(&mut self, inlines: Vec<Inline>) {
        self.blocks.push(Block::Para(inlines));
    }

    pub fn bullets(&mut self, items: Vec<Vec<Inline>>) {
        if !items.is_empty() {
            self.blocks.push(Block::Bullets(items));
        }
    }

    pub fn table(&mut self, header: &[&str], rows: Vec<Vec<Vec<Inline>>>) {
        self.blocks.push(Block::Table { header: header.iter().map(|h| h.to_string()).collect(), rows });
    }

    pub fn gap(&mut self, inlines: Vec<Inline>) {
        self.blocks.push(Block::Gap(inlines));
    }

    /// Every field the record leaves undeclared, in document order, without repeats.
    pub fn missing_fields(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut add = |inlines: &[Inline]| {
            for i in inlines {
                if let Inline::Missing(f) = i {
                    if !out.contains(f) {
                        out.push(f.clone());
                    }
                }
            }
        };
        for b in &self.blocks {
            match b {
                Block::Para(i) | Block::Gap(i) => add(i),
                Block::Bullets(items) => items.iter().for_each(|i| add(i)),
                Block::Table { rows, .. } => rows.iter().flatten().for_each(|i| add(i)),
                Block::Heading(..) => {}
            }
        }
        out
    }
}

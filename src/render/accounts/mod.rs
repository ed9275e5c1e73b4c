//! The reports of a run over several accounts (`check --snapshot DIR`): one document
//! per format, written account by account as each is judged. A writer gets each
//! account's part with that account's whole report (then dropped), and the run's
//! compact summary at the end ([`crate::result::summary`]).

pub mod csv;
pub mod html;
pub mod json;
pub mod junit;
pub mod lists;
pub mod markdown;
pub mod sarif;
pub mod table;

use std::io::{self, Write};

use crate::render::{Format, View};
use crate::result::summary::RunSummary;
use crate::snapshot::index::{IndexedAccount, LoadedIndex};

/// One account's part of the run: its entry in the index and its report in view.
pub struct AccountPart<'a> {
    pub entry: &'a IndexedAccount,
    pub view: &'a View<'a>,
}

/// A format's writer over a run: `begin`, `account` for each account in the index's
/// order, then `finish`.
pub trait AccountsWriter {
    fn begin(&mut self, _index: &LoadedIndex, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    fn account(&mut self, _part: &AccountPart, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, summary: &RunSummary, out: &mut dyn Write) -> io::Result<()>;
    /// What the reader of the terminal must know once the document is finished (the
    /// SARIF log left results out), unescaped.
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }
}

/// The writer of a format over several accounts, or why the format does not apply.
pub fn writer(
    format: Format,
    options: crate::render::Options,
) -> Result<Box<dyn AccountsWriter>, crate::error::JalonError> {
    Ok(match format {
        Format::Table => Box::new(table::Writer::new(options)),
        Format::Markdown => Box::new(markdown::Writer),
        Format::Json => Box::<json::Writer>::default(),
        Format::Sarif => Box::new(sarif::Writer::new(options)),
        Format::Junit => Box::new(junit::Writer),
        Format::Ocsf => Box::new(lists::Writer::new(lists::List::Ocsf)),
        Format::Asff => Box::new(lists::Writer::new(lists::List::Asff)),
        Format::Csv => Box::new(csv::Writer),
        Format::Html => Box::new(
            html::Writer::new().map_err(|e| crate::error::JalonError::io("a temporary file for the HTML page", e))?,
        ),
        // A script runs with one account's credentials: one script per account.
        Format::Fix => {
            return Err(crate::error::JalonError::Usage(
                "--format fix takes one account's snapshot: a fix script runs with one account's \
                 credentials, and a script for several would run every account's commands in whichever \
                 account the shell is signed in to. Run `jalon check --snapshot DIR/<account>.json --format fix` \
                 for each account"
                    .into(),
            ))
        }
    })
}

/// "111111111111 (production)", or the id alone: untrusted, escape it for the output.
pub fn account_label(id: &str, name: Option<&str>) -> String {
    match name.filter(|n| !n.trim().is_empty()) {
        Some(name) => format!("{id} ({name})"),
        None => id.to_string(),
    }
}

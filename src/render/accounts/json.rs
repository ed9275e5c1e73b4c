//! `--format json` over several accounts: one document,
//!
//! ```json
//! { "result_version": 1, "kind": "accounts", "tool": {…}, "index": {…},
//!   "accounts": [ { "account": { "id", "name", "status", "message" }, "exit_code": 1,
//!                   "result": <the account's check result, as one account's run writes it> } … ],
//!   "summary": { "accounts": […], "controls": […], "exit_code": 1, … } }
//! ```
//!
//! written account by account: each `result` as soon as the account is judged.

use std::io::{self, Write};

use serde::Serialize;

use super::{AccountPart, AccountsWriter};
use crate::result::summary::{IndexRef, RunSummary};
use crate::result::RESULT_VERSION;
use crate::snapshot::index::{AccountStatus, LoadedIndex};

use crate::result::accounts::KIND;

#[derive(Default)]
pub struct Writer {
    written: usize,
}

#[derive(Serialize)]
struct Head<'a> {
    result_version: u32,
    kind: &'static str,
    tool: crate::result::ToolRef,
    index: &'a IndexRef,
}

#[derive(Serialize)]
struct AccountRef<'a> {
    id: &'a str,
    name: Option<&'a str>,
    status: AccountStatus,
    message: Option<&'a str>,
}

impl AccountsWriter for Writer {
    fn begin(&mut self, index: &LoadedIndex, out: &mut dyn Write) -> io::Result<()> {
        let head = Head {
            result_version: RESULT_VERSION,
            kind: KIND,
            tool: crate::result::ToolRef { name: "jalon".into(), version: env!("CARGO_PKG_VERSION").into() },
            index: &IndexRef::of(index),
        };
        let text = serde_json::to_string_pretty(&head).map_err(io::Error::from)?;
        // The head's closing brace is left open: the accounts follow.
        out.write_all(text.trim_end().trim_end_matches('}').trim_end().as_bytes())?;
        out.write_all(b",\n  \"accounts\": [")
    }

    fn account(&mut self, part: &AccountPart, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
        self.written += 1;
        let entry = part.entry;
        let account = AccountRef {
            id: &entry.id,
            name: entry.name.as_deref(),
            status: entry.status,
            message: entry.message.as_deref(),
        };
        out.write_all(b"{\n\"account\": ")?;
        serde_json::to_writer(&mut *out, &account).map_err(io::Error::from)?;
        write!(out, ",\n\"exit_code\": {},\n\"result\": ", part.view.options.exit_code)?;
        crate::snapshot::format::to_writer(&mut *out, part.view.report).map_err(io::Error::from)?;
        out.write_all(b"\n}")
    }

    fn finish(&mut self, summary: &RunSummary, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"],\n  \"summary\": " } else { b"\n],\n  \"summary\": " })?;
        serde_json::to_writer_pretty(&mut *out, summary).map_err(io::Error::from)?;
        out.write_all(b"\n}\n")
    }
}

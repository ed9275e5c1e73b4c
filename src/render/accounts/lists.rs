//! `--format ocsf` and `--format asff` over several accounts: one JSON list, each
//! account's events or findings appended as it is judged. Every event's
//! `cloud.account.uid` and every finding's `AwsAccountId` is the account's own (from
//! its snapshot), never the caller's; the index's name for it is added as
//! `cloud.account.name` and `AwsAccountName` (cut to Security Hub's 50 characters).

use std::io::{self, Write};

use serde_json::Value;

use super::{AccountPart, AccountsWriter};
use crate::result::summary::RunSummary;
use crate::snapshot::index::LoadedIndex;

#[derive(Clone, Copy)]
pub enum List {
    Ocsf,
    Asff,
}

/// `AwsAccountName`'s longest value (the API model's).
const ASFF_ACCOUNT_NAME_MAX: usize = 50;

pub struct Writer {
    list: List,
    written: usize,
}

impl Writer {
    pub fn new(list: List) -> Writer {
        Writer { list, written: 0 }
    }

    fn write_item(&mut self, mut item: Value, name: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
        if let Some(name) = name.filter(|n| !n.trim().is_empty()) {
            match self.list {
                List::Ocsf => {
                    if let Some(account) = item.pointer_mut("/cloud/account").and_then(Value::as_object_mut) {
                        account.insert("name".into(), name.into());
                    }
                }
                List::Asff => {
                    if let Some(finding) = item.as_object_mut() {
                        let cut = crate::render::asff::cut(name, ASFF_ACCOUNT_NAME_MAX);
                        finding.insert("AwsAccountName".into(), cut.into());
                    }
                }
            }
        }
        out.write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
        self.written += 1;
        serde_json::to_writer_pretty(&mut *out, &item).map_err(io::Error::from)
    }
}

impl AccountsWriter for Writer {
    fn begin(&mut self, _index: &LoadedIndex, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"[")
    }

    fn account(&mut self, part: &AccountPart, out: &mut dyn Write) -> io::Result<()> {
        let name = part.entry.name.as_deref();
        match self.list {
            List::Ocsf => {
                for event in crate::render::ocsf::events(part.view) {
                    self.write_item(event, name, out)?;
                }
            }
            List::Asff => {
                for finding in crate::render::asff::findings(part.view) {
                    self.write_item(finding, name, out)?;
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &RunSummary, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"]\n" } else { b"\n]\n" })
    }
}

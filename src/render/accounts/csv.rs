//! `--format csv` over several accounts: one header, then each account's rows as it
//! is judged; the last column names the account.

use std::io::{self, Write};

use super::{AccountPart, AccountsWriter};
use crate::result::summary::RunSummary;
use crate::snapshot::index::LoadedIndex;

#[derive(Default)]
pub struct Writer;

impl AccountsWriter for Writer {
    fn begin(&mut self, _index: &LoadedIndex, out: &mut dyn Write) -> io::Result<()> {
        crate::render::csv::write_header(out)
    }

    fn account(&mut self, part: &AccountPart, out: &mut dyn Write) -> io::Result<()> {
        crate::render::csv::write_rows(part.view, out)
    }

    fn finish(&mut self, _summary: &RunSummary, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

//! `--format json`: the [`crate::result::CheckReport`] as is (documented in the
//! README, versioned by `result_version`). Every control, whatever the view.

use std::io::{self, Write};

use crate::render::View;

/// Streams the report (tens of MB on a large account: not built as a string first).
pub fn write(view: &View, out: &mut dyn Write) -> io::Result<()> {
    // Pretty, with arrays of numbers (the SLO charts) on one line.
    crate::snapshot::format::to_writer(&mut *out, view.report).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

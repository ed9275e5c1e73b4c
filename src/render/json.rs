//! `--format json`: the [`CheckReport`] as is (documented in the README, versioned
//! by `result_version`).

use std::io::{self, Write};

use crate::result::CheckReport;

/// Streams the report (some 50 MB at 100k resources: not built as a string first).
pub fn write(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

pub fn render(report: &CheckReport) -> String {
    let mut bytes = Vec::new();
    write(report, &mut bytes).expect("a report always serialises");
    String::from_utf8(bytes).expect("serde_json writes UTF-8")
}

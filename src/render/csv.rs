//! `--format csv`: one row per control and resource of the controls in view (one row
//! for a control without resources), for spreadsheets and quick `grep`s.
//!
//! Columns: control, title, phase, severity, verdict, due, resource, region, message,
//! fix, account (last, so that the columns before it keep their places; a run over
//! several accounts writes every account's rows under one header). The `csv` crate quotes as RFC 4180 says (a field with a comma, a quote or a
//! line break is quoted, a quote doubled). Resource names and messages come from the
//! account: a cell that a spreadsheet would read as a formula (one starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, the mark
//! spreadsheets show as text (OWASP's CSV-injection advice). The characters a reader
//! cannot see but a terminal or a viewer acts on (escape sequences, bidi overrides,
//! zero-width characters) are written out as `\u{1b}`, as in the table; line breaks
//! and tabs are kept, quoted.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::render::escape::{is_hidden, written_out};
use crate::render::{aws, remediation_for, View};
use crate::result::ControlResult;

pub const HEADER: [&str; 11] =
    ["control", "title", "phase", "severity", "verdict", "due", "resource", "region", "message", "fix", "account"];

/// Writes the rows of the controls in view.
pub fn write(view: &View, out: &mut dyn Write) -> io::Result<()> {
    write_header(out)?;
    write_rows(view, out)
}

/// The header row alone.
pub fn write_header(out: &mut dyn Write) -> io::Result<()> {
    let mut csv = writer(out);
    csv.write_record(HEADER).map_err(io::Error::from)?;
    csv.flush()
}

/// The rows of the controls in view, without the header.
pub fn write_rows(view: &View, out: &mut dyn Write) -> io::Result<()> {
    let mut csv = writer(out);
    let account = view.report.snapshot.account_id.as_str();
    for c in view.report.controls.iter().filter(|c| (view.shown)(c)) {
        if c.resources.is_empty() {
            row(&mut csv, c, c.verdict.as_str(), "", &c.summary(), &c.remediation, account)?;
        }
        for r in &c.resources {
            let fix = remediation_for(c, r);
            row(&mut csv, c, c.shown_verdict(r).as_str(), &r.id, &r.message, &fix, account)?;
        }
    }
    csv.flush()
}

fn writer(out: &mut dyn Write) -> ::csv::Writer<&mut dyn Write> {
    ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(out)
}

fn row(
    csv: &mut ::csv::Writer<&mut dyn Write>,
    c: &ControlResult,
    verdict: &str,
    resource: &str,
    message: &str,
    fix: &str,
    account: &str,
) -> io::Result<()> {
    let due = if c.due { "yes" } else { "no" };
    let region = aws::region_of(resource).unwrap_or_default();
    let cells =
        [&*c.id, &c.title, &c.phase_id, c.severity.as_str(), verdict, due, resource, region, message, fix, account];
    for text in cells {
        csv.write_field(cell(text).as_bytes()).map_err(io::Error::from)?;
    }
    // An empty record ends the one written field by field.
    csv.write_record(std::iter::empty::<&[u8]>()).map_err(io::Error::from)
}

/// A cell as it is written: hidden characters written out, then never a formula.
pub fn cell(text: &str) -> Cow<'_, str> {
    let visible = if text.chars().any(|c| is_hidden(c) && !matches!(c, '\n' | '\r' | '\t')) {
        let mut out = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            if is_hidden(c) && !matches!(c, '\n' | '\r' | '\t') {
                out.push_str(&written_out(c));
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    };
    match inert(&visible) {
        Cow::Owned(quoted) => Cow::Owned(quoted),
        Cow::Borrowed(_) => visible,
    }
}

/// The cell as a spreadsheet must read it: as text, never as a formula.
pub fn inert(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{to_string, Format};
    use crate::result::fixtures::sample_report;

    fn rows(text: &str) -> Vec<Vec<String>> {
        let mut reader = ::csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        reader.records().map(|r| r.expect("a CSV record").iter().map(String::from).collect()).collect()
    }

    #[test]
    fn one_row_per_resource_and_per_control_without_resources() {
        let text = to_string(Format::Csv, &sample_report(), &|_| true);
        let rows = rows(&text);
        assert_eq!(rows[0], HEADER);
        let summary: Vec<(&str, &str, &str)> =
            rows[1..].iter().map(|r| (r[0].as_str(), r[4].as_str(), r[7].as_str())).collect();
        assert_eq!(
            summary,
            [
                ("LOG-001", "FAIL", "eu-west-3"),
                ("LOG-001", "PASS", "eu-west-3"),
                ("ALM-001", "UNKNOWN", ""),
                ("OPS-003", "NEEDS_EVIDENCE", ""),
                // A failing resource of a control not due yet is PENDING, as everywhere.
                ("ALM-005", "PENDING", "eu-west-3"),
                ("ALM-005", "PASS", "eu-west-3"),
                ("DB-006", "WAIVED", "eu-west-3"),
                ("TRC-002", "PASS", ""),
                ("SEC-001", "NOT_APPLICABLE", ""),
            ]
        );
        // The note says why a control without resources has its verdict; the fix is filled.
        assert!(rows[3][8].starts_with("evidence incomplete: cloudwatch"), "{:?}", rows[3]);
        assert!(rows[1][9].contains("--log-group-name '/x/<script>"), "{:?}", rows[1]);
        assert!(text.contains("\r\n"), "RFC 4180 line ends");
    }

    #[test]
    fn a_hostile_cell_reads_back_whole_and_never_as_a_formula() {
        let mut report = sample_report();
        let name = "=HYPERLINK(\"http://evil.example\",\"click\"),\n\"a\",b\r\n";
        report.controls[0].resources[0].id = name.into();
        report.controls[0].resources[0].message = "+1, \"quoted\"\nnext line".into();
        report.controls[0].resources[1].message = "-2".into();
        let rows = rows(&to_string(Format::Csv, &report, &|_| true));
        assert_eq!(rows[1][6], format!("'{name}"));
        assert_eq!(rows[1][8], "'+1, \"quoted\"\nnext line");
        assert_eq!(rows[2][8], "'-2");
        for cell in rows.iter().flatten() {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?}");
        }
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\u{1b}[2J=x\u{202e}y\n\tz"), "\\u{1b}[2J=x\\u{202e}y\n\tz");
        assert_eq!(cell("=\u{7}"), "'=\\u{7}");
        assert_eq!(inert("\tx"), "'\tx");
        assert_eq!(inert("plain - text"), "plain - text");
    }
}

//! Rendering a [`CheckReport`]: one module per format, plus the drift and the
//! snapshot diff.

pub mod accounts;
pub mod asff;
pub mod aws;
pub mod chart;
pub mod csv;
pub mod drift;
pub mod escape;
pub mod fix_script;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod ocsf;
pub mod sarif;
pub mod snapshot_diff;
pub mod table;

use std::io::{self, Write};

use crate::result::{CheckReport, ControlResult, PhaseRef, ResourceResult, WaiverEntry};
use crate::snapshot::arn::{self, resource_name};

/// Output formats of `jalon check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    /// JUnit XML: one suite per phase, one test case per control and per resource.
    Junit,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
    /// A summary for a pull-request comment or a CI job summary.
    Markdown,
    /// One self-contained page with filters and the evidence per resource.
    Html,
    /// OCSF 1.6.0 Compliance Finding events (a JSON list), as Security Hub reads them.
    Ocsf,
    /// AWS Security Finding Format: the list `aws securityhub batch-import-findings
    /// --findings file://jalon.asff.json` takes (at most 100 a call).
    Asff,
    /// CSV for spreadsheets: one row per control and resource.
    Csv,
    /// `jalon-fix.sh`: the commands that fix every due failure, grouped by control.
    Fix,
}

/// What every format renders: the result, the controls in view, and the options
/// that shape some formats. Every format writes itself with the same call,
/// [`Format::write`].
pub struct View<'a> {
    pub report: &'a CheckReport,
    /// The controls in view (`--phase`). The JSON result holds every control.
    pub shown: &'a dyn Fn(&ControlResult) -> bool,
    pub options: Options,
}

/// What shapes some formats besides the result.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// ANSI colours in the table.
    pub color: bool,
    /// The table's width in columns; None: the table's default.
    pub width: Option<u16>,
    /// What `jalon check` exits with for this result (the SARIF log records it).
    pub exit_code: i32,
    /// At most this many SARIF results (0: no limit); see [`sarif`].
    pub sarif_max_results: usize,
    /// The table lists the passing controls instead of folding them to one line.
    pub show_passing: bool,
    /// Controls of the phase in view left out by `--severity`, and how many of them
    /// FAIL (the table says so: they still set the exit code).
    pub hidden_by_severity: usize,
    pub hidden_failing: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            color: false,
            width: None,
            exit_code: 0,
            sarif_max_results: sarif::GITHUB_MAX_RESULTS,
            show_passing: false,
            hidden_by_severity: 0,
            hidden_failing: 0,
        }
    }
}

impl Format {
    /// Writes the view in this format. The JSON, JUnit, SARIF, OCSF and ASFF outputs are streamed
    /// (tens of MB each on a large account), the others built first.
    pub fn write(self, view: &View, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Format::Table => table::write(view, out),
            Format::Json => json::write(view, out),
            Format::Junit => junit::write(view, out),
            Format::Sarif => sarif::write(view, out),
            Format::Markdown => markdown::write(view, out),
            Format::Html => html::write(view, out),
            Format::Ocsf => ocsf::write(view, out),
            Format::Asff => asff::write(view, out),
            Format::Csv => csv::write(view, out),
            Format::Fix => fix_script::write(view, out),
        }
    }

    /// File name used when several formats are written to a directory.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Table => "jalon.txt",
            Format::Json => "jalon.json",
            Format::Junit => "jalon.junit.xml",
            Format::Sarif => "jalon.sarif",
            Format::Markdown => "jalon.md",
            Format::Html => "jalon.html",
            Format::Ocsf => "jalon.ocsf.json",
            Format::Asff => "jalon.asff.json",
            Format::Csv => "jalon.csv",
            Format::Fix => "jalon-fix.sh",
        }
    }
}

/// How a report names a resource: its short name in a one-region snapshot (where
/// the name says it all), the full ARN otherwise.
pub fn display_name<'a>(report: &CheckReport, id: &'a str) -> &'a str {
    arn::label(id, report.snapshot.regions.len() <= 1)
}

/// "not due until J+7 (J+3 today)", or just "not due until J+7".
pub fn not_due_reason(report: &CheckReport, control: &ControlResult) -> String {
    match report.day {
        Some(day) => format!("not due until {} ({} today)", control.phase_id, day_label(day)),
        None => format!("not due until {}", control.phase_id),
    }
}

/// J+3, J-2.
pub fn day_label(day: i64) -> String {
    format!("J{day:+}")
}

/// Where a control's verdict comes from when it is not jalon's own policy: "the
/// team's policy teams/log_001.rego replaces the shipped LOG-001". None for a
/// shipped control.
pub fn team_policy_note(c: &ControlResult) -> Option<String> {
    if c.replaces_builtin {
        Some(format!("the team's policy {} replaces the shipped {}: this verdict is the team's", c.source, c.id))
    } else if c.source != crate::result::BUILTIN {
        Some(format!("the team's policy {}", c.source))
    } else {
        None
    }
}

/// For a phase judged before its day (the cutover-day phase of a pre-launch audit):
/// "due at cutover, in 3 days". None for every other phase.
pub fn due_ahead(report: &CheckReport, phase: &PhaseRef) -> Option<String> {
    let left = i64::from(phase.day) - report.day?;
    (phase.due && left > 0).then(|| {
        let when = if phase.day == 0 { "at cutover".to_string() } else { format!("on J+{}", phase.day) };
        format!("due {when}, in {left} day{}", if left == 1 { "" } else { "s" })
    })
}

/// Waivers whose control is in view (a waiver for an unknown control is always shown).
pub fn shown_waivers<'a>(
    report: &CheckReport,
    waivers: &'a [WaiverEntry],
    shown: &dyn Fn(&ControlResult) -> bool,
) -> Vec<&'a WaiverEntry> {
    waivers.iter().filter(|w| report.controls.iter().find(|c| c.id == w.control).is_none_or(shown)).collect()
}

/// A stable digest of a control and a resource id (SHA-256, hex): what keeps a
/// finding the same finding across runs in SARIF, OCSF and ASFF.
pub(crate) fn finding_digest(control: &str, resource: &str) -> String {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    hasher.update(control.as_bytes());
    hasher.update([0]);
    hasher.update(resource.as_bytes());
    hex::encode(hasher.finalize())
}

/// A link a report may point to: http or https only (a team's METADATA is untrusted).
pub(crate) fn is_web_link(uri: &str) -> bool {
    uri.starts_with("https://") || uri.starts_with("http://")
}

/// How to fix one resource, as every text report shows it: its commands (each value
/// quoted for POSIX shells, one a line) and their note; else its control's remediation
/// in words, with `{name}` and `{arn}` filled as text (a team's policy written before
/// `fix` may use them; shipped remediations hold none).
pub fn remediation_for(c: &ControlResult, resource: &ResourceResult) -> String {
    match &resource.fix {
        Some(fix) => {
            let mut lines = fix.commands.clone();
            if !fix.inputs.is_empty() {
                let names: Vec<&str> = fix.inputs.iter().map(|i| i.variable.as_str()).collect();
                lines.push(format!("(set first: {})", names.join(", ")));
            }
            if let Some(note) = &fix.note {
                lines.push(note.clone());
            }
            lines.join("\n")
        }
        None => c.remediation.replace("{name}", resource_name(&resource.id)).replace("{arn}", &resource.id),
    }
}

/// The view of every control, as a string: the renderers' unit tests read this.
#[cfg(test)]
pub(crate) fn to_string(format: Format, report: &CheckReport, shown: &dyn Fn(&ControlResult) -> bool) -> String {
    let view = View { report, shown, options: Options::default() };
    let mut bytes = Vec::new();
    format.write(&view, &mut bytes).expect("writing to memory does not fail");
    String::from_utf8(bytes).expect("every format is UTF-8")
}

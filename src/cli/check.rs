//! `jalon check`: evaluate a snapshot and print the checklist.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;

use crate::checklist;
use crate::cli::evaluate::EvaluationArgs;
use crate::cli::output;
use crate::cli::AwsArgs;
use crate::drift;
use crate::engine::Severity;
use crate::error::JalonError;
use crate::pipeline::{Evaluation, Evidence};
use crate::render::{self, Format};
use crate::result::{CheckReport, ControlResult};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// A snapshot from `jalon collect`; without it the account is collected now.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(flatten)]
    pub evaluation: EvaluationArgs,
    /// Judge as of this day or instant (default: when the snapshot was collected).
    #[arg(long, value_name = "DATE", value_parser = parse_instant)]
    pub as_of: Option<DateTime<Utc>>,
    /// Show only one phase: J+0, J+7 or J+30.
    #[arg(long, value_name = "PHASE")]
    pub phase: Option<String>,
    /// Output formats, comma separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "table")]
    pub format: Vec<Format>,
    /// Output file (one format) or directory (several formats).
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Exit 1 only for failures at or above this severity.
    #[arg(long, value_name = "SEVERITY", default_value = "low", value_parser = parse_severity)]
    pub fail_on: Severity,
    /// A previous `--format json` result: report what changed since (the drift) and
    /// exit 1 only on a regression, a control or resource newly FAILing at or above --fail-on.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// With --baseline: exit 1 on any failure at or above --fail-on, not only on regressions.
    #[arg(long, requires = "baseline")]
    pub fail_on_any: bool,
    /// Colour in the terminal table.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub color: String,
    /// SARIF: at most this many results, the reviews and the most severe failures
    /// first (0: no limit). GitHub code scanning rejects an upload with more than 25000.
    #[arg(long, value_name = "N", default_value_t = render::sarif::GITHUB_MAX_RESULTS)]
    pub sarif_max_results: usize,
}

pub(crate) fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    let at = match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(day) => day.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc(),
        Err(_) => DateTime::parse_from_rfc3339(text)
            .map(|d| d.with_timezone(&Utc))
            .map_err(|_| format!("expected YYYY-MM-DD or an RFC 3339 time, found {text:?}"))?,
    };
    crate::dates::check_instant(at)
}

pub(crate) fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::parse(text).ok_or_else(|| format!("expected critical, high, medium or low, found {text:?}"))
}

pub fn run(args: CheckArgs) -> Result<i32, JalonError> {
    // Only the report is kept: the rest is freed before the reports are written.
    let evidence = match &args.snapshot {
        Some(path) => Evidence::Snapshot(path.clone()),
        None => {
            let cutover = crate::cli::evaluate::cutover(args.evaluation.cutover, args.evaluation.config.as_deref())?;
            Evidence::Live(crate::cli::collect::options(&args.aws, cutover))
        }
    };
    let mut request = args.evaluation.request(evidence, args.as_of);
    request.phase = args.phase.clone();
    let Evaluation { mut report, .. } = crate::cli::evaluate::run(&request)?;
    let phase = args.phase.clone();
    let shown = move |c: &ControlResult| phase.as_ref().is_none_or(|p| c.phase_id.eq_ignore_ascii_case(p));
    if let Some(path) = &args.baseline {
        let baseline = crate::result::load_result(path)?;
        for warning in drift::baseline_mismatches(&baseline, &report) {
            eprintln!("jalon: warning: {}", crate::render::escape::terminal::text(&warning.message));
            report.warnings.push(warning);
        }
        let mut delta = drift::compare(&baseline, &report);
        delta.retain(|c| report.controls.iter().find(|r| r.id == c.id).is_none_or(&shown));
        report.drift = Some(delta);
    }
    let code = match &report.drift {
        Some(delta) if !args.fail_on_any => drift::exit_code(&report, delta, args.fail_on, &shown),
        _ => checklist::exit_code(&report, args.fail_on, &shown),
    };
    let _writing = crate::timings::stage("write reports");
    write_outputs(&report, &args, &shown, code)?;
    Ok(code)
}

/// On a terminal comfy-table measures it; elsewhere (pipes, files, CI logs) use
/// `COLUMNS` or a width that reads well in a log viewer.
fn table_width() -> Option<u16> {
    if std::io::stdout().is_terminal() {
        return None;
    }
    Some(std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(140))
}

/// One format: stdout, or `-o FILE`. Several: the table on stdout, the others
/// as files in `-o DIR` (default `reports/`).
fn write_outputs(
    report: &CheckReport,
    args: &CheckArgs,
    shown: &dyn Fn(&ControlResult) -> bool,
    exit_code: i32,
) -> Result<(), JalonError> {
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let options = render::Options { color, width: table_width(), exit_code, sarif_max_results: args.sarif_max_results };
    let view = render::View { report, shown, options };
    let file_view = render::View { report, shown, options: render::Options { color: false, ..options } };
    let mut formats = args.format.clone();
    formats.dedup();
    if formats.contains(&Format::Sarif) {
        let omitted = render::sarif::omitted_results(&view);
        if omitted > 0 {
            eprintln!(
                "jalon: warning: the SARIF log leaves out {omitted} results (--sarif-max-results {}); \
                 the JSON report lists every one",
                args.sarif_max_results
            );
        }
    }
    if let [format] = formats.as_slice() {
        return match &args.output {
            Some(path) => crate::files::write_whole(path, |out| format.write(&file_view, out)),
            None => output::to_stdout(|out| format.write(&view, out)),
        };
    }
    // Every file is rendered before any takes its name: a failure leaves the previous
    // set whole (crate::files).
    let dir = args.output.clone().unwrap_or_else(|| PathBuf::from("reports"));
    let mut files = crate::files::FileSet::new();
    for format in formats.iter().filter(|f| **f != Format::Table) {
        files.stage(&dir.join(format.file_name()), |out| format.write(&file_view, out))?;
    }
    for path in files.commit()? {
        eprintln!("wrote {}", path.display());
    }
    if formats.contains(&Format::Table) {
        output::to_stdout(|out| Format::Table.write(&view, out))?;
    }
    Ok(())
}

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
    /// A snapshot from `jalon collect`, or a snapshot directory (or its index.json) of
    /// several accounts; without it the account is collected now.
    #[arg(long, value_name = "PATH")]
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
    /// Colour in the terminal table: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub color: String,
    /// The table's width in columns (default: the terminal's, else $COLUMNS, else 120).
    #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(40..=1000))]
    pub width: Option<u16>,
    /// List the passing and not-applicable controls in the table (folded to one line by default).
    #[arg(long)]
    pub show_passing: bool,
    /// Evaluate only these controls: ids or globs, comma separated (`ALM-*,LOG-001`).
    #[arg(long, value_name = "ID,GLOB", value_delimiter = ',')]
    pub controls: Vec<String>,
    /// Do not evaluate these controls: ids or globs, comma separated.
    #[arg(long, value_name = "ID,GLOB", value_delimiter = ',')]
    pub skip_controls: Vec<String>,
    /// Show only controls of these severities (comma separated). A display filter: the
    /// exit code still follows --fail-on over every control.
    #[arg(long, value_name = "SEVERITY", value_delimiter = ',', value_parser = parse_severity)]
    pub severity: Vec<Severity>,
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
    // A snapshot directory, or its index: every account in it.
    if let Some(path) = args.snapshot.as_deref().filter(|p| crate::snapshot::index::is_index(p)) {
        return crate::cli::check_accounts::run(&args, path);
    }
    // Only the report is kept: the rest is freed before the reports are written.
    let evidence = match &args.snapshot {
        Some(path) => Evidence::Snapshot(path.clone()),
        None => {
            let cutover = crate::cli::evaluate::cutover(args.evaluation.cutover, args.evaluation.config.as_deref())?;
            Evidence::Live(crate::cli::collect::options(&args.aws, cutover))
        }
    };
    let selection =
        crate::selection::ControlSelection::parse(&args.controls, &args.skip_controls).map_err(JalonError::Usage)?;
    let mut request = args.evaluation.request(evidence, args.as_of);
    request.phase = args.phase.clone();
    request.files.selection = selection.clone();
    let Evaluation { mut report, .. } = crate::cli::evaluate::run(&request)?;
    // `--phase` narrows what is judged (the exit code too); `--severity` only what is shown.
    let phase = args.phase.clone();
    let in_phase = move |c: &ControlResult| phase.as_ref().is_none_or(|p| c.phase_id.eq_ignore_ascii_case(p));
    let severities = args.severity.clone();
    let shown = |c: &ControlResult| in_phase(c) && (severities.is_empty() || severities.contains(&c.severity));
    if let Some(path) = &args.baseline {
        let mut baseline = crate::result::load_result(path)?;
        // The controls left out of this run are not "gone" since the baseline.
        baseline.controls.retain(|c| selection.keeps(&c.id));
        for warning in drift::baseline_mismatches(&baseline, &report) {
            eprintln!("jalon: warning: {}", crate::render::escape::terminal::text(&warning.message));
            report.warnings.push(warning);
        }
        let mut delta = drift::compare(&baseline, &report);
        delta.retain(|c| report.controls.iter().find(|r| r.id == c.id).is_none_or(&in_phase));
        report.drift = Some(delta);
    }
    let code = match &report.drift {
        Some(delta) if !args.fail_on_any => drift::exit_code(&report, delta, args.fail_on, &in_phase),
        _ => checklist::exit_code(&report, args.fail_on, &in_phase),
    };
    let _writing = crate::timings::stage("write reports");
    // What --severity hides of the phase in view, and how many of those fail.
    let hidden: Vec<&ControlResult> = report.controls.iter().filter(|c| in_phase(c) && !shown(c)).collect();
    let hidden = (hidden.len(), hidden.iter().filter(|c| c.verdict == crate::result::Verdict::Fail).count());
    write_outputs(&report, &args, &shown, code, hidden)?;
    Ok(code)
}

/// `--width`, else the terminal's, else `COLUMNS` (a pipe, a file, a CI log), else the
/// table's default.
pub(crate) fn table_width(given: Option<u16>) -> Option<u16> {
    given
        .or_else(|| terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| w.0).filter(|w| *w > 0))
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse().ok()))
}

/// `--color`: `auto` colours a terminal, unless NO_COLOR is set to anything but the
/// empty string (no-color.org) or the terminal is `dumb`.
pub(crate) fn colour(choice: &str) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    match choice {
        "always" => true,
        "never" => false,
        _ => std::io::stdout().is_terminal() && !set("NO_COLOR") && std::env::var("TERM").as_deref() != Ok("dumb"),
    }
}

/// One format: stdout, or `-o FILE`. Several: the table on stdout, the others
/// as files in `-o DIR` (default `reports/`).
fn write_outputs(
    report: &CheckReport,
    args: &CheckArgs,
    shown: &dyn Fn(&ControlResult) -> bool,
    exit_code: i32,
    hidden: (usize, usize),
) -> Result<(), JalonError> {
    let options = render::Options {
        color: colour(&args.color),
        width: table_width(args.width),
        exit_code,
        sarif_max_results: args.sarif_max_results,
        show_passing: args.show_passing,
        hidden_by_severity: hidden.0,
        hidden_failing: hidden.1,
    };
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

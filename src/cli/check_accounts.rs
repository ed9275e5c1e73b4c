//! `jalon check --snapshot DIR`: every account of a snapshot directory judged, one
//! after another, each account's part of every report written as it is judged.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::checklist;
use crate::cli::check::{table_width, CheckArgs};
use crate::cli::output;
use crate::error::JalonError;
use crate::files::{FileSet, OpenFile};
use crate::pipeline::Evidence;
use crate::render::accounts::{self as writers, AccountPart, AccountsWriter};
use crate::render::{self, Format, View};
use crate::result::summary::RunSummary;
use crate::result::{ControlResult, Verdict, Warning};
use crate::snapshot::index::LoadedIndex;

/// Where one format goes.
enum Sink {
    /// Standard output; a reader that stops early (`| head`) ends it quietly.
    Stdout { out: BufWriter<io::Stdout>, closed: bool },
    /// A file of the run's set, renamed into place once every format is whole.
    File(OpenFile),
    /// A device or a FIFO named with `-o`, written through.
    Stream(BufWriter<std::fs::File>, PathBuf),
}

impl Sink {
    /// Runs `write` on the sink; a closed stdout swallows the rest of the output.
    fn write(&mut self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), JalonError> {
        match self {
            Sink::Stdout { closed: true, .. } => Ok(()),
            Sink::Stdout { out, closed } => match write(out) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                    *closed = true;
                    Ok(())
                }
                other => other.map_err(|e| JalonError::io("stdout", e)),
            },
            Sink::File(file) => {
                let path = file.path().to_path_buf();
                write(file.writer()).map_err(|e| JalonError::io(path, e))
            }
            Sink::Stream(out, path) => write(out).map_err(|e| JalonError::io(&*path, e)),
        }
    }
}

pub fn run(args: &CheckArgs, path: &Path) -> Result<i32, JalonError> {
    let index = LoadedIndex::load(path)?;
    let selection =
        crate::selection::ControlSelection::parse(&args.controls, &args.skip_controls).map_err(JalonError::Usage)?;
    let mut request = args.evaluation.request(Evidence::Snapshot(path.to_path_buf()), args.as_of);
    request.phase = args.phase.clone();
    request.files.selection = selection.clone();
    let baseline = match &args.baseline {
        Some(file) => Some(Baseline::load(file)?),
        None => None,
    };

    // Everything that can be wrong with the input is found before any output begins.
    let prepared = crate::accounts::run::prepare(&index, &request)?;
    let mut formats = args.format.clone();
    formats.dedup();
    let options = render::Options {
        color: false,
        width: table_width(args.width),
        exit_code: 0,
        sarif_max_results: args.sarif_max_results,
        show_passing: args.show_passing,
        hidden_by_severity: 0,
        hidden_failing: 0,
    };
    // Every writer is known good before anything is judged or written.
    let mut outputs: Vec<(Format, Box<dyn AccountsWriter>)> =
        formats.iter().map(|f| writers::writer(*f, options).map(|w| (*f, w))).collect::<Result<_, JalonError>>()?;
    let mut files = FileSet::new();
    // One format: stdout or `-o FILE`. Several: files in `-o DIR`, the table on stdout at the end.
    let single = outputs.len() == 1;
    let mut sinks: Vec<Option<Sink>> = Vec::new();
    for (format, _) in &outputs {
        let sink = match (&args.output, single) {
            (None, true) => Some(Sink::Stdout { out: BufWriter::new(io::stdout()), closed: false }),
            (Some(path), true) if crate::files::is_stream(path) => {
                let file = std::fs::OpenOptions::new().write(true).open(path).map_err(|e| JalonError::io(path, e))?;
                Some(Sink::Stream(BufWriter::new(file), path.clone()))
            }
            (Some(path), true) => Some(Sink::File(files.open(path)?)),
            (_, false) if *format == Format::Table => None,
            (dir, false) => {
                let dir = dir.clone().unwrap_or_else(|| PathBuf::from("reports"));
                Some(Sink::File(files.open(&dir.join(format.file_name()))?))
            }
        };
        sinks.push(sink);
    }
    for ((_, writer), sink) in outputs.iter_mut().zip(&mut sinks) {
        if let Some(sink) = sink {
            sink.write(|out| writer.begin(&index, out))?;
        }
    }

    let phase = args.phase.clone();
    let in_phase = move |c: &ControlResult| phase.as_ref().is_none_or(|p| c.phase_id.eq_ignore_ascii_case(p));
    let severities = args.severity.clone();
    let shown = |c: &ControlResult| in_phase(c) && (severities.is_empty() || severities.contains(&c.severity));
    let mut summary = RunSummary::new(&index);
    let outcome = prepared.run(|entry, report| {
        let mut report = report;
        let code = match &baseline {
            Some(baseline) => baseline.drift(entry, &mut report, &selection, args, &in_phase)?,
            None => checklist::exit_code(&report, args.fail_on, &in_phase),
        };
        for warning in &report.warnings {
            let line = format!("jalon: warning: account {}: {}", entry.id, warning.message);
            eprintln!("{}", crate::render::escape::terminal::text(&line));
        }
        let hidden: Vec<&ControlResult> = report.controls.iter().filter(|c| in_phase(c) && !shown(c)).collect();
        let options = render::Options {
            exit_code: code,
            hidden_by_severity: hidden.len(),
            hidden_failing: hidden.iter().filter(|c| c.verdict == Verdict::Fail).count(),
            ..options
        };
        let view = View { report: &report, shown: &shown, options };
        let part = AccountPart { entry, view: &view };
        for ((_, writer), sink) in outputs.iter_mut().zip(&mut sinks) {
            if let Some(sink) = sink {
                sink.write(|out| writer.account(&part, out))?;
            }
        }
        summary.add(entry, &report, &shown, code);
        Ok(())
    })?;
    summary.unmatched_waivers = outcome.unmatched_waivers;
    summary.warnings = outcome.warnings;
    if let Some(baseline) = &baseline {
        baseline.accounts_removed(&index, &mut summary);
    }
    if index.index.accounts.is_empty() {
        summary.warnings.push(Warning::new(
            "no-account",
            format!("{} lists no account: nothing was judged", index.file.display()),
            true,
        ));
    }
    for warning in &summary.warnings {
        eprintln!("{}", crate::render::escape::terminal::text(&format!("jalon: warning: {}", warning.message)));
    }

    let _writing = crate::timings::stage("write reports");
    if summary.warnings.iter().any(|w| w.incomplete) {
        summary.exit_code = crate::result::summary::worst(summary.exit_code, crate::error::exit::INCOMPLETE);
    }
    let mut table_last = None;
    for ((format, mut writer), sink) in outputs.into_iter().zip(sinks) {
        match sink {
            Some(mut sink) => {
                sink.write(|out| writer.finish(&summary, out).and_then(|()| out.flush()))?;
                if let Sink::File(file) = sink {
                    files.close(file)?;
                }
                for warning in writer.warnings() {
                    eprintln!("jalon: warning: {}", crate::render::escape::terminal::text(&warning));
                }
            }
            None if format == Format::Table => table_last = Some(writer),
            None => {}
        }
    }
    for path in files.commit()? {
        if !single {
            eprintln!("wrote {}", path.display());
        }
    }
    if let Some(mut table) = table_last {
        output::to_stdout(|out| table.finish(&summary, out))?;
    }
    Ok(summary.exit_code)
}

/// `--baseline` over a snapshot directory: a previous result over accounts, compared
/// account by account.
struct Baseline {
    path: PathBuf,
    result: crate::result::accounts::AccountsResult,
}

impl Baseline {
    /// Reads the baseline, every account's result checked now: a bad one is an input
    /// error before any output begins.
    fn load(path: &Path) -> Result<Baseline, JalonError> {
        let text = crate::error::read_text(path)?;
        if !crate::result::accounts::is_accounts_result(&text) {
            return Err(JalonError::input(
                path,
                "expected a result over several accounts (`jalon check --snapshot DIR --format json`): \
                 a snapshot directory is compared with the result of one",
            ));
        }
        let result = crate::result::accounts::parse(&text).map_err(|detail| JalonError::input(path, detail))?;
        for account in &result.accounts {
            account.report().map_err(|detail| JalonError::input(path, detail))?;
        }
        Ok(Baseline { path: path.to_path_buf(), result })
    }

    /// Sets the account's drift since its baseline result and returns its exit code: 1
    /// only on a regression (or any failure with --fail-on-any). An account the baseline
    /// does not have is new: without a reference, every failure counts.
    fn drift(
        &self,
        entry: &crate::snapshot::index::IndexedAccount,
        report: &mut crate::result::CheckReport,
        selection: &crate::selection::ControlSelection,
        args: &CheckArgs,
        in_phase: &dyn Fn(&ControlResult) -> bool,
    ) -> Result<i32, JalonError> {
        let Some(before) = self.result.account(&entry.id) else {
            report.warnings.push(Warning::new(
                "account-added",
                format!(
                    "account {} is not in the baseline {}: new since, every failure of it counts",
                    entry.id,
                    self.path.display()
                ),
                false,
            ));
            return Ok(checklist::exit_code(report, args.fail_on, in_phase));
        };
        let mut before = before.report().map_err(|detail| JalonError::input(&self.path, detail))?;
        // The controls left out of this run are not "gone" since the baseline.
        before.controls.retain(|c| selection.keeps(&c.id));
        for warning in crate::drift::baseline_mismatches(&before, report) {
            report.warnings.push(warning);
        }
        let mut delta = crate::drift::compare(&before, report);
        delta.retain(|c| report.controls.iter().find(|r| r.id == c.id).is_none_or(in_phase));
        let code = match args.fail_on_any {
            true => checklist::exit_code(report, args.fail_on, in_phase),
            false => crate::drift::exit_code(report, &delta, args.fail_on, in_phase),
        };
        report.drift = Some(delta);
        Ok(code)
    }

    /// The baseline's accounts that this run does not have: their evidence is missing,
    /// never silently fine (a warning that makes the run incomplete).
    fn accounts_removed(&self, index: &LoadedIndex, summary: &mut RunSummary) {
        for gone in self.result.accounts.iter().filter(|a| !index.index.accounts.iter().any(|e| e.id == a.account.id)) {
            let label = crate::render::accounts::account_label(&gone.account.id, gone.account.name.as_deref());
            summary.warnings.push(Warning::new(
                "account-removed",
                format!(
                    "account {label} is in the baseline {} but not in this run: its evidence is missing",
                    self.path.display()
                ),
                true,
            ));
            summary.accounts_removed.push(gone.account.id.clone());
        }
    }
}

//! `jalon diff OLD NEW`: what changed between two check results, or between two
//! snapshots (configuration values per resource, and the verdicts both give).

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use crate::cli::check::parse_severity;
use crate::cli::evaluate::EvaluationArgs;
use crate::cli::output;
use crate::drift;
use crate::drift::snapshots::{self, DiffOptions, SnapshotDiff};
use crate::engine::Severity;
use crate::error::{exit, read_text, JalonError};
use crate::pipeline::Evidence;
use crate::result::drift::Drift;
use crate::snapshot::LoadedSnapshot;

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The older file: a snapshot (`jalon collect`) or a check result (`jalon check --format
    /// json`); or a snapshot directory, or a check result over its accounts.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The newer file, of the same kind.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// `text` for people, `markdown` for a CI job summary or a pull-request comment,
    /// `json` for machines.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 only for new failures at or above this severity.
    #[arg(long, value_name = "SEVERITY", default_value = "low", value_parser = parse_severity)]
    pub fail_on: Severity,
    /// Snapshots: also compare the fields that change on their own (stored bytes, alarm
    /// states, rotation timestamps).
    #[arg(long)]
    pub all_fields: bool,
    #[command(flatten)]
    pub evaluation: EvaluationArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Snapshots,
    Results,
    /// Two snapshot directories of several accounts.
    SnapshotDirectories,
    /// Two results over several accounts.
    AccountResults,
}

/// `jalon diff --format json`, version 1.
#[derive(Serialize)]
struct DiffOutput<'a> {
    diff_version: u32,
    kind: Kind,
    old: String,
    new: String,
    /// A new failure at or above --fail-on: the exit code is 1.
    regression: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshots: Option<&'a SnapshotDiff>,
    drift: &'a Drift,
}

/// A snapshot has `schema_version`, a check result `result_version`; a snapshot
/// directory (or its index) and a result over accounts are the same over accounts.
fn kind_of(path: &Path) -> Result<Kind, JalonError> {
    if crate::snapshot::index::is_index(path) {
        return Ok(Kind::SnapshotDirectories);
    }
    let text = read_text(path)?;
    if crate::result::accounts::is_accounts_result(&text) {
        return Ok(Kind::AccountResults);
    }
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| JalonError::input(path, crate::result::json_error(&e, "")))?;
    if value.get("schema_version").is_some() {
        Ok(Kind::Snapshots)
    } else if value.get("result_version").is_some() {
        Ok(Kind::Results)
    } else {
        Err(JalonError::input(
            path,
            "expected a snapshot (with `schema_version`, from `jalon collect`) or a check result (with `result_version`, from `jalon check --format json`)",
        ))
    }
}

pub fn run(args: DiffArgs) -> Result<i32, JalonError> {
    let (old_kind, new_kind) = (kind_of(&args.old)?, kind_of(&args.new)?);
    let name = |k: Kind| match k {
        Kind::Snapshots => "a snapshot",
        Kind::Results => "a check result",
        Kind::SnapshotDirectories => "a snapshot directory",
        Kind::AccountResults => "a check result over several accounts",
    };
    if old_kind != new_kind {
        return Err(JalonError::Usage(format!(
            "{} is {} and {} is {}: give two snapshots, two check results, two snapshot directories or two \
             results over accounts",
            args.old.display(),
            name(old_kind),
            args.new.display(),
            name(new_kind)
        )));
    }
    let (old_name, new_name) = (args.old.display().to_string(), args.new.display().to_string());
    if matches!(old_kind, Kind::SnapshotDirectories | Kind::AccountResults) {
        return accounts(&args, old_kind, (&old_name, &new_name));
    }
    let (snapshot_diff, drift) = match old_kind {
        Kind::Results => {
            (None, drift::compare(&crate::result::load_result(&args.old)?, &crate::result::load_result(&args.new)?))
        }
        Kind::Snapshots | Kind::SnapshotDirectories | Kind::AccountResults => {
            let (old, new) = (LoadedSnapshot::load(&args.old)?, LoadedSnapshot::load(&args.new)?);
            let diff = snapshots::diff(&old, &new, (&old_name, &new_name), DiffOptions { all_fields: args.all_fields });
            let judge = |path: &Path| {
                crate::cli::evaluate::run(&args.evaluation.request(Evidence::Snapshot(path.to_path_buf()), None))
                    .map(|e| e.report)
            };
            (Some(diff), drift::compare(&judge(&args.old)?, &judge(&args.new)?))
        }
    };
    let regression = drift.has_regression(args.fail_on);
    let text = match args.format {
        DiffFormat::Json => {
            let output = DiffOutput {
                diff_version: 1,
                kind: old_kind,
                old: old_name,
                new: new_name,
                regression,
                snapshots: snapshot_diff.as_ref(),
                drift: &drift,
            };
            let mut text = serde_json::to_string_pretty(&output).expect("a diff always serialises");
            text.push('\n');
            text
        }
        DiffFormat::Text => match &snapshot_diff {
            Some(diff) => format!(
                "{}\nVerdicts, both snapshots judged with the same policies, config, waivers and attestations:\n{}",
                crate::render::snapshot_diff::text(diff),
                crate::render::drift::text(&drift)
            ),
            None => format!("Result diff: {old_name} → {new_name}\n{}", crate::render::drift::text(&drift)),
        },
        DiffFormat::Markdown => {
            let mut text = String::new();
            if let Some(diff) = &snapshot_diff {
                // The text is already one line per change (names with newlines are
                // written out); the fence is longer than any backtick run in it.
                let body = crate::render::snapshot_diff::text(diff);
                text.push_str("## Configuration changes\n\n");
                text.push_str(&crate::render::escape::markdown::fenced(&body, "text"));
                text.push('\n');
            }
            text.push_str(&crate::render::drift::markdown(&drift));
            text
        }
    };
    match &args.output {
        Some(path) => output::write_file(path, &text)?,
        None => output::print(&text)?,
    }
    Ok(if regression { exit::FINDINGS } else { exit::OK })
}

/// `jalon diff --format json` over accounts, version 1.
#[derive(Serialize)]
struct AccountsDiffOutput<'a> {
    diff_version: u32,
    kind: Kind,
    old: &'a str,
    new: &'a str,
    /// A new failure at or above --fail-on in some account: the exit code is 1.
    regression: bool,
    #[serde(flatten)]
    diff: &'a crate::accounts::diff::AccountsDiff,
}

/// Two snapshot directories or two results over accounts, account by account. Exit
/// 1 on a regression in any account; else 2 when an account of OLD is missing from
/// NEW (its evidence is gone); else 0.
fn accounts(args: &DiffArgs, kind: Kind, (old_name, new_name): (&str, &str)) -> Result<i32, JalonError> {
    let diff = match kind {
        Kind::SnapshotDirectories => {
            let judge = |path: &Path| {
                crate::cli::evaluate::run(&args.evaluation.request(Evidence::Snapshot(path.to_path_buf()), None))
                    .map(|e| e.report)
            };
            crate::accounts::diff::directories(
                &args.old,
                &args.new,
                DiffOptions { all_fields: args.all_fields },
                &judge,
            )?
        }
        _ => crate::accounts::diff::results(&args.old, &args.new)?,
    };
    let regression = diff.has_regression(args.fail_on);
    for id in &diff.removed {
        let line =
            format!("jalon: warning: account {id} is in {old_name} but not in {new_name}: its evidence is missing");
        eprintln!("{}", crate::render::escape::terminal::text(&line));
    }
    let label =
        |a: &crate::accounts::diff::AccountDiff| crate::render::accounts::account_label(&a.id, a.name.as_deref());
    let text = match args.format {
        DiffFormat::Json => {
            let output =
                AccountsDiffOutput { diff_version: 1, kind, old: old_name, new: new_name, regression, diff: &diff };
            let mut text = serde_json::to_string_pretty(&output).expect("a diff always serialises");
            text.push('\n');
            text
        }
        DiffFormat::Text => {
            use crate::render::escape::terminal::text as term;
            let mut text = format!("Diff over accounts: {} → {}\n", term(old_name), term(new_name));
            if !diff.added.is_empty() {
                text.push_str(&format!("accounts added: {}\n", term(&diff.added.join(", "))));
            }
            if !diff.removed.is_empty() {
                text.push_str(&format!(
                    "! accounts removed (their evidence is missing): {}\n",
                    term(&diff.removed.join(", "))
                ));
            }
            if !diff.incomplete.is_empty() {
                text.push_str(&format!(
                    "! accounts not read whole in the newer (what changed there is not all known): {}\n",
                    term(&diff.incomplete.join(", "))
                ));
            }
            for a in &diff.accounts {
                text.push_str(&format!("\n== account {} ==\n", term(&label(a))));
                if let Some(snapshots) = &a.snapshots {
                    text.push_str(&crate::render::snapshot_diff::text(snapshots));
                    text.push_str(
                        "Verdicts, both snapshots judged with the same policies, config, waivers and attestations:\n",
                    );
                }
                text.push_str(&crate::render::drift::text(&a.drift));
            }
            text
        }
        DiffFormat::Markdown => {
            use crate::render::escape::markdown::{code, text as md};
            let mut text = format!("# Diff over accounts\n\n{} → {}\n", code(old_name), code(new_name));
            if !diff.added.is_empty() {
                text.push_str(&format!("\nAccounts added: {}\n", md(&diff.added.join(", "))));
            }
            if !diff.removed.is_empty() {
                text.push_str(&format!(
                    "\n> [!WARNING]\n> Accounts removed, their evidence is missing: {}\n",
                    md(&diff.removed.join(", "))
                ));
            }
            if !diff.incomplete.is_empty() {
                text.push_str(&format!(
                    "\n> [!WARNING]\n> Accounts not read whole in the newer, what changed there is not all known: {}\n",
                    md(&diff.incomplete.join(", "))
                ));
            }
            for a in &diff.accounts {
                text.push_str(&format!("\n---\n\n**Account {}**\n\n", md(&label(a))));
                if let Some(snapshots) = &a.snapshots {
                    text.push_str("## Configuration changes\n\n");
                    text.push_str(&crate::render::escape::markdown::fenced(
                        &crate::render::snapshot_diff::text(snapshots),
                        "text",
                    ));
                    text.push('\n');
                }
                text.push_str(&crate::render::drift::markdown(&a.drift));
            }
            text
        }
    };
    match &args.output {
        Some(path) => output::write_file(path, &text)?,
        None => output::print(&text)?,
    }
    Ok(if regression {
        exit::FINDINGS
    } else if !diff.removed.is_empty() || !diff.incomplete.is_empty() {
        // Evidence missing in the newer run is never "nothing changed".
        exit::INCOMPLETE
    } else {
        exit::OK
    })
}

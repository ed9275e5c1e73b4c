//! The evaluation `check`, `diff` (of two snapshots) and `gdpr` share: load the
//! inputs, evaluate the snapshot with the policies, judge the verdicts.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;

use crate::checklist::{Checklist, Judgement};
use crate::cli::{AwsArgs, PolicyArgs};
use crate::config::Config;
use crate::engine::Evaluator;
use crate::error::JalonError;
use crate::result::CheckReport;
use crate::snapshot::LoadedSnapshot;

/// The files and dates that shape a judgement: the same flags for `check`, `gdpr`
/// and `diff` (of two snapshots).
#[derive(Args, Debug, Clone, Default)]
pub struct EvaluationArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Thresholds, scope, allowed regions and cutover (TOML). Default: ./jalon.toml when it exists.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Phase definitions (TOML) instead of the shipped checklists/default.toml.
    #[arg(long, value_name = "FILE")]
    pub checklist: Option<PathBuf>,
    /// Waivers (TOML): control, resource pattern, owner, reason, expiry.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Attestations (TOML) for controls evidenced by people, not by the account
    /// (the erasure drill, GDP-006, among them).
    #[arg(long, value_name = "FILE")]
    pub attestations: Option<PathBuf>,
    /// Production cutover day (J+0), YYYY-MM-DD; overrides the config.
    #[arg(long, value_name = "DATE")]
    pub cutover: Option<NaiveDate>,
}

/// What an evaluation reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Inputs<'a> {
    /// None: collect the account now (with `aws`).
    pub snapshot: Option<&'a Path>,
    pub aws: &'a AwsArgs,
    pub files: &'a EvaluationArgs,
    /// None: when the snapshot was collected.
    pub as_of: Option<DateTime<Utc>>,
    /// A phase to check exists (`--phase`); None: no check.
    pub phase: Option<&'a str>,
    /// Keep the snapshot's resources in [`Evaluation::snapshot`] (the GDPR appendix
    /// reads them); otherwise only its metadata and collector statuses are kept.
    pub keep_resources: bool,
}

/// A judged snapshot, with what it was judged with.
pub(crate) struct Evaluation {
    pub report: CheckReport,
    pub snapshot: LoadedSnapshot,
    pub config: Config,
    /// The config file actually read, if any.
    pub config_path: Option<std::path::PathBuf>,
}

pub(crate) fn evaluate(inputs: &Inputs) -> Result<Evaluation, JalonError> {
    let loading = crate::timings::stage("load inputs");
    let files = inputs.files;
    let config_path = match files.config.as_deref() {
        Some(p) => Some(p.to_path_buf()),
        None if Path::new("jalon.toml").is_file() => Some("jalon.toml".into()),
        None => None,
    };
    let config = match &config_path {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    let policies = crate::cli::load_policies(&files.policy)?;
    let checklist = match files.checklist.as_deref() {
        Some(path) => Checklist::load(path)?,
        None => Checklist::embedded()?,
    };
    checklist.validate(&policies).map_err(|detail| {
        JalonError::input(files.checklist.as_deref().unwrap_or(Path::new("checklists/default.toml")), detail)
    })?;
    if let Some(phase) = inputs.phase {
        if !checklist.phases.iter().any(|p| p.id.eq_ignore_ascii_case(phase)) {
            let ids: Vec<&str> = checklist.phases.iter().map(|p| p.id.as_str()).collect();
            return Err(JalonError::Usage(format!("--phase: expected one of {}, found {phase:?}", ids.join(", "))));
        }
    }
    let waivers = match files.waivers.as_deref() {
        Some(path) => crate::waivers::load(path, &policies)?,
        None => Vec::new(),
    };
    let attestations = match files.attestations.as_deref() {
        Some(path) => crate::attestations::load(path, &policies)?,
        None => Vec::new(),
    };
    drop(loading);
    let loading = crate::timings::stage("load snapshot");
    let (mut snapshot, input) = match inputs.snapshot {
        Some(path) => crate::engine::load_snapshot(path, inputs.keep_resources)?,
        None => crate::engine::prepare_collected(crate::cli::collect::collect_now(inputs.aws)?)?,
    };
    if !inputs.keep_resources {
        // The engine has its own copy; this one would only add to the peak memory.
        snapshot.snapshot.drop_resources();
    }
    let as_of = match inputs.as_of {
        Some(t) => t,
        None => DateTime::parse_from_rfc3339(&snapshot.snapshot.collected_at).map(|d| d.with_timezone(&Utc)).map_err(
            |e| {
                JalonError::input(
                    inputs.snapshot.unwrap_or(Path::new("snapshot")),
                    format!("at `collected_at`: expected an RFC 3339 time: {e}"),
                )
            },
        )?,
    };
    let cutover = files.cutover.or(config.cutover);

    drop(loading);
    let loading = crate::timings::stage("load policies");
    let evaluator = Evaluator::new(&policies, &config, as_of)?;
    drop(loading);
    let evaluating = crate::timings::stage("evaluate");
    let outcomes = evaluator.evaluate(input);
    drop(evaluating);
    let _judging = crate::timings::stage("judge");
    let judgement = Judgement {
        policies: &policies,
        checklist: &checklist,
        snapshot: &snapshot,
        waivers: &waivers,
        attestations: &attestations,
        as_of,
        cutover,
    };
    let report = judgement.judge(outcomes);
    Ok(Evaluation { report, snapshot, config, config_path })
}

//! The flags that shape a judgement, shared by `check`, `gdpr` and `diff` (of two
//! snapshots), and how they become a [`pipeline::Request`].

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;

use crate::cli::PolicyArgs;
use crate::error::JalonError;
use crate::pipeline::{self, Evidence, TeamFiles};

/// The files and dates that shape a judgement: the same flags for `check`, `gdpr`
/// and `diff` (of two snapshots).
#[derive(Args, Debug, Clone, Default)]
pub struct EvaluationArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Thresholds, scope, allowed regions and cutover (TOML). Default: $JALON_CONFIG, else
    /// ./jalon.toml when it exists, and then the waivers.toml and attestations.toml beside it.
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
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub cutover: Option<NaiveDate>,
    /// Warn when the snapshot was collected more than this many days before the as-of
    /// date (0: never).
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    pub max_age: u32,
    /// Seconds one policy evaluation may run: a control whose policy runs longer is
    /// UNKNOWN, with the reason, and the others are judged.
    #[arg(long, value_name = "SECONDS", default_value_t = 120.0, value_parser = crate::cli::parse_timeout)]
    pub eval_timeout: f64,
    /// MiB one policy evaluation may add to the heap: a control whose policy needs
    /// more is UNKNOWN, with the reason, and the others are judged (0: no bound).
    #[arg(long, value_name = "MIB", default_value_t = crate::engine::DEFAULT_MEMORY_LIMIT >> 20)]
    pub eval_memory: u64,
}

/// Runs an evaluation, its warnings (a team policy's slow patterns, a scope that
/// keeps nothing, a stale snapshot) on stderr.
pub fn run(request: &pipeline::Request) -> Result<pipeline::Evaluation, crate::error::JalonError> {
    let evaluation = pipeline::run(request)?;
    for warning in &evaluation.rules.policies.warnings {
        eprintln!("jalon: warning: {warning}");
    }
    for warning in &evaluation.report.warnings {
        eprintln!("jalon: warning: {}", crate::render::escape::terminal::text(&warning.message));
    }
    Ok(evaluation)
}

impl EvaluationArgs {
    /// The team's files: `--config`, else `$JALON_CONFIG`, else `./jalon.toml` when there
    /// is one; `--waivers` and `--attestations`, else, for a config found rather than
    /// named, the `waivers.toml` and `attestations.toml` beside it (a command line that
    /// names its config names all its files: a script's meaning does not change with
    /// what lies beside it). What was found is said on stderr: a file read without
    /// being asked for, a waiver above all, must not go unnoticed.
    pub fn team_files(&self) -> TeamFiles {
        let config = config_path(self.config.as_deref());
        let beside = |given: &Option<PathBuf>, name: &str| {
            given.clone().or_else(|| {
                let dir = config.as_deref().filter(|_| self.config.is_none())?.parent()?;
                Some(dir.join(name)).filter(|p| p.is_file())
            })
        };
        let waivers = beside(&self.waivers, "waivers.toml");
        let attestations = beside(&self.attestations, "attestations.toml");
        let mut found = Vec::new();
        if self.config.is_none() {
            found.extend(config.as_deref());
        }
        if self.waivers.is_none() {
            found.extend(waivers.as_deref());
        }
        if self.attestations.is_none() {
            found.extend(attestations.as_deref());
        }
        if !found.is_empty() {
            let names: Vec<String> = found.iter().map(|p| p.display().to_string()).collect();
            let line = format!("jalon: reading {} (found, not named on the command line)", names.join(", "));
            eprintln!("{}", crate::render::escape::terminal::text(&line));
        }
        TeamFiles {
            policies: self.policy.policies.clone(),
            config,
            checklist: self.checklist.clone(),
            waivers,
            attestations,
            cutover: self.cutover,
            selection: Default::default(),
        }
    }

    /// A request to judge `evidence` with these files.
    pub fn request(&self, evidence: Evidence, as_of: Option<DateTime<Utc>>) -> pipeline::Request {
        pipeline::Request {
            evidence,
            files: self.team_files(),
            as_of,
            phase: None,
            keep_resources: false,
            inventory: false,
            max_age: (self.max_age > 0).then(|| chrono::Duration::days(i64::from(self.max_age))),
            eval_timeout: std::time::Duration::from_secs_f64(self.eval_timeout),
            eval_memory: (self.eval_memory > 0).then(|| self.eval_memory.saturating_mul(1 << 20)),
        }
    }
}

/// `--config`, else `$JALON_CONFIG` (which must exist: a variable pointing nowhere is a
/// mistake, not "no config"), else `./jalon.toml` when there is one.
pub(crate) fn config_path(given: Option<&Path>) -> Option<PathBuf> {
    match given {
        Some(p) => Some(p.to_path_buf()),
        None => match std::env::var_os(CONFIG_VARIABLE).filter(|v| !v.is_empty()) {
            Some(p) => Some(PathBuf::from(p)),
            None if Path::new("jalon.toml").is_file() => Some("jalon.toml".into()),
            None => None,
        },
    }
}

/// Names the config file when `--config` does not.
pub const CONFIG_VARIABLE: &str = "JALON_CONFIG";

/// `--cutover`, else the config's: what a live collection reads metric data from.
pub(crate) fn cutover(given: Option<NaiveDate>, config: Option<&Path>) -> Result<Option<NaiveDate>, JalonError> {
    if given.is_some() {
        return Ok(given);
    }
    match config_path(config) {
        Some(p) => Ok(crate::config::Config::load(&p)?.cutover),
        None => Ok(None),
    }
}

pub(crate) fn parse_day(text: &str) -> Result<NaiveDate, String> {
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("expected a date YYYY-MM-DD, found {text:?}"))?;
    crate::dates::check_day(day)
}

//! The command line: argument definitions here, one module per command.

mod check;
mod check_accounts;
mod collect;
mod diff;
mod evaluate;
mod gdpr;
mod merge;
mod output;
mod policies;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::error::{exit, JalonError};

#[derive(Parser, Debug)]
#[command(name = "jalon", version, about = "Post-cutover readiness and compliance checks for AWS, as Rego policies.")]
#[command(
    after_help = "Exit codes: 0 every due control passes or is waived; 1 findings (a due control fails at or above --fail-on; \
with --baseline, or for `diff`, a regression: a new failure); 2 no finding but evidence incomplete (UNKNOWN or NEEDS_EVIDENCE); \
3 usage or input error; 4 runtime failure."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Snapshot an AWS account (read-only API calls) into a JSON file.
    Collect(collect::CollectArgs),
    /// Evaluate a snapshot (or the live account) and print the checklist per phase.
    Check(Box<check::CheckArgs>),
    /// What changed between two check results or two snapshots (drift).
    Diff(diff::DiffArgs),
    /// Merge the snapshot directories of a sharded collection (`collect --shard K/N`) into one.
    Merge(merge::MergeArgs),
    /// Write the GDPR technical documentation appendix from a snapshot and a processing record.
    Gdpr(gdpr::GdprArgs),
    /// Print shell completions (`jalon completions bash > /etc/bash_completion.d/jalon`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one per command into a directory.
    Man {
        /// Write jalon.1, jalon-check.1, ... here instead of jalon.1 on stdout.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// List the controls, or run the policies' Rego unit tests.
    #[command(subcommand)]
    Policies(policies::PoliciesCommand),
}

/// Where the AWS account is reached: shared by `collect` and `check` without `--snapshot`.
#[derive(Args, Debug, Clone, Default)]
pub struct AwsArgs {
    /// Named profile from the shared AWS config (default: the standard credential chain).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// Region to collect; repeat for several (default: the profile's region).
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Send every API call to this endpoint (an emulator such as moto).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Most calls in flight per service and region.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub concurrency: u32,
    /// Most attempts per call (adaptive retry on throttling).
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: u32,
    /// Client-side rate limit, calls per second per service and region (0: none).
    #[arg(long, default_value_t = 0.0, value_name = "CALLS_PER_SECOND", value_parser = parse_rate_limit)]
    pub rate_limit: f64,
    /// Never show a progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Seconds to wait for a connection, per attempt.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0, value_parser = parse_timeout)]
    pub connect_timeout: f64,
    /// Seconds to wait for an answer, per attempt (a server that accepts and never
    /// answers fails the call after this, then the retries).
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0, value_parser = parse_timeout)]
    pub read_timeout: f64,
    /// Print each failed call's whole error on stderr (never stored: it holds the
    /// response's headers and body).
    #[arg(long)]
    pub verbose: bool,
    /// Read CloudWatch metric data and alarm history (the SLO evidence of OPS-003):
    /// on by default once a cutover date is known.
    #[arg(long, conflicts_with = "no_metrics")]
    pub metrics: bool,
    /// Do not read metric data, even with a cutover date.
    #[arg(long)]
    pub no_metrics: bool,
    /// Read metric data from this day (default: the cutover once it has passed, else
    /// the last 14 days; at most the last 31 days).
    #[arg(long, value_name = "DATE", value_parser = crate::cli::evaluate::parse_day, conflicts_with = "no_metrics")]
    pub metrics_since: Option<chrono::NaiveDate>,
}

impl AwsArgs {
    /// Which metric window to read, given the cutover the run knows of.
    pub fn metrics_request(&self, cutover: Option<chrono::NaiveDate>) -> Option<crate::collect::MetricsRequest> {
        let wanted = self.metrics || self.metrics_since.is_some() || cutover.is_some();
        (wanted && !self.no_metrics).then_some(crate::collect::MetricsRequest { since: self.metrics_since, cutover })
    }
}

/// A timeout: more than 0 and at most an hour.
pub(crate) fn parse_timeout(text: &str) -> Result<f64, String> {
    let seconds: f64 = text.trim().parse().map_err(|_| format!("expected a number of seconds, found {text:?}"))?;
    if !(seconds > 0.0 && seconds <= 3600.0) {
        return Err(format!("expected a number of seconds above 0 and at most 3600, found {text:?}"));
    }
    Ok(seconds)
}

/// `--rate-limit`: 0 (no limit), or at least 0.01 calls per second; never negative,
/// NaN or infinite (exit 3 as any usage error).
fn parse_rate_limit(text: &str) -> Result<f64, String> {
    let rate: f64 =
        text.trim().parse().map_err(|_| format!("expected a number of calls per second, found {text:?}"))?;
    if !rate.is_finite() || rate < 0.0 {
        return Err(format!("expected 0 (no limit) or a positive number of calls per second, found {text:?}"));
    }
    if rate > 0.0 && rate < 0.01 {
        return Err(format!("expected at least 0.01 calls per second (or 0 for no limit), found {text:?}"));
    }
    Ok(rate)
}

/// Files that shape evaluation: shared by `check` and `policies`.
#[derive(Args, Debug, Clone, Default)]
pub struct PolicyArgs {
    /// Extra Rego policies (a directory); a control with a shipped id replaces it.
    #[arg(long, value_name = "DIR")]
    pub policies: Option<PathBuf>,
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { exit::INPUT } else { exit::OK };
            let _ = e.print();
            return code;
        }
    };
    let total = crate::timings::stage("total");
    let result = run(cli);
    drop(total);
    crate::timings::peak_memory();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

pub fn run(cli: Cli) -> Result<i32, JalonError> {
    match cli.command {
        Command::Collect(args) => collect::run(args),
        Command::Check(args) => check::run(*args),
        Command::Diff(args) => diff::run(args),
        Command::Gdpr(args) => gdpr::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Policies(cmd) => policies::run(cmd),
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics when its writer fails (`| head`).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "jalon", &mut script);
            output::to_stdout(|out| out.write_all(&script)).map(|()| exit::OK)
        }
        Command::Man { dir } => man(dir.as_deref()),
    }
}

/// Loads the shipped policies plus a team's directory, its warnings on stderr.
pub(crate) fn load_policies(args: &PolicyArgs) -> Result<crate::engine::PolicySet, JalonError> {
    let set = crate::engine::PolicySet::load(args.policies.as_deref())?;
    for warning in &set.warnings {
        eprintln!("jalon: warning: {warning}");
    }
    Ok(set)
}

/// The man pages, from the CLI definition: one page on stdout, or one per command.
fn man(dir: Option<&std::path::Path>) -> Result<i32, JalonError> {
    let command = <Cli as clap::CommandFactory>::command();
    let written = match dir {
        Some(dir) => clap_mangen::generate_to(command, dir).map_err(|e| JalonError::io(dir, e)),
        None => output::to_stdout(|out| clap_mangen::Man::new(command).render(out)),
    };
    written.map(|()| exit::OK)
}

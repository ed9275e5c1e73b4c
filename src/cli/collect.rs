//! `jalon collect`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use crate::cli::AwsArgs;
use crate::collect::accounts::{AccountsRequest, Targets};
use crate::collect::CollectOptions;
use crate::error::{exit, JalonError};
use crate::snapshot::index::AccountStatus;
use crate::snapshot::CollectionStatus;

#[derive(Args, Debug)]
pub struct CollectArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Where to write the snapshot (default reports/snapshot.json); with --accounts or
    /// --org, the snapshot directory (default reports/accounts).
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Collect every account of this TOML file ([[account]] id, name, regions), each
    /// through --role-name.
    #[arg(long, value_name = "FILE", conflicts_with = "org", requires = "role_name")]
    pub accounts: Option<PathBuf>,
    /// Collect every active account of the AWS Organization (listed from the management
    /// account or a delegated administrator), each through --role-name.
    #[arg(long, requires = "role_name")]
    pub org: bool,
    /// The role assumed in each account (`arn:<partition>:iam::<account>:role/<NAME>`).
    #[arg(long, value_name = "NAME")]
    pub role_name: Option<String>,
    /// The external id the role's trust policy requires.
    /// (`JALON_EXTERNAL_ID` keeps it off the command line; never shown in --help).
    #[arg(long, value_name = "ID", env = "JALON_EXTERNAL_ID", hide_env_values = true)]
    pub external_id: Option<String>,
    /// Most accounts collected at once (--concurrency and --rate-limit apply within each
    /// account, per service and region: AWS quotas are per account).
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub account_concurrency: u32,
    /// Collect only shard K of N (0 <= K < N): the accounts whose id modulo N is K. Run
    /// N collections, one per machine, then `jalon merge` their directories.
    #[arg(long, value_name = "K/N", value_parser = crate::snapshot::index::Shard::parse, requires = "role_name")]
    pub shard: Option<crate::snapshot::index::Shard>,
    /// Leave these accounts out (comma separated ids), such as a management account
    /// where the role is not deployed. They are listed in the index as excluded.
    #[arg(long, value_name = "ID,ID", value_delimiter = ',', requires = "role_name", value_parser = parse_account_id)]
    pub exclude_accounts: Vec<String>,
    /// The team's config, for its cutover date (metric data is read from it). Default:
    /// $JALON_CONFIG, else ./jalon.toml when it exists.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Production cutover day (J+0), YYYY-MM-DD; overrides the config.
    #[arg(long, value_name = "DATE", value_parser = crate::cli::evaluate::parse_day)]
    pub cutover: Option<chrono::NaiveDate>,
}

/// How to collect, with the metric window the cutover implies.
pub fn options(aws: &AwsArgs, cutover: Option<chrono::NaiveDate>) -> CollectOptions {
    CollectOptions {
        metrics: aws.metrics_request(cutover),
        profile: aws.profile.clone(),
        regions: aws.regions.clone(),
        endpoint_url: aws.endpoint_url.clone(),
        concurrency: aws.concurrency as usize,
        max_attempts: aws.max_attempts,
        rate_limit: aws.rate_limit,
        progress: !aws.quiet && std::io::stderr().is_terminal(),
        connect_timeout: std::time::Duration::from_secs_f64(aws.connect_timeout),
        read_timeout: std::time::Duration::from_secs_f64(aws.read_timeout),
        on_failure: aws.verbose.then_some(print_failure as crate::collect::FailureSink),
    }
}

/// `--verbose`: a failure's whole error chain (credentials redacted), on stderr only,
/// with the endpoint's text made inert for the terminal.
fn print_failure(service: &str, region: &str, failure: &crate::collect::Failure) {
    let text = format!("jalon: {service} in {region}, {}: {}", failure.operation, failure.detail);
    eprintln!("{}", crate::render::escape::terminal::text(&text));
}

pub fn run(args: CollectArgs) -> Result<i32, JalonError> {
    let options = options(&args.aws, crate::cli::evaluate::cutover(args.cutover, args.config.as_deref())?);
    let targets = match (&args.accounts, args.org) {
        (Some(file), _) => Some(Targets::File(file.clone())),
        (None, true) => Some(Targets::Organization),
        (None, false) => None,
    };
    match (targets, &args.role_name) {
        (Some(targets), Some(role_name)) => return run_accounts(&args, targets, role_name, &options),
        (None, Some(_)) => {
            return Err(JalonError::Usage("--role-name is for several accounts: add --accounts FILE or --org".into()))
        }
        _ => {}
    }
    let output = args.output.clone().unwrap_or_else(|| PathBuf::from("reports/snapshot.json"));
    let snapshot = crate::collect::collect_blocking(&options)?;
    let sha = crate::snapshot::save(&snapshot, &output)?;
    let failed: Vec<_> = snapshot.collectors.iter().filter(|c| c.status != CollectionStatus::Ok).collect();
    let calls: u64 = snapshot.cost.api_calls.values().sum();
    eprintln!(
        "wrote {} (sha256 {}): {} API calls, {} retries, {} throttles in {:.1}s",
        output.display(),
        &sha[..12],
        calls,
        snapshot.cost.retries,
        snapshot.cost.throttles,
        snapshot.cost.seconds
    );
    for c in &failed {
        eprintln!("{}", crate::render::escape::terminal::text(&format!("! {}", c.line())));
    }
    // Evidence incomplete: say so in the exit code, as `check` would.
    Ok(if failed.is_empty() { exit::OK } else { exit::INCOMPLETE })
}

fn parse_account_id(text: &str) -> Result<String, String> {
    let id = text.trim();
    if crate::snapshot::index::is_account_id(id) {
        Ok(id.to_string())
    } else {
        Err(format!("expected a 12-digit account id, found {text:?}"))
    }
}

/// The metric window of each account whose `[accounts."<id>"]` sets another cutover
/// than the config's top level (`--cutover` sets every account's: none then).
fn account_metrics(
    args: &CollectArgs,
) -> Result<std::collections::BTreeMap<String, Option<crate::collect::MetricsRequest>>, JalonError> {
    let mut windows = std::collections::BTreeMap::new();
    let Some(path) = crate::cli::evaluate::config_path(args.config.as_deref()).filter(|_| args.cutover.is_none())
    else {
        return Ok(windows);
    };
    let config = crate::config::Config::load(&path)?;
    for id in config.account_ids() {
        let cutover = config.for_account(id).cutover;
        if cutover != config.cutover {
            windows.insert(id.to_string(), args.aws.metrics_request(cutover));
        }
    }
    Ok(windows)
}

/// `--accounts FILE` or `--org`: one snapshot per account and the index, in a directory.
fn run_accounts(
    args: &CollectArgs,
    targets: Targets,
    role_name: &str,
    options: &CollectOptions,
) -> Result<i32, JalonError> {
    let request = AccountsRequest {
        targets,
        role_name: role_name.to_string(),
        external_id: args.external_id.clone(),
        account_concurrency: args.account_concurrency as usize,
        dir: args.output.clone().unwrap_or_else(|| PathBuf::from("reports/accounts")),
        shard: args.shard,
        exclude: args.exclude_accounts.iter().cloned().collect(),
        account_metrics: account_metrics(args)?,
    };
    let index = crate::collect::accounts::collect_accounts_blocking(&request, options)?;
    let calls: u64 = index.cost.api_calls.values().sum();
    let incomplete: Vec<_> = index.accounts.iter().filter(|a| a.status != AccountStatus::Complete).collect();
    eprintln!(
        "wrote {} account{} to {}: {} complete, {} incomplete, {} failed; {} API calls, {} retries, {} throttles in {:.1}s",
        index.accounts.len(),
        if index.accounts.len() == 1 { "" } else { "s" },
        request.dir.display(),
        index.accounts.iter().filter(|a| a.status == AccountStatus::Complete).count(),
        index.accounts.iter().filter(|a| a.status == AccountStatus::Incomplete).count(),
        index.accounts.iter().filter(|a| a.status == AccountStatus::Failed).count(),
        calls,
        index.cost.retries,
        index.cost.throttles,
        index.cost.seconds
    );
    for account in &incomplete {
        let name = account.name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
        let line = format!(
            "! {}{name}: {}: {}",
            account.id,
            account.status.as_str(),
            account.message.as_deref().unwrap_or("")
        );
        eprintln!("{}", crate::render::escape::terminal::text(&line));
    }
    if !index.accounts.is_empty() && index.accounts.iter().all(|a| a.status == AccountStatus::Failed) {
        // As a one-account run that read nothing: a runtime failure, not a slow night.
        return Err(JalonError::Runtime(format!(
            "no account could be read ({} written to {}, each saying why): {}",
            index.accounts.len(),
            request.dir.display(),
            crate::render::escape::terminal::text(index.accounts[0].message.as_deref().unwrap_or("failed"))
        )));
    }
    if !index.excluded_accounts.is_empty() {
        eprintln!("excluded by --exclude-accounts: {}", index.excluded_accounts.join(", "));
    }
    if index.accounts.is_empty() {
        // Only a shard (or a list all excluded) can be empty (a list without accounts is refused): nothing was read.
        eprintln!(
            "jalon: warning: shard {} holds none of the accounts listed",
            request.shard.map(|s| s.to_string()).unwrap_or_default()
        );
        return Ok(exit::INCOMPLETE);
    }
    // An account not read whole leaves its controls UNKNOWN: evidence incomplete.
    Ok(if incomplete.is_empty() { exit::OK } else { exit::INCOMPLETE })
}

//! `jalon collect`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use crate::cli::AwsArgs;
use crate::collect::CollectOptions;
use crate::error::{exit, JalonError};
use crate::snapshot::CollectionStatus;

#[derive(Args, Debug)]
pub struct CollectArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Where to write the snapshot.
    #[arg(long, short, value_name = "FILE", default_value = "reports/snapshot.json")]
    pub output: PathBuf,
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
    let snapshot = crate::collect::collect_blocking(&options(
        &args.aws,
        crate::cli::evaluate::cutover(args.cutover, args.config.as_deref())?,
    ))?;
    let sha = crate::snapshot::save(&snapshot, &args.output)?;
    let failed: Vec<_> = snapshot.collectors.iter().filter(|c| c.status != CollectionStatus::Ok).collect();
    let calls: u64 = snapshot.cost.api_calls.values().sum();
    eprintln!(
        "wrote {} (sha256 {}): {} API calls, {} retries, {} throttles in {:.1}s",
        args.output.display(),
        &sha[..12],
        calls,
        snapshot.cost.retries,
        snapshot.cost.throttles,
        snapshot.cost.seconds
    );
    for c in &failed {
        let status = serde_json::to_value(c.status).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        let line = format!(
            "! {} in {}: {} on {}: {}",
            c.service,
            c.region,
            status.replace('_', " "),
            c.operation.as_deref().unwrap_or("?"),
            c.message.as_deref().unwrap_or("")
        );
        eprintln!("{}", crate::render::escape::terminal::text(&line));
    }
    // Evidence incomplete: say so in the exit code, as `check` would.
    Ok(if failed.is_empty() { exit::OK } else { exit::INCOMPLETE })
}

//! `jalon collect --accounts FILE | --org`: every account of a list or of an AWS
//! Organization into a snapshot directory (docs/accounts.md).
//!
//! Each account is read with its own credentials (its role, assumed from the caller's),
//! its own identity cache, its own retry partitions and its own `--rate-limit` per
//! service and region: AWS charges each call to the quota of the account it is made
//! in, so one account's budget is not another's, and one account throttled or denied
//! slows or fails only itself. What the accounts do share is charged to the caller's
//! account: every AssumeRole (one STS budget, under the same `--rate-limit`), the
//! Organization's listing, and `--account-concurrency`. An account that cannot be read
//! is written like the others, its statuses saying why, and listed in the index: it is
//! judged UNKNOWN, never dropped.

mod assume;
pub mod file;
mod organization;
mod regions;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use aws_config::identity::IdentityCache;
use aws_config::Region;
use aws_credential_types::provider::SharedCredentialsProvider;
use chrono::{SecondsFormat, Utc};
use futures::stream::{self, StreamExt, TryStreamExt};
use indicatif::ProgressBar;

use crate::collect::metrics::MetricsPlan;
use crate::collect::{
    base_config, collect_account, identity, metrics_plan, progress_bar, registry, round_ms, status, AccountRun,
    CollectOptions, CostRecorder, Failure, MetricsRequest, RateLimits,
};
use crate::error::JalonError;
use crate::snapshot::index::{
    AccountSource, AccountStatus, IndexedAccount, Shard, SnapshotIndex, INDEX_FILE, INDEX_VERSION,
};
use crate::snapshot::{Account, CollectionCost, CollectionStatus, Snapshot, SCHEMA_VERSION};

pub use file::AccountTarget;

/// Which accounts to read.
#[derive(Debug, Clone)]
pub enum Targets {
    /// `--accounts FILE`.
    File(PathBuf),
    /// `--org`: the Organization's active accounts.
    Organization,
}

#[derive(Debug, Clone)]
pub struct AccountsRequest {
    pub targets: Targets,
    /// The role assumed in each account (`--role-name`), a name or `path/name`.
    pub role_name: String,
    pub external_id: Option<String>,
    /// Most accounts read at once.
    pub account_concurrency: usize,
    /// Where the snapshots and `index.json` are written.
    pub dir: PathBuf,
    /// `--shard K/N`: only the accounts of that shard (fan-out over several machines).
    pub shard: Option<Shard>,
    /// `--exclude-accounts`: listed, then left out on purpose (recorded in the index).
    pub exclude: std::collections::BTreeSet<String>,
    /// The metric window of an account whose cutover differs from the run's (its
    /// `[accounts."<id>"]` in the config); None: no metric data for it.
    pub account_metrics: BTreeMap<String, Option<MetricsRequest>>,
}

/// Collects on a runtime of its own: for callers that are not async.
pub fn collect_accounts_blocking(
    request: &AccountsRequest,
    opts: &CollectOptions,
) -> Result<SnapshotIndex, JalonError> {
    check_role_name(&request.role_name).map_err(JalonError::Usage)?;
    crate::collect::runtime_for(opts)?.block_on(collect_accounts(request, opts))
}

/// What every account of the run shares.
struct Shared<'a> {
    request: &'a AccountsRequest,
    opts: &'a CollectOptions,
    base: aws_types::SdkConfig,
    /// The caller's region: where STS and the account API are called.
    caller: aws_types::SdkConfig,
    partition: String,
    session_name: String,
    /// The caller's own budget: every account's AssumeRole is charged to it.
    caller_limits: RateLimits,
    plan: Option<MetricsPlan>,
    /// Accounts whose metric window is their own (their cutover differs).
    account_plans: BTreeMap<String, Option<MetricsPlan>>,
    hidden: ProgressBar,
}

pub async fn collect_accounts(request: &AccountsRequest, opts: &CollectOptions) -> Result<SnapshotIndex, JalonError> {
    let started = Instant::now();
    let collected_at = Utc::now();
    let base = base_config(opts).await;
    // STS, Organizations and the account API answer in any region of the partition;
    // the first region asked for, else the profile's, else us-east-1.
    let caller_region =
        opts.regions.first().cloned().or_else(|| base.region().map(|r| r.to_string())).unwrap_or("us-east-1".into());
    let caller = base.to_builder().region(Region::new(caller_region)).build();
    let run_recorder = CostRecorder::new();
    let me = identity::collect(&caller, &run_recorder, None).await?;
    if let Some(failure) = &me.failure {
        return Err(JalonError::Runtime(format!(
            "cannot tell who the caller is (sts:GetCallerIdentity): {}",
            failure.message
        )));
    }
    let partition = crate::snapshot::arn::Arn::parse(&me.caller_arn).map_or("aws", |a| a.partition).to_string();
    let mut targets = match &request.targets {
        Targets::File(path) => file::load(path)?,
        Targets::Organization => organization::active_accounts(&caller, &run_recorder).await?,
    };
    // Excluded on purpose, and said so in the index: an account left out is never
    // mistaken for one the list did not hold.
    let excluded_accounts: Vec<String> =
        targets.iter().filter(|t| request.exclude.contains(&t.id)).map(|t| t.id.clone()).collect();
    targets.retain(|t| !request.exclude.contains(&t.id));
    let listed = targets.len() as u64;
    if let Some(shard) = request.shard {
        targets.retain(|t| shard.holds(&t.id));
    }
    std::fs::create_dir_all(&request.dir).map_err(|e| JalonError::io(&request.dir, e))?;

    let shared = Shared {
        request,
        opts,
        base,
        caller,
        partition,
        session_name: format!("jalon-{}", collected_at.timestamp()),
        caller_limits: RateLimits::new(opts.rate_limit),
        plan: metrics_plan(opts)?,
        account_plans: account_plans(&request.account_metrics)?,
        hidden: ProgressBar::hidden(),
    };
    let progress = progress_bar(opts.progress, targets.len() as u64);
    progress.set_message("accounts");
    let mut accounts: Vec<IndexedAccount> = stream::iter(targets)
        .map(|target| {
            let shared = &shared;
            let progress = &progress;
            async move {
                let entry = collect_one(shared, target).await;
                progress.inc(1);
                entry
            }
        })
        .buffer_unordered(request.account_concurrency.max(1))
        .try_collect()
        .await?;
    progress.finish_and_clear();
    accounts.sort_by(|a, b| a.id.cmp(&b.id));

    let mut cost = CollectionCost { seconds: round_ms(started.elapsed().as_secs_f64()), ..CollectionCost::default() };
    let (calls, retries, throttles) = run_recorder.totals();
    add_cost(&mut cost, &CollectionCost { seconds: 0.0, api_calls: calls, retries, throttles });
    for account in &accounts {
        add_cost(&mut cost, &CollectionCost { seconds: 0.0, ..account.cost.clone() });
    }
    let index = SnapshotIndex {
        index_version: INDEX_VERSION,
        tool: crate::collect::tool_info(),
        collected_at: collected_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        source: match request.targets {
            Targets::File(_) => AccountSource::AccountsFile,
            Targets::Organization => AccountSource::Organization,
        },
        role_name: request.role_name.clone(),
        accounts,
        cost,
        shard: request.shard,
        listed_accounts: request.shard.map(|_| listed),
        excluded_accounts,
    };
    // Written last and whole: a directory without its index is refused by `check`, so
    // a run cut short is never read as a complete one.
    let text = crate::snapshot::index::to_json(&index);
    crate::files::write_whole(&request.dir.join(INDEX_FILE), |out| out.write_all(text.as_bytes()))?;
    Ok(index)
}

/// Each account's own metric window, checked before any account is read.
fn account_plans(
    requests: &BTreeMap<String, Option<MetricsRequest>>,
) -> Result<BTreeMap<String, Option<MetricsPlan>>, JalonError> {
    let now = Utc::now();
    requests
        .iter()
        .map(|(id, request)| {
            let plan = request
                .map(|m| MetricsPlan::new(m.since, m.cutover, now))
                .transpose()
                .map_err(|e| JalonError::Usage(format!("account {id}: {e}")))?;
            Ok((id.clone(), plan))
        })
        .collect()
}

fn add_cost(total: &mut CollectionCost, part: &CollectionCost) {
    for (call, n) in &part.api_calls {
        *total.api_calls.entry(call.clone()).or_default() += n;
    }
    total.retries += part.retries;
    total.throttles += part.throttles;
    total.seconds += part.seconds;
}

/// One account, read and written: its index entry. An error only for the directory
/// (a snapshot that cannot be written).
async fn collect_one(shared: &Shared<'_>, target: AccountTarget) -> Result<IndexedAccount, JalonError> {
    let started = Instant::now();
    let recorder = CostRecorder::new();
    let role_arn = format!("arn:{}:iam::{}:role/{}", shared.partition, target.id, shared.request.role_name);
    let caller_region = shared.caller.region().map(|r| r.to_string()).unwrap_or_default();
    let role = assume::AssumedRole::new(
        &shared.caller,
        &recorder,
        shared.caller_limits.in_region(&caller_region),
        role_arn,
        shared.request.external_id.clone(),
        shared.session_name.clone(),
    );
    let assume_failure = role.failure();
    let assumed_account = role.assumed_account();
    // Its own cache: the base config's is shared by every clone of it and holds a
    // bounded number of identities; a long run over many accounts would evict and
    // assume again. Loading may wait on throttled AssumeRole retries.
    let load_timeout = (shared.opts.connect_timeout + shared.opts.read_timeout) * shared.opts.max_attempts.max(1);
    let sdk = shared
        .base
        .to_builder()
        .region(Region::new(caller_region.clone()))
        .credentials_provider(SharedCredentialsProvider::new(role))
        .identity_cache(IdentityCache::lazy().load_timeout(load_timeout.max(Duration::from_secs(5))).build())
        .build();
    let assume_failed = || assume_failure.lock().unwrap_or_else(|e| e.into_inner()).clone();

    let mut regions_status = None;
    let regions = if !target.regions.is_empty() {
        target.regions.clone()
    } else if !shared.opts.regions.is_empty() {
        shared.opts.regions.clone()
    } else {
        match regions::enabled(&sdk, &target.id, &recorder).await {
            Ok(found) if !found.is_empty() => {
                regions_status = Some(status("account", &caller_region, None));
                found
            }
            Ok(_) => {
                let failure = failure("ListRegions", "the account lists no enabled region");
                return finish(
                    shared,
                    &target,
                    unreadable(&target, &[], &caller_region, "account", &failure, shared),
                    started,
                    &recorder,
                );
            }
            Err(failure) => {
                // A role that cannot be assumed shows first here: say that, not the call.
                let (service, failure) = match assume_failed() {
                    Some(assume) => ("sts", assume),
                    None => ("account", failure),
                };
                return finish(
                    shared,
                    &target,
                    unreadable(&target, &[], &caller_region, service, &failure, shared),
                    started,
                    &recorder,
                );
            }
        }
    };

    // The account's own quota: its limiters are its own.
    let limits = RateLimits::new(shared.opts.rate_limit);
    let run = AccountRun {
        sdk,
        regions: regions.clone(),
        plan: shared.account_plans.get(&target.id).copied().unwrap_or(shared.plan),
        limits: &limits,
        progress: &shared.hidden,
        recorder: recorder.clone(),
        account_id: Some(target.id.clone()),
    };
    let collected = collect_account(&run, shared.opts).await;
    let assumed = assumed_account.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let snapshot = match (collected, assume_failed()) {
        // Every call failed for want of credentials: the role is the one failure.
        (Ok(s), Some(assume)) if s.account.id.is_empty() => {
            unreadable(&target, &regions, &caller_region, "sts", &assume, shared)
        }
        (Err(_), Some(assume)) => unreadable(&target, &regions, &caller_region, "sts", &assume, shared),
        (Err(e), None) => {
            let failure = failure("GetCallerIdentity", &e.to_string());
            unreadable(&target, &regions, &caller_region, "sts", &failure, shared)
        }
        // Never file one account's resources under another's id: the identity the
        // account's own GetCallerIdentity gives, else the one AssumeRole answered
        // with, must be the account asked for; with neither, nothing says whose they are.
        (Ok(s), _) if owner(&s.account.id, assumed.as_deref()) != Some(target.id.as_str()) => {
            let whose = owner(&s.account.id, assumed.as_deref()).unwrap_or("an unknown account");
            let failure = failure(
                "GetCallerIdentity",
                &format!("the role's credentials belong to {whose}, not account {}", target.id),
            );
            unreadable(&target, &regions, &caller_region, "sts", &failure, shared)
        }
        (Ok(mut s), _) => {
            s.account.id = target.id.clone();
            s.collectors.extend(regions_status);
            registry::sort_statuses(&mut s.collectors);
            s
        }
    };
    finish(shared, &target, snapshot, started, &recorder)
}

/// Whose the credentials are: the account GetCallerIdentity named, else AssumeRole's.
fn owner<'a>(identity: &'a str, assumed: Option<&'a str>) -> Option<&'a str> {
    Some(identity).filter(|id| !id.is_empty()).or(assumed)
}

fn failure(operation: &str, message: &str) -> Failure {
    Failure {
        status: CollectionStatus::Error,
        operation: operation.into(),
        message: message.into(),
        detail: String::new(),
    }
}

/// The snapshot of an account nothing could be read from: no resources, and a status
/// for the identity and for every collector of every region, each saying why, so each
/// control that needs evidence is UNKNOWN for it.
fn unreadable(
    target: &AccountTarget,
    regions: &[String],
    caller_region: &str,
    service: &str,
    failure: &Failure,
    shared: &Shared<'_>,
) -> Snapshot {
    if let Some(sink) = shared.opts.on_failure {
        sink(service, caller_region, failure);
    }
    let mut collectors = vec![status(service, caller_region, Some(failure))];
    let plan = shared.account_plans.get(&target.id).copied().unwrap_or(shared.plan);
    let follow_ups = plan.is_some().then(registry::follow_ups).into_iter().flatten().map(|(c, _)| c);
    let per_region: Vec<&str> = registry::regional().map(|(c, _)| c).chain(follow_ups).map(|c| c.name).collect();
    for region in regions {
        for name in &per_region {
            collectors.push(status(name, region, Some(failure)));
        }
    }
    registry::sort_statuses(&mut collectors);
    let mut regions = regions.to_vec();
    regions.sort();
    Snapshot {
        schema_version: SCHEMA_VERSION,
        tool: crate::collect::tool_info(),
        account: Account { id: target.id.clone(), caller_arn: String::new() },
        regions,
        collected_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        collectors,
        ..Snapshot::default()
    }
}

/// Writes the account's snapshot and says how its collection went.
fn finish(
    shared: &Shared<'_>,
    target: &AccountTarget,
    mut snapshot: Snapshot,
    started: Instant,
    recorder: &CostRecorder,
) -> Result<IndexedAccount, JalonError> {
    let (api_calls, retries, throttles) = recorder.totals();
    snapshot.cost =
        CollectionCost { seconds: round_ms(started.elapsed().as_secs_f64()), api_calls, retries, throttles };
    let failed: Vec<_> = snapshot.collectors.iter().filter(|c| c.status != CollectionStatus::Ok).collect();
    let regional = |name: &str| registry::regional().any(|(c, _)| c.name == name);
    let read_something =
        snapshot.collectors.iter().any(|c| regional(c.service.as_str()) && c.status == CollectionStatus::Ok);
    let status = if failed.is_empty() {
        AccountStatus::Complete
    } else if !read_something {
        AccountStatus::Failed
    } else {
        AccountStatus::Incomplete
    };
    let message = failed.first().map(|c| c.line());
    let file_name = format!("{}.json", target.id);
    let sha256 = crate::snapshot::save(&snapshot, &shared.request.dir.join(&file_name))?;
    Ok(IndexedAccount {
        id: target.id.clone(),
        name: target.name.clone(),
        regions: snapshot.regions.clone(),
        status,
        message,
        snapshot: file_name,
        sha256,
        cost: snapshot.cost,
    })
}

/// An IAM role name, optionally under a path: `[\w+=,.@-]{1,64}` per segment.
fn check_role_name(name: &str) -> Result<(), String> {
    let valid_segment = |s: &str| {
        (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
    };
    if name.split('/').all(valid_segment) {
        Ok(())
    } else {
        Err(format!(
            "--role-name: expected an IAM role name (letters, digits and +=,.@_-, at most 64, optionally under a path), found {name:?}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_are_checked() {
        assert!(check_role_name("jalon-audit").is_ok());
        assert!(check_role_name("audit/jalon-audit").is_ok());
        for bad in ["", "a b", "x/", &"r".repeat(65), "role\n"] {
            assert!(check_role_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn costs_add_up() {
        let mut total = CollectionCost::default();
        let part = CollectionCost {
            seconds: 1.0,
            api_calls: [("lambda:ListFunctions".to_string(), 2)].into(),
            retries: 1,
            throttles: 1,
        };
        add_cost(&mut total, &part);
        add_cost(&mut total, &part);
        assert_eq!(total.api_calls["lambda:ListFunctions"], 4);
        assert_eq!((total.retries, total.throttles, total.seconds), (2, 2, 2.0));
    }
}

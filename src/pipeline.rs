//! The evaluation `check`, `diff` (of two snapshots), `gdpr` and the benchmark
//! share: load the team's files, read the evidence (a snapshot file, or the live
//! account), evaluate it with the policies, judge the verdicts.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};

use crate::attestations::{self, Attestation};
use crate::checklist::{Checklist, Judgement};
use crate::collect::CollectOptions;
use crate::config::Config;
use crate::engine::fix::Facts;
use crate::engine::{Evaluator, Input, Inventory, PolicySet};
use crate::error::JalonError;
use crate::result::{CheckReport, Verdict, Warning};
use crate::snapshot::LoadedSnapshot;
use crate::waivers::{self, Waiver};

/// The files a team keeps, and the cutover: what a judgement depends on besides the
/// evidence. None everywhere: the shipped policies and checklist, default thresholds.
#[derive(Debug, Clone, Default)]
pub struct TeamFiles {
    /// A directory of the team's own Rego; a control with a shipped id replaces it.
    pub policies: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub checklist: Option<PathBuf>,
    pub waivers: Option<PathBuf>,
    pub attestations: Option<PathBuf>,
    /// Overrides the config's cutover.
    pub cutover: Option<NaiveDate>,
    /// The controls to evaluate (`--controls`, `--skip-controls`); default all.
    pub selection: crate::selection::ControlSelection,
}

/// Where the evidence comes from.
#[derive(Debug, Clone)]
pub enum Evidence {
    /// A snapshot written by `jalon collect`.
    Snapshot(PathBuf),
    /// The live account, collected now.
    Live(CollectOptions),
}

/// One evaluation to run.
#[derive(Debug, Clone)]
pub struct Request {
    pub evidence: Evidence,
    pub files: TeamFiles,
    /// None: when the snapshot was collected.
    pub as_of: Option<DateTime<Utc>>,
    /// A phase the caller will show (`--phase`): checked to exist in the checklist.
    pub phase: Option<String>,
    /// Keep the snapshot's resources in [`Evaluation::snapshot`] (the GDPR appendix
    /// reads them); otherwise only its metadata and collector statuses are kept, the
    /// engine having its own copy.
    pub keep_resources: bool,
    /// Evaluate the personal-data inventory too (the GDPR appendix documents it).
    pub inventory: bool,
    /// Warn when the snapshot was collected longer than this before the as-of date.
    pub max_age: Option<chrono::Duration>,
    /// How long one policy query may run before its controls are UNKNOWN.
    pub eval_timeout: Duration,
    /// Bytes one evaluation may add to the heap before its controls are UNKNOWN
    /// (None: no bound).
    pub eval_memory: Option<u64>,
}

impl Request {
    /// A snapshot judged with these files as `jalon check` judges it by default: as of
    /// its collection, every phase, the default evaluation bounds, no age warning, and
    /// only what the report needs kept.
    pub fn of_snapshot(path: impl Into<PathBuf>, files: TeamFiles) -> Request {
        Request {
            evidence: Evidence::Snapshot(path.into()),
            files,
            as_of: None,
            phase: None,
            keep_resources: false,
            inventory: false,
            max_age: None,
            eval_timeout: crate::engine::DEFAULT_TIME_LIMIT,
            eval_memory: Some(crate::engine::DEFAULT_MEMORY_LIMIT),
        }
    }
}

/// The team's files, loaded and checked against each other.
pub struct Rules {
    pub policies: PolicySet,
    pub checklist: Checklist,
    pub config: Config,
    /// The config file read, if any.
    pub config_path: Option<PathBuf>,
    pub waivers: Vec<Waiver>,
    pub attestations: Vec<Attestation>,
    pub cutover: Option<NaiveDate>,
    /// `--cutover`: it overrides every account's, `[accounts."<id>"]` included.
    pub cutover_flag: Option<NaiveDate>,
}

/// What one account is judged with besides the policies and the checklist: its
/// config (the top level with its `[accounts."<id>"]` over it), its cutover, and the
/// waivers and attestations that apply to it.
pub struct AccountRules {
    pub account: String,
    pub config: Config,
    pub cutover: Option<NaiveDate>,
    pub waivers: Vec<Waiver>,
    /// Where each of `waivers` stands in [`Rules::waivers`].
    pub waiver_index: Vec<usize>,
    pub attestations: Vec<Attestation>,
}

/// A judged snapshot, with what it was judged with.
pub struct Evaluation {
    pub report: CheckReport,
    pub snapshot: LoadedSnapshot,
    pub rules: Rules,
    /// The personal-data inventory, when the request asked for it.
    pub inventory: Option<Inventory>,
    /// Wall time of each stage.
    pub times: StageTimes,
}

/// Where an evaluation's time went.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    /// Reading and checking the team's files and the policies.
    pub files: Duration,
    /// Reading the snapshot (or collecting the account) and converting it for the engine.
    pub snapshot: Duration,
    /// Loading the policies into the engine.
    pub engine: Duration,
    pub evaluate: Duration,
    pub judge: Duration,
}

impl Rules {
    /// Loads and cross-checks the team's files: every error names its file.
    pub fn load(files: &TeamFiles) -> Result<Rules, JalonError> {
        let mut config = match &files.config {
            Some(p) => Config::load(p)?,
            None => Config::default(),
        };
        let policies = PolicySet::load(files.policies.as_deref())?;
        let checklist = match files.checklist.as_deref() {
            Some(path) => Checklist::load(path)?,
            None => Checklist::embedded()?,
        };
        checklist.validate(&policies).map_err(|detail| {
            JalonError::input(files.checklist.as_deref().unwrap_or(Path::new("checklists/default.toml")), detail)
        })?;
        let waivers = match files.waivers.as_deref() {
            Some(path) => waivers::load(path, &policies)?,
            None => Vec::new(),
        };
        let attestations = match files.attestations.as_deref() {
            Some(path) => attestations::load(path, &policies)?,
            None => Vec::new(),
        };
        // After the checklist, waivers and attestations are checked against every
        // control: they may name one the selection leaves out.
        let mut policies = policies;
        policies.select(&files.selection).map_err(JalonError::Usage)?;
        // A waiver or attestation of a control left out is not "unmatched": it is not in play.
        let waivers: Vec<Waiver> = waivers.into_iter().filter(|w| policies.controls.contains_key(&w.control)).collect();
        let attestations: Vec<Attestation> =
            attestations.into_iter().filter(|a| policies.controls.contains_key(&a.control)).collect();
        let cutover = files.cutover.or(config.cutover);
        // The policies read the cutover the run uses (OPS-003 judges what came after it).
        config.cutover = cutover;
        Ok(Rules {
            policies,
            checklist,
            config,
            config_path: files.config.clone(),
            waivers,
            attestations,
            cutover,
            cutover_flag: files.cutover,
        })
    }

    /// What `account` is judged with: `--cutover` over its config's cutover, and the
    /// waivers and attestations without `account` or naming it.
    pub fn for_account(&self, account: &str) -> AccountRules {
        let mut config = self.config.for_account(account).clone();
        let cutover = self.cutover_flag.or(config.cutover);
        // The policies read the cutover the account is judged with.
        config.cutover = cutover;
        let (waiver_index, waivers) =
            self.waivers.iter().enumerate().filter(|(_, w)| w.applies_to(account)).map(|(i, w)| (i, w.clone())).unzip();
        AccountRules {
            account: account.to_string(),
            config,
            cutover,
            waivers,
            waiver_index,
            attestations: self.attestations.iter().filter(|a| a.applies_to(account)).cloned().collect(),
        }
    }

    /// `--phase`: one of the checklist's phases.
    pub fn check_phase(&self, phase: &str) -> Result<(), JalonError> {
        self.checklist.check_phase(phase).map_err(JalonError::Usage)
    }

    /// The verdicts of an evaluated snapshot of `account`, and how many resources each
    /// of its waivers matched.
    pub fn judge(
        &self,
        account: &AccountRules,
        snapshot: &LoadedSnapshot,
        outcomes: std::collections::BTreeMap<String, crate::engine::ControlOutcome>,
        as_of: DateTime<Utc>,
    ) -> (CheckReport, Vec<usize>) {
        Judgement {
            policies: &self.policies,
            checklist: &self.checklist,
            snapshot,
            waivers: &account.waivers,
            attestations: &account.attestations,
            as_of,
            cutover: account.cutover,
        }
        .judge_counting(outcomes)
    }
}

/// Reads the evidence: the snapshot as parsed and checked, and its copy for the engine.
pub fn read_evidence(evidence: &Evidence, keep_resources: bool) -> Result<(LoadedSnapshot, Input), JalonError> {
    let (mut snapshot, input) = match evidence {
        Evidence::Snapshot(path) => crate::engine::load_snapshot(path, keep_resources)?,
        Evidence::Live(options) => crate::engine::prepare_collected(crate::collect::collect_blocking(options)?)?,
    };
    for (i, status) in snapshot.snapshot.collectors.iter().enumerate() {
        crate::collect::registry::check_name(status.service.as_str()).map_err(|e| {
            let file = match evidence {
                Evidence::Snapshot(path) => path.as_path(),
                Evidence::Live(_) => Path::new("snapshot"),
            };
            JalonError::input(file, format!("at `collectors[{i}].service`: {e}"))
        })?;
    }
    if !keep_resources {
        // The engine has its own copy; this one would only add to the peak memory.
        snapshot.snapshot.drop_resources();
    }
    Ok((snapshot, input))
}

/// The figures of the functions and stages OPS-003 judged (its resources).
fn slo_figures(
    report: &CheckReport,
    snapshot: &LoadedSnapshot,
    account: &AccountRules,
) -> Vec<crate::result::slo::SloSummary> {
    let Some(ops) = report.controls.iter().find(|c| c.id == "OPS-003") else { return Vec::new() };
    let judged: std::collections::HashSet<&str> = ops.resources.iter().map(|r| &*r.id).collect();
    crate::result::slo::summarize(&snapshot.snapshot.metrics, &account.config.thresholds, account.cutover, |arn| {
        judged.contains(arn)
    })
}

/// The moment the controls are judged at: `given`, else when the snapshot was collected.
pub fn as_of(
    given: Option<DateTime<Utc>>,
    snapshot: &LoadedSnapshot,
    evidence: &Evidence,
) -> Result<DateTime<Utc>, JalonError> {
    if let Some(t) = given {
        return Ok(t);
    }
    DateTime::parse_from_rfc3339(&snapshot.snapshot.collected_at).map(|d| d.with_timezone(&Utc)).map_err(|e| {
        let file = match evidence {
            Evidence::Snapshot(path) => path.as_path(),
            Evidence::Live(_) => Path::new("snapshot"),
        };
        JalonError::input(file, format!("at `collected_at`: expected an RFC 3339 time: {e}"))
    })
}

/// Runs one evaluation from end to end.
pub fn run(request: &Request) -> Result<Evaluation, JalonError> {
    let mut times = StageTimes::default();
    let stage = |name: &'static str| (crate::timings::stage(name), Instant::now());

    let (timing, start) = stage("load inputs");
    let mut rules = Rules::load(&request.files)?;
    if let Some(phase) = &request.phase {
        rules.check_phase(phase)?;
    }
    times.files = start.elapsed();
    drop(timing);

    let (timing, start) = stage("load snapshot");
    let (snapshot, input) = read_evidence(&request.evidence, request.keep_resources)?;
    let as_of = as_of(request.as_of, &snapshot, &request.evidence)?;
    times.snapshot = start.elapsed();
    drop(timing);

    // The snapshot's account decides its `[accounts."<id>"]`, waivers and attestations.
    let account = rules.for_account(&snapshot.snapshot.account.id);
    let (timing, start) = stage("load policies");
    let evaluator = Evaluator::new(&rules.policies, &account.config, as_of)?;
    times.engine = start.elapsed();
    drop(timing);

    let judged = judge_snapshot(&rules, &account, &evaluator, &snapshot, input, as_of, request, &mut times)?;
    let mut report = judged.report;
    // A waiver scoped to other accounts waives nothing here: shown as matching nothing.
    report.waivers.unmatched.extend(
        rules
            .waivers
            .iter()
            .filter(|w| !w.applies_to(&account.account) && w.is_active(as_of.date_naive()))
            .map(crate::result::WaiverEntry::from),
    );
    // The report and the GDPR appendix read the account's own config and cutover.
    rules.config = account.config;
    rules.cutover = account.cutover;
    rules.waivers = account.waivers;
    rules.attestations = account.attestations;
    Ok(Evaluation { report, snapshot, rules, inventory: judged.inventory, times })
}

/// One account's snapshot judged.
pub struct Judged {
    pub report: CheckReport,
    /// How many resources each of the account's waivers matched.
    pub waiver_hits: Vec<usize>,
    pub inventory: Option<Inventory>,
}

/// Evaluates a read snapshot with `evaluator` (loaded with the account's config and
/// the as-of) and judges it with the account's rules.
#[allow(clippy::too_many_arguments)]
pub fn judge_snapshot(
    rules: &Rules,
    account: &AccountRules,
    evaluator: &Evaluator,
    snapshot: &LoadedSnapshot,
    input: Input,
    as_of: DateTime<Utc>,
    request: &Request,
    times: &mut StageTimes,
) -> Result<Judged, JalonError> {
    let stage = |name: &'static str| (crate::timings::stage(name), Instant::now());
    let mut evaluator = evaluator.clone().with_time_limit(request.eval_timeout);
    if let Some(bytes) = request.eval_memory {
        evaluator = evaluator.with_memory_limit(bytes);
    }

    let (timing, start) = stage("evaluate");
    let inventory = match request.inventory {
        true => Some(evaluator.inventory(input.clone()).map_err(JalonError::Runtime)?),
        false => None,
    };
    let coverage = match account.config.scope.filters() {
        true => Some(evaluator.scope_coverage(input.clone()).map_err(JalonError::Runtime)?),
        false => None,
    };
    // What the fixes need beyond the ARNs (Aurora or not, RDS-managed secrets), read
    // before the engine takes the input.
    let facts = Facts::from_input(&input).with_thresholds(&account.config.thresholds);
    let outcomes = evaluator.evaluate(input);
    times.evaluate = start.elapsed();
    drop(timing);

    let (timing, start) = stage("judge");
    let (mut report, waiver_hits) = rules.judge(account, snapshot, outcomes, as_of);
    attach_fixes(&mut report, &rules.policies, &facts);
    report.warnings.extend(scope_warnings(&account.config.scope, coverage.as_deref().unwrap_or_default()));
    report.warnings.extend(stale_warning(snapshot, as_of, request.max_age));
    report.warnings.extend(expiry_warnings(account, as_of.date_naive()));
    report.slo = slo_figures(&report, snapshot, account);
    times.judge = start.elapsed();
    drop(timing);
    Ok(Judged { report, waiver_hits, inventory })
}

/// Each failing resource's fix, from its control's METADATA (waived and passing
/// resources have none).
fn attach_fixes(report: &mut CheckReport, policies: &PolicySet, facts: &Facts) {
    for c in &mut report.controls {
        let Some(meta) = policies.controls.get(&c.id).filter(|m| !m.fix.is_empty()) else { continue };
        for r in c.resources.iter_mut().filter(|r| r.verdict == Verdict::Fail) {
            r.fix = meta.fix.fill(&r.id, facts);
        }
    }
}

/// A scope that keeps nothing of a list that has resources: the controls of that list
/// judge nothing and would read as passing, so the evidence is incomplete (exit 2).
fn scope_warnings(scope: &crate::config::Scope, coverage: &[crate::engine::ScopeCoverage]) -> Vec<Warning> {
    coverage
        .iter()
        .filter(|c| c.collected > 0 && c.in_scope == 0)
        .map(|c| {
            Warning::new(
                "scope-keeps-nothing",
                format!(
                    "the scope ({}) keeps none of the {} collected ({} in the snapshot): their controls judge nothing",
                    scope.describe(),
                    c.what,
                    c.collected
                ),
                true,
            )
        })
        .collect()
}

/// How many days ahead a waiver's or an attestation's expiry is announced.
pub const EXPIRY_NOTICE_DAYS: i64 = 14;

/// Waivers and attestations that expire within [`EXPIRY_NOTICE_DAYS`] of the as-of
/// day: the day after, a waived control fails again, an attested one needs evidence.
fn expiry_warnings(rules: &AccountRules, today: NaiveDate) -> Vec<Warning> {
    let soon = |expires: NaiveDate| {
        let left = (expires - today).num_days();
        (0..=EXPIRY_NOTICE_DAYS).contains(&left).then_some(left)
    };
    let when = |left: i64| match left {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n => format!("in {n} days"),
    };
    let mut warnings = Vec::new();
    for w in &rules.waivers {
        if let Some(left) = soon(w.expires) {
            warnings.push(Warning::new(
                "waiver-expiring",
                format!(
                    "the waiver of {} for {} (owner {}, approved by {}) expires on {}, {}: renew it or fix what it waives",
                    w.control,
                    w.resource,
                    w.owner,
                    w.approved_by,
                    w.expires,
                    when(left)
                ),
                false,
            ));
        }
    }
    for a in &rules.attestations {
        if let Some(left) = soon(a.expires).filter(|_| a.date <= today) {
            warnings.push(Warning::new(
                "attestation-expiring",
                format!(
                    "the attestation of {} by {} expires on {}, {}: attest it again ({})",
                    a.control,
                    a.by,
                    a.expires,
                    when(left),
                    a.link
                ),
                false,
            ));
        }
    }
    warnings
}

/// A snapshot collected longer than `max_age` before the as-of date judges an
/// account as it was, not as it is.
fn stale_warning(
    snapshot: &LoadedSnapshot,
    as_of: DateTime<Utc>,
    max_age: Option<chrono::Duration>,
) -> Option<Warning> {
    let collected = DateTime::parse_from_rfc3339(&snapshot.snapshot.collected_at).ok()?.with_timezone(&Utc);
    let age = as_of - collected;
    (age > max_age?).then(|| {
        Warning::new(
            "stale-snapshot",
            format!(
                "the snapshot was collected on {}, {} days before the as-of date {}: it shows the account as it was then \
                 (--max-age {}); collect it again",
                collected.date_naive(),
                (as_of.date_naive() - collected.date_naive()).num_days(),
                as_of.date_naive(),
                max_age.map_or(0, |d| d.num_days())
            ),
            false,
        )
    })
}

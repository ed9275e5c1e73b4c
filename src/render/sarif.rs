//! `--format sarif`: SARIF 2.1.0 (OASIS), for code-scanning dashboards (GitHub
//! code scanning, Azure DevOps, SARIF viewers in editors).
//!
//! Built with `serde_json::json!` rather than the `serde-sarif` crate: the log we
//! write is a small, fixed subset of SARIF (one run, rules, results, one
//! invocation), `serde_json` is already a dependency with `preserve_order` (the
//! keys come out in the order written, so golden files read well), and validity is
//! proven where it matters, by a test that validates the output against the
//! official OASIS schema. `serde-sarif` would add a large generated type tree and
//! its builder and enum-string crates for no check that the schema test does not
//! already make.
//!
//! How the checklist maps onto SARIF:
//! - one rule per control in view: id, a PascalCase `name` from its title,
//!   `shortDescription` (the title), `fullDescription`, `help` (the remediation, also
//!   as Markdown), `helpUri` (its first documentation link), `defaultConfiguration.level`
//!   from its severity, and `properties` (severity, phase, GDPR articles, tags, and
//!   `security-severity`, the score GitHub turns into Critical / High / Medium / Low);
//! - one result per failing resource of a due control (`kind: fail`, level `error`
//!   for critical and high, `warning` for medium, `note` for low); a waived resource
//!   is the same result with an accepted external `suppression` and the waiver as
//!   its justification;
//! - UNKNOWN and NEEDS_EVIDENCE controls are one result each with `kind: review` and
//!   `level: none` (the spec's "a human must review this": jalon could not judge):
//!   SARIF viewers list them apart from the failures, and GitHub code scanning shows
//!   them as the lowest-level alerts instead of dropping them. The collectors that
//!   did not finish are also `toolExecutionNotifications` (level `error`) and make
//!   `executionSuccessful` false, which GitHub shows on its tool status page;
//! - expired and unmatched waivers are `toolConfigurationNotifications` (warnings);
//! - PENDING controls are not results: they are not due yet, and an alert today would
//!   be noise. PASS and NOT_APPLICABLE are not results either;
//! - with `--baseline`, every result has a `baselineState`: `new` (a new failure, or a
//!   control that became UNKNOWN or NEEDS_EVIDENCE), `updated` (another verdict change,
//!   e.g. FAIL to WAIVED), `unchanged` otherwise. Fixed resources are not listed
//!   (`absent`): the drift in the JSON and Markdown reports names them;
//! - at most `--sarif-max-results` results (default 25,000: GitHub code scanning
//!   rejects a whole upload above that). When there are more, the reviews (UNKNOWN,
//!   NEEDS_EVIDENCE) are kept first, then the failures of the most severe controls,
//!   then the waived ones; a warning in `toolExecutionNotifications` says how many
//!   were left out, and the JSON report still lists every one.
//!
//! Locations. An AWS resource is not a file, so every result has a
//! `logicalLocation` with the ARN as `fullyQualifiedName` (kind `resource`). GitHub
//! code scanning rejects a whole upload when a result has no physical location,
//! so each result also carries a `physicalLocation` whose URI is a readable path
//! derived from the ARN (`123456789012/eu-west-3/lambda/function/orders-api`),
//! relative to the `AWS` base URI that `originalUriBaseIds` describes as the account,
//! not a directory. Dashboards then show one alert per resource, with no source
//! preview. `partialFingerprints` (`jalonResource/v1`: SHA-256 of the control id and
//! the resource id) keep an alert the same alert from one nightly run to the next.

use std::collections::HashMap;

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::engine::Severity;
use crate::render::{display_name, remediation_for, shown_waivers, View};
use crate::result::drift::Change;
use crate::result::{CheckReport, ControlResult, ResourceResult, Verdict};
use crate::snapshot::arn::resource_name;
use crate::snapshot::CollectionStatus;

/// The OASIS schema the log conforms to (errata 01, the standard's final text).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The `uriBaseId` of every physical location: the AWS account, not a directory.
pub(crate) const BASE_ID: &str = "AWS";

/// Where `tool.driver.informationUri` points: the package's homepage or repository
/// when Cargo.toml names one, else its page on crates.io.
pub(crate) fn information_uri() -> &'static str {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|u| !u.is_empty())
        .unwrap_or(concat!("https://crates.io/crates/", env!("CARGO_PKG_NAME")))
}

/// The log as SARIF puts it: `runs[0].results` is streamed, one result built at a
/// time (a whole log as one JSON tree would take several times its text in memory).
#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Value,
    automation_details: Value,
    original_uri_base_ids: Value,
    invocations: [Value; 1],
    results: Results<'a>,
    properties: Value,
}

struct Results<'a> {
    report: &'a CheckReport,
    controls: &'a [&'a ControlResult],
    /// How many results each control may write (see [`Budget`]).
    budget: &'a Budget,
    tag: &'a AccountTag<'a>,
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for (index, c) in self.controls.iter().enumerate() {
            for result in control_results(self.report, c, index, self.tag).take(self.budget.per_control[index]) {
                seq.serialize_element(&result)?;
            }
        }
        seq.end()
    }
}

/// Whose results these are. One account's log names its account in every result's
/// properties; a log over several accounts also names it in every message, gives
/// the account to non-ARN resource names, and keys fingerprints on it, so the same
/// resource in two accounts makes two alerts.
pub(crate) struct AccountTag<'a> {
    pub id: &'a str,
    pub name: Option<&'a str>,
    pub several: bool,
}

impl<'a> AccountTag<'a> {
    fn of(report: &'a CheckReport) -> AccountTag<'a> {
        AccountTag { id: account_of(report), name: None, several: false }
    }

    /// "account 111111111111 (production): " in a log over several accounts.
    fn prefix(&self) -> String {
        match self.several {
            true => format!("account {}: ", crate::render::accounts::account_label(self.id, self.name)),
            false => String::new(),
        }
    }
}

/// GitHub code scanning rejects an upload with more results than this in a run
/// (and shows the 5,000 most severe).
pub const GITHUB_MAX_RESULTS: usize = 25_000;

/// How many results each control in view may write under a cap: reviews first (an
/// UNKNOWN must never vanish from a dashboard), then failing controls, most severe
/// first and in checklist order within a severity, then waived controls (their
/// results are suppressed) the same way.
pub(crate) struct Budget {
    pub per_control: Vec<usize>,
    /// Results the cap left out.
    pub omitted: usize,
}

impl Budget {
    /// `max_results`: 0 for no cap.
    pub fn new(controls: &[&ControlResult], max_results: usize) -> Budget {
        let wanted: Vec<usize> = controls.iter().map(|c| result_count(c)).collect();
        if max_results == 0 || wanted.iter().sum::<usize>() <= max_results {
            return Budget { per_control: wanted, omitted: 0 };
        }
        let mut order: Vec<usize> = (0..controls.len()).collect();
        order.sort_by_key(|&i| {
            let class = match controls[i].verdict {
                Verdict::Unknown | Verdict::NeedsEvidence => 0,
                Verdict::Waived => 2,
                _ => 1,
            };
            (class, std::cmp::Reverse(controls[i].severity), i)
        });
        let mut per_control = vec![0; controls.len()];
        let mut left = max_results;
        for i in order {
            per_control[i] = wanted[i].min(left);
            left -= per_control[i];
        }
        let omitted = wanted.iter().sum::<usize>() - per_control.iter().sum::<usize>();
        Budget { per_control, omitted }
    }
}

/// What [`control_results`] yields for a control, counted without building it.
pub(crate) fn result_count(c: &ControlResult) -> usize {
    match c.verdict {
        Verdict::Fail | Verdict::Waived => listed_resources(c).count(),
        Verdict::Unknown | Verdict::NeedsEvidence => 1,
        Verdict::Pass | Verdict::Pending | Verdict::NotApplicable => 0,
    }
}

/// The resources of a FAIL or WAIVED control that are results: the failing and the
/// waived ones.
fn listed_resources(c: &ControlResult) -> impl Iterator<Item = &ResourceResult> {
    c.resources.iter().filter(|r| matches!(r.verdict, Verdict::Fail | Verdict::Waived))
}

/// A control's results: one per failing or waived resource, or one review.
pub(crate) fn control_results<'a>(
    report: &'a CheckReport,
    c: &'a ControlResult,
    index: usize,
    tag: &'a AccountTag<'a>,
) -> Box<dyn Iterator<Item = SarifResult<'a>> + 'a> {
    let drift = report.drift.as_ref().map(|d| d.controls.iter().find(|d| d.id == c.id));
    match c.verdict {
        Verdict::Fail | Verdict::Waived => {
            // Resource id -> change, looked up once per result.
            let changes: HashMap<&str, Change> =
                drift.flatten().iter().flat_map(|d| &d.resources).map(|r| (r.id.as_str(), r.change)).collect();
            Box::new(listed_resources(c).map(move |r| {
                let mut result = failure(report, c, index, r, tag);
                if drift.is_some() {
                    result.baseline_state = Some(match changes.get(&*r.id) {
                        Some(Change::NewFailure) => "new",
                        Some(_) => "updated",
                        None => "unchanged",
                    });
                }
                result
            }))
        }
        Verdict::Unknown | Verdict::NeedsEvidence => {
            let mut result = review(report, c, index, tag);
            if let Some(control) = drift {
                let changed = control.is_some_and(|d| d.verdict_changed());
                result.baseline_state = Some(if changed { "new" } else { "unchanged" });
            }
            Box::new(std::iter::once(result))
        }
        Verdict::Pass | Verdict::Pending | Verdict::NotApplicable => Box::new(std::iter::empty()),
    }
}

/// How many results the cap (`--sarif-max-results`) leaves out of this view's log.
pub fn omitted_results(view: &View) -> usize {
    let controls: Vec<&ControlResult> = view.report.controls.iter().filter(|c| (view.shown)(c)).collect();
    Budget::new(&controls, view.options.sarif_max_results).omitted
}

/// Streams the SARIF log to `out`.
pub fn write(view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let (report, shown) = (view.report, view.shown);
    let exit_code = view.options.exit_code;
    let max_results = view.options.sarif_max_results;
    let controls: Vec<&ControlResult> = report.controls.iter().filter(|c| shown(c)).collect();
    let rules: Vec<Value> = controls.iter().map(|c| rule(c)).collect();
    let budget = Budget::new(&controls, max_results);

    let mut invocation = Map::new();
    let unknown = controls.iter().any(|c| c.verdict == Verdict::Unknown);
    let incomplete = !report.incomplete_collectors.is_empty() || report.warnings.iter().any(|w| w.incomplete);
    invocation.insert("executionSuccessful".into(), Value::Bool(!incomplete && !unknown));
    invocation.insert("exitCode".into(), exit_code.into());
    invocation.insert("exitCodeDescription".into(), exit_code_description(exit_code).into());
    let tag = AccountTag::of(report);
    let mut execution = execution_notifications(report, &tag);
    if budget.omitted > 0 {
        execution.push(omitted_notification(budget.omitted, budget.per_control.iter().sum(), max_results));
    }
    if !execution.is_empty() {
        invocation.insert("toolExecutionNotifications".into(), execution.into());
    }
    let configuration = configuration_notifications(report, shown, &controls, &tag);
    if !configuration.is_empty() {
        invocation.insert("toolConfigurationNotifications".into(), configuration.into());
    }

    let account = if report.snapshot.account_id.is_empty() { "unknown" } else { &report.snapshot.account_id };
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: json!({
                "driver": {
                    "name": report.tool.name,
                    "version": report.tool.version,
                    "semanticVersion": report.tool.version,
                    "informationUri": information_uri(),
                    "rules": rules,
                }
            }),
            automation_details: json!({ "id": format!("jalon/{account}/") }),
            original_uri_base_ids: json!({
                BASE_ID: { "description": { "text": format!(
                    "AWS account {account}: resources, not files. A path is account/region/service/resource, \
                     from the resource's ARN; the ARN itself is the logical location."
                ) } }
            }),
            invocations: [Value::Object(invocation)],
            results: Results { report, controls: &controls, budget: &budget, tag: &tag },
            properties: json!({
                "account": report.snapshot.account_id,
                "regions": report.snapshot.regions,
                "asOf": report.as_of,
                "cutover": report.cutover,
                "day": report.day.map(crate::render::day_label),
                "snapshotSha256": report.snapshot.sha256,
                "collectedAt": report.snapshot.collected_at,
                "policiesVersion": report.policies_version,
                "resultVersion": report.result_version,
            }),
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

/// The collectors that did not finish and the report's warnings, as notifications.
pub(crate) fn execution_notifications(report: &CheckReport, tag: &AccountTag) -> Vec<Value> {
    let prefix = tag.prefix();
    let mut execution: Vec<Value> = report
        .incomplete_collectors
        .iter()
        .map(|s| {
            let status = match s.status {
                CollectionStatus::Ok => "ok",
                CollectionStatus::AccessDenied => "access denied",
                CollectionStatus::Throttled => "throttled past retries",
                CollectionStatus::Error => "failed",
            };
            let mut text =
                format!("{prefix}evidence incomplete: the {} collector in {}: {status}", s.service, s.region);
            if let Some(op) = &s.operation {
                text.push_str(&format!(" on {op}"));
            }
            if let Some(message) = &s.message {
                text.push_str(&format!(": {message}"));
            }
            let mut properties = json!({ "service": s.service, "region": s.region, "status": s.status });
            if tag.several {
                properties["account"] = tag.id.into();
            }
            json!({ "level": "error", "message": { "text": text }, "properties": properties })
        })
        .collect();
    execution.extend(report.warnings.iter().map(|w| {
        let mut properties = json!({ "kind": w.kind });
        if tag.several {
            properties["account"] = tag.id.into();
        }
        json!({
            "level": if w.incomplete { "error" } else { "warning" },
            "message": { "text": format!("{prefix}{}", w.message) },
            "properties": properties,
        })
    }));
    execution
}

/// The notification of results the cap left out.
pub(crate) fn omitted_notification(omitted: usize, kept: usize, max_results: usize) -> Value {
    json!({
        "level": "warning",
        "message": { "text": format!(
            "{} of {} results left out: this log keeps at most {} (--sarif-max-results), the reviews \
             and the most severe failures first; the JSON report lists every one",
            omitted, omitted + kept, max_results
        ) },
        "properties": { "resultsOmitted": omitted },
    })
}

/// Expired and unmatched waivers of the controls in view.
pub(crate) fn configuration_notifications(
    report: &CheckReport,
    shown: &dyn Fn(&ControlResult) -> bool,
    controls: &[&ControlResult],
    tag: &AccountTag,
) -> Vec<Value> {
    let prefix = tag.prefix();
    let mut configuration = Vec::new();
    for w in shown_waivers(report, &report.waivers.expired, shown) {
        configuration.push(json!({
            "level": "warning",
            "message": { "text": format!(
                "{prefix}waiver expired on {}: {} {} (owner {}) no longer waives", w.expires, w.control, w.resource, w.owner
            ) },
            "associatedRule": rule_reference(controls, &w.control),
        }));
    }
    for w in shown_waivers(report, &report.waivers.unmatched, shown) {
        configuration.push(json!({
            "level": "warning",
            "message": { "text": format!(
                "{prefix}waiver matches nothing: {} {} (owner {})", w.control, w.resource, w.owner
            ) },
            "associatedRule": rule_reference(controls, &w.control),
        }));
    }
    configuration
}

pub(crate) fn exit_code_description(code: i32) -> &'static str {
    match code {
        0 => "every due control passes, is waived or not applicable",
        1 => "findings: a due control fails at or above --fail-on",
        2 => "evidence incomplete: a control is UNKNOWN or NEEDS_EVIDENCE",
        _ => "error",
    }
}

pub(crate) fn rule(c: &ControlResult) -> Value {
    let mut rule = Map::new();
    rule.insert("id".into(), c.id.clone().into());
    rule.insert("name".into(), pascal_case(&c.title).into());
    rule.insert("shortDescription".into(), json!({ "text": c.title }));
    let full = if c.description.is_empty() { &c.title } else { &c.description };
    rule.insert("fullDescription".into(), json!({ "text": full }));
    let links: Vec<&String> = c.related_resources.iter().filter(|u| crate::render::is_web_link(u)).collect();
    let mut help_text = format!("Remediation: {}", c.remediation);
    let mut help_markdown = format!("**Remediation**\n\n{}\n", code_block(&c.remediation));
    if !links.is_empty() {
        help_text
            .push_str(&format!("\nReferences: {}", links.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(" ")));
        help_markdown.push_str("\n**References**\n\n");
        for u in &links {
            help_markdown.push_str(&format!("- <{u}>\n"));
        }
    }
    if !c.gdpr.is_empty() {
        let articles = c.gdpr.iter().map(|a| format!("Art. {a}")).collect::<Vec<_>>().join(", ");
        help_text.push_str(&format!("\nGDPR: {articles}"));
        help_markdown.push_str(&format!("\n**GDPR**: {articles}\n"));
    }
    rule.insert("help".into(), json!({ "text": help_text, "markdown": help_markdown }));
    if let Some(uri) = links.first() {
        rule.insert("helpUri".into(), uri.as_str().into());
    }
    rule.insert("defaultConfiguration".into(), json!({ "level": level(c.severity) }));
    let mut tags = vec!["jalon".to_string(), c.phase_id.clone(), c.severity.as_str().to_string()];
    tags.extend(c.evidence.iter().map(|s| format!("aws-{s}")));
    if !c.gdpr.is_empty() {
        tags.push("gdpr".into());
    }
    rule.insert(
        "properties".into(),
        json!({
            "severity": c.severity,
            "phase": c.phase_id,
            "gdpr": c.gdpr,
            "tags": tags,
            "security-severity": security_severity(c.severity),
            "resourceType": c.resource_type,
        }),
    );
    if c.source != crate::result::BUILTIN {
        if let Some(Value::Object(properties)) = rule.get_mut("properties") {
            properties.insert("source".into(), c.source.clone().into());
            properties.insert("replacesBuiltin".into(), c.replaces_builtin.into());
        }
    }
    Value::Object(rule)
}

// One result of the log, typed and borrowing from the report: a control can fail on a
// hundred thousand resources, and a `json!` value per result (a map allocated per
// object) made the SARIF log the slowest format by far.

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    kind: &'static str,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    partial_fingerprints: Fingerprint,
    properties: ResultProperties<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression<'a>; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    verdict: Verdict,
    severity: Severity,
    phase: &'a str,
    account: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remediation: Option<String>,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation,
    logical_locations: [LogicalLocation<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    name: &'a str,
    fully_qualified_name: std::borrow::Cow<'a, str>,
    kind: &'static str,
}

/// `jalonResource/v1` in one account's log (stable since the first release);
/// `jalonAccountResource/v1`, keyed on the account too, in a log over several.
#[derive(Serialize, Debug, PartialEq)]
struct Fingerprint {
    #[serde(rename = "jalonResource/v1", skip_serializing_if = "Option::is_none")]
    resource: Option<String>,
    #[serde(rename = "jalonAccountResource/v1", skip_serializing_if = "Option::is_none")]
    account_resource: Option<String>,
}

fn failure<'a>(
    report: &'a CheckReport,
    c: &'a ControlResult,
    index: usize,
    r: &'a ResourceResult,
    tag: &'a AccountTag<'a>,
) -> SarifResult<'a> {
    let fix = remediation_for(c, r);
    SarifResult {
        rule_id: &c.id,
        rule_index: index,
        kind: "fail",
        level: level(c.severity),
        message: Text { text: format!("{}{}: {}. Fix: {fix}", tag.prefix(), display_name(report, &r.id), r.message) },
        locations: [location(report, Some(&r.id), tag)],
        partial_fingerprints: fingerprint(tag, &c.id, &r.id),
        properties: ResultProperties {
            verdict: r.verdict,
            severity: c.severity,
            phase: &c.phase_id,
            account: tag.id,
            account_name: tag.name,
            resource: Some(&r.id),
            remediation: Some(fix),
        },
        suppressions: (r.verdict == Verdict::Waived).then_some([Suppression {
            kind: "external",
            status: "accepted",
            justification: &r.message,
        }]),
        baseline_state: None,
    }
}

fn review<'a>(report: &'a CheckReport, c: &'a ControlResult, index: usize, tag: &'a AccountTag<'a>) -> SarifResult<'a> {
    let why = c.note.clone().unwrap_or_else(|| c.summary());
    let text = match c.verdict {
        Verdict::NeedsEvidence => format!("{}{why}. Needs an attestation: {}", tag.prefix(), c.remediation),
        _ => format!("{}{why}. The control could not be judged.", tag.prefix()),
    };
    SarifResult {
        rule_id: &c.id,
        rule_index: index,
        kind: "review",
        level: "none",
        message: Text { text },
        locations: [location(report, None, tag)],
        partial_fingerprints: fingerprint(tag, &c.id, ""),
        properties: ResultProperties {
            verdict: c.verdict,
            severity: c.severity,
            phase: &c.phase_id,
            account: tag.id,
            account_name: tag.name,
            resource: None,
            remediation: None,
        },
        suppressions: None,
        baseline_state: None,
    }
}

pub(crate) fn account_of(report: &CheckReport) -> &str {
    if report.snapshot.account_id.is_empty() {
        "unknown"
    } else {
        &report.snapshot.account_id
    }
}

/// The resource as a location: its ARN as the logical location, and a readable
/// path for consumers that require a physical one. `None`: the account itself. Over
/// several accounts, an id that does not name the account (an attestation's link, a
/// sampling rule's region, an API Gateway ARN, which has no account field) is named
/// under its account: `aws:account:<id>/<resource>`.
fn location<'a>(report: &'a CheckReport, resource: Option<&'a str>, tag: &AccountTag) -> Location<'a> {
    let account = account_of(report);
    let (uri, logical) = match resource {
        Some(id) => {
            let owned = crate::render::aws::arn(id).is_some_and(|arn| arn.account == account);
            let qualified = match tag.several && !owned {
                true => format!("aws:account:{account}/{id}").into(),
                false => id.into(),
            };
            (
                resource_path(account, id),
                LogicalLocation { name: resource_name(id), fully_qualified_name: qualified, kind: "resource" },
            )
        }
        None => (
            encode_path(account),
            LogicalLocation {
                name: account,
                fully_qualified_name: format!("aws:account:{account}").into(),
                kind: "namespace",
            },
        ),
    };
    Location {
        physical_location: PhysicalLocation { artifact_location: ArtifactLocation { uri, uri_base_id: BASE_ID } },
        logical_locations: [logical],
    }
}

/// `arn:aws:lambda:eu-west-3:123456789012:function:orders-api` ->
/// `123456789012/eu-west-3/lambda/function/orders-api`; anything else (an
/// attestation link, `xray-sampling:eu-west-3`) under the report's account.
fn resource_path(account: &str, id: &str) -> String {
    let parts: Vec<&str> = id.splitn(6, ':').collect();
    let segments: Vec<String> = if parts.len() == 6 && parts[0] == "arn" {
        let owner = if parts[4].is_empty() { account } else { parts[4] };
        let region = if parts[3].is_empty() { "global" } else { parts[3] };
        let mut segments = vec![owner.to_string(), region.to_string(), parts[2].to_string()];
        segments.extend(parts[5].split([':', '/']).filter(|s| !s.is_empty()).map(String::from));
        segments
    } else {
        vec![account.to_string(), id.to_string()]
    };
    segments.iter().map(|s| encode_path(s)).collect::<Vec<_>>().join("/")
}

/// Percent-encodes one path segment: everything but RFC 3986 unreserved characters.
/// A segment of dots alone (a log group named `/../../.github/x`) would be a dot
/// segment, which URL resolution steps out of the base with (`%2E%2E` too, for a
/// WHATWG parser): it is shown in parentheses instead, `(..)`.
fn encode_path(segment: &str) -> String {
    if !segment.is_empty() && segment.bytes().all(|b| b == b'.') {
        return format!("%28{segment}%29");
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.extend(['%', HEX[usize::from(byte >> 4)] as char, HEX[usize::from(byte & 15)] as char]);
        }
    }
    out
}

fn fingerprint(tag: &AccountTag, control: &str, resource: &str) -> Fingerprint {
    match tag.several {
        false => {
            Fingerprint { resource: Some(crate::render::finding_digest(control, resource)), account_resource: None }
        }
        true => Fingerprint {
            resource: None,
            account_resource: Some(crate::render::finding_digest(&format!("{}\0{control}", tag.id), resource)),
        },
    }
}

pub(crate) fn rule_reference(controls: &[&ControlResult], id: &str) -> Value {
    match controls.iter().position(|c| c.id == id) {
        Some(index) => json!({ "id": id, "index": index }),
        None => json!({ "id": id }),
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub reads `security-severity` (a CVSS-like score, as a string) to label
/// alerts Critical (>= 9.0), High (>= 7.0), Medium (>= 4.0) or Low.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// "Every production Lambda function has an error-rate alarm" ->
/// "EveryProductionLambdaFunctionHasAnErrorRateAlarm".
fn pascal_case(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().expect("non-empty word").to_ascii_uppercase();
            std::iter::once(first).chain(chars).collect::<String>()
        })
        .collect()
}

/// A fenced Markdown code block whose fence is longer than any backtick run inside.
fn code_block(code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}sh\n{code}\n{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::fixtures::sample_report;

    /// The log of the view, with the exit code 1 and at most `max_results` results (0: all).
    fn render(report: &CheckReport, shown: &dyn Fn(&ControlResult) -> bool, max_results: usize) -> String {
        let options = crate::render::Options { exit_code: 1, sarif_max_results: max_results, ..Default::default() };
        let mut bytes = Vec::new();
        write(&View { report, shown, options }, &mut bytes).expect("writing to memory does not fail");
        String::from_utf8(bytes).expect("serde_json writes UTF-8")
    }

    fn log(shown: &dyn Fn(&ControlResult) -> bool) -> Value {
        serde_json::from_str(&render(&sample_report(), shown, 0)).expect("valid JSON")
    }

    #[test]
    fn a_cap_keeps_the_reviews_then_the_most_severe_failures_and_says_so() {
        let report = sample_report();
        let capped = |max_results| -> Value {
            let text = render(&report, &|_| true, max_results);
            serde_json::from_str(&text).expect("valid JSON")
        };
        let rule_ids = |log: &Value| -> Vec<String> {
            let results = log["runs"][0]["results"].as_array().unwrap();
            results.iter().map(|r| r["ruleId"].as_str().unwrap().to_string()).collect()
        };
        // Four results uncapped: LOG-001 (FAIL), two reviews, DB-006 (WAIVED).
        assert_eq!(rule_ids(&capped(0)), ["LOG-001", "ALM-001", "OPS-003", "DB-006"]);
        assert_eq!(rule_ids(&capped(4)), rule_ids(&capped(0)));
        let notes = |log: &Value| log["runs"][0]["invocations"][0]["toolExecutionNotifications"].clone();
        let cap_notes = |log: &Value| {
            notes(log).as_array().unwrap().iter().filter(|n| n["properties"]["resultsOmitted"].is_number()).count()
        };
        assert_eq!(cap_notes(&capped(4)), 0);
        // Three: the reviews, then the failing control before the waived one (both
        // high); the log keeps the checklist order.
        let log = capped(3);
        assert_eq!(rule_ids(&log), ["LOG-001", "ALM-001", "OPS-003"]);
        assert_eq!(cap_notes(&log), 1);
        let notes = notes(&log);
        let note = notes.as_array().unwrap().iter().find(|n| n["properties"]["resultsOmitted"] == 1).unwrap();
        assert_eq!(note["level"], "warning");
        assert!(note["message"]["text"].as_str().unwrap().starts_with("1 of 4 results left out"), "{note}");
        // One: a review is never dropped for a failure.
        assert_eq!(rule_ids(&capped(1)), ["ALM-001"]);
    }

    #[test]
    fn results_are_failures_waivers_and_reviews_not_pending_or_passing() {
        let log = log(&|_| true);
        let run = &log["runs"][0];
        let results = run["results"].as_array().unwrap();
        let summary: Vec<(String, String, String)> = results
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().into(),
                    r["kind"].as_str().unwrap().into(),
                    r["level"].as_str().unwrap().into(),
                )
            })
            .collect();
        let expected = [
            ("LOG-001", "fail", "error"),
            ("ALM-001", "review", "none"),
            ("OPS-003", "review", "none"),
            ("DB-006", "fail", "error"),
        ];
        assert_eq!(summary, expected.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())));
        assert_eq!(results[3]["suppressions"][0]["status"], "accepted");
        // Every result points at a rule by index, and every location has a physical part.
        for r in results {
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(run["tool"]["driver"]["rules"][index]["id"], r["ruleId"]);
            assert!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
        }
        assert_eq!(run["invocations"][0]["executionSuccessful"], false);
        assert_eq!(run["invocations"][0]["exitCode"], 1);
        assert_eq!(run["invocations"][0]["toolConfigurationNotifications"][0]["associatedRule"]["id"], "LOG-001");
    }

    #[test]
    fn rules_carry_the_control_metadata() {
        let log = log(&|_| true);
        let rule = &log["runs"][0]["tool"]["driver"]["rules"][0];
        assert_eq!(rule["id"], "LOG-001");
        assert_eq!(rule["name"], "LOG001Title");
        assert_eq!(rule["shortDescription"]["text"], "LOG-001 title");
        assert_eq!(rule["helpUri"], "https://docs.aws.amazon.com/x.html");
        assert_eq!(rule["defaultConfiguration"]["level"], "error");
        assert_eq!(rule["properties"]["severity"], "high");
        assert_eq!(rule["properties"]["phase"], "J+0");
        assert_eq!(rule["properties"]["gdpr"][0], "5(1)(e)");
        // The remediation holds a backtick: the fence is longer.
        assert!(rule["help"]["markdown"].as_str().unwrap().contains("```sh\n"));
        // Not a web link: never a helpUri nor a reference.
        assert!(!rule["help"]["text"].as_str().unwrap().contains("javascript:"));
    }

    #[test]
    fn locations_and_fingerprints_are_stable_and_readable() {
        assert_eq!(
            resource_path("1", "arn:aws:lambda:eu-west-3:123456789012:function:orders-api"),
            "123456789012/eu-west-3/lambda/function/orders-api"
        );
        assert_eq!(
            resource_path("1", "arn:aws:logs:eu-west-3:123456789012:log-group:/aws/lambda/x#y"),
            "123456789012/eu-west-3/logs/log-group/aws/lambda/x%23y"
        );
        assert_eq!(resource_path("123", "xray-sampling:eu-west-3"), "123/xray-sampling%3Aeu-west-3");
        // Dot segments would resolve out of the base: shown, not obeyed.
        let climbing = resource_path("1", "arn:aws:logs:eu-west-3:1:log-group:/../../.github/workflows/x.yml");
        assert_eq!(climbing, "1/eu-west-3/logs/log-group/%28..%29/%28..%29/.github/workflows/x.yml");
        assert!(!climbing.split('/').any(|s| s == "." || s == ".." || s.eq_ignore_ascii_case("%2e%2e")));
        let one = AccountTag { id: "111111111111", name: None, several: false };
        assert_eq!(fingerprint(&one, "A", "b"), fingerprint(&one, "A", "b"));
        assert_ne!(fingerprint(&one, "A", "b"), fingerprint(&one, "A", "c"));
        assert_ne!(fingerprint(&one, "A", "b"), fingerprint(&one, "B", "b"));
        // Over several accounts, the same resource in two accounts is two alerts.
        let a = AccountTag { id: "111111111111", name: None, several: true };
        let b = AccountTag { id: "222222222222", name: None, several: true };
        assert_ne!(fingerprint(&a, "A", ""), fingerprint(&b, "A", ""));
        assert_ne!(fingerprint(&a, "A", "x"), fingerprint(&b, "A", "x"));
    }

    #[test]
    fn the_phase_view_limits_rules_and_results() {
        let log = log(&|c| c.phase_id == "J+7");
        let rules: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(rules, ["ALM-005", "DB-006"]);
        assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 1);
        // The expired waiver is for LOG-001, out of this view.
        assert!(log["runs"][0]["invocations"][0].get("toolConfigurationNotifications").is_none());
    }
}

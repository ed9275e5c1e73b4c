//! Drift: what changed between two check results (`jalon check --baseline`,
//! `jalon diff OLD NEW`) and, in [`snapshots`], between two snapshots.
//!
//! A **regression** is a new failure: a resource that was not FAIL in the baseline
//! (or not there at all) and is FAIL now. A resource of a PENDING control counts as
//! PENDING, so a control that falls due while still failing regresses on that day.
//! A resource is **fixed** when it goes from FAIL to PASS; every other verdict change
//! is reported as such. Resources that enter or leave a control's scope are added or
//! removed, except where a side has no evidence (UNKNOWN, NEEDS_EVIDENCE): a missing
//! permission does not remove resources, it changes the control's verdict.

pub mod snapshots;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::checklist::{CheckReport, ControlResult, Verdict, WaiverEntry, RESULT_VERSION};
use crate::engine::Severity;
use crate::error::{exit, read_text, JalonError};
use crate::report::resource_name;

/// The difference between a baseline result and a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// The baseline.
    pub before: ResultRef,
    /// The new result.
    pub after: ResultRef,
    pub summary: DriftSummary,
    /// Controls whose verdict or resources changed: the new result's order (phase,
    /// id), then controls only the baseline has.
    pub controls: Vec<ControlDrift>,
    /// Waivers expired in the new result that had not expired in the baseline.
    pub waivers_expired: Vec<WaiverEntry>,
}

/// Which result a side of the drift is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRef {
    pub snapshot_sha256: String,
    pub collected_at: String,
    pub as_of: String,
    /// J+N, when the result had a cutover date.
    pub day: Option<i64>,
    pub account_id: String,
    pub regions: Vec<String>,
    pub tool_version: String,
    pub policies_version: String,
}

/// Counts: each resource change is counted once, under its [`Change`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DriftSummary {
    pub new_failures: usize,
    pub fixed: usize,
    pub other_changes: usize,
    pub resources_added: usize,
    pub resources_removed: usize,
    /// Controls whose own verdict changed (including controls added or removed).
    pub controls_changed: usize,
    pub waivers_expired: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlDrift {
    pub id: String,
    pub title: String,
    pub phase_id: String,
    pub severity: Severity,
    /// None: the control is not in that result (its policy was added or removed).
    pub before: Option<Verdict>,
    pub after: Option<Verdict>,
    /// Why the new verdict has no resources (UNKNOWN, NEEDS_EVIDENCE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Resources whose verdict changed, or that entered or left the scope.
    pub resources: Vec<ResourceDrift>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceDrift {
    pub id: String,
    pub change: Change,
    /// None: not in the control's scope on that side.
    pub before: Option<Verdict>,
    pub after: Option<Verdict>,
    /// The new result's message (the baseline's for a removed resource).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Not FAIL (or not there) before, FAIL now: a regression.
    NewFailure,
    /// FAIL before, PASS now.
    Fixed,
    /// Any other verdict change (FAIL to WAIVED, PASS to PENDING, ...).
    Changed,
    /// Entered the control's scope, not failing.
    Added,
    /// Left the control's scope.
    Removed,
}

impl ControlDrift {
    pub fn verdict_changed(&self) -> bool {
        self.before != self.after
    }

    pub fn new_failures(&self) -> impl Iterator<Item = &ResourceDrift> {
        self.resources.iter().filter(|r| r.change == Change::NewFailure)
    }
}

impl Drift {
    /// Keeps only the controls `keep` accepts (a `--phase` view), and recounts.
    pub fn retain(&mut self, keep: impl Fn(&ControlDrift) -> bool) {
        self.controls.retain(|c| keep(c));
        self.summary = summarize(&self.controls, self.waivers_expired.len());
    }

    /// A new failure in a control at or above `fail_on`.
    pub fn has_regression(&self, fail_on: Severity) -> bool {
        self.controls.iter().any(|c| c.severity >= fail_on && c.new_failures().next().is_some())
    }

    pub fn is_empty(&self) -> bool {
        self.controls.is_empty() && self.waivers_expired.is_empty()
    }
}

/// Compares a baseline result with a new one.
pub fn compare(before: &CheckReport, after: &CheckReport) -> Drift {
    let mut baseline: BTreeMap<&str, &ControlResult> = before.controls.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut controls = Vec::new();
    for c in &after.controls {
        let b = baseline.remove(c.id.as_str());
        controls.extend(control_drift(b, Some(c)));
    }
    for b in &before.controls {
        if baseline.contains_key(b.id.as_str()) {
            controls.extend(control_drift(Some(b), None));
        }
    }
    let waivers_expired: Vec<WaiverEntry> =
        after.waivers.expired.iter().filter(|w| !before.waivers.expired.contains(w)).cloned().collect();
    Drift {
        before: ResultRef::of(before),
        after: ResultRef::of(after),
        summary: summarize(&controls, waivers_expired.len()),
        controls,
        waivers_expired,
    }
}

impl ResultRef {
    fn of(report: &CheckReport) -> ResultRef {
        ResultRef {
            snapshot_sha256: report.snapshot.sha256.clone(),
            collected_at: report.snapshot.collected_at.clone(),
            as_of: report.as_of.clone(),
            day: report.day,
            account_id: report.snapshot.account_id.clone(),
            regions: report.snapshot.regions.clone(),
            tool_version: report.tool.version.clone(),
            policies_version: report.policies_version.clone(),
        }
    }
}

fn summarize(controls: &[ControlDrift], waivers_expired: usize) -> DriftSummary {
    let mut s = DriftSummary { waivers_expired, ..DriftSummary::default() };
    for c in controls {
        s.controls_changed += usize::from(c.verdict_changed());
        for r in &c.resources {
            match r.change {
                Change::NewFailure => s.new_failures += 1,
                Change::Fixed => s.fixed += 1,
                Change::Changed => s.other_changes += 1,
                Change::Added => s.resources_added += 1,
                Change::Removed => s.resources_removed += 1,
            }
        }
    }
    s
}

/// A resource's verdict as the control presents it: failing resources of a control
/// that is not due yet are PENDING.
fn effective(control: Verdict, resource: Verdict) -> Verdict {
    if control == Verdict::Pending && resource == Verdict::Fail {
        Verdict::Pending
    } else {
        resource
    }
}

/// Whether a control's resource list says what is in scope: not when its evidence
/// is missing (UNKNOWN) or it waits for an attestation.
fn scope_known(c: &ControlResult) -> bool {
    match c.verdict {
        Verdict::Unknown | Verdict::NeedsEvidence => false,
        Verdict::Pending => !c.resources.is_empty(),
        _ => true,
    }
}

fn resources_of(c: Option<&ControlResult>) -> BTreeMap<&str, (Verdict, &str)> {
    c.map(|c| c.resources.iter().map(|r| (&*r.id, (effective(c.verdict, r.verdict), r.message.as_str()))).collect())
        .unwrap_or_default()
}

fn control_drift(before: Option<&ControlResult>, after: Option<&ControlResult>) -> Option<ControlDrift> {
    let current = after.or(before)?;
    let (old, new) = (resources_of(before), resources_of(after));
    let scopes_comparable = before.is_some_and(scope_known) && after.is_some_and(scope_known);
    let mut ids: Vec<&str> = old.keys().chain(new.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    let mut resources = Vec::new();
    for id in ids {
        let b = old.get(id).map(|(v, _)| *v);
        let a = new.get(id).map(|(v, _)| *v);
        let change = match (b, a) {
            (_, Some(Verdict::Fail)) if b != Some(Verdict::Fail) => Change::NewFailure,
            (Some(Verdict::Fail), Some(Verdict::Pass)) => Change::Fixed,
            (Some(x), Some(y)) if x != y => Change::Changed,
            (None, Some(_)) if scopes_comparable => Change::Added,
            (Some(_), None) if scopes_comparable => Change::Removed,
            _ => continue,
        };
        let message = new.get(id).or_else(|| old.get(id)).map(|(_, m)| m.to_string()).unwrap_or_default();
        resources.push(ResourceDrift { id: id.to_string(), change, before: b, after: a, message });
    }
    resources.sort_by(|x, y| (x.change, &x.id).cmp(&(y.change, &y.id)));
    let (vb, va) = (before.map(|c| c.verdict), after.map(|c| c.verdict));
    if vb == va && resources.is_empty() {
        return None;
    }
    let note = match after {
        Some(c) if vb != va && c.resources.is_empty() => c.note.clone(),
        _ => None,
    };
    Some(ControlDrift {
        id: current.id.clone(),
        title: current.title.clone(),
        phase_id: current.phase_id.clone(),
        severity: current.severity,
        before: vb,
        after: va,
        note,
        resources,
    })
}

/// The exit code of a check against a baseline: 1 when a control in view has a new
/// failure at or above `fail_on`; else 2 when evidence is incomplete; else 0. Failures
/// the baseline already had do not fail the run.
pub fn exit_code(
    report: &CheckReport,
    drift: &Drift,
    fail_on: Severity,
    in_view: impl Fn(&ControlResult) -> bool,
) -> i32 {
    let regressed = |id: &str| {
        drift.controls.iter().any(|c| c.id == id && c.severity >= fail_on && c.new_failures().next().is_some())
    };
    let shown: Vec<&ControlResult> = report.controls.iter().filter(|c| in_view(c)).collect();
    if shown.iter().any(|c| regressed(&c.id)) {
        exit::FINDINGS
    } else if shown.iter().any(|c| matches!(c.verdict, Verdict::Unknown | Verdict::NeedsEvidence)) {
        exit::INCOMPLETE
    } else {
        exit::OK
    }
}

// ---------------------------------------------------------------- reading a result

/// Reads a check result (`jalon check --format json`); errors name the file, the
/// line and field, and what was expected.
pub fn load_result(path: &Path) -> Result<CheckReport, JalonError> {
    parse_result(&read_text(path)?).map_err(|detail| JalonError::input(path, detail))
}

pub fn parse_result(text: &str) -> Result<CheckReport, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| json_error(&e, ""))?;
    match value.get("result_version") {
        None if value.get("schema_version").is_some() => {
            return Err("this is a snapshot (it has `schema_version`), not a check result: expected the output of `jalon check --format json`".into())
        }
        None => return Err("at `result_version`: missing: expected the output of `jalon check --format json`".into()),
        Some(v) if v.as_u64() != Some(u64::from(RESULT_VERSION)) => {
            return Err(format!(
                "at `result_version`: this jalon reads check result version {RESULT_VERSION}, the file has {v}; run `jalon check --format json` again with this version"
            ))
        }
        Some(_) => {}
    }
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|err| json_error(err.inner(), &err.path().to_string()))
}

/// "line L, column C, at `path`: message", the snapshot parser's style.
pub(crate) fn json_error(err: &serde_json::Error, path: &str) -> String {
    let text = err.to_string();
    let message = text.rfind(" at line ").map_or(text.as_str(), |i| &text[..i]);
    if path.is_empty() || path == "." {
        format!("line {}, column {}: {message}", err.line(), err.column())
    } else {
        format!("line {}, column {}, at `{path}`: {message}", err.line(), err.column())
    }
}

// ---------------------------------------------------------------- rendering

fn verdict_or(v: Option<Verdict>, none: &str) -> String {
    v.map_or_else(|| none.to_string(), |v| v.as_str().to_string())
}

fn short(sha: &str) -> &str {
    &sha[..12.min(sha.len())]
}

fn describe(r: &ResultRef) -> String {
    let day = r.day.map(|d| format!("J{d:+}, ")).unwrap_or_default();
    format!("as of {} ({day}snapshot {})", r.as_of, short(&r.snapshot_sha256))
}

impl Drift {
    /// Resource ids are shown by name when both results cover one region at most.
    fn label<'a>(&self, id: &'a str) -> &'a str {
        let mut regions: Vec<&String> = self.before.regions.iter().chain(&self.after.regions).collect();
        regions.sort();
        regions.dedup();
        if regions.len() <= 1 {
            resource_name(id)
        } else {
            id
        }
    }

    /// One line: "2 new failures · 1 fixed · ...", only the non-zero counts.
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let parts = [
            (s.new_failures, plural(s.new_failures, "new failure", "new failures")),
            (s.fixed, format!("{} fixed", s.fixed)),
            (s.other_changes, plural(s.other_changes, "other verdict change", "other verdict changes")),
            (s.resources_added, plural(s.resources_added, "resource added", "resources added")),
            (s.resources_removed, plural(s.resources_removed, "resource removed", "resources removed")),
            (s.controls_changed, plural(s.controls_changed, "control changed verdict", "controls changed verdict")),
            (s.waivers_expired, plural(s.waivers_expired, "waiver expired", "waivers expired")),
        ];
        let shown: Vec<String> = parts.into_iter().filter(|(n, _)| *n > 0).map(|(_, t)| t).collect();
        if shown.is_empty() {
            "no change".into()
        } else {
            shown.join(" · ")
        }
    }

    /// The lines of one kind of resource change, each with its mark (✗ ✓ ~ + -).
    fn resource_lines(&self, change: Change) -> Vec<(&'static str, String)> {
        let mark = match change {
            Change::NewFailure => "✗",
            Change::Fixed => "✓",
            Change::Changed => "~",
            Change::Added => "+",
            Change::Removed => "-",
        };
        let mut lines = Vec::new();
        for c in &self.controls {
            for r in c.resources.iter().filter(|r| r.change == change) {
                let name = self.label(&r.id);
                let line = match change {
                    Change::Added => format!("{} · {name} · {}", c.id, verdict_or(r.after, "?")),
                    Change::Removed => {
                        format!("{} · {name} · was {}", c.id, verdict_or(r.before, "?"))
                    }
                    _ => {
                        let mut line = format!(
                            "{} {} · {name} · {} → {}",
                            c.id,
                            c.severity,
                            verdict_or(r.before, "(new)"),
                            verdict_or(r.after, "(gone)")
                        );
                        if change != Change::Fixed && !r.message.is_empty() {
                            line.push_str(&format!(": {}", r.message));
                        }
                        line
                    }
                };
                lines.push((mark, line));
            }
        }
        lines
    }

    fn control_lines(&self) -> Vec<(&'static str, String)> {
        self.controls
            .iter()
            .filter(|c| c.verdict_changed())
            .map(|c| {
                let mut line = format!(
                    "{:<8} {:<8} {} → {}  {}",
                    c.id,
                    c.severity.as_str(),
                    verdict_or(c.before, "(new control)"),
                    verdict_or(c.after, "(control removed)"),
                    c.title
                );
                if let Some(note) = &c.note {
                    line.push_str(&format!(" ({note})"));
                }
                ("", line)
            })
            .collect()
    }

    fn waiver_lines(&self) -> Vec<(&'static str, String)> {
        self.waivers_expired
            .iter()
            .map(|w| {
                (
                    "!",
                    format!(
                        "{} {} (owner {}) expired on {}: it no longer waives",
                        w.control, w.resource, w.owner, w.expires
                    ),
                )
            })
            .collect()
    }

    /// The sections of the drift, titled, with their lines.
    fn sections(&self) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
        vec![
            ("Controls whose verdict changed", self.control_lines()),
            ("New failures (regressions)", self.resource_lines(Change::NewFailure)),
            ("Fixed", self.resource_lines(Change::Fixed)),
            ("Other verdict changes", self.resource_lines(Change::Changed)),
            ("Resources added", self.resource_lines(Change::Added)),
            ("Resources removed", self.resource_lines(Change::Removed)),
            ("Waivers expired since the baseline", self.waiver_lines()),
        ]
    }
}

/// The drift as text, for the terminal (after the checklist table) and `jalon diff`.
pub fn render_text(drift: &Drift) -> String {
    let mut out = String::new();
    if drift.is_empty() {
        let _ = writeln!(
            out,
            "No drift since the baseline {}: no verdict changed, no resource entered or left a control's scope.",
            describe(&drift.before)
        );
        return out;
    }
    let _ = writeln!(out, "Drift since the baseline {}", describe(&drift.before));
    let _ = writeln!(out, "  {}", drift.summary_line());
    for (title, lines) in drift.sections() {
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}");
        for (mark, line) in lines {
            if mark.is_empty() {
                let _ = writeln!(out, "  {line}");
            } else {
                let _ = writeln!(out, "  {mark} {line}");
            }
        }
    }
    out
}

/// The drift as a section of `jalon check --format markdown` (with `--baseline`): the
/// summary, then each kind of change with at most `rows` lines, so the whole report
/// still fits a pull-request comment.
pub fn render_markdown_section(drift: &Drift, rows: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n### 🔀 Since the baseline\n");
    let _ = writeln!(out, "Baseline {}.\n", describe(&drift.before));
    markdown_changes(&mut out, drift, rows, |title| format!("\n{title}:\n"));
    out
}

/// The drift as Markdown (a pull-request comment, a CI job summary).
pub fn render_markdown(drift: &Drift) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Drift since the baseline\n");
    let _ = writeln!(out, "Baseline {}; now {}.\n", describe(&drift.before), describe(&drift.after));
    markdown_changes(&mut out, drift, usize::MAX, |title| format!("\n### {title}\n"));
    out
}

/// The summary line, then each kind of change under `heading(title)`, at most `rows`
/// lines each.
fn markdown_changes(out: &mut String, drift: &Drift, rows: usize, heading: impl Fn(&str) -> String) {
    if drift.is_empty() {
        let _ = writeln!(out, "No drift: no verdict changed, no resource entered or left a control's scope.");
        return;
    }
    let _ = writeln!(out, "**{}**", drift.summary_line());
    for (title, lines) in drift.sections() {
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}", heading(title));
        // The heading says the kind of change: no mark, which Markdown would read as a list.
        for (_, line) in lines.iter().take(rows) {
            let _ = writeln!(out, "- {}", crate::gdpr::markdown::escape(line));
        }
        if lines.len() > rows {
            let _ = writeln!(out, "- … and {} more", lines.len() - rows);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::{ResourceResult, SnapshotRef, ToolRef, WaiverReport};

    fn control(id: &str, verdict: Verdict, resources: &[(&str, Verdict)]) -> ControlResult {
        ControlResult {
            id: id.into(),
            title: format!("{id} title"),
            description: String::new(),
            phase: 0,
            phase_id: "J+0".into(),
            due: true,
            severity: Severity::High,
            verdict,
            resource_type: "log group".into(),
            evidence: vec![],
            gdpr: vec![],
            remediation: String::new(),
            related_resources: vec![],
            note: None,
            attestation: None,
            resources: resources
                .iter()
                .map(|(id, v)| ResourceResult { id: (*id).into(), verdict: *v, message: format!("{id} says {v}") })
                .collect(),
        }
    }

    fn report(controls: Vec<ControlResult>) -> CheckReport {
        CheckReport {
            result_version: RESULT_VERSION,
            tool: ToolRef { name: "jalon".into(), version: "0".into() },
            policies_version: "p".into(),
            snapshot: SnapshotRef {
                sha256: "a".repeat(64),
                collected_at: "2026-11-22T00:00:00Z".into(),
                account_id: "1".into(),
                regions: vec!["eu-west-3".into()],
            },
            as_of: "2026-11-22T00:00:00Z".into(),
            cutover: None,
            day: None,
            phases: vec![],
            incomplete_collectors: vec![],
            controls,
            waivers: WaiverReport::default(),
            drift: None,
        }
    }

    use Verdict::*;

    #[test]
    fn changes_are_classified_once_each() {
        let before = report(vec![
            control("A", Fail, &[("a1", Fail), ("a2", Pass), ("a3", Pass), ("a4", Fail)]),
            control("B", Pass, &[("b1", Pass)]),
        ]);
        let after = report(vec![
            control("A", Fail, &[("a1", Pass), ("a2", Fail), ("a4", Waived), ("a5", Pass), ("a6", Fail)]),
            control("B", Pass, &[("b1", Pass)]),
        ]);
        let drift = compare(&before, &after);
        assert_eq!(drift.controls.len(), 1);
        let got: Vec<(&str, Change)> = drift.controls[0].resources.iter().map(|r| (r.id.as_str(), r.change)).collect();
        assert_eq!(
            got,
            [
                ("a2", Change::NewFailure),
                ("a6", Change::NewFailure),
                ("a1", Change::Fixed),
                ("a4", Change::Changed),
                ("a5", Change::Added),
                ("a3", Change::Removed)
            ]
        );
        assert!(!drift.controls[0].verdict_changed());
        assert_eq!(drift.summary.new_failures, 2);
        assert!(drift.has_regression(Severity::High));
        assert!(!drift.has_regression(Severity::Critical));
    }

    #[test]
    fn a_control_falling_due_while_failing_regresses() {
        let before = report(vec![control("A", Pending, &[("a1", Fail)])]);
        let after = report(vec![control("A", Fail, &[("a1", Fail)])]);
        let drift = compare(&before, &after);
        let r = &drift.controls[0].resources[0];
        assert_eq!((r.change, r.before, r.after), (Change::NewFailure, Some(Pending), Some(Fail)));
        assert_eq!(exit_code(&after, &drift, Severity::Low, |_| true), exit::FINDINGS);
    }

    #[test]
    fn missing_evidence_removes_no_resource() {
        let before = report(vec![control("A", Pass, &[("a1", Pass)])]);
        let mut gone = control("A", Unknown, &[]);
        gone.note = Some("evidence incomplete: logs in eu-west-3: access denied".into());
        let after = report(vec![gone]);
        let drift = compare(&before, &after);
        assert!(drift.controls[0].resources.is_empty());
        assert_eq!((drift.controls[0].before, drift.controls[0].after), (Some(Pass), Some(Unknown)));
        assert!(drift.controls[0].note.as_deref().unwrap().contains("access denied"));
        assert_eq!(exit_code(&after, &drift, Severity::Low, |_| true), exit::INCOMPLETE);
    }

    #[test]
    fn known_failures_do_not_fail_the_run() {
        let same = report(vec![control("A", Fail, &[("a1", Fail)])]);
        let drift = compare(&same, &same);
        assert!(drift.is_empty());
        assert_eq!(exit_code(&same, &drift, Severity::Low, |_| true), exit::OK);
        assert!(render_text(&drift).starts_with("No drift since the baseline"));
    }

    #[test]
    fn the_drift_text_leads_with_what_regressed() {
        let mut before = report(vec![
            control("LOG-002", Pass, &[("arn:aws:logs:eu-west-3:1:log-group:/app", Pass)]),
            control("LOG-001", Fail, &[("arn:aws:logs:eu-west-3:1:log-group:/old", Fail)]),
            control("DB-006", Fail, &[("arn:aws:rds:eu-west-3:1:db:orders-db", Fail)]),
        ]);
        before.day = Some(2);
        before.as_of = "2026-11-21T00:00:00Z".into();
        let mut after = report(vec![
            control("LOG-002", Fail, &[("arn:aws:logs:eu-west-3:1:log-group:/app", Fail)]),
            control("LOG-001", Pass, &[("arn:aws:logs:eu-west-3:1:log-group:/new", Pass)]),
            control("DB-006", Waived, &[("arn:aws:rds:eu-west-3:1:db:orders-db", Waived)]),
        ]);
        after.day = Some(3);
        after.waivers.expired.push(WaiverEntry {
            control: "LOG-003".into(),
            resource: "arn:aws:logs:*:log-group:/mock".into(),
            owner: "team@example.com".into(),
            reason: "r".into(),
            expires: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        });
        insta::assert_snapshot!(render_text(&compare(&before, &after)));
    }

    #[test]
    fn the_markdown_section_keeps_each_list_short() {
        let ids: Vec<String> = (0..5).map(|i| format!("r{i}")).collect();
        let passing: Vec<(&str, Verdict)> = ids.iter().map(|id| (id.as_str(), Pass)).collect();
        let failing: Vec<(&str, Verdict)> = ids.iter().map(|id| (id.as_str(), Fail)).collect();
        let drift = compare(&report(vec![control("A", Pass, &passing)]), &report(vec![control("A", Fail, &failing)]));
        let section = render_markdown_section(&drift, 2);
        assert!(section.contains("### 🔀 Since the baseline"), "{section}");
        assert!(section.contains("**5 new failures · 1 control changed verdict**"), "{section}");
        assert_eq!(section.matches("- A high · r").count(), 2, "{section}");
        assert!(section.contains("- … and 3 more"), "{section}");
        let same = report(vec![control("A", Fail, &failing)]);
        assert!(render_markdown_section(&compare(&same, &same), 2).contains("No drift"));
    }

    #[test]
    fn a_snapshot_is_not_a_result() {
        let err = parse_result("{\"schema_version\": 1}").unwrap_err();
        assert!(err.contains("snapshot"), "{err}");
        let err = parse_result("{\"result_version\": 1,\n \"tool\": 3}").unwrap_err();
        assert!(err.contains("line 2") && err.contains("`tool`"), "{err}");
        let err = parse_result("{\"result_version\": 2}").unwrap_err();
        assert!(err.contains("version 1"), "{err}");
    }
}

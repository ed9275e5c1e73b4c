//! `--format markdown`: a summary that fits a pull-request comment (GitHub caps
//! them at 65,536 characters) or a CI job summary.
//!
//! Header (account, regions, as-of, J+N, snapshot), one counts line per phase,
//! then what needs doing first: failures (severity first, with the command that
//! fixes them), evidence that is incomplete, what is not due yet, waivers, and the
//! passing controls folded in a `<details>`. Long lists end with "and N more";
//! when the whole still does not fit, every list gets shorter until it does.
//!
//! Everything that comes from the account or from files (resource ids, messages,
//! waiver reasons) is escaped: it can not open a link, an image, raw HTML, a
//! table cell or a code span of its own.

use std::cmp::Reverse;

use chrono::Duration;

use crate::render::escape::markdown::{code, table_code, text};
use crate::render::{day_label, display_name, remediation_for, shown_waivers, View};
use crate::result::{CheckReport, ControlResult, Verdict};

/// The budget, in characters, below GitHub's 65,536 for a comment.
pub const MAX_CHARS: usize = 60_000;

/// How much each list shows, from generous to terse: the first that fits wins.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// Rows per table.
    rows: usize,
    /// Resources listed per control.
    resources: usize,
    /// Characters of one message.
    message: usize,
}

const LIMITS: [Limits; 5] = [
    Limits { rows: 100, resources: 5, message: 240 },
    Limits { rows: 40, resources: 3, message: 160 },
    Limits { rows: 15, resources: 2, message: 120 },
    Limits { rows: 6, resources: 1, message: 80 },
    Limits { rows: 2, resources: 0, message: 60 },
];

pub fn write(view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(render(view.report, view.shown).as_bytes())
}

fn render(report: &CheckReport, shown: &dyn Fn(&ControlResult) -> bool) -> String {
    render_within(report, shown, MAX_CHARS)
}

fn render_within(report: &CheckReport, shown: &dyn Fn(&ControlResult) -> bool, budget: usize) -> String {
    let mut text = String::new();
    for limits in LIMITS {
        text = render_with(report, shown, limits);
        if text.chars().count() <= budget {
            return text;
        }
    }
    // Still too long (thousands of phases or waivers): cut at a line.
    let note = "\n\n… truncated to fit: the full result is in `--format html` or `--format json`.\n";
    let keep = budget.saturating_sub(note.chars().count());
    let mut cut: String = text.chars().take(keep).collect();
    if let Some(end) = cut.rfind('\n') {
        cut.truncate(end);
    }
    cut.push_str(note);
    cut
}

fn render_with(report: &CheckReport, shown: &dyn Fn(&ControlResult) -> bool, limits: Limits) -> String {
    let controls: Vec<&ControlResult> = report.controls.iter().filter(|c| shown(c)).collect();
    let count = |v: Verdict| controls.iter().filter(|c| c.verdict == v).count();
    let mut out = String::new();

    // Header.
    let failing = count(Verdict::Fail);
    let incomplete = count(Verdict::Unknown) + count(Verdict::NeedsEvidence);
    let headline = if failing > 0 {
        format!("❌ jalon: {failing} {} fail", plural(failing, "control", "controls"))
    } else if incomplete > 0 {
        format!("⚠️ jalon: evidence incomplete for {incomplete} {}", plural(incomplete, "control", "controls"))
    } else if report.warnings.iter().any(|w| w.incomplete) {
        "⚠️ jalon: no control fails, but the evidence is incomplete".to_string()
    } else if count(Verdict::Pending) > 0 {
        format!("✅ jalon: every due control passes, {} not due yet", count(Verdict::Pending))
    } else {
        "✅ jalon: every due control passes".to_string()
    };
    out.push_str(&format!("## {headline}\n\n"));
    let account = if report.snapshot.account_id.is_empty() { "unknown" } else { &report.snapshot.account_id };
    let when = match (report.cutover, report.day) {
        (Some(cutover), Some(day)) => format!("**{}** (cutover {cutover})", day_label(day)),
        _ => "no cutover date: every phase is due".to_string(),
    };
    out.push_str(&format!(
        "Account {} · regions {} · as of {} · {when} · snapshot {}\n",
        code(account),
        text(&report.snapshot.regions.join(", ")),
        text(&report.as_of),
        code(&report.snapshot.sha256[..12.min(report.snapshot.sha256.len())]),
    ));
    if controls.len() < report.controls.len() {
        let phases: Vec<&str> = report
            .phases
            .iter()
            .filter(|p| controls.iter().any(|c| c.phase_id == p.id))
            .map(|p| p.id.as_str())
            .collect();
        out.push_str(&format!(
            "\nShowing {} of {} controls ({}).\n",
            controls.len(),
            report.controls.len(),
            text(&phases.join(", "))
        ));
    }
    for w in &report.warnings {
        out.push_str(&format!("\n> [!WARNING]\n> {}\n", text(&w.message)));
    }
    out.push('\n');

    // One counts line per phase.
    for phase in &report.phases {
        let mine: Vec<&&ControlResult> = controls.iter().filter(|c| c.phase_id == phase.id).collect();
        if mine.is_empty() {
            continue;
        }
        let has = |v: Verdict| mine.iter().any(|c| c.verdict == v);
        let icon = if has(Verdict::Fail) {
            "❌"
        } else if has(Verdict::Unknown) || has(Verdict::NeedsEvidence) {
            "⚠️"
        } else if !phase.due {
            "⏳"
        } else {
            "✅"
        };
        let state = if let Some(ahead) = crate::render::due_ahead(report, phase) {
            ahead
        } else if phase.due {
            "due".to_string()
        } else {
            match (report.cutover, report.day) {
                (Some(cutover), Some(day)) => {
                    let left = i64::from(phase.day) - day;
                    let date = cutover + Duration::days(i64::from(phase.day));
                    format!("due in {left} {} ({date})", plural(left.unsigned_abs() as usize, "day", "days"))
                }
                _ => "not due yet".to_string(),
            }
        };
        let counts: Vec<String> = Verdict::ALL
            .iter()
            .map(|v| (v, mine.iter().filter(|c| c.verdict == *v).count()))
            .filter(|(_, n)| *n > 0)
            .map(|(v, n)| format!("{n} {v}"))
            .collect();
        out.push_str(&format!(
            "- {icon} **{} · {}**: {state} · {}\n",
            text(&phase.id),
            text(&phase.title),
            counts.join(" · ")
        ));
    }

    // What changed since the baseline (`--baseline`): the question of a nightly run.
    if let Some(drift) = &report.drift {
        out.push_str(&crate::render::drift::markdown_section(drift, limits.rows.min(20)));
    }

    // Failures, most severe first.
    let mut failures: Vec<&ControlResult> = controls.iter().copied().filter(|c| c.verdict == Verdict::Fail).collect();
    failures.sort_by_key(|c| Reverse(c.severity));
    if !failures.is_empty() {
        out.push_str(&format!("\n### ❌ Failures ({})\n\n", failures.len()));
        out.push_str("| control | severity | what fails | fix |\n|---|---|---|---|\n");
        for c in failures.iter().take(limits.rows) {
            let failing: Vec<_> = c.resources.iter().filter(|r| r.verdict == Verdict::Fail).collect();
            let fix = match failing.first() {
                Some(first) => {
                    let mut fix = remediation_for(c, first).lines().map(table_code).collect::<Vec<_>>().join("<br>");
                    if failing.len() > 1 {
                        fix.push_str(&format!(
                            "<br>for {}, likewise for the {} other{}",
                            table_code(display_name(report, &first.id)),
                            failing.len() - 1,
                            if failing.len() == 2 { "" } else { "s" }
                        ));
                    }
                    fix
                }
                None => table_code(&c.remediation),
            };
            out.push_str(&format!(
                "| {} | {} | {} | {fix} |\n",
                control_cell(c),
                c.severity,
                what_fails(report, c, limits)
            ));
        }
        more(&mut out, failures.len(), limits.rows, "failing controls");
    }

    // Evidence that is missing.
    let unknown: Vec<&ControlResult> =
        controls.iter().copied().filter(|c| matches!(c.verdict, Verdict::Unknown | Verdict::NeedsEvidence)).collect();
    if !unknown.is_empty() || !report.incomplete_collectors.is_empty() {
        out.push_str(&format!("\n### ⚠️ Evidence incomplete ({})\n\n", unknown.len()));
        if !unknown.is_empty() {
            out.push_str("| control | verdict | severity | why | what to do |\n|---|---|---|---|---|\n");
            for c in unknown.iter().take(limits.rows) {
                let why = c.note.clone().unwrap_or_else(|| c.summary());
                let todo = if c.verdict == Verdict::NeedsEvidence {
                    text(&clip(&c.remediation, limits.message))
                } else if why.starts_with("evidence incomplete") {
                    "restore the collector's access, collect again".to_string()
                } else if why.starts_with("policy error") {
                    "fix the policy, check again".to_string()
                } else {
                    "check again".to_string()
                };
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {todo} |\n",
                    control_cell(c),
                    c.verdict,
                    c.severity,
                    text(&clip(&why, limits.message))
                ));
            }
            more(&mut out, unknown.len(), limits.rows, "controls");
        }
        if !report.incomplete_collectors.is_empty() {
            out.push_str("\nCollectors that did not finish:\n\n");
            for s in report.incomplete_collectors.iter().take(limits.rows) {
                let status = s.status.words();
                let mut line = format!("- {} in {}: {status}", code(s.service.as_str()), text(&s.region));
                if let Some(op) = &s.operation {
                    line.push_str(&format!(" on {}", code(op)));
                }
                if let Some(message) = &s.message {
                    line.push_str(&format!(": {}", text(&clip(message, limits.message))));
                }
                out.push_str(&line);
                out.push('\n');
            }
            more(&mut out, report.incomplete_collectors.len(), limits.rows, "collectors");
        }
    }

    // Not due yet.
    let pending: Vec<&ControlResult> = controls.iter().copied().filter(|c| c.verdict == Verdict::Pending).collect();
    if !pending.is_empty() {
        out.push_str(&format!("\n### ⏳ Not due yet ({})\n\n", pending.len()));
        out.push_str("| control | due | severity | what fails |\n|---|---|---|---|\n");
        for c in pending.iter().take(limits.rows) {
            let due = match report.day {
                Some(day) => {
                    let left = i64::from(c.phase) - day;
                    format!("{} · in {left} {}", text(&c.phase_id), plural(left.unsigned_abs() as usize, "day", "days"))
                }
                None => text(&c.phase_id),
            };
            out.push_str(&format!(
                "| {} | {due} | {} | {} |\n",
                control_cell(c),
                c.severity,
                what_fails(report, c, limits)
            ));
        }
        more(&mut out, pending.len(), limits.rows, "pending controls");
    }

    // Waivers: what they waive, and the ones that no longer do.
    let waived: Vec<(&ControlResult, &crate::result::ResourceResult)> = controls
        .iter()
        .flat_map(|c| c.resources.iter().filter(|r| r.verdict == Verdict::Waived).map(move |r| (*c, r)))
        .collect();
    let expired = shown_waivers(report, &report.waivers.expired, shown);
    let unmatched = shown_waivers(report, &report.waivers.unmatched, shown);
    if !waived.is_empty() || !expired.is_empty() || !unmatched.is_empty() {
        out.push_str("\n### Waivers\n\n");
        if !waived.is_empty() {
            out.push_str("| control | resource | waiver |\n|---|---|---|\n");
            for (c, r) in waived.iter().take(limits.rows) {
                out.push_str(&format!(
                    "| **{}** | {} | {} |\n",
                    text(&c.id),
                    table_code(display_name(report, &r.id)),
                    text(&clip(&r.message, limits.message))
                ));
            }
            more(&mut out, waived.len(), limits.rows, "waived resources");
            out.push('\n');
        }
        for w in expired.iter().take(limits.rows) {
            out.push_str(&format!(
                "- ⚠️ **expired** on {}, no longer waives: {} {} (owner {}): {}\n",
                w.expires,
                code(&w.control),
                code(&w.resource),
                text(&w.owner),
                text(&clip(&w.reason, limits.message))
            ));
        }
        more(&mut out, expired.len(), limits.rows, "expired waivers");
        for w in unmatched.iter().take(limits.rows) {
            out.push_str(&format!(
                "- **matches nothing**: {} {} (owner {}, expires {})\n",
                code(&w.control),
                code(&w.resource),
                text(&w.owner),
                w.expires
            ));
        }
        more(&mut out, unmatched.len(), limits.rows, "unmatched waivers");
    }

    // Passing and not applicable, folded.
    let rest: Vec<&ControlResult> = controls
        .iter()
        .copied()
        .filter(|c| matches!(c.verdict, Verdict::Pass | Verdict::NotApplicable | Verdict::Waived))
        .collect();
    if !rest.is_empty() {
        let counts: Vec<String> = [Verdict::Pass, Verdict::Waived, Verdict::NotApplicable]
            .iter()
            .map(|v| (v, rest.iter().filter(|c| c.verdict == *v).count()))
            .filter(|(_, n)| *n > 0)
            .map(|(v, n)| match v {
                Verdict::Pass => format!("{n} passing"),
                Verdict::Waived => format!("{n} waived"),
                _ => format!("{n} not applicable"),
            })
            .collect();
        out.push_str(&format!("\n<details>\n<summary>✅ {}</summary>\n\n", counts.join(", ")));
        out.push_str("| control | phase | verdict | result |\n|---|---|---|---|\n");
        for c in rest.iter().take(limits.rows) {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                control_cell(c),
                text(&c.phase_id),
                c.verdict,
                text(&clip(&c.summary(), limits.message))
            ));
        }
        more(&mut out, rest.len(), limits.rows, "controls");
        out.push_str("\n</details>\n");
    }

    out.push_str(&format!(
        "\n<sub>jalon {} · policies {} · snapshot {} collected {} · every resource: <code>--format html</code> or <code>json</code></sub>\n",
        text(&report.tool.version),
        text(&report.policies_version),
        text(&report.snapshot.sha256),
        text(&report.snapshot.collected_at),
    ));
    out
}

fn control_cell(c: &ControlResult) -> String {
    let mut cell = format!("**{}**<br>{}", text(&c.id), text(&c.title));
    if let Some(note) = crate::render::team_policy_note(c) {
        cell.push_str(&format!("<br>⚠️ {}", text(&note)));
    }
    cell
}

/// "2 of 3 functions fail" and the first resources with their messages.
fn what_fails(report: &CheckReport, c: &ControlResult, limits: Limits) -> String {
    let failing: Vec<_> =
        c.resources.iter().filter(|r| matches!(c.shown_verdict(r), Verdict::Fail | Verdict::Pending)).collect();
    let mut cell = text(&clip(&c.summary(), limits.message));
    if failing.is_empty() {
        if let Some(note) = c.note.as_deref().filter(|n| !c.summary().ends_with(n)) {
            cell.push_str(&format!("<br>{}", text(&clip(note, limits.message))));
        }
    }
    for r in failing.iter().take(limits.resources) {
        cell.push_str(&format!(
            "<br>• {}: {}",
            table_code(display_name(report, &r.id)),
            text(&clip(&r.message, limits.message))
        ));
    }
    if failing.len() > limits.resources && limits.resources > 0 {
        cell.push_str(&format!("<br>… and {} more", failing.len() - limits.resources));
    }
    cell
}

fn more(out: &mut String, total: usize, shown: usize, what: &str) {
    if total > shown {
        out.push_str(&format!("\n… and {} more {what}: see `--format html` or `--format json`.\n", total - shown));
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// At most `max` characters, with an ellipsis when cut.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut cut: String = s.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::fixtures::sample_report;
    use crate::result::ResourceResult;

    #[test]
    fn hostile_report_text_stays_inert() {
        let md = render(&sample_report(), &|_| true);
        // Outside code spans (where Markdown shows text literally), no markup survives.
        let prose: String = md.lines().map(|l| strip_code_spans(l) + "\n").collect::<String>().replace(r"\<", "");
        for tag in ["<script", "<b>", "<i>", "<img"] {
            assert!(!prose.contains(tag), "{tag} in {prose}");
        }
        assert!(md.contains(r"\<b\>bold\</b\>"), "{md}");
        assert!(md.contains(r#"`/x/<script>alert("x")</script>`"#), "{md}");
        // Every table row keeps its header's column count: no stray, unescaped `|`.
        let mut header = None;
        for line in md.lines() {
            if !line.starts_with('|') {
                header = None;
                continue;
            }
            let separators = line.replace(r"\|", "").matches('|').count();
            let expected = *header.get_or_insert(separators);
            assert_eq!(separators, expected, "in {line}");
        }
    }

    /// The line without its code spans (a run of N backticks up to the next run of N).
    fn strip_code_spans(line: &str) -> String {
        let chars: Vec<char> = line.chars().collect();
        let run = |at: usize| chars[at..].iter().take_while(|c| **c == '`').count();
        let (mut out, mut i) = (String::new(), 0);
        while i < chars.len() {
            if chars[i] != '`' {
                out.push(chars[i]);
                i += 1;
                continue;
            }
            let n = run(i);
            let mut j = i + n;
            while j < chars.len() && !(chars[j] == '`' && run(j) == n) {
                j += if chars[j] == '`' { run(j) } else { 1 };
            }
            i = (j + n).min(chars.len());
        }
        out
    }

    #[test]
    fn sections_come_in_order_failures_first() {
        let md = render(&sample_report(), &|_| true);
        let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("{s} missing in {md}"));
        assert!(md.starts_with("## ❌ jalon: 1 control fail\n"), "{md}");
        assert!(at("### ❌ Failures (1)") < at("### ⚠️ Evidence incomplete (2)"));
        assert!(at("### ⚠️ Evidence incomplete") < at("### ⏳ Not due yet (1)"));
        assert!(at("### ⏳ Not due yet") < at("### Waivers"));
        assert!(at("### Waivers") < at("<details>"));
        assert!(md.contains("- ⚠️ **expired** on 2026-11-15"));
        assert!(md.contains("- ❌ **J+0 · Cutover day**: due · 1 FAIL · 1 UNKNOWN · 1 NEEDS_EVIDENCE\n"), "{md}");
    }

    #[test]
    fn long_reports_are_cut_to_fit_a_comment_with_and_n_more() {
        let mut report = sample_report();
        let template = report.controls[0].clone();
        report.controls.clear();
        for i in 0..400 {
            let mut c = template.clone();
            c.id = format!("LOG-{i:03}");
            c.resources = (0..300)
                .map(|j| ResourceResult {
                    id: format!("arn:aws:logs:eu-west-3:123456789012:log-group:/orders/service-{i}-{j}").into(),
                    verdict: Verdict::Fail,
                    message: "retention is never-expire: no retention policy is set (the floor is 30 days) ".repeat(5),
                    fix: None,
                })
                .collect();
            report.controls.push(c);
        }
        let md = render(&report, &|_| true);
        assert!(md.chars().count() <= MAX_CHARS, "{} characters", md.chars().count());
        assert!(md.contains("more failing controls: see `--format html`"), "{md}");
        assert!(md.contains("## ❌ jalon: 400 controls fail"));

        // Within one control, resources beyond the limit are summed up.
        let small = render_with(&report, &|c| c.id == "LOG-000", LIMITS[0]);
        assert!(small.contains("<br>… and 295 more"), "{small}");
        // A message is clipped with an ellipsis.
        assert!(small.contains("…"), "{small}");
    }

    #[test]
    fn a_budget_too_small_for_any_limit_cuts_at_a_line() {
        let md = render_within(&sample_report(), &|_| true, 600);
        assert!(md.chars().count() <= 600, "{md}");
        assert!(md.ends_with("the full result is in `--format html` or `--format json`.\n"), "{md}");
    }

    #[test]
    fn the_phase_view_shows_only_its_controls() {
        let md = render(&sample_report(), &|c| c.phase_id == "J+7");
        assert!(md.contains("Showing 2 of 7 controls (J+7)."), "{md}");
        assert!(!md.contains("LOG-001"), "{md}");
        assert!(md.starts_with("## ✅ jalon: every due control passes, 1 not due yet\n"), "{md}");
    }
}

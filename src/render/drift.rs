//! A drift (what changed since a baseline result) as text, after the checklist table
//! and in `jalon diff`, and as Markdown, in the Markdown report and `jalon diff
//! --format markdown`.

use std::fmt::Write;

use crate::render::escape;
use crate::result::drift::{Change, Drift, ResultRef};
use crate::result::Verdict;
use crate::snapshot::arn;

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

/// What a drift shows of its results and resources: the lines of each section.
struct Lines<'a> {
    drift: &'a Drift,
}

impl<'a> Lines<'a> {
    /// Resource ids are shown by name when both results cover one region at most.
    fn label<'b>(&self, id: &'b str) -> &'b str {
        let mut regions: Vec<&String> = self.drift.before.regions.iter().chain(&self.drift.after.regions).collect();
        regions.sort();
        regions.dedup();
        arn::label(id, regions.len() <= 1)
    }

    /// One line: "2 new failures · 1 fixed · ...", only the non-zero counts.
    fn summary_line(&self) -> String {
        let s = &self.drift.summary;
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
        for c in &self.drift.controls {
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
        self.drift
            .controls
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
        self.drift
            .waivers_expired
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
pub fn text(drift: &Drift) -> String {
    let lines = Lines { drift };
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
    let _ = writeln!(out, "  {}", lines.summary_line());
    for (title, lines) in lines.sections() {
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}");
        for (mark, line) in lines {
            let line = escape::terminal::text(&line);
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
pub fn markdown_section(drift: &Drift, rows: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n### 🔀 Since the baseline\n");
    let _ = writeln!(out, "Baseline {}.\n", describe(&drift.before));
    markdown_changes(&mut out, drift, rows, |title| format!("\n{title}:\n"));
    out
}

/// The drift as Markdown (a pull-request comment, a CI job summary).
pub fn markdown(drift: &Drift) -> String {
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
    let lines = Lines { drift };
    let _ = writeln!(out, "**{}**", lines.summary_line());
    for (title, lines) in lines.sections() {
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}", heading(title));
        // The heading says the kind of change: no mark, which Markdown would read as a list.
        for (_, line) in lines.iter().take(rows) {
            let _ = writeln!(out, "- {}", escape::markdown::text(line));
        }
        if lines.len() > rows {
            let _ = writeln!(out, "- … and {} more", lines.len() - rows);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::compare;
    use crate::result::fixtures::{control, report};
    use crate::result::WaiverEntry;
    use Verdict::*;

    #[test]
    fn no_drift_says_so() {
        let same = report(vec![control("A", Fail, &[("a1", Fail)])]);
        assert!(text(&compare(&same, &same)).starts_with("No drift since the baseline"));
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
            approved_by: "cto@example.com".into(),
            reason: "r".into(),
            expires: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            account: Vec::new(),
        });
        insta::assert_snapshot!(text(&compare(&before, &after)));
    }

    #[test]
    fn the_markdown_section_keeps_each_list_short() {
        let ids: Vec<String> = (0..5).map(|i| format!("r{i}")).collect();
        let passing: Vec<(&str, Verdict)> = ids.iter().map(|id| (id.as_str(), Pass)).collect();
        let failing: Vec<(&str, Verdict)> = ids.iter().map(|id| (id.as_str(), Fail)).collect();
        let drift = compare(&report(vec![control("A", Pass, &passing)]), &report(vec![control("A", Fail, &failing)]));
        let section = markdown_section(&drift, 2);
        assert!(section.contains("### 🔀 Since the baseline"), "{section}");
        assert!(section.contains("**5 new failures · 1 control changed verdict**"), "{section}");
        assert_eq!(section.matches("- A high · r").count(), 2, "{section}");
        assert!(section.contains("- … and 3 more"), "{section}");
        let same = report(vec![control("A", Fail, &failing)]);
        assert!(markdown_section(&compare(&same, &same), 2).contains("No drift"));
    }
}

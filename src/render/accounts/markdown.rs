//! `--format markdown` over several accounts: a pull-request comment or a CI job
//! summary (GitHub caps them at 65,536 characters). The outcome first, a table of
//! the accounts, a table of the controls that fail or are not judged somewhere with
//! the accounts where, then each account's details folded in a `<details>`. Long
//! lists end with "and N more"; every list gets shorter until the whole fits.
//!
//! Account names and ids come from the index, the rest from the accounts: all of it
//! is escaped ([`crate::render::escape::markdown`]).

use std::io::{self, Write};

use super::{account_label, AccountsWriter};
use crate::render::day_label;
use crate::render::escape::markdown::{code, table_code, text};
use crate::render::markdown::MAX_CHARS;
use crate::result::summary::{counts_text, drift_text, AccountSummary, ControlAcross, RunSummary};
use crate::snapshot::arn;

pub struct Writer;

impl AccountsWriter for Writer {
    fn finish(&mut self, summary: &RunSummary, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(render(summary, MAX_CHARS).as_bytes())
    }
}

/// How much each list shows, from generous to terse: the first that fits wins.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// Rows of the accounts' and of the controls' tables.
    rows: usize,
    /// Accounts named in one cell.
    ids: usize,
    /// Accounts detailed, and controls per account.
    details: usize,
    /// Resources per control.
    resources: usize,
    /// Characters of one message.
    message: usize,
}

const LIMITS: [Limits; 5] = [
    Limits { rows: 500, ids: 20, details: 100, resources: 3, message: 200 },
    Limits { rows: 200, ids: 10, details: 40, resources: 2, message: 120 },
    Limits { rows: 60, ids: 5, details: 15, resources: 1, message: 80 },
    Limits { rows: 20, ids: 3, details: 5, resources: 0, message: 60 },
    Limits { rows: 5, ids: 2, details: 0, resources: 0, message: 40 },
];

pub fn render(summary: &RunSummary, budget: usize) -> String {
    let mut text = String::new();
    for limits in LIMITS {
        text = render_with(summary, limits);
        if text.chars().count() <= budget {
            return text;
        }
    }
    let note = "\n\n… truncated to fit: the full result is in `--format json`.\n";
    let mut cut: String = text.chars().take(budget.saturating_sub(note.chars().count())).collect();
    if let Some(end) = cut.rfind('\n') {
        cut.truncate(end);
    }
    cut.push_str(note);
    cut
}

fn render_with(summary: &RunSummary, limits: Limits) -> String {
    let total = summary.accounts.len();
    let line = summary.headline();
    let mark = match line.verdict {
        crate::result::Verdict::Pass => "✅",
        crate::result::Verdict::Fail => "❌",
        _ => "⚠️",
    };
    let headline = format!("{mark} jalon: {}", line.text);
    let index = &summary.index;
    let mut out = format!(
        "## {headline}\n\n{} {} · index {} collected {} · role {}\n",
        total,
        plural(total, "account", "accounts"),
        code(&index.path),
        text(&index.collected_at),
        code(&index.role_name)
    );
    if !index.excluded.is_empty() {
        out.push_str(&format!("\nExcluded from the collection on purpose: {}\n", text(&index.excluded.join(", "))));
    }
    for w in &summary.warnings {
        out.push_str(&format!("\n> [!WARNING]\n> {}\n", text(&clip(&w.message, limits.message))));
    }

    out.push_str("\n| Account | Name | Collection | Outcome | Day | Controls |\n|---|---|---|---|---|---|\n");
    for a in summary.accounts.iter().take(limits.rows) {
        out.push_str(&format!(
            "| {} | {} | {} | {} {} | {} | {} |\n",
            table_code(&a.id),
            text(&clip(a.name.as_deref().unwrap_or(""), limits.message)),
            a.status.as_str(),
            icon(a.exit_code),
            a.outcome(),
            text(&when(a)),
            match drift_text(a) {
                Some(drift) => format!("{} · {drift}", counts_text(&a.counts)),
                None => counts_text(&a.counts),
            }
        ));
    }
    if summary.accounts.len() > limits.rows {
        out.push_str(&format!(
            "\n… and {} more accounts (see `--format json`).\n",
            summary.accounts.len() - limits.rows
        ));
    }
    let warned: Vec<&AccountSummary> = summary.accounts.iter().filter(|a| !a.warnings.is_empty()).collect();
    for a in warned.iter().take(limits.rows) {
        for w in &a.warnings {
            out.push_str(&format!("\n> [!WARNING]\n> {}: {}\n", code(&a.id), text(&clip(w, limits.message))));
        }
    }

    let listed: Vec<&ControlAcross> = summary
        .controls
        .iter()
        .filter(|c| !(c.fail.is_empty() && c.unknown.is_empty() && c.needs_evidence.is_empty()))
        .collect();
    let failed: Vec<String> = summary.failed_accounts().iter().map(|id| id.to_string()).collect();
    if !failed.is_empty() {
        out.push_str(&format!(
            "\nNothing could be read of {} {}: every control that needs the account's evidence is UNKNOWN there.\n",
            plural(failed.len(), "account", "accounts"),
            ids(&failed, limits.ids)
        ));
    }
    if !listed.is_empty() {
        out.push_str("\n### Controls failing or not judged in some account\n\n");
        out.push_str("| Control | Severity | Phase | Fails in | Not judged in |\n|---|---|---|---|---|\n");
        for c in listed.iter().take(limits.rows) {
            let not_judged: Vec<String> = c.unknown.iter().chain(&c.needs_evidence).cloned().collect();
            out.push_str(&format!(
                "| {} {} | {} | {} | {} | {} |\n",
                table_code(&c.id),
                text(&clip(&c.title, limits.message)),
                c.severity.as_str(),
                text(&c.phase_id),
                ids(&c.fail, limits.ids),
                ids(&not_judged, limits.ids)
            ));
        }
        if listed.len() > limits.rows {
            out.push_str(&format!("\n… and {} more controls.\n", listed.len() - limits.rows));
        }
    }

    let details: Vec<&AccountSummary> = summary.accounts.iter().filter(|a| !a.attention.is_empty()).collect();
    if !details.is_empty() && limits.details > 0 {
        out.push_str("\n### Details per account\n\n");
        out.push_str("One account's checklist, with its fixes: `jalon check --snapshot <directory>/<account>.json`.\n");
        for a in details.iter().take(limits.details) {
            out.push_str(&detail(a, limits));
        }
        if details.len() > limits.details {
            out.push_str(&format!("\n… and {} more accounts.\n", details.len() - limits.details));
        }
    }
    if !summary.unmatched_waivers.is_empty() {
        out.push_str("\n### Waivers matching nothing\n\n");
        for w in summary.unmatched_waivers.iter().take(limits.rows) {
            let scope = if w.account.is_empty() {
                "any account".to_string()
            } else {
                format!("account {}", w.account.join(", "))
            };
            out.push_str(&format!(
                "- {} {} (owner {}): matches nothing in {}\n",
                code(&w.control),
                code(&w.resource),
                text(&w.owner),
                text(&scope)
            ));
        }
    }
    out
}

fn detail(a: &AccountSummary, limits: Limits) -> String {
    let phases: Vec<String> =
        a.phases.iter().map(|p| format!("{} {}", p.id, if p.due { "due" } else { "not due yet" })).collect();
    let mut out = format!(
        "\n<details><summary>{} {}: {}</summary>\n\n{} · {}\n\n",
        icon(a.exit_code),
        // The summary is in an HTML block: raw HTML there, not Markdown.
        crate::render::escape::markdown::html_line(&account_label(&a.id, a.name.as_deref())),
        counts_text(&a.counts),
        text(&when(a)),
        text(&phases.join(", "))
    );
    for c in a.attention.iter().take(limits.details) {
        out.push_str(&format!(
            "- **{}** {} ({}, {}): {}\n",
            text(c.verdict.as_str()),
            code(&c.id),
            c.severity.as_str(),
            text(&c.phase_id),
            text(&clip(&c.summary, limits.message))
        ));
        for (id, message) in c.resources.iter().take(limits.resources) {
            out.push_str(&format!(
                "  - {}: {}\n",
                code(arn::label(id, a.one_region)),
                text(&clip(message, limits.message))
            ));
        }
        let more = c.more + c.resources.len().saturating_sub(limits.resources);
        if more > 0 {
            out.push_str(&format!("  - … and {more} more\n"));
        }
    }
    if a.attention.len() > limits.details {
        out.push_str(&format!("- … and {} more controls\n", a.attention.len() - limits.details));
    }
    out.push_str("\n</details>\n");
    out
}

fn when(a: &AccountSummary) -> String {
    match (a.cutover, a.day) {
        (Some(cutover), Some(day)) => format!("{} (cutover {cutover})", day_label(day)),
        _ => "no cutover date".to_string(),
    }
}

fn icon(exit_code: i32) -> &'static str {
    match exit_code {
        0 => "✅",
        1 => "❌",
        _ => "⚠️",
    }
}

/// Account ids in a cell, as code, at most `max` then "and N more".
fn ids(ids: &[String], max: usize) -> String {
    if ids.is_empty() {
        return String::new();
    }
    let mut cell: Vec<String> = ids.iter().take(max).map(|id| table_code(id)).collect();
    if ids.len() > max {
        cell.push(format!("and {} more", ids.len() - max));
    }
    cell.join(", ")
}

fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

//! The terminal summary of a run over several accounts: one line per account (its
//! collection, its verdict, its day and counts), then each control that fails or is
//! not judged somewhere with the accounts where, then per account what needs
//! attention. The checklist of one account, with its fixes, is
//! `jalon check --snapshot DIR/<id>.json`.

use std::io::{self, Write};

use super::{account_label, AccountsWriter};
use crate::render::escape::terminal::text as term;
use crate::render::{day_label, Options};
use crate::result::summary::{counts_text, drift_text, AccountSummary, ControlAcross, RunSummary};
use crate::result::Verdict;
use crate::snapshot::arn;

/// Accounts named on one control's line before "and N more".
const LISTED_ACCOUNTS: usize = 8;

/// Characters of one line of prose, at most (a name from an account can be long).
const MAX_LINE_CHARS: usize = 400;

pub struct Writer {
    options: Options,
}

impl Writer {
    pub fn new(options: Options) -> Writer {
        Writer { options }
    }
}

impl AccountsWriter for Writer {
    fn finish(&mut self, summary: &RunSummary, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(render(summary, &self.options).as_bytes())
    }
}

pub fn render(summary: &RunSummary, _options: &Options) -> String {
    let index = &summary.index;
    let mut out = format!(
        "jalon {} · {} · {}\nindex collected {} ({}, role {})\n",
        env!("CARGO_PKG_VERSION"),
        count(summary.accounts.len(), "account"),
        term(&index.path),
        term(&index.collected_at),
        serde_json::to_value(index.source).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
        term(&index.role_name),
    );
    if !index.excluded.is_empty() {
        out.push_str(&line(&format!("excluded from the collection on purpose: {}", index.excluded.join(", "))));
    }
    for w in &summary.warnings {
        out.push_str(&line(&format!("! warning: {}", w.message)));
    }
    out.push_str(&format!("\nACCOUNTS · {}\n", outcomes(summary)));
    out.push_str(&accounts(&summary.accounts));
    let listed: Vec<&ControlAcross> = summary
        .controls
        .iter()
        .filter(|c| !(c.fail.is_empty() && c.unknown.is_empty() && c.needs_evidence.is_empty()))
        .collect();
    let failed = summary.failed_accounts();
    if !listed.is_empty() || !failed.is_empty() {
        out.push_str(&format!(
            "\nCONTROLS · {} failing or not judged in some account, most severe first\n",
            listed.len()
        ));
        if !failed.is_empty() {
            out.push_str(&line(&format!(
                "  every control that needs the account's evidence is UNKNOWN in {}: nothing could be read of {}",
                count(failed.len(), "failed account"),
                list(&failed.iter().map(|id| id.to_string()).collect::<Vec<_>>())
            )));
        }
        for c in listed {
            out.push_str(&across(c));
        }
    }
    let details: Vec<&AccountSummary> = summary.accounts.iter().filter(|a| !a.attention.is_empty()).collect();
    if !details.is_empty() {
        out.push_str(
            "\nDETAILS · what needs attention in each account (one account's checklist, with its fixes: \
                      jalon check --snapshot <directory>/<account>.json)\n",
        );
        for a in details {
            out.push_str(&detail(a));
        }
    }
    if !summary.unmatched_waivers.is_empty() {
        out.push('\n');
        for w in &summary.unmatched_waivers {
            let scope = if w.account.is_empty() {
                "any account".to_string()
            } else {
                format!("account {}", w.account.join(", "))
            };
            out.push_str(&line(&format!(
                "! waiver matches nothing in {scope}: {} {} (owner {})",
                w.control, w.resource, w.owner
            )));
        }
    }
    out
}

/// "2 FAIL, 1 INCOMPLETE": how many accounts of each outcome, the worst first.
fn outcomes(summary: &RunSummary) -> String {
    let mut parts = Vec::new();
    for label in ["FAIL", "INCOMPLETE", "KNOWN FAILURES", "PASS"] {
        let n = summary.accounts.iter().filter(|a| a.outcome() == label).count();
        if n > 0 {
            parts.push(format!("{n} {label}"));
        }
    }
    parts.join(", ")
}

/// One line per account, in columns; an account's warnings under it.
fn accounts(accounts: &[AccountSummary]) -> String {
    let rows: Vec<[String; 5]> = accounts
        .iter()
        .map(|a| {
            [
                term(&a.id).into_owned(),
                term(a.name.as_deref().unwrap_or("-")).into_owned(),
                a.status.as_str().to_string(),
                a.outcome().to_string(),
                when(a),
            ]
        })
        .collect();
    let widths: Vec<usize> =
        (0..5).map(|i| rows.iter().map(|r| textwrap::core::display_width(&r[i]).min(40)).max().unwrap_or(0)).collect();
    let mut text = String::new();
    for (a, row) in accounts.iter().zip(&rows) {
        let mut cells = String::from(" ");
        for (cell, width) in row.iter().zip(&widths) {
            let pad = width.saturating_sub(textwrap::core::display_width(cell));
            cells.push(' ');
            cells.push_str(cell);
            cells.push_str(&" ".repeat(pad + 1));
        }
        cells.push_str(&format!(" {}  exit {}", counts_text(&a.counts), a.exit_code));
        if let Some(drift) = drift_text(a) {
            cells.push_str(&format!(" · {drift}"));
        }
        text.push_str(&line(cells.trim_end()));
        for w in &a.warnings {
            text.push_str(&line(&format!("      ! {w}")));
        }
    }
    text
}

/// "J+2 (cutover 2026-11-20)", or "no cutover".
fn when(a: &AccountSummary) -> String {
    match (a.cutover, a.day) {
        (Some(cutover), Some(day)) => format!("{} (cutover {cutover})", day_label(day)),
        _ => "no cutover".to_string(),
    }
}

/// A control across the accounts.
fn across(c: &ControlAcross) -> String {
    let mut parts = Vec::new();
    for (verdict, ids) in [
        (Verdict::Fail, &c.fail),
        (Verdict::Unknown, &c.unknown),
        (Verdict::NeedsEvidence, &c.needs_evidence),
        (Verdict::Waived, &c.waived),
    ] {
        if !ids.is_empty() {
            parts.push(format!("{verdict} in {}", list(ids)));
        }
    }
    let head = format!("  {:<8} {:<8}  {:<5} ", term(&c.id), c.severity.as_str(), term(&c.phase_id));
    let mut text = line(&format!("{head}{}", parts.join(" · ")));
    text.push_str(&line(&format!("{}{}", " ".repeat(head.chars().count()), term(&c.title))));
    text
}

/// "111111111111, 222222222222 and 3 more".
fn list(ids: &[String]) -> String {
    let shown: Vec<&str> = ids.iter().take(LISTED_ACCOUNTS).map(String::as_str).collect();
    let mut text = shown.join(", ");
    if ids.len() > LISTED_ACCOUNTS {
        text.push_str(&format!(" and {} more", ids.len() - LISTED_ACCOUNTS));
    }
    text
}

/// One account: its day and phases, then its controls that need attention.
fn detail(a: &AccountSummary) -> String {
    let phases: Vec<String> =
        a.phases.iter().map(|p| format!("{} {}", p.id, if p.due { "due" } else { "not due yet" })).collect();
    let when = match (a.cutover, a.day) {
        (Some(cutover), Some(day)) => format!("cutover {cutover}, as of {} ({})", a.as_of, day_label(day)),
        _ => format!("as of {} (no cutover date: every phase due)", a.as_of),
    };
    let mut text = format!(
        "\n{}",
        line(&format!("  {} · {when} · {}", account_label(&a.id, a.name.as_deref()), phases.join(", ")))
    );
    for c in &a.attention {
        let head = format!(
            "    {:<14} {:<8} {:<8}  {:<5} ",
            c.verdict.as_str(),
            term(&c.id),
            c.severity.as_str(),
            term(&c.phase_id)
        );
        text.push_str(&line(&format!("{head}{}", c.summary)));
        for (id, message) in &c.resources {
            text.push_str(&line(&format!("        ✗ {}: {message}", arn::label(id, a.one_region))));
        }
        if c.more > 0 {
            text.push_str(&line(&format!("        … and {} more", c.more)));
        }
    }
    text
}

/// One line: escaped (every account-derived string passes here), clipped, ended.
fn line(text: &str) -> String {
    let escaped = term(text);
    let mut out: String = escaped.chars().take(MAX_LINE_CHARS).collect();
    if escaped.chars().count() > MAX_LINE_CHARS {
        out.push_str("… (see --format json)");
    }
    out.push('\n');
    out
}

/// "1 account", "3 accounts".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

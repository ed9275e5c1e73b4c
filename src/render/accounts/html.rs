//! `--format html` over several accounts: one self-contained page, the accounts'
//! summary up top (a row per account, linking to its section; then the controls that
//! fail or are not judged somewhere, with the accounts where), then each account's
//! checklist, phase by phase, every control expandable to its evidence as on one
//! account's page. No script: the page needs none to read.
//!
//! Each account's section is written to a temporary file as the account is judged
//! (the summary that opens the page is known only at the end); the page is then
//! written whole from the two. Every string from the index or an account (names,
//! ids, messages) goes through [`crate::render::escape::html`].

use std::fmt::Write as _;
use std::io::{self, Seek, Write};

use super::{account_label, AccountPart, AccountsWriter};
use crate::render::escape::html::text as escape;
use crate::render::html::{content_security_policy, control, time, CSS};
use crate::render::{day_label, shown_waivers};
use crate::result::summary::{counts_text, outcome_label, RunSummary};
use crate::result::ControlResult;

/// Styles of the summary tables, beside the one-account page's.
const ACCOUNTS_CSS: &str = "
.accounts{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px}
.accounts th,.accounts td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
.account{border-top:2px solid var(--line);padding-top:12px}
.o-FAIL{color:var(--FAIL);font-weight:700}.o-INCOMPLETE{color:var(--UNKNOWN);font-weight:700}.o-PASS{color:var(--PASS);font-weight:700}
";

pub struct Writer {
    body: tempfile::NamedTempFile,
}

impl Writer {
    pub fn new() -> io::Result<Writer> {
        Ok(Writer { body: tempfile::NamedTempFile::new()? })
    }
}

/// The id of an account's section (the id is 12 digits: nothing to escape, but escaped).
fn anchor(id: &str) -> String {
    format!("account-{}", escape(id))
}

impl AccountsWriter for Writer {
    fn account(&mut self, part: &AccountPart, _out: &mut dyn Write) -> io::Result<()> {
        let (report, shown) = (part.view.report, part.view.shown);
        let entry = part.entry;
        let controls: Vec<&ControlResult> = report.controls.iter().filter(|c| shown(c)).collect();
        let mut h = String::new();
        let _ = write!(
            h,
            "<section class=\"account\" id=\"{}\">\n<h2>{}</h2>\n<section class=\"facts\"><dl>\n",
            anchor(&entry.id),
            escape(&account_label(&entry.id, entry.name.as_deref()))
        );
        let mut facts = vec![
            ("Collection", escape(entry.status.as_str())),
            (
                "Outcome",
                escape(outcome_label(
                    part.view.options.exit_code,
                    controls.iter().any(|c| c.verdict == crate::result::Verdict::Fail),
                )),
            ),
            ("Regions", escape(&report.snapshot.regions.join(", "))),
            ("As of", time(&report.as_of)),
        ];
        match (report.cutover, report.day) {
            (Some(cutover), Some(day)) => {
                facts.push(("Cutover", escape(&cutover.to_string())));
                facts.push(("Day", format!("<b>{}</b>", escape(&day_label(day)))));
            }
            _ => facts.push(("Cutover", "none: every phase is due".into())),
        }
        facts.push(("Snapshot", format!("<code>{}</code>", escape(&report.snapshot.sha256))));
        for (label, value) in facts {
            let _ = writeln!(h, "<div><dt>{label}</dt><dd>{value}</dd></div>");
        }
        h.push_str("</dl></section>\n");
        for w in &report.warnings {
            let class = if w.incomplete { "a-UNKNOWN" } else { "a-PENDING" };
            let _ = writeln!(h, "<p class=\"alert {class}\"><b>Warning</b> {}</p>", escape(&w.message));
        }
        for w in shown_waivers(report, &report.waivers.expired, shown) {
            let _ = writeln!(
                h,
                "<p class=\"alert a-FAIL\"><b>Waiver expired</b> on {}: <code>{}</code> <code>{}</code> (owner {}) no longer waives.</p>",
                w.expires,
                escape(&w.control),
                escape(&w.resource),
                escape(&w.owner)
            );
        }
        let prefix = format!("a{}-", entry.id);
        for phase in &report.phases {
            let mine: Vec<&&ControlResult> = controls.iter().filter(|c| c.phase_id == phase.id).collect();
            if mine.is_empty() {
                continue;
            }
            let state = crate::render::due_ahead(report, phase)
                .unwrap_or_else(|| if phase.due { "due" } else { "not due yet" }.to_string());
            let _ = writeln!(
                h,
                "<section class=\"phase\"><h3>{} <span class=\"ptitle\">{}</span> <span class=\"badge {}\">{}</span></h3>",
                escape(&phase.id),
                escape(&phase.title),
                if phase.due { "due" } else { "notdue" },
                escape(&state)
            );
            for c in mine {
                control(&mut h, report, c, &prefix);
            }
            h.push_str("</section>\n");
        }
        h.push_str("</section>\n");
        self.body.write_all(h.as_bytes())
    }

    fn finish(&mut self, summary: &RunSummary, out: &mut dyn Write) -> io::Result<()> {
        let total = summary.accounts.len();
        let line = summary.headline();
        let (headline, class) = (line.text, line.verdict.as_str());
        let mut h = String::new();
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n{csp}\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"jalon {version}\">\n\
             <title>jalon · {total} accounts · {headline}</title>\n<style>{CSS}{ACCOUNTS_CSS}</style>\n</head>\n<body>\n\
             <header class=\"masthead\"><div class=\"wrap\">\
             <div class=\"brand\"><span class=\"mark\" aria-hidden=\"true\"></span>jalon <span>readiness checklist, accounts</span></div>\
             <div class=\"headline h-{class}\">{headline}</div></div></header>\n<main class=\"wrap\">\n",
            csp = content_security_policy(None),
            version = escape(env!("CARGO_PKG_VERSION")),
            headline = escape(&headline),
        );
        let _ = writeln!(
            h,
            "<section class=\"facts\"><dl><div><dt>Index</dt><dd><code>{}</code></dd></div>\
             <div><dt>Collected</dt><dd>{}</dd></div><div><dt>Role</dt><dd><code>{}</code></dd></div>\
             <div><dt>Index sha256</dt><dd><code>{}</code></dd></div></dl></section>",
            escape(&summary.index.path),
            time(&summary.index.collected_at),
            escape(&summary.index.role_name),
            escape(&summary.index.sha256)
        );
        for w in &summary.warnings {
            let class = if w.incomplete { "a-UNKNOWN" } else { "a-PENDING" };
            let _ = writeln!(h, "<p class=\"alert {class}\"><b>Warning</b> {}</p>", escape(&w.message));
        }
        for w in &summary.unmatched_waivers {
            let scope = match w.account.is_empty() {
                true => "any account".to_string(),
                false => format!("account {}", w.account.join(", ")),
            };
            let _ = writeln!(
                h,
                "<p class=\"alert a-WAIVED\"><b>Waiver matches nothing</b> in {}: <code>{}</code> <code>{}</code> (owner {}).</p>",
                escape(&scope),
                escape(&w.control),
                escape(&w.resource),
                escape(&w.owner)
            );
        }
        h.push_str(
            "<section><h2>Accounts</h2><table class=\"accounts\"><thead><tr><th>Account</th><th>Name</th>\
             <th>Collection</th><th>Outcome</th><th>Day</th><th>Controls</th></tr></thead><tbody>\n",
        );
        for a in &summary.accounts {
            let day = match (a.cutover, a.day) {
                (Some(cutover), Some(day)) => format!("{} (cutover {cutover})", day_label(day)),
                _ => "no cutover".into(),
            };
            let outcome = a.outcome().replace(' ', "-");
            let _ = writeln!(
                h,
                "<tr><td><a href=\"#{}\"><code>{}</code></a></td><td>{}</td><td>{}</td><td class=\"o-{outcome}\">{outcome}</td><td>{}</td><td>{}</td></tr>",
                anchor(&a.id),
                escape(&a.id),
                escape(a.name.as_deref().unwrap_or("")),
                escape(a.status.as_str()),
                escape(&day),
                escape(&counts_text(&a.counts))
            );
        }
        h.push_str("</tbody></table></section>\n");
        let failed = summary.failed_accounts();
        if !failed.is_empty() {
            let _ = writeln!(
                h,
                "<p class=\"alert a-UNKNOWN\"><b>Nothing could be read</b> of {}: every control that needs the account's evidence is UNKNOWN there.</p>",
                escape(&failed.join(", "))
            );
        }
        let listed: Vec<_> = summary
            .controls
            .iter()
            .filter(|c| !(c.fail.is_empty() && c.unknown.is_empty() && c.needs_evidence.is_empty()))
            .collect();
        if !listed.is_empty() {
            h.push_str(
                "<section><h2>Controls failing or not judged in some account</h2><table class=\"accounts\"><thead><tr>\
                 <th>Control</th><th>Severity</th><th>Phase</th><th>Fails in</th><th>Not judged in</th></tr></thead><tbody>\n",
            );
            for c in listed {
                let not_judged: Vec<String> = c.unknown.iter().chain(&c.needs_evidence).cloned().collect();
                let _ = writeln!(
                    h,
                    "<tr><td><code>{}</code> {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&c.id),
                    escape(&c.title),
                    c.severity,
                    escape(&c.phase_id),
                    escape(&c.fail.join(", ")),
                    escape(&not_judged.join(", "))
                );
            }
            h.push_str("</tbody></table></section>\n");
        }
        out.write_all(h.as_bytes())?;
        let body = self.body.as_file_mut();
        body.flush()?;
        body.seek(io::SeekFrom::Start(0))?;
        io::copy(body, out)?;
        let footer = format!(
            "</main>\n<footer class=\"wrap\">jalon {} · result version {} · index sha256 <code>{}</code><br>\
             A self-contained page: it loads nothing from the network.</footer>\n</body>\n</html>\n",
            escape(env!("CARGO_PKG_VERSION")),
            crate::result::RESULT_VERSION,
            escape(&summary.index.sha256)
        );
        out.write_all(footer.as_bytes())
    }
}

//! `--format html`: one self-contained page for people (the team, an auditor):
//! the phase timeline J+0 / J+7 / J+30, filters by verdict and severity, and every
//! control expandable to its evidence per resource and its remediation.
//!
//! Rendered here, server side, as plain HTML with `write!` and one escaping helper
//! ([`crate::render::escape::html`]) that every piece of text goes through: resource ids, messages,
//! waiver reasons and even control metadata (a team can ship its own policies)
//! are untrusted. The page reads fine with scripts off (every control is listed,
//! `<details>` expand natively); the inline script only filters, searches,
//! expands and collapses. No template engine: the markup is small and fixed, and
//! one escaping function is easier to audit than a template language's rules.
//!
//! It opens with no network: CSS and JS are inline, fonts are the system's, and
//! the only links are the controls' documentation links (http and https only).
//!
//! The filters (verdict, severity, phase, text) live in the URL fragment so a view can
//! be shared: `jalon.html#verdict=FAIL,UNKNOWN&severity=critical,high&phase=J%2B0&q=orders`.
//!
//! Printed (or saved as PDF for an audit file), the page shows everything whatever
//! the screen's filters: the counters, one page per phase, every control open with its
//! evidence, and each link's address written out.

use std::fmt::Write;

use chrono::Duration;

use crate::engine::Severity;
use crate::render::escape::html::text as escape;
use crate::render::{day_label, remediation_for, shown_waivers, View};
use crate::result::{CheckReport, ControlResult, Verdict};
use crate::snapshot::CollectionStatus;

/// At most this many remediation commands per control (one per failing resource).
const MAX_FIXES: usize = 20;

const SEVERITIES: [Severity; 4] = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low];

pub fn write(view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(render(view.report, view.shown).as_bytes())
}

fn render(report: &CheckReport, shown: &dyn Fn(&ControlResult) -> bool) -> String {
    let controls: Vec<&ControlResult> = report.controls.iter().filter(|c| shown(c)).collect();
    let count = |v: Verdict| controls.iter().filter(|c| c.verdict == v).count();
    let account = if report.snapshot.account_id.is_empty() { "unknown" } else { &report.snapshot.account_id };
    let failing = count(Verdict::Fail);
    let incomplete = count(Verdict::Unknown) + count(Verdict::NeedsEvidence);
    let (headline, headline_class) = if failing > 0 {
        (format!("{failing} {} fail", if failing == 1 { "control" } else { "controls" }), "FAIL")
    } else if incomplete > 0 {
        (
            format!("evidence incomplete for {incomplete} {}", if incomplete == 1 { "control" } else { "controls" }),
            "UNKNOWN",
        )
    } else if count(Verdict::Pending) > 0 {
        (format!("every due control passes, {} not due yet", count(Verdict::Pending)), "PASS")
    } else {
        ("every due control passes".to_string(), "PASS")
    };
    let day = report.day.map(day_label);

    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         {csp}\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"jalon {version}\">\n\
         <title>jalon · {account} · {day}{headline}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        csp = content_security_policy(Some(JS)),
        version = escape(&report.tool.version),
        account = escape(account),
        day = day.as_deref().map(|d| format!("{} · ", escape(d))).unwrap_or_default(),
        headline = escape(&headline),
    );

    // Masthead.
    let _ = write!(
        h,
        "<header class=\"masthead\"><div class=\"wrap\">\
         <div class=\"brand\"><span class=\"mark\" aria-hidden=\"true\"></span>jalon <span>readiness checklist</span></div>\
         <div class=\"headline h-{headline_class}\">{}</div></div></header>\n<main class=\"wrap\">\n",
        escape(&headline)
    );

    // Facts.
    h.push_str("<section class=\"facts\" aria-label=\"Snapshot\"><dl>\n");
    let short_sha = &report.snapshot.sha256[..12.min(report.snapshot.sha256.len())];
    let mut facts: Vec<(&str, String)> = vec![
        ("Account", escape(account)),
        ("Regions", escape(&report.snapshot.regions.join(", "))),
        ("As of", time(&report.as_of)),
    ];
    match (report.cutover, &day) {
        (Some(cutover), Some(day)) => {
            facts.push(("Cutover", escape(&cutover.to_string())));
            facts.push(("Day", format!("<b>{}</b>", escape(day))));
        }
        _ => facts.push(("Cutover", "none: every phase is due".into())),
    }
    facts.push((
        "Snapshot",
        format!("<code title=\"sha256 {}\">{}</code>", escape(&report.snapshot.sha256), escape(short_sha)),
    ));
    if report.snapshot.collected_at != report.as_of {
        facts.push(("Collected", time(&report.snapshot.collected_at)));
    }
    facts.push(("Policies", format!("<code>{}</code>", escape(&report.policies_version))));
    for (label, value) in facts {
        let _ = writeln!(h, "<div><dt>{label}</dt><dd>{value}</dd></div>");
    }
    h.push_str("</dl></section>\n");

    // What needs attention before reading any verdict.
    let expired = shown_waivers(report, &report.waivers.expired, shown);
    let unmatched = shown_waivers(report, &report.waivers.unmatched, shown);
    let alerts = !report.incomplete_collectors.is_empty() || !report.warnings.is_empty();
    if alerts || !expired.is_empty() || !unmatched.is_empty() {
        h.push_str("<section class=\"alerts\" aria-label=\"Warnings\">\n");
        for w in &report.warnings {
            let class = if w.incomplete { "a-UNKNOWN" } else { "a-PENDING" };
            let _ = writeln!(h, "<p class=\"alert {class}\"><b>Warning</b> {}</p>", escape(&w.message));
        }
        for s in &report.incomplete_collectors {
            let what = match s.status {
                CollectionStatus::Ok => "ok",
                CollectionStatus::AccessDenied => "access denied",
                CollectionStatus::Throttled => "throttled past retries",
                CollectionStatus::Error => "failed",
            };
            let _ = write!(
                h,
                "<p class=\"alert a-UNKNOWN\"><b>Evidence incomplete</b> the <code>{}</code> collector in {}: {what}",
                escape(s.service.as_str()),
                escape(&s.region)
            );
            if let Some(op) = &s.operation {
                let _ = write!(h, " on <code>{}</code>", escape(op));
            }
            if let Some(message) = &s.message {
                let _ = write!(h, ": {}", escape(message));
            }
            h.push_str("</p>\n");
        }
        for w in &expired {
            let _ = writeln!(
                h,
                "<p class=\"alert a-FAIL\"><b>Waiver expired</b> on {}: <code>{}</code> <code>{}</code> (owner {}) no longer waives. {}</p>",
                w.expires,
                escape(&w.control),
                escape(&w.resource),
                escape(&w.owner),
                escape(&w.reason)
            );
        }
        for w in &unmatched {
            let _ = writeln!(
                h,
                "<p class=\"alert a-WAIVED\"><b>Waiver matches nothing</b> <code>{}</code> <code>{}</code> (owner {}, expires {}).</p>",
                escape(&w.control),
                escape(&w.resource),
                escape(&w.owner),
                w.expires
            );
        }
        h.push_str("</section>\n");
    }

    timeline(&mut h, report, &controls);

    // Verdict tiles: the totals, and a one-click filter each.
    h.push_str("<section class=\"tiles\" aria-label=\"Totals\">\n");
    for v in Verdict::ALL {
        let _ = writeln!(
            h,
            "<button type=\"button\" class=\"tile t-{v}\" data-only=\"{v}\"{}><span class=\"n\">{}</span><span class=\"l\">{}</span></button>",
            if count(v) == 0 { " disabled" } else { "" },
            count(v),
            verdict_label(v)
        );
    }
    h.push_str("</section>\n");

    // Filters.
    h.push_str("<section class=\"filters\" id=\"filters\" aria-label=\"Filters\">\n<div class=\"group\"><span class=\"legend\">Verdict</span>");
    for v in Verdict::ALL {
        let _ = write!(
            h,
            "<label class=\"chip c-{v}\"><input type=\"checkbox\" name=\"verdict\" value=\"{v}\" checked><span>{}</span><b>{}</b></label>",
            verdict_label(v),
            count(v)
        );
    }
    h.push_str("</div>\n<div class=\"group\"><span class=\"legend\">Severity</span>");
    for s in SEVERITIES {
        let n = controls.iter().filter(|c| c.severity == s).count();
        let _ = write!(
            h,
            "<label class=\"chip s-{s}\"><input type=\"checkbox\" name=\"severity\" value=\"{s}\" checked><span>{s}</span><b>{n}</b></label>"
        );
    }
    h.push_str("</div>\n<div class=\"group\"><span class=\"legend\">Phase</span>");
    for phase in &report.phases {
        let n = controls.iter().filter(|c| c.phase_id == phase.id).count();
        let _ = write!(
            h,
            "<label class=\"chip\"><input type=\"checkbox\" name=\"phase\" value=\"{id}\" checked><span>{id}</span><b>{n}</b></label>",
            id = escape(&phase.id)
        );
    }
    let _ = write!(
        h,
        "</div>\n<div class=\"group tools\"><input type=\"search\" id=\"q\" placeholder=\"Search controls and resources\" aria-label=\"Search\">\
         <button type=\"button\" id=\"expand\">Expand all</button><button type=\"button\" id=\"collapse\">Collapse all</button>\
         <button type=\"button\" id=\"reset\">Reset</button></div>\n\
         <p id=\"status\" role=\"status\">Showing {n} of {n} controls</p>\n</section>\n",
        n = controls.len()
    );

    // The checklist, phase by phase.
    for phase in &report.phases {
        let mine: Vec<&&ControlResult> = controls.iter().filter(|c| c.phase_id == phase.id).collect();
        if mine.is_empty() {
            continue;
        }
        let _ = write!(
            h,
            "<section class=\"phase\" data-phase=\"{id}\" aria-labelledby=\"phase-{id}\">\n\
             <h2 id=\"phase-{id}\">{id} <span class=\"ptitle\">{title}</span> <span class=\"badge {due_class}\">{due}</span></h2>\n",
            id = escape(&phase.id),
            title = escape(&phase.title),
            due_class = if phase.due { "due" } else { "notdue" },
            due = escape(&crate::render::due_ahead(report, phase).unwrap_or_else(|| {
                if phase.due { "due" } else { "not due yet" }.to_string()
            })),
        );
        for c in mine {
            control(&mut h, report, c, "");
        }
        h.push_str("<p class=\"empty\" hidden>No control of this phase matches the filters.</p>\n</section>\n");
    }

    if controls.iter().any(|c| c.id == "OPS-003") {
        service_level(&mut h, report);
    }

    let _ = write!(
        h,
        "</main>\n<footer class=\"wrap\">jalon {} · result version {} · policies <code>{}</code> · snapshot sha256 <code>{}</code><br>\
         A self-contained page: it loads nothing from the network.</footer>\n<script>{JS}</script>\n</body>\n</html>\n",
        escape(&report.tool.version),
        report.result_version,
        escape(&report.policies_version),
        escape(&report.snapshot.sha256),
    );
    h
}

/// What OPS-003's functions and stages did since the cutover: a chart and the figures
/// of each.
fn service_level(h: &mut String, report: &CheckReport) {
    if report.slo.is_empty() {
        return;
    }
    h.push_str(
        "<section class=\"slo\" aria-labelledby=\"slo\">\n<h2 id=\"slo\">Service level since the cutover \
         <span class=\"ptitle\">OPS-003's evidence: \
         <span class=\"key err\">error rate</span> and <span class=\"key p95\">p95 latency</span>, \
         dashed at the SLO</span></h2>\n",
    );
    for s in &report.slo {
        let figure = |v: Option<f64>, unit: &str| v.map_or("unknown".to_string(), |v| format!("{v} {unit}"));
        let _ = writeln!(
            h,
            "<figure class=\"slo-figure\">{chart}<figcaption><b>{name}</b> <span class=\"muted\">{kind} · {region}</span>\
             <dl><div><dt>Requests</dt><dd>{requests}</dd></div><div><dt>Errors</dt><dd>{errors} ({rate})</dd></div>\
             <div><dt>Worst 5 min</dt><dd>{worst_rate}, p95 {worst_p95}</dd></div>\
             <div><dt>p95</dt><dd>{p95} (baseline {baseline})</dd></div></dl></figcaption></figure>",
            chart = crate::render::chart::svg(s),
            name = escape(&s.name),
            kind = if s.kind == "api_stage" { "API stage" } else { "function" },
            region = escape(&s.region),
            requests = s.requests,
            errors = s.errors,
            rate = figure(s.error_rate_percent, "%"),
            worst_rate = figure(s.worst_error_rate_percent, "%"),
            worst_p95 = figure(s.worst_p95_ms, "ms"),
            p95 = figure(s.p95_ms, "ms"),
            baseline = figure(s.baseline_p95_ms, "ms"),
        );
    }
    h.push_str("</section>\n");
}

/// `2026-11-22T01:45:17Z` reads as `2026-11-22 01:45:17 UTC` (the exact value in a tooltip).
pub(crate) fn time(rfc3339: &str) -> String {
    match rfc3339.strip_suffix('Z').and_then(|t| t.split_once('T')) {
        Some((date, clock)) => {
            format!("<time datetime=\"{0}\">{1} {2} UTC</time>", escape(rfc3339), escape(date), escape(clock))
        }
        None => escape(rfc3339),
    }
}

pub(crate) fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "PASS",
        Verdict::Fail => "FAIL",
        Verdict::Unknown => "UNKNOWN",
        Verdict::Waived => "WAIVED",
        Verdict::Pending => "PENDING",
        Verdict::NotApplicable => "N/A",
        Verdict::NeedsEvidence => "NEEDS EVIDENCE",
    }
}

/// The rail J+0 → J+7 → J+30 with today's position, and one card per phase.
fn timeline(h: &mut String, report: &CheckReport, controls: &[&ControlResult]) {
    let n = report.phases.len();
    if n == 0 {
        return;
    }
    let center = |i: usize| (i as f64 + 0.5) * 100.0 / n as f64;
    h.push_str("<section class=\"timeline\" aria-label=\"Phases\">\n<div class=\"rail\"><div class=\"line\"></div>");
    if let Some(day) = report.day {
        let days: Vec<i64> = report.phases.iter().map(|p| i64::from(p.day)).collect();
        let at = if day < days[0] {
            center(0) / 2.0
        } else if day >= days[n - 1] {
            if day == days[n - 1] {
                center(n - 1)
            } else {
                (center(n - 1) + 100.0) / 2.0
            }
        } else {
            let i = days.windows(2).position(|w| day >= w[0] && day < w[1]).unwrap_or(0);
            let fraction = (day - days[i]) as f64 / (days[i + 1] - days[i]).max(1) as f64;
            center(i) + fraction * (center(i + 1) - center(i))
        };
        let _ = write!(
            h,
            "<div class=\"line done\" style=\"width:{at:.2}%\"></div><div class=\"now\" style=\"left:{at:.2}%\"><span>today · {}</span></div>",
            escape(&day_label(day))
        );
    }
    for (i, phase) in report.phases.iter().enumerate() {
        let state = phase_state(phase.due, controls.iter().filter(|c| c.phase_id == phase.id));
        let _ = write!(h, "<div class=\"stop p-{state}\" style=\"left:{:.2}%\"></div>", center(i));
    }
    let _ = write!(h, "</div>\n<ol class=\"cards\" style=\"grid-template-columns:repeat({n},1fr)\">\n");
    for phase in &report.phases {
        let mine: Vec<&&ControlResult> = controls.iter().filter(|c| c.phase_id == phase.id).collect();
        let state = phase_state(phase.due, mine.iter().copied());
        let when = match (report.cutover, report.day) {
            (Some(cutover), Some(day)) => {
                let date = cutover + Duration::days(i64::from(phase.day));
                let left = i64::from(phase.day) - day;
                if let Some(ahead) = crate::render::due_ahead(report, phase) {
                    format!("{ahead} ({date})")
                } else if phase.due {
                    format!("due since {date}")
                } else {
                    format!("due {date}, in {left} day{}", if left == 1 { "" } else { "s" })
                }
            }
            _ => "due (no cutover date)".to_string(),
        };
        let _ = write!(
            h,
            "<li class=\"card p-{state}\"><div class=\"card-head\"><b>{}</b> {}</div><div class=\"card-when\">{}</div><div class=\"card-counts\">",
            escape(&phase.id),
            escape(&phase.title),
            escape(&when)
        );
        if mine.is_empty() {
            h.push_str("<span class=\"muted\">not in this view</span>");
        }
        for v in Verdict::ALL {
            let k = mine.iter().filter(|c| c.verdict == v).count();
            if k > 0 {
                let _ = write!(h, "<span class=\"pill v-{v}\">{k} {}</span>", verdict_label(v));
            }
        }
        h.push_str("</div></li>\n");
    }
    h.push_str("</ol>\n</section>\n");
}

/// How a phase reads at a glance: fail, incomplete, pending (not due), ok.
fn phase_state<'a>(due: bool, controls: impl Iterator<Item = &'a &'a ControlResult>) -> &'static str {
    let verdicts: Vec<Verdict> = controls.map(|c| c.verdict).collect();
    if verdicts.contains(&Verdict::Fail) {
        "fail"
    } else if verdicts.iter().any(|v| matches!(v, Verdict::Unknown | Verdict::NeedsEvidence)) {
        "incomplete"
    } else if !due {
        "pending"
    } else {
        "ok"
    }
}

/// One control, expandable to its evidence. `id_prefix` keeps element ids unique on a
/// page of several accounts (`a111111111111-`).
pub(crate) fn control(h: &mut String, report: &CheckReport, c: &ControlResult, id_prefix: &str) {
    let v = c.verdict;
    let _ = write!(
        h,
        "<details class=\"control\" id=\"{prefix}control-{id}\" data-verdict=\"{v}\" data-severity=\"{sev}\" data-phase=\"{phase}\"{open}>\n\
         <summary><span class=\"verdict v-{v}\">{label}</span><span class=\"cid\">{id}</span>\
         <span class=\"sev s-{sev}\">{sev}</span><span class=\"ctitle\">{title}</span><span class=\"csum\">{summary}</span></summary>\n\
         <div class=\"cbody\">\n",
        id = escape(&c.id),
        prefix = escape(id_prefix),
        sev = c.severity,
        phase = escape(&c.phase_id),
        open = if v == Verdict::Fail { " open" } else { "" },
        label = verdict_label(v),
        title = escape(&c.title),
        summary = escape(&c.summary()),
    );
    if let Some(origin) = crate::render::team_policy_note(c) {
        let _ = writeln!(h, "<p class=\"note team\">{}</p>", escape(&origin));
    }
    if let Some(note) = c.note.as_deref().filter(|n| !c.summary().ends_with(n)) {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(note));
    } else if matches!(v, Verdict::Unknown | Verdict::NeedsEvidence) && c.resources.is_empty() {
        if let Some(note) = &c.note {
            let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(note));
        }
    }
    if v == Verdict::Pending {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(&crate::render::not_due_reason(report, c)));
    }
    if !c.resources.is_empty() {
        h.push_str("<table class=\"evidence\"><thead><tr><th>Verdict</th><th>Resource</th><th>Message</th></tr></thead><tbody>\n");
        for r in &c.resources {
            let rv = c.shown_verdict(r);
            let _ = writeln!(
                h,
                "<tr class=\"r-{rv}\"><td><span class=\"verdict v-{rv}\">{}</span></td><td><code>{}</code></td><td>{}{}</td></tr>",
                verdict_label(rv),
                escape(&r.id),
                if r.message.is_empty() { "<span class=\"muted\">passes</span>".to_string() } else { escape(&r.message) },
                match &r.fix {
                    Some(_) if r.verdict == Verdict::Fail =>
                        format!("<pre class=\"rfix\"><code>{}</code></pre>", escape(&remediation_for(c, r))),
                    _ => String::new(),
                }
            );
        }
        h.push_str("</tbody></table>\n");
    }
    // Remediation. With fixes, each failing resource's commands are in its row: here
    // the control's text, the values the team must set, and the stack's properties.
    // Without (a team's policy from before `fix`): its remediation filled per failing
    // resource, distinct commands in order, the first MAX_FIXES (a set: a control can
    // fail on a hundred thousand resources).
    let failing = || c.resources.iter().filter(|r| r.verdict == Verdict::Fail);
    if failing().any(|r| r.fix.is_some()) {
        let _ = write!(h, "<div class=\"fix\"><h4>Remediation</h4><p>{}</p>", escape(&c.remediation));
        let mut inputs: Vec<&crate::engine::fix::FixInput> = Vec::new();
        for input in failing().filter_map(|r| r.fix.as_ref()).flat_map(|f| &f.inputs) {
            if inputs.len() < MAX_FIXES && !inputs.iter().any(|i| i.variable == input.variable) {
                inputs.push(input);
            }
        }
        if !inputs.is_empty() {
            h.push_str("<p>Set first (the commands read them as shell variables):</p><ul>");
            for input in inputs {
                let _ = write!(h, "<li><code>{}</code>: {}</li>", escape(&input.variable), escape(&input.description));
            }
            h.push_str("</ul>");
        }
    } else {
        let mut distinct = std::collections::HashSet::new();
        let mut fixes: Vec<String> = Vec::new();
        for r in failing() {
            let fix = remediation_for(c, r);
            if fixes.len() < MAX_FIXES && !distinct.contains(&fix) {
                fixes.push(fix.clone());
            }
            distinct.insert(fix);
        }
        let extra = distinct.len() - fixes.len();
        if fixes.is_empty() {
            fixes.push(c.remediation.clone());
        }
        let _ =
            write!(h, "<div class=\"fix\"><h4>Remediation</h4><pre><code>{}</code></pre>", escape(&fixes.join("\n")));
        if extra > 0 {
            let _ = write!(
                h,
                "<p class=\"muted\">… and {extra} more: the same command for each failing resource (<code>{}</code>).</p>",
                escape(&c.remediation)
            );
        }
    }
    for snippet in &c.iac {
        let _ = write!(
            h,
            "<p>In the stack (CloudFormation / SAM), on <code>{}</code>:</p><pre><code>Properties:\n{}</code></pre>",
            escape(&snippet.resource_type),
            escape(&indent(&snippet.properties, "  "))
        );
    }
    h.push_str("</div>\n");
    if !c.description.is_empty() {
        let _ = writeln!(h, "<h4>About this control</h4><p class=\"desc\">{}</p>", escape(&c.description));
    }
    h.push_str("<p class=\"refs\">");
    let mut refs =
        vec![format!("Evidence: {}", escape(&c.evidence.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")))];
    if !c.resource_type.is_empty() {
        refs.push(format!("Resource: {}", escape(&c.resource_type)));
    }
    if !c.gdpr.is_empty() {
        refs.push(format!(
            "GDPR: {}",
            c.gdpr.iter().map(|a| format!("Art. {}", escape(a))).collect::<Vec<_>>().join(", ")
        ));
    }
    for link in c.related_resources.iter().filter(|u| crate::render::is_web_link(u)) {
        let host = link.split('/').nth(2).unwrap_or(link);
        refs.push(format!("<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>", escape(link), escape(host)));
    }
    h.push_str(&refs.join(" · "));
    h.push_str("</p>\n</div>\n</details>\n");
}

/// The `<meta>` that lets a page run only `script` (its own, named by hash) and load
/// nothing at all: were a name from the account ever to slip past the escaping, a
/// browser would still refuse to run or fetch what it injects. Styles stay inline
/// (`unsafe-inline`): the timeline places its stops with `style` attributes, and with
/// nothing loadable (`default-src 'none'`) a style can neither run code nor send data.
pub fn content_security_policy(script: Option<&str>) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let script_src = match script {
        Some(code) => {
            let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(code.as_bytes()));
            format!("'sha256-{hash}'")
        }
        None => "'none'".to_string(),
    };
    format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src {script_src}; \
         style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">"
    )
}

pub(crate) const CSS: &str = r#"
:root{--bg:#f6f8fa;--fg:#1f2328;--muted:#656d76;--card:#fff;--line:#d0d7de;--soft:#eaeef2;
--FAIL:#cf222e;--UNKNOWN:#9a6700;--NEEDS_EVIDENCE:#bc4c00;--PENDING:#0969da;--WAIVED:#8250df;--PASS:#1a7f37;--NOT_APPLICABLE:#6e7781;
--critical:#a40e26;--high:#cf222e;--medium:#9a6700;--low:#57606a;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--card:#161b22;--line:#30363d;--soft:#21262d;
--FAIL:#f85149;--UNKNOWN:#d29922;--NEEDS_EVIDENCE:#db6d28;--PENDING:#4493f8;--WAIVED:#a371f7;--PASS:#3fb950;--NOT_APPLICABLE:#8d96a0;
--critical:#ff7b72;--high:#f85149;--medium:#d29922;--low:#8d96a0}}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans","DejaVu Sans",Arial,sans-serif}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;font-size:12.5px}
.wrap{max-width:1200px;margin:0 auto;padding:0 24px}
.masthead{background:#1f2328;color:#fff}
.masthead .wrap{display:flex;align-items:center;justify-content:space-between;height:60px}
.brand{font-size:20px;font-weight:700;letter-spacing:.3px;display:flex;align-items:center;gap:10px}
.brand span:not(.mark){font-weight:400;color:#adbac7;font-size:15px}
.mark{width:14px;height:14px;transform:rotate(45deg);background:linear-gradient(135deg,#4493f8,#3fb950);border-radius:2px}
.headline{font-weight:600;padding:6px 14px;border-radius:999px;background:rgba(255,255,255,.08);border:1px solid rgba(255,255,255,.25)}
.headline::before{content:"";display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:8px;vertical-align:1px;background:var(--PASS)}
.h-FAIL::before{background:#ff6b6b}.h-UNKNOWN::before{background:#e3b341}
main.wrap{padding-top:20px;padding-bottom:24px}
section{margin-bottom:18px}
.facts dl{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:1px;margin:0;background:var(--line);border:1px solid var(--line);border-radius:8px;overflow:hidden}
.facts dl div{background:var(--card);padding:10px 14px}
.facts dt{font-size:11px;text-transform:uppercase;letter-spacing:.6px;color:var(--muted)}
.facts dd{margin:2px 0 0;font-weight:500;overflow-wrap:anywhere;font-variant-numeric:tabular-nums}
.alert{margin:0 0 8px;padding:10px 14px;border-radius:8px;background:var(--card);border:1px solid var(--line);border-left:4px solid var(--UNKNOWN);overflow-wrap:anywhere}
.alert b{margin-right:6px}.a-FAIL{border-left-color:var(--FAIL)}.a-PENDING{border-left-color:var(--PENDING)}.a-WAIVED{border-left-color:var(--WAIVED)}
.timeline{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:18px 8px 12px}
.rail{position:relative;height:34px;margin:0 0 4px}
.rail .line{position:absolute;left:0;right:0;top:15px;height:4px;border-radius:2px;background:var(--soft)}
.rail .line.done{right:auto;background:linear-gradient(90deg,#4493f8,#0969da)}
.stop{position:absolute;top:8px;width:18px;height:18px;margin-left:-9px;border-radius:50%;background:var(--card);border:4px solid var(--NOT_APPLICABLE)}
.stop.p-fail{border-color:var(--FAIL)}.stop.p-incomplete{border-color:var(--UNKNOWN)}.stop.p-pending{border-color:var(--PENDING)}.stop.p-ok{border-color:var(--PASS)}
.now{position:absolute;top:0;height:34px;border-left:2px dashed var(--fg);z-index:1}
.now span{position:absolute;top:-4px;left:6px;white-space:nowrap;font-size:11px;font-weight:600;background:var(--fg);color:var(--bg);padding:1px 7px;border-radius:999px}
.cards{display:grid;gap:12px;list-style:none;margin:0;padding:0}
.card{text-align:center;padding:8px 10px;border-radius:8px;border-top:3px solid var(--NOT_APPLICABLE)}
.card.p-fail{border-top-color:var(--FAIL)}.card.p-incomplete{border-top-color:var(--UNKNOWN)}.card.p-pending{border-top-color:var(--PENDING)}.card.p-ok{border-top-color:var(--PASS)}
.card-head{font-size:15px}.card-head b{font-size:17px;margin-right:4px}
.card-when{color:var(--muted);font-size:12.5px;margin:2px 0 8px}
.card-counts{display:flex;flex-wrap:wrap;gap:4px;justify-content:center}
.pill{font-size:11.5px;font-weight:600;padding:1px 8px;border-radius:999px;color:#fff;background:var(--NOT_APPLICABLE)}
.tiles{display:grid;grid-template-columns:repeat(7,1fr);gap:10px}
.tile{font:inherit;color:inherit;text-align:left;cursor:pointer;background:var(--card);border:1px solid var(--line);border-left:5px solid var(--NOT_APPLICABLE);border-radius:8px;padding:10px 14px}
.tile:hover:not([disabled]){box-shadow:0 1px 6px rgba(0,0,0,.12)}
.tile[disabled]{opacity:.5;cursor:default}
.tile .n{display:block;font-size:26px;font-weight:700;line-height:1.1}.tile .l{font-size:11px;letter-spacing:.6px;color:var(--muted);font-weight:600}
.filters{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;display:flex;flex-wrap:wrap;gap:10px 24px;align-items:center;position:sticky;top:0;z-index:5}
.group{display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.legend{font-size:11px;text-transform:uppercase;letter-spacing:.6px;color:var(--muted);margin-right:4px;font-weight:600}
.chip{display:inline-flex;align-items:center;gap:5px;padding:3px 10px 3px 6px;border:1px solid var(--line);border-radius:999px;cursor:pointer;font-size:12.5px;user-select:none}
.chip input{margin:0;accent-color:var(--fg)}.chip b{font-weight:600;color:var(--muted)}
.chip:has(input:not(:checked)){opacity:.45;text-decoration:line-through}
.tools input[type=search]{font:inherit;padding:4px 10px;border:1px solid var(--line);border-radius:6px;min-width:280px;background:var(--bg);color:var(--fg)}
.tools button{font:inherit;font-size:12.5px;padding:4px 10px;border:1px solid var(--line);border-radius:6px;background:var(--soft);color:var(--fg);cursor:pointer}
#status{margin:0;color:var(--muted);font-size:12.5px;flex-basis:100%}
.phase h2{font-size:18px;margin:22px 0 10px;display:flex;align-items:center;gap:10px}
.ptitle{font-weight:500;color:var(--muted)}
.badge{font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.5px;padding:2px 8px;border-radius:999px}
.badge.due{background:var(--fg);color:var(--bg)}.badge.notdue{border:1px solid var(--PENDING);color:var(--PENDING)}
.control{background:var(--card);border:1px solid var(--line);border-radius:8px;margin-bottom:6px;border-left:4px solid var(--NOT_APPLICABLE)}
summary{list-style:none;cursor:pointer;display:grid;grid-template-columns:128px 74px 74px minmax(0,1fr) auto;gap:12px;align-items:center;padding:9px 14px}
summary::-webkit-details-marker{display:none}
summary:hover{background:var(--soft)}
.ctitle{font-weight:500}.csum{color:var(--muted);font-size:13px;text-align:right}
.cid{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-weight:600;font-size:13px}
.verdict{display:inline-block;font-size:11px;font-weight:700;letter-spacing:.4px;padding:2px 8px;border-radius:4px;color:#fff;background:var(--NOT_APPLICABLE);text-align:center;white-space:nowrap}
.sev{font-size:12px;font-weight:600;text-transform:capitalize}
.s-critical{color:var(--critical)}.s-high{color:var(--high)}.s-medium{color:var(--medium)}.s-low{color:var(--low)}
.cbody{padding:4px 16px 14px;border-top:1px solid var(--line)}
.desc{color:var(--muted);max-width:120ch;margin:0;font-size:13px}
.note{font-weight:500}
.evidence{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}
.evidence th{text-align:left;font-size:11px;text-transform:uppercase;letter-spacing:.5px;color:var(--muted);border-bottom:1px solid var(--line);padding:4px 8px}
.evidence td{border-bottom:1px solid var(--soft);padding:5px 8px;vertical-align:top;overflow-wrap:anywhere}
.evidence td:first-child{width:120px}.evidence td:nth-child(2){width:42%}
.cbody h4{margin:12px 0 4px;font-size:11px;text-transform:uppercase;letter-spacing:.5px;color:var(--muted)}
.rfix{margin:6px 0 0;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:6px 8px;white-space:pre-wrap;overflow-wrap:anywhere}
.fix pre{margin:0;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 10px;white-space:pre-wrap;overflow-wrap:anywhere}
.refs{font-size:12.5px;color:var(--muted);margin:10px 0 0}.refs a{color:var(--PENDING)}
.muted{color:var(--muted)}
.empty{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:12px;padding-bottom:32px;overflow-wrap:anywhere}
.v-FAIL{background:var(--FAIL)}.v-UNKNOWN{background:var(--UNKNOWN)}.v-NEEDS_EVIDENCE{background:var(--NEEDS_EVIDENCE)}.v-PENDING{background:var(--PENDING)}.v-WAIVED{background:var(--WAIVED)}.v-PASS{background:var(--PASS)}.v-NOT_APPLICABLE{background:var(--NOT_APPLICABLE)}
.control[data-verdict=FAIL],.t-FAIL{border-left-color:var(--FAIL)}.control[data-verdict=UNKNOWN],.t-UNKNOWN{border-left-color:var(--UNKNOWN)}
.control[data-verdict=NEEDS_EVIDENCE],.t-NEEDS_EVIDENCE{border-left-color:var(--NEEDS_EVIDENCE)}.control[data-verdict=PENDING],.t-PENDING{border-left-color:var(--PENDING)}
.control[data-verdict=WAIVED],.t-WAIVED{border-left-color:var(--WAIVED)}.control[data-verdict=PASS],.t-PASS{border-left-color:var(--PASS)}
.t-FAIL .n{color:var(--FAIL)}.t-UNKNOWN .n{color:var(--UNKNOWN)}.t-NEEDS_EVIDENCE .n{color:var(--NEEDS_EVIDENCE)}.t-PENDING .n{color:var(--PENDING)}.t-WAIVED .n{color:var(--WAIVED)}.t-PASS .n{color:var(--PASS)}
.r-FAIL td{background:color-mix(in srgb,var(--FAIL) 7%,transparent)}
@media (max-width:900px){.tiles{grid-template-columns:repeat(4,1fr)}summary{grid-template-columns:110px 70px 1fr}.sev,.csum{display:none}}
.slo-figure{margin:0 0 16px;padding:12px;background:var(--card);border:1px solid var(--line);border-radius:8px;break-inside:avoid}
.slo-chart{width:100%;height:auto;max-width:760px;display:block}
.slo-chart .frame{fill:none;stroke:var(--line)}
.slo-chart polyline{fill:none;stroke-width:1.5}
.slo-chart .err{stroke:var(--FAIL)}.slo-chart .p95{stroke:var(--PENDING)}
.slo-chart line.slo{stroke-dasharray:4 3}
.slo-chart text{font-size:10px}.slo-chart text.err{fill:var(--FAIL);stroke:none}.slo-chart text.p95{fill:var(--PENDING);stroke:none}
.slo-chart .axis,.slo-chart text.cut{fill:var(--muted);stroke:none}
.slo-chart line.cut{stroke:var(--muted);stroke-dasharray:2 2}
.slo .key.err{color:var(--FAIL)}.slo .key.p95{color:var(--PENDING)}
.slo-figure dl{display:flex;flex-wrap:wrap;gap:4px 18px;margin:6px 0 0}.slo-figure dt{color:var(--muted);font-size:12px}.slo-figure dd{margin:0}
@media print{.filters{display:none}
.tile{cursor:auto}.tiles{break-inside:avoid}
section.phase{break-before:page}.phase .empty{display:none}
.control[hidden]{display:block!important}.control{break-inside:avoid-page}
details.control::details-content{content-visibility:visible;display:block}
a[href^="http"]::after{content:" (" attr(href) ")";font-size:11px;color:var(--muted)}}
"#;

const JS: &str = r##"
(function () {
  "use strict";
  var controls = Array.prototype.slice.call(document.querySelectorAll("details.control"));
  var haystacks = controls.map(function (c) { return c.textContent.toLowerCase(); });
  var boxes = Array.prototype.slice.call(document.querySelectorAll("#filters input[type=checkbox]"));
  var search = document.getElementById("q");
  var status = document.getElementById("status");
  function named(name) { return boxes.filter(function (b) { return b.name === name; }); }
  function checked(name) { return named(name).filter(function (b) { return b.checked; }).map(function (b) { return b.value; }); }
  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    ["verdict", "severity", "phase"].forEach(function (name) {
      var value = params.get(name);
      // A hand-typed "J+7" reads as "J 7" from a query string: a phase has no space.
      var wanted = value === null ? null : value.split(",").map(function (s) { return s.trim().replace(/ /g, "+").toUpperCase(); });
      named(name).forEach(function (b) { b.checked = wanted === null || wanted.indexOf(b.value.toUpperCase()) >= 0; });
    });
    search.value = params.get("q") || "";
  }
  function writeHash() {
    var parts = [];
    ["verdict", "severity", "phase"].forEach(function (name) {
      var values = checked(name);
      if (values.length !== named(name).length) { parts.push(name + "=" + values.map(encodeURIComponent).join(",")); }
    });
    if (search.value.trim()) { parts.push("q=" + encodeURIComponent(search.value.trim())); }
    var url = window.location.pathname + window.location.search + (parts.length ? "#" + parts.join("&") : "");
    try { window.history.replaceState(null, "", url); } catch (e) { /* file: URLs in some browsers */ }
  }
  function apply() {
    var verdicts = checked("verdict"), severities = checked("severity"), phases = checked("phase");
    var text = search.value.trim().toLowerCase();
    var visible = 0;
    controls.forEach(function (c, i) {
      var show = verdicts.indexOf(c.dataset.verdict) >= 0 && severities.indexOf(c.dataset.severity) >= 0 &&
        phases.indexOf(c.dataset.phase) >= 0 && (!text || haystacks[i].indexOf(text) >= 0);
      c.hidden = !show;
      if (show) { visible += 1; }
    });
    Array.prototype.forEach.call(document.querySelectorAll("section.phase"), function (section) {
      var any = section.querySelector("details.control:not([hidden])") !== null;
      section.querySelector(".empty").hidden = any;
    });
    status.textContent = "Showing " + visible + " of " + controls.length + " controls";
    document.body.setAttribute("data-visible", String(visible));
    document.body.setAttribute("data-verdicts", verdicts.join(","));
    document.body.setAttribute("data-severities", severities.join(","));
    document.body.setAttribute("data-phases", phases.join(","));
  }
  function update() { apply(); writeHash(); }
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  search.addEventListener("input", update);
  window.addEventListener("hashchange", function () { readHash(); apply(); });
  Array.prototype.forEach.call(document.querySelectorAll(".tile[data-only]"), function (tile) {
    tile.addEventListener("click", function () {
      named("verdict").forEach(function (b) { b.checked = b.value === tile.getAttribute("data-only"); });
      update();
    });
  });
  document.getElementById("expand").addEventListener("click", function () {
    controls.forEach(function (c) { if (!c.hidden) { c.open = true; } });
  });
  document.getElementById("collapse").addEventListener("click", function () {
    controls.forEach(function (c) { c.open = false; });
  });
  document.getElementById("reset").addEventListener("click", function () {
    boxes.forEach(function (b) { b.checked = true; });
    search.value = "";
    update();
  });
  // Print shows every control open, whatever the screen filters and folds: the
  // print style lifts the filters; this opens the folds, and puts them back after.
  var wasOpen = null;
  window.addEventListener("beforeprint", function () {
    wasOpen = controls.map(function (c) { return c.open; });
    controls.forEach(function (c) { c.open = true; });
  });
  window.addEventListener("afterprint", function () {
    if (wasOpen) { controls.forEach(function (c, i) { c.open = wasOpen[i]; }); wasOpen = null; }
  });
  readHash();
  apply();
  document.body.setAttribute("data-ready", "true");
})();
"##;

/// Every line of `text` indented by `by` (the IaC properties under `Properties:`).
pub(crate) fn indent(text: &str, by: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| if l.is_empty() { String::new() } else { format!("{by}{l}") })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::fixtures::sample_report;

    #[test]
    fn the_policy_allows_the_page_own_script_and_nothing_else() {
        use base64::Engine as _;
        use sha2::Digest as _;
        let html = render(&sample_report(), &|_| true);
        let script = html.split("<script>").nth(1).and_then(|s| s.split("</script>").next()).expect("a script");
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()));
        let policy = html.lines().find(|l| l.contains("Content-Security-Policy")).expect("a policy");
        assert!(policy.contains(&format!("script-src 'sha256-{hash}';")), "{policy}");
        assert!(policy.contains("default-src 'none'"), "{policy}");
        // It is in force before anything it governs: the first thing after the charset.
        assert!(html.find("Content-Security-Policy") < html.find("<style>"));
        // A hash allows a <script> element, never an inline handler: there must be none.
        let handler = regex::Regex::new(r"(?i)<[^>]*\son[a-z]+\s*=").unwrap();
        assert!(!handler.is_match(&html), "an inline event handler");
        assert!(!html.contains("javascript:"));
    }

    #[test]
    fn hostile_text_never_becomes_markup() {
        let html = render(&sample_report(), &|_| true);
        // The page's own script is the only one.
        assert_eq!(html.matches("<script").count(), 1, "{html}");
        assert!(!html.contains("<b>bold</b>"));
        assert!(!html.contains("<img"));
        assert!(!html.contains("<i>reserved</i>"));
        assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
        assert!(html.contains("retention is &quot;never&quot; &lt;b&gt;bold&lt;/b&gt;"));
        // Only web links become links.
        assert!(!html.contains("javascript:"));
        assert!(html.contains(
            "<a href=\"https://docs.aws.amazon.com/x.html\" rel=\"noopener noreferrer\">docs.aws.amazon.com</a>"
        ));
    }

    #[test]
    fn each_failing_resource_shows_its_fix_escaped_and_the_control_its_iac() {
        let html = render(&sample_report(), &|_| true);
        let start = html.find("<pre class=\"rfix\">").expect("a fix in a resource row");
        let row = &html[start..start + html[start..].find("</pre>").unwrap()];
        assert!(
            row.contains("--log-group-name &#39;/x/&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;"),
            "{row}"
        );
        assert!(row.contains("(set first: LOGS_KMS_KEY_ARN_EU_WEST_3)"), "{row}");
        assert!(row.contains("the key&#39;s policy &lt;i&gt;must&lt;/i&gt; allow it"), "{row}");
        assert!(html
            .contains("<li><code>LOGS_KMS_KEY_ARN_EU_WEST_3</code>: the &lt;b&gt;key&lt;/b&gt; (in eu-west-3)</li>"));
        assert!(html.contains("on <code>AWS::Logs::LogGroup</code>:</p><pre><code>Properties:\n  RetentionInDays: 30\n  KmsKeyId: &#39;&lt;script&gt;&#39;</code></pre>"), "{html}");
        // A passing resource has no fix.
        assert_eq!(html.matches("<pre class=\"rfix\">").count(), 1);
    }

    #[test]
    fn self_contained_page_with_every_control_and_the_filters() {
        let html = render(&sample_report(), &|_| true);
        assert!(html.starts_with("<!DOCTYPE html>"));
        for external in ["<link", "src=\"http", "src='http", "@import", "url(http", "fonts.googleapis"] {
            assert!(!html.contains(external), "{external}");
        }
        assert_eq!(html.matches("<details class=\"control\"").count(), 7);
        assert!(html.contains("data-verdict=\"NEEDS_EVIDENCE\""));
        assert!(html.contains("<input type=\"checkbox\" name=\"verdict\" value=\"FAIL\" checked>"));
        assert!(html.contains("<input type=\"checkbox\" name=\"severity\" value=\"critical\" checked>"));
        assert!(html.contains("today · J+3"));
        assert!(html.contains("<b>Waiver expired</b>"));
    }

    #[test]
    fn the_phase_view_lists_only_its_controls_but_keeps_the_timeline() {
        let html = render(&sample_report(), &|c| c.phase_id == "J+30");
        assert_eq!(html.matches("<details class=\"control\"").count(), 2);
        assert_eq!(html.matches("not in this view").count(), 2);
        assert!(html.contains("<b>J+7</b>"));
    }
}

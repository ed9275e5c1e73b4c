//! The terminal checklist: one table per phase, failures with their resources and
//! the command that fixes them.

use comfy_table::{presets, Attribute, Cell, Color, ContentArrangement, Table};

use crate::render::escape::terminal::text as term;
use crate::render::{remediation_for, Options, View};
use crate::result::{CheckReport, ControlResult, Verdict};
use crate::snapshot::arn;

/// How many failing resources a control lists before "and N more".
const MAX_LISTED: usize = 8;

pub fn write(view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(render(view.report, view.shown, &view.options).as_bytes())
}

fn render(report: &CheckReport, shown: &dyn Fn(&ControlResult) -> bool, opts: &Options) -> String {
    let mut out = String::new();
    out.push_str(&header(report));
    for phase in &report.phases {
        let controls: Vec<&ControlResult> =
            report.controls.iter().filter(|c| c.phase_id == phase.id && shown(c)).collect();
        if controls.is_empty() {
            continue;
        }
        let state = match crate::render::due_ahead(report, phase) {
            Some(ahead) => ahead,
            None if phase.due => "due".into(),
            None => "not due yet".into(),
        };
        out.push_str(&format!("\n{} · {} ({state})\n", phase.id, phase.title));
        let mut table = Table::new();
        table.load_preset(presets::UTF8_HORIZONTAL_ONLY);
        table.set_content_arrangement(ContentArrangement::Dynamic);
        if let Some(w) = opts.width {
            table.set_width(w);
        }
        table.set_header(
            ["verdict", "control", "severity", "result"].map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
        );
        let short_names = report.snapshot.regions.len() <= 1;
        for c in controls {
            table.add_row(vec![
                verdict_cell(c.verdict, opts.color),
                Cell::new(term(&c.id)),
                Cell::new(c.severity.as_str()),
                Cell::new(details(c, short_names)),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    out.push_str(&footer(report, shown));
    if let Some(drift) = &report.drift {
        out.push('\n');
        out.push_str(&crate::render::drift::text(drift));
    }
    out
}

fn header(report: &CheckReport) -> String {
    let when = match (report.cutover, report.day) {
        (Some(c), Some(d)) => format!("cutover {c}, as of {} (J{d:+})", report.as_of),
        _ => format!("as of {} (no cutover date: every phase treated as due)", report.as_of),
    };
    let mut text = format!(
        "jalon {} · account {} · {} · {}\nsnapshot {} collected {}\n",
        report.tool.version,
        term(if report.snapshot.account_id.is_empty() { "unknown" } else { &report.snapshot.account_id }),
        term(&report.snapshot.regions.join(", ")),
        term(&when),
        term(&report.snapshot.sha256[..12.min(report.snapshot.sha256.len())]),
        term(&report.snapshot.collected_at),
    );
    for c in &report.incomplete_collectors {
        let status = serde_json::to_value(c.status).ok().and_then(|v| v.as_str().map(String::from));
        let line = format!(
            "! evidence incomplete: {} in {} {}{}",
            c.service,
            c.region,
            status.unwrap_or_default(),
            c.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
        );
        text.push_str(&term(&line));
        text.push('\n');
    }
    for w in &report.warnings {
        text.push_str(&term(&format!("! warning: {}", w.message)));
        text.push('\n');
    }
    text
}

fn details(c: &ControlResult, short_names: bool) -> String {
    // Each line escaped on its own: the newlines between them are the cell's layout.
    let mut lines = vec![format!("{}: {}", c.title, c.summary())];
    if let Some(note) = crate::render::team_policy_note(c) {
        lines.push(format!("! {note}"));
    }
    let attention: Vec<_> =
        c.resources.iter().filter(|r| matches!(r.verdict, Verdict::Fail | Verdict::Waived)).collect();
    for r in attention.iter().take(MAX_LISTED) {
        let mark = if r.verdict == Verdict::Waived { "~" } else { "✗" };
        // In a one-region snapshot the name says it all; the JSON keeps full ARNs.
        let id = arn::label(&r.id, short_names);
        lines.push(format!("{mark} {id}: {}", r.message));
    }
    if attention.len() > MAX_LISTED {
        lines.push(format!("… and {} more (see --format json)", attention.len() - MAX_LISTED));
    }
    let failing: Vec<_> = attention.iter().filter(|r| r.verdict == Verdict::Fail).collect();
    if let Some(first) = failing.first() {
        if matches!(c.verdict, Verdict::Fail | Verdict::Pending) {
            lines.push(format!("fix: {}", remediation_for(c, first)));
        }
    } else if c.verdict == Verdict::NeedsEvidence || (c.verdict == Verdict::Pending && c.resources.is_empty()) {
        if let Some(note) = &c.note {
            if !lines[0].ends_with(note.as_str()) {
                lines.push(note.clone());
            }
        }
        lines.push(format!("fix: {}", c.remediation));
    } else if c.verdict == Verdict::Unknown && c.note.is_some() && !c.resources.is_empty() {
        lines.push(c.note.clone().unwrap_or_default());
    }
    lines.iter().map(|l| clip(&term(l))).collect::<Vec<_>>().join("\n")
}

/// Characters of one line of a cell, at most: a name from the account can be
/// anything up to its service's limit, and the table is read, not parsed (comfy-table's
/// wrapping of one 100k-character word took seconds). The JSON keeps it whole.
const MAX_LINE_CHARS: usize = 400;

fn clip(line: &str) -> String {
    match line.char_indices().nth(MAX_LINE_CHARS) {
        None => line.to_string(),
        Some((cut, _)) => {
            let rest = line[cut..].chars().count();
            format!("{}… ({rest} more characters: see --format json)", &line[..cut])
        }
    }
}

fn verdict_cell(v: Verdict, color: bool) -> Cell {
    let cell = Cell::new(v.as_str());
    if !color {
        return cell;
    }
    let fg = match v {
        Verdict::Pass => Color::Green,
        Verdict::Fail => Color::Red,
        Verdict::Unknown | Verdict::NeedsEvidence => Color::Yellow,
        Verdict::Pending | Verdict::Waived => Color::Cyan,
        Verdict::NotApplicable => Color::DarkGrey,
    };
    cell.fg(fg).add_attribute(Attribute::Bold)
}

fn footer(report: &CheckReport, shown: &dyn Fn(&ControlResult) -> bool) -> String {
    let mut counts = Vec::new();
    for v in Verdict::ALL {
        let n = report.controls.iter().filter(|c| shown(c) && c.verdict == v).count();
        if n > 0 {
            counts.push(format!("{n} {v}"));
        }
    }
    let mut text =
        format!("\n{} controls: {}\n", report.controls.iter().filter(|c| shown(c)).count(), counts.join(", "));
    for w in &report.waivers.expired {
        let line = format!(
            "! waiver expired on {}: {} {} (owner {}) no longer waives",
            w.expires, w.control, w.resource, w.owner
        );
        text.push_str(&term(&line));
        text.push('\n');
    }
    for w in &report.waivers.unmatched {
        let line = format!("! waiver matches nothing: {} {} (owner {})", w.control, w.resource, w.owner);
        text.push_str(&term(&line));
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_very_long_line_is_clipped_with_what_it_left_out() {
        assert_eq!(clip("short"), "short");
        let long = format!("✗ /{}", "é".repeat(1_000));
        let clipped = clip(&long);
        assert_eq!(clipped.chars().filter(|c| *c == 'é').count(), MAX_LINE_CHARS - 3);
        assert!(clipped.ends_with("… (603 more characters: see --format json)"), "{clipped}");
    }
}

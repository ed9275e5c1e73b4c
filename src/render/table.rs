//! The terminal checklist, laid out for triage: the verdict of each phase and the
//! counts first, then what fails (most severe first, each failing resource and the
//! command that fixes it), then incomplete evidence, then what is not due yet, then
//! the waived controls; the passing controls fold to one line (`--show-passing`).
//!
//! Prose wraps at the width, between words only: an ARN is one word and is never
//! split, and a fix command is never wrapped at all, so either pastes whole.

use anstyle::{AnsiColor, Style};

use crate::render::escape::terminal::text as term;
use crate::render::{remediation_for, Options, View};
use crate::result::{CheckReport, ControlResult, PhaseRef, Verdict};
use crate::snapshot::arn;

/// How many failing resources a control lists before "and N more".
const MAX_LISTED: usize = 8;

/// The width when neither the terminal, `COLUMNS` nor `--width` gives one.
pub const DEFAULT_WIDTH: usize = 120;

/// Narrower than this, the prose would be a column of single words.
const MIN_WIDTH: usize = 40;

pub fn write(view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(render(view.report, view.shown, &view.options).as_bytes())
}

/// One block of the triage: its title and the verdicts it gathers.
struct Section {
    title: &'static str,
    verdicts: &'static [Verdict],
}

const SECTIONS: [Section; 4] = [
    Section { title: "FAIL", verdicts: &[Verdict::Fail] },
    Section { title: "INCOMPLETE EVIDENCE", verdicts: &[Verdict::Unknown, Verdict::NeedsEvidence] },
    Section { title: "NOT DUE YET", verdicts: &[Verdict::Pending] },
    Section { title: "WAIVED", verdicts: &[Verdict::Waived] },
];

const PASSING: [Verdict; 2] = [Verdict::Pass, Verdict::NotApplicable];

struct Layout {
    width: usize,
    color: bool,
    short_names: bool,
}

fn render(report: &CheckReport, shown: &dyn Fn(&ControlResult) -> bool, opts: &Options) -> String {
    let layout = Layout {
        width: opts.width.map_or(DEFAULT_WIDTH, usize::from).max(MIN_WIDTH),
        color: opts.color,
        // In a one-region snapshot the name says it all; the JSON keeps full ARNs.
        short_names: report.snapshot.regions.len() <= 1,
    };
    let controls: Vec<&ControlResult> = report.controls.iter().filter(|c| shown(c)).collect();
    let mut out = header(report);
    out.push('\n');
    out.push_str(&phase_summary(report, &controls, &layout));
    out.push_str(&totals(report, &controls, opts));
    for section in &SECTIONS {
        let mut listed: Vec<&ControlResult> =
            controls.iter().copied().filter(|c| section.verdicts.contains(&c.verdict)).collect();
        if listed.is_empty() {
            continue;
        }
        sort_for(section, &mut listed);
        let what = match section.verdicts[0] {
            Verdict::Fail => ", most severe first",
            Verdict::Pending => ", fail today: fix before they fall due",
            _ => "",
        };
        out.push('\n');
        let title = format!("{} · {}{what}", section.title, count(listed.len(), "control"));
        out.push_str(&paint(&title, section.verdicts[0], &layout));
        out.push('\n');
        for c in listed {
            out.push_str(&entry(c, &layout));
        }
    }
    out.push_str(&passing(&controls, opts.show_passing, &layout));
    out.push_str(&footer(report));
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

/// One line per phase: its state, its verdict, its counts.
///
/// ```text
/// J+0   Cutover day   due           FAIL      6 FAIL, 1 WAIVED, 17 PASS
/// J+7   First week    not due yet   PENDING   2 PENDING, 9 PASS
/// ```
fn phase_summary(report: &CheckReport, controls: &[&ControlResult], layout: &Layout) -> String {
    let rows: Vec<(&PhaseRef, String, Verdict, String)> = report
        .phases
        .iter()
        .filter_map(|phase| {
            let of_phase: Vec<&ControlResult> = controls.iter().copied().filter(|c| c.phase_id == phase.id).collect();
            if of_phase.is_empty() {
                return None;
            }
            let state = match crate::render::due_ahead(report, phase) {
                Some(ahead) => ahead,
                None if phase.due => "due".into(),
                None => "not due yet".into(),
            };
            Some((phase, state, phase_verdict(&of_phase), counts(&of_phase)))
        })
        .collect();
    let id_width = rows.iter().map(|r| r.0.id.chars().count()).max().unwrap_or(0);
    let title_width = rows.iter().map(|r| r.0.title.chars().count()).max().unwrap_or(0);
    let state_width = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    let mut text = String::new();
    for (phase, state, verdict, counts) in rows {
        let label = phase_verdict_label(verdict);
        let pad = " ".repeat(10usize.saturating_sub(label.len()));
        let line = format!(
            "{:<id_width$}  {:<title_width$}  {state:<state_width$}  {}{pad}{counts}",
            term(&phase.id),
            term(&phase.title),
            paint(label, verdict, layout),
        );
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

/// What a phase amounts to: FAIL before anything else, then incomplete evidence,
/// then what will fail once due, else PASS.
fn phase_verdict(controls: &[&ControlResult]) -> Verdict {
    let any = |v: &[Verdict]| controls.iter().any(|c| v.contains(&c.verdict));
    if any(&[Verdict::Fail]) {
        Verdict::Fail
    } else if any(&[Verdict::Unknown, Verdict::NeedsEvidence]) {
        Verdict::Unknown
    } else if any(&[Verdict::Pending]) {
        Verdict::Pending
    } else {
        Verdict::Pass
    }
}

fn phase_verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Unknown => "INCOMPLETE",
        other => other.as_str(),
    }
}

/// "6 FAIL, 1 WAIVED, 17 PASS", most pressing first.
fn counts(controls: &[&ControlResult]) -> String {
    let mut parts = Vec::new();
    for v in Verdict::ALL {
        let n = controls.iter().filter(|c| c.verdict == v).count();
        if n > 0 {
            parts.push(format!("{n} {v}"));
        }
    }
    parts.join(", ")
}

fn totals(report: &CheckReport, controls: &[&ControlResult], opts: &Options) -> String {
    let mut line = format!("{}: {}", count(controls.len(), "control"), counts(controls));
    let hidden = opts.hidden_by_severity;
    if hidden > 0 {
        let failing = match opts.hidden_failing {
            0 => String::new(),
            n => format!(", {n} of them FAIL"),
        };
        line.push_str(&format!(" ({} of other severities not shown{failing}: --severity)", count(hidden, "control")));
    }
    if controls.len() < report.controls.len() && hidden == 0 {
        line.push_str(&format!(" (of {} judged)", report.controls.len()));
    }
    format!("{line}\n")
}

fn sort_for(section: &Section, controls: &mut [&ControlResult]) {
    let severity = |c: &ControlResult| std::cmp::Reverse(c.severity);
    match section.verdicts[0] {
        // Not due yet: the soonest phase first, then the most severe.
        Verdict::Pending => controls.sort_by_key(|c| (c.phase, severity(c), c.id.clone())),
        _ => controls.sort_by_key(|c| (severity(c), c.phase, c.id.clone())),
    }
}

/// One control: its line (id, severity, phase, title and summary, wrapped), then what
/// needs attention, then the fix.
fn entry(c: &ControlResult, layout: &Layout) -> String {
    let phase = if c.verdict == Verdict::Pending { format!("due {}", c.phase_id) } else { c.phase_id.clone() };
    let head = format!("  {:<8} {:<8}  {:<8} ", term(&c.id), c.severity.as_str(), term(&phase));
    let mut text = wrap(&format!("{}: {}", c.title, c.summary()), &head, layout.width);
    let width = layout.width;
    let line = |text: &mut String, mark: &str, body: &str| text.push_str(&wrap(body, &format!("    {mark} "), width));
    if let Some(note) = crate::render::team_policy_note(c) {
        line(&mut text, "!", &note);
    }
    let attention: Vec<_> =
        c.resources.iter().filter(|r| matches!(r.verdict, Verdict::Fail | Verdict::Waived)).collect();
    for r in attention.iter().take(MAX_LISTED) {
        let mark = if r.verdict == Verdict::Waived { "~" } else { "✗" };
        line(&mut text, mark, &format!("{}: {}", arn::label(&r.id, layout.short_names), r.message));
    }
    if attention.len() > MAX_LISTED {
        line(&mut text, "…", &format!("and {} more (see --format json)", attention.len() - MAX_LISTED));
    }
    let first_failing = attention.iter().find(|r| r.verdict == Verdict::Fail);
    let summary = c.summary();
    match first_failing {
        Some(first) if matches!(c.verdict, Verdict::Fail | Verdict::Pending) => match &first.fix {
            // Commands whole on their lines; what to set first and the note are prose.
            Some(fix) => {
                // No command (a step by hand, a decision): the control's words say what to do.
                let commands = if fix.commands.is_empty() { c.remediation.clone() } else { fix.commands.join("\n") };
                text.push_str(&fix_line(&commands));
                for input in &fix.inputs {
                    line(&mut text, "·", &format!("set ${} first: {}", input.variable, input.description));
                }
                if let Some(note) = &fix.note {
                    line(&mut text, "·", note);
                }
            }
            None => text.push_str(&fix_line(&remediation_for(c, first))),
        },
        Some(_) => {}
        None if c.verdict == Verdict::NeedsEvidence || (c.verdict == Verdict::Pending && c.resources.is_empty()) => {
            if let Some(note) = c.note.as_deref().filter(|n| !summary.ends_with(n)) {
                line(&mut text, "·", note);
            }
            text.push_str(&fix_line(&c.remediation));
        }
        None if c.verdict == Verdict::Unknown && !c.resources.is_empty() => {
            if let Some(note) = &c.note {
                line(&mut text, "·", note);
            }
        }
        None => {}
    }
    text
}

/// Characters of a fix command, at most: longer, it is a name from the account that
/// ran away (the JSON keeps it whole). Never wrapped: a wrapped command does not paste.
const MAX_FIX_CHARS: usize = 4000;

/// `fix: ` and the command; a fix of several commands puts each on its own line,
/// under the first: pasted together they run one after the other.
fn fix_line(commands: &str) -> String {
    let mut text = String::new();
    for (i, command) in commands.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let lead = if i == 0 { "    fix: " } else { "         " };
        text.push_str(&format!("{lead}{}\n", clip(&term(command), MAX_FIX_CHARS)));
    }
    text
}

/// Characters of one line of prose, at most: a name from the account can be anything
/// up to its service's limit, and the table is read, not parsed. The JSON keeps it whole.
const MAX_LINE_CHARS: usize = 400;

/// The text escaped, clipped, and wrapped between words at `width`, the first line
/// after `first`, the next ones indented as deep. A word longer than the width (an
/// ARN) stays whole on its own line.
fn wrap(text: &str, first: &str, width: usize) -> String {
    let escaped = clip(&term(text), MAX_LINE_CHARS);
    let indent = " ".repeat(textwrap::core::display_width(first));
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(&indent)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = textwrap::fill(&escaped, options);
    out.push('\n');
    out
}

fn clip(line: &str, max: usize) -> String {
    match line.char_indices().nth(max) {
        None => line.to_string(),
        Some((cut, _)) => {
            let rest = line[cut..].chars().count();
            format!("{}… ({rest} more characters: see --format json)", &line[..cut])
        }
    }
}

/// The passing and not-applicable controls: one line, or one line each with
/// `--show-passing`.
fn passing(controls: &[&ControlResult], show: bool, layout: &Layout) -> String {
    let mut listed: Vec<&ControlResult> = controls.iter().copied().filter(|c| PASSING.contains(&c.verdict)).collect();
    if listed.is_empty() {
        return String::new();
    }
    let pass = listed.iter().filter(|c| c.verdict == Verdict::Pass).count();
    let na = listed.len() - pass;
    let mut what = vec![];
    if pass > 0 {
        what.push(format!("{} {}", count(pass, "control"), if pass == 1 { "passes" } else { "pass" }));
    }
    if na > 0 {
        what.push(format!("{na} not applicable"));
    }
    let title = format!("PASS · {}", what.join(", "));
    let mut text = format!("\n{}", paint(&title, Verdict::Pass, layout));
    if !show {
        text.push_str(" (--show-passing lists them)\n");
        // A pass the team's own policy gave is never folded away unsaid.
        for c in listed.iter().filter(|c| c.source != crate::result::BUILTIN) {
            if let Some(note) = crate::render::team_policy_note(c) {
                text.push_str(&wrap(&format!("{}: {note}", c.id), "    ! ", layout.width));
            }
        }
        return text;
    }
    text.push('\n');
    listed.sort_by_key(|c| (c.phase, std::cmp::Reverse(c.severity), c.id.clone()));
    for c in listed {
        let label = if c.verdict == Verdict::NotApplicable { "n/a" } else { c.phase_id.as_str() };
        let head = format!("  {:<8} {:<8}  {:<8} ", term(&c.id), c.severity.as_str(), term(label));
        text.push_str(&wrap(&format!("{}: {}", c.title, c.summary()), &head, layout.width));
        if let Some(note) = crate::render::team_policy_note(c) {
            text.push_str(&wrap(&note, "    ! ", layout.width));
        }
    }
    text
}

fn footer(report: &CheckReport) -> String {
    let mut text = String::new();
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
    if text.is_empty() {
        text
    } else {
        format!("\n{text}")
    }
}

/// "1 control", "6 controls".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The text in the verdict's colour, bold, when colour is on.
fn paint(text: &str, verdict: Verdict, layout: &Layout) -> String {
    if !layout.color {
        return text.to_string();
    }
    let colour = match verdict {
        Verdict::Pass => AnsiColor::Green,
        Verdict::Fail => AnsiColor::Red,
        Verdict::Unknown | Verdict::NeedsEvidence => AnsiColor::Yellow,
        Verdict::Pending | Verdict::Waived => AnsiColor::Cyan,
        Verdict::NotApplicable => AnsiColor::BrightBlack,
    };
    let style = Style::new().bold().fg_color(Some(colour.into()));
    format!("{style}{text}{style:#}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_very_long_line_is_clipped_with_what_it_left_out() {
        assert_eq!(clip("short", MAX_LINE_CHARS), "short");
        let long = format!("✗ /{}", "é".repeat(1_000));
        let clipped = clip(&long, MAX_LINE_CHARS);
        assert_eq!(clipped.chars().filter(|c| *c == 'é').count(), MAX_LINE_CHARS - 3);
        assert!(clipped.ends_with("… (603 more characters: see --format json)"), "{clipped}");
    }

    #[test]
    fn prose_wraps_between_words_and_never_splits_an_arn() {
        let arn = "arn:aws:lambda:eu-west-3:123456789012:function:a-very-long-function-name-that-goes-on";
        let text = wrap(&format!("{arn}: no alarm watches this function at all"), "    ✗ ", 50);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], format!("    ✗ {arn}:"), "the ARN stays whole, past the width");
        assert!(lines[1..].iter().all(|l| l.starts_with("      ") && l.chars().count() <= 50), "{text}");
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>().join(" "),
            format!("✗ {arn}: no alarm watches this function at all")
        );
    }

    #[test]
    fn a_fix_is_one_line_however_long() {
        let command =
            format!("aws logs put-retention-policy --log-group-name {} --retention-in-days 30", "x".repeat(300));
        let line = fix_line(&command);
        assert_eq!(line, format!("    fix: {command}\n"));
    }
}

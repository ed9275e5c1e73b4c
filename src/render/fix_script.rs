//! `--format fix`: `jalon-fix.sh`, one bash script with the commands that fix every
//! due failure in view, grouped by control, for a person to review and then run.
//!
//! - Only FAIL resources of due controls: not the waived, not what is PENDING.
//! - Every command is preceded by comments naming its resource and the finding. Text
//!   from the account is hostile: a comment holds no line break or other control
//!   character (they are written out, `\n`), so no message can end its comment and
//!   start a command.
//! - Commands come from the result's fixes, every value already quoted for POSIX
//!   shells ([`crate::engine::fix`]). A value only the team can choose is a shell
//!   variable set at the top; the script refuses to run while one is empty.
//! - The control's CloudFormation / SAM properties follow its header, as comments.

use std::fmt::Write as _;
use std::io;

use crate::engine::fix::FixInput;
use crate::render::View;
use crate::result::{ControlResult, ResourceResult, Verdict};

pub fn write(view: &View, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(render(view).as_bytes())
}

fn render(view: &View) -> String {
    let report = view.report;
    let groups: Vec<(&ControlResult, Vec<&ResourceResult>)> = report
        .controls
        .iter()
        .filter(|c| (view.shown)(c) && c.due)
        .map(|c| (c, c.resources.iter().filter(|r| r.verdict == Verdict::Fail).collect::<Vec<_>>()))
        .filter(|(_, failing)| !failing.is_empty())
        .collect();

    let mut s = String::new();
    s.push_str("#!/usr/bin/env bash\n");
    s.push_str("# jalon-fix.sh: commands that fix the failures jalon found. Written by `jalon check --format fix`.\n");
    comment(&mut s, "", &format!("account {}", report.snapshot.account_id));
    comment(
        &mut s,
        "",
        &format!("snapshot sha256 {}, collected {}", report.snapshot.sha256, report.snapshot.collected_at),
    );
    comment(&mut s, "", &format!("as of {}; {} {}", report.as_of, report.tool.name, report.tool.version));
    s.push_str("#\n# REVIEW EVERY COMMAND BEFORE RUNNING IT: each one changes the account.\n");
    s.push_str("# Only the failing resources of due controls are here (not the waived, not what is pending).\n");
    s.push_str("# A command stops the script when it fails (set -e); run it again once fixed.\n\n");
    s.push_str("set -euo pipefail\n");

    let mut inputs: Vec<&FixInput> = Vec::new();
    for input in groups.iter().flat_map(|(_, rs)| rs.iter().filter_map(|r| r.fix.as_ref())).flat_map(|f| &f.inputs) {
        if !inputs.iter().any(|i| i.variable == input.variable) {
            inputs.push(input);
        }
    }
    if !inputs.is_empty() {
        s.push_str("\n# Values only you can choose: set each one here (or in the environment) before running.\n");
        for input in &inputs {
            comment(&mut s, "", &input.description);
            // The variable names are jalon's own ([A-Z0-9_]).
            let _ = writeln!(s, "{v}=\"${{{v}:-}}\"", v = input.variable);
        }
        let names: Vec<&str> = inputs.iter().map(|i| i.variable.as_str()).collect();
        let _ = writeln!(s, "jalon_missing=0\nfor jalon_variable in {}; do", names.join(" "));
        s.push_str("  if [ -z \"${!jalon_variable}\" ]; then\n");
        s.push_str(
            "    echo \"jalon-fix.sh: set $jalon_variable (see the top of this script) before running it\" >&2\n",
        );
        s.push_str("    jalon_missing=1\n  fi\ndone\n");
        s.push_str("if [ \"$jalon_missing\" -ne 0 ]; then\n  exit 2\nfi\n");
    }

    if groups.is_empty() {
        s.push_str("\n# Nothing to fix: no due control fails in this view.\n");
    }
    for (c, failing) in &groups {
        s.push('\n');
        s.push_str(&"#".repeat(78));
        s.push('\n');
        comment(&mut s, "", &format!("{} {} ({}, due {})", c.id, c.title, c.severity, c.phase_id));
        comment(&mut s, "", &c.summary());
        comment(&mut s, "", &c.remediation);
        for snippet in &c.iac {
            comment(&mut s, "", &format!("In the stack (CloudFormation / SAM), on {}:", snippet.resource_type));
            comment(&mut s, "  ", "Properties:");
            for line in snippet.properties.trim_end().lines() {
                comment(&mut s, "    ", line);
            }
        }
        s.push_str(&"#".repeat(78));
        s.push('\n');
        for r in failing {
            s.push('\n');
            comment(&mut s, "", &format!("resource: {}", r.id));
            comment(&mut s, "", &format!("finding: {}", r.message));
            match &r.fix {
                Some(fix) => {
                    if let Some(note) = &fix.note {
                        comment(&mut s, "", &format!("note: {note}"));
                    }
                    if fix.commands.is_empty() {
                        s.push_str("# no command: by hand, as the note says\n");
                    }
                    for command in &fix.commands {
                        s.push_str(command);
                        s.push('\n');
                    }
                }
                None => {
                    comment(
                        &mut s,
                        "",
                        "no command for this kind of resource: by hand, as the control's remediation says",
                    );
                }
            }
        }
    }
    s
}

/// One comment line: `# ` + `indent` + the text with every control character, line or
/// paragraph separator and bidirectional override written out, so hostile text cannot
/// end the comment (a newline would start a command) or hide what follows.
fn comment(s: &mut String, indent: &str, text: &str) {
    s.push_str("# ");
    s.push_str(indent);
    for c in text.chars() {
        match c {
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c if c.is_control()
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                let _ = write!(s, "\\u{{{:04x}}}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_cannot_be_ended_by_the_text_it_holds() {
        let mut s = String::new();
        comment(&mut s, "", "a\nrm -rf / #\r\u{2028}x\u{202e}y\u{0}");
        assert_eq!(s, "# a\\nrm -rf / #\\r\\u{2028}x\\u{202e}y\\u{0000}\n");
        assert_eq!(s.lines().count(), 1);
    }

    #[test]
    fn the_sample_report_gives_a_script_with_only_due_failures() {
        let report = crate::result::fixtures::sample_report();
        let script = crate::render::to_string(crate::render::Format::Fix, &report, &|_| true);
        assert!(script.starts_with("#!/usr/bin/env bash\n"), "{script}");
        assert!(script.contains("\nset -euo pipefail\n"), "{script}");
        // LOG-001 fails and is due; ALM-005 fails but is PENDING (J+7 not due).
        assert!(script.contains("# LOG-001 LOG-001 title (high, due J+0)"), "{script}");
        assert!(!script.contains("ALM-005"), "{script}");
        assert!(!script.contains("DB-006"), "{script}");
        // Every line is a comment, blank, or one the script itself writes.
        for line in script.lines() {
            assert!(!line.contains("<script>") || line.starts_with("# ") || line.starts_with("aws "), "{line}");
        }
    }
}

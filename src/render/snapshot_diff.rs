//! A snapshot diff (`jalon diff OLD.json NEW.json` on two snapshots) as text: one line
//! per resource added or removed and per value changed, as field paths.

use serde_json::Value;

use crate::drift::snapshots::{SnapshotDiff, SnapshotSide};

/// What a null means for a field, where it is not obvious.
fn null_meaning(section: &str, path: &str) -> Option<&'static str> {
    let field = path.rsplit('.').next().unwrap_or(path);
    Some(match (section, field) {
        ("logs.log_groups", "retention_days") => "never expire",
        ("logs.log_groups", "kms_key_id") => "no KMS key",
        ("secretsmanager.secrets", "kms_key_id") => "the AWS-managed key",
        ("lambda.functions", "kms_key_arn") => "the AWS-managed key",
        ("lambda.functions", "reserved_concurrency") => "not reserved",
        ("lambda.functions", "dead_letter_target_arn") => "none",
        ("secretsmanager.secrets", "rotation_every_days") => "no rotation",
        (_, "performance_insights_retention_days") => "off",
        _ => return None,
    })
}

/// A value for the text output: strings bare, null with its meaning, the rest as JSON.
pub fn show_value(section: &str, path: &str, value: Option<&Value>) -> String {
    let text = match value {
        None => return "(absent)".into(),
        Some(Value::Null) => {
            return null_meaning(section, path).map_or_else(|| "null".to_string(), |m| format!("{m} (null)"))
        }
        Some(Value::String(s)) if !s.is_empty() && !s.contains(char::is_whitespace) => s.clone(),
        Some(v) => v.to_string(),
    };
    const MAX: usize = 160;
    if text.chars().count() > MAX {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    } else {
        text
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn describe_side(s: &SnapshotSide) -> String {
    format!(
        "{} · collected {} · snapshot {} · account {} · {}",
        s.file,
        s.collected_at,
        &s.sha256[..12.min(s.sha256.len())],
        if s.account_id.is_empty() { "unknown" } else { &s.account_id },
        s.regions.join(", ")
    )
}

/// One line of the text, escaped for the terminal (names, tag keys and values come from
/// the account, and a newline inside one must not start a line of its own).
fn line(out: &mut String, text: &str) {
    out.push_str(&crate::render::escape::terminal::text(text));
    out.push('\n');
}

/// A blank line, then a line: the start of a part of the text.
fn paragraph(out: &mut String, text: &str) {
    out.push('\n');
    line(out, text);
}

/// The snapshot diff as text: one line per resource added or removed and per value changed.
pub fn text(diff: &SnapshotDiff) -> String {
    let mut out = String::new();
    line(&mut out, "Snapshot diff");
    line(&mut out, &format!("  old: {}", describe_side(&diff.before)));
    line(&mut out, &format!("  new: {}", describe_side(&diff.after)));
    if !diff.ignored_fields.is_empty() {
        line(
            &mut out,
            &format!(
                "  not compared (they change on their own; --all-fields compares them): {}",
                diff.ignored_fields.join(", ")
            ),
        );
    }
    if diff.is_empty() {
        paragraph(&mut out, "No configuration change: the same resources, with the same values.");
        return out;
    }
    if let Some(account) = &diff.account {
        paragraph(
            &mut out,
            &format!(
                "! account: {} → {} (two different accounts)",
                show_value("", "", account.before.as_ref()),
                show_value("", "", account.after.as_ref())
            ),
        );
    }
    if !diff.regions_added.is_empty() || !diff.regions_removed.is_empty() {
        paragraph(&mut out, "regions");
        for r in &diff.regions_added {
            line(&mut out, &format!("  + {r}"));
        }
        for r in &diff.regions_removed {
            line(&mut out, &format!("  - {r}"));
        }
    }
    if !diff.collectors.is_empty() {
        paragraph(&mut out, "collectors");
        for c in &diff.collectors {
            line(
                &mut out,
                &format!(
                    "  ~ {} in {}: {} → {}",
                    c.service,
                    c.region,
                    c.before.as_deref().unwrap_or("(not collected)"),
                    c.after.as_deref().unwrap_or("(not collected)")
                ),
            );
        }
    }
    for s in &diff.sections {
        let mut counts = Vec::new();
        if !s.added.is_empty() {
            counts.push(format!("{} added", s.added.len()));
        }
        if !s.removed.is_empty() {
            counts.push(format!("{} removed", s.removed.len()));
        }
        if !s.changed.is_empty() {
            counts.push(plural(s.changed.len(), "changed", "changed"));
        }
        paragraph(&mut out, &format!("{}: {}", s.section, counts.join(", ")));
        for r in &s.added {
            line(&mut out, &format!("  + {}[{}]", s.section, r.label));
        }
        for r in &s.removed {
            line(&mut out, &format!("  - {}[{}]", s.section, r.label));
        }
        for r in &s.changed {
            for f in &r.fields {
                line(
                    &mut out,
                    &format!(
                        "  ~ {}[{}].{}: {} → {}",
                        s.section,
                        r.label,
                        f.path,
                        show_value(&s.section, &f.path, f.before.as_ref()),
                        show_value(&s.section, &f.path, f.after.as_ref())
                    ),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nulls_say_what_they_mean() {
        assert_eq!(show_value("logs.log_groups", "retention_days", Some(&Value::Null)), "never expire (null)");
        assert_eq!(show_value("rds.instances", "engine_version", Some(&Value::Null)), "null");
        assert_eq!(show_value("x", "y", None), "(absent)");
        assert_eq!(show_value("x", "y", Some(&json!(2.5))), "2.5");
        assert_eq!(show_value("x", "y", Some(&json!("a b"))), "\"a b\"");
    }
}

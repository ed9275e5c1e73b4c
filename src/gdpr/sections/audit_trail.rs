//! 9. Logs and audit trail.

use super::{cell, code_cell, join_inlines, Builder};
use crate::gdpr::doc::{strong, t, Document};

impl<'a> Builder<'a> {
    pub(in crate::gdpr) fn audit_trail(&self, doc: &mut Document) {
        doc.h2("9. Logs and audit trail");
        self.gaps(doc, "audit_trail");
        doc.h3("Database log exports (evidence)");
        let rows: Vec<_> = self
            .snap
            .rds
            .instances
            .iter()
            .filter(|i| i.cluster_identifier.is_none())
            .map(|i| (&i.arn, &i.cloudwatch_logs_exports))
            .chain(self.snap.rds.clusters.iter().map(|c| (&c.arn, &c.cloudwatch_logs_exports)))
            .map(|(arn, exports)| {
                vec![
                    code_cell(self.short(arn)),
                    if exports.is_empty() { vec![strong("none")] } else { cell(exports.join(", ")) },
                    self.resource_verdict("DB-007", arn),
                ]
            })
            .collect();
        if rows.is_empty() {
            doc.para(vec![t("No database in the snapshot.")]);
        } else {
            doc.table(&["Database", "Logs exported to CloudWatch Logs", "DB-007"], rows);
        }
        doc.h3("Application logs (evidence)");
        let groups = &self.snap.logs.log_groups;
        let protected: Vec<&str> = groups
            .iter()
            .filter(|g| g.data_protection_status.as_deref().is_some_and(|s| !s.is_empty()))
            .map(|g| g.name.as_str())
            .collect();
        let mut lines = vec![vec![t(format!("{} log groups; retention per group in section 6.", groups.len()))]];
        lines.push(if protected.is_empty() {
            vec![t("No log group has a data protection policy (masking of personal data in log events).")]
        } else {
            let mut line = vec![t("Data protection policy (masking) on: ")];
            line.extend(join_inlines(protected.iter().map(|n| code_cell(*n)).collect(), ", "));
            line
        });
        doc.bullets(lines);
        doc.bullets(self.control_lines(&["LOG-001", "LOG-003", "LOG-004", "DB-007"]));
    }
}

#[cfg(test)]
mod tests {
    use crate::gdpr::sections::fixtures::Fixture;

    #[test]
    fn cloudtrail_is_a_gap_and_database_log_exports_are_evidence() {
        let text = Fixture::demo().section(|b, doc| b.audit_trail(doc));
        assert!(text.contains("> **Gap:** CloudTrail is not collected by this version"), "{text}");
        assert!(text.contains("AUD-001 (a multi-region CloudTrail trail is logging"), "{text}");
        assert!(text.contains("| `orders-db` | postgresql |"), "{text}");
    }
}

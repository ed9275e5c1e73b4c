//! 9. Logs and audit trail.

use super::{cell, code_cell, join_inlines, Builder};
use crate::gdpr::doc::{strong, t, Document};

impl<'a> Builder<'a> {
    pub(in crate::gdpr) fn audit_trail(&self, doc: &mut Document) {
        doc.h2("9. Logs and audit trail");
        self.gaps(doc, "audit_trail");
        self.api_activity(doc);
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

impl Builder<'_> {
    /// The CloudTrail trails: who did what in the account, and whether that record
    /// can be trusted (validated, encrypted) and is being written now.
    fn api_activity(&self, doc: &mut Document) {
        doc.h3("Audit trail of API activity (evidence)");
        let trails = &self.snap.cloudtrail.trails;
        if trails.is_empty() {
            doc.para(vec![strong("No CloudTrail trail"), t(" was seen from the collected regions.")]);
        } else {
            let yes_no = |v: bool| if v { cell("yes") } else { vec![strong("no")] };
            let rows = trails
                .iter()
                .map(|trail| {
                    let destination =
                        [trail.s3_bucket_name.as_deref(), trail.cloud_watch_logs_log_group_arn.as_deref()]
                            .into_iter()
                            .flatten()
                            .map(|d| self.short(d))
                            .collect::<Vec<_>>()
                            .join(", ");
                    vec![
                        code_cell(&trail.name),
                        cell(&trail.home_region),
                        yes_no(trail.multi_region),
                        yes_no(trail.logging),
                        yes_no(trail.log_file_validation),
                        match &trail.kms_key_id {
                            Some(key) if !key.is_empty() => code_cell(self.short(key)),
                            _ => vec![strong("no")],
                        },
                        code_cell(&destination),
                        self.resource_verdict("AUD-002", &trail.arn),
                    ]
                })
                .collect();
            doc.table(
                &[
                    "Trail",
                    "Home region",
                    "All regions",
                    "Logging",
                    "Log-file validation",
                    "KMS key",
                    "Delivered to",
                    "Logs kept (AUD-002)",
                ],
                rows,
            );
        }
        doc.bullets(self.control_lines(&["AUD-001", "AUD-002"]));
    }
}

#[cfg(test)]
mod tests {
    use crate::gdpr::sections::fixtures::Fixture;

    #[test]
    fn trails_and_database_log_exports_are_evidence() {
        let text = Fixture::demo().section(|b, doc| b.audit_trail(doc));
        assert!(!text.contains("CloudTrail is not collected"), "{text}");
        assert!(text.contains("| `orders-audit` | eu-west-3 | yes | yes | **no** |"), "{text}");
        assert!(text.contains("AUD-001"), "{text}");
        assert!(text.contains("| `orders-db` | postgresql |"), "{text}");
    }
}

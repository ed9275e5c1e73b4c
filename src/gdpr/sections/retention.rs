//! 6. Retention schedule: declared decisions, and the evidence per store (log group,
//!    table, queue, database) and secret.

use std::collections::BTreeMap;

use super::locations::{bucket_retention, queue_retention, snapshot_retention};
use super::{cell, code_cell, days, Builder};
use crate::engine::inventory::LogGroupRetention;
use crate::gdpr::doc::{code, em, fact, missing, strong, t, Document};
use crate::gdpr::record::declared;

impl<'a> Builder<'a> {
    /// DynamoDB tables, SQS queues, ElastiCache caches and S3 buckets: whether and when their data
    /// expires, and GDP-005's verdict for those holding personal data.
    fn expiring_stores(&self, doc: &mut Document) {
        doc.h3("Tables, queues, caches and buckets (evidence)");
        let mut rows = Vec::new();
        for x in &self.snap.dynamodb.tables {
            let expiry = match x.ttl_attribute.as_deref() {
                Some(attribute) => vec![t("TTL on "), code(attribute)],
                None => vec![strong("no TTL")],
            };
            rows.push((x.arn.as_str(), "DynamoDB table", expiry));
        }
        for q in &self.snap.sqs.queues {
            rows.push((q.arn.as_str(), "SQS queue", queue_retention(q)));
        }
        let caches = &self.snap.elasticache;
        for g in &caches.replication_groups {
            rows.push((g.arn.as_str(), "ElastiCache replication group", snapshot_retention(g.snapshot_retention_days)));
        }
        for c in &caches.serverless_caches {
            rows.push((c.arn.as_str(), "ElastiCache serverless cache", snapshot_retention(c.snapshot_retention_days)));
        }
        for b in &self.snap.s3.buckets {
            rows.push((b.arn.as_str(), "S3 bucket", bucket_retention(b)));
        }
        if rows.is_empty() {
            doc.para(vec![t("No DynamoDB table, SQS queue, ElastiCache cache or S3 bucket in the snapshot.")]);
            return;
        }
        let rows = rows
            .into_iter()
            .map(|(arn, kind, expiry)| {
                vec![
                    code_cell(self.short(arn)),
                    cell(kind),
                    self.class_of(arn).map_or_else(|| vec![em("untagged")], code_cell),
                    expiry,
                    self.resource_verdict("GDP-005", arn),
                ]
            })
            .collect();
        doc.para(vec![t(
            "A table deletes an item after the time in its TTL attribute (within days of it); a queue deletes a message after its retention period; a cache keeps its data in memory and its automatic snapshots for their retention; a bucket deletes objects by its lifecycle rules. GDP-005 judges those holding personal data: TTL on, a queue's retention within the ceiling of its class, a cache's snapshots within the backup retention ceiling, a rule expiring every object of a bucket (and its noncurrent versions once versioned).",
        )]);
        doc.table(&["Store", "Kind", "Data class", "Expires", "GDP-005"], rows);
    }

    pub(in crate::gdpr) fn retention(&self, doc: &mut Document) {
        doc.h2("6. Retention schedule");
        doc.h3("Retention decisions (declared)");
        match self.record().retention.as_deref() {
            None | Some([]) => doc.para(vec![missing("retention")]),
            Some(list) => {
                let rows = list
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        vec![
                            fact(declared(&r.data), &format!("retention[{i}].data")),
                            fact(declared(&r.period), &format!("retention[{i}].period")),
                            fact(declared(&r.reason), &format!("retention[{i}].reason")),
                        ]
                    })
                    .collect();
                doc.table(&["Data", "Kept for", "Reason"], rows);
            }
        }
        let th = &self.src.config.thresholds;
        doc.h3("Logs (evidence)");
        doc.para(vec![t(format!(
            "Floor {} (LOG-001); ceiling {} by default (LOG-002){}. \"Never expire\" exceeds every ceiling (Art. 5(1)(e)).",
            days(th.log_retention_floor_days),
            days(th.log_retention_ceiling_days),
            if th.log_retention_ceiling_by_class.is_empty() {
                String::new()
            } else {
                let by: Vec<String> =
                    th.log_retention_ceiling_by_class.iter().map(|(c, d)| format!("{c}: {}", days(*d))).collect();
                format!(", per data class {}", by.join(", "))
            }
        ))]);
        // The class and ceiling LOG-002 applies to each group, from the engine.
        let retention: BTreeMap<&str, &LogGroupRetention> =
            self.src.inventory.log_group_retention.iter().map(|r| (r.arn.as_str(), r)).collect();
        let class = |arn: &str| retention.get(arn).and_then(|r| r.data_class.as_deref());
        let mut groups: Vec<_> = self.snap.logs.log_groups.iter().collect();
        groups.sort_by_key(|g| (class(&g.arn).is_none(), class(&g.arn), g.name.as_str()));
        let rows: Vec<_> = groups
            .iter()
            .map(|g| {
                let ceiling = match retention.get(g.arn.as_str()) {
                    Some(r) => cell(days(r.retention_ceiling_days)),
                    None => vec![em("not evaluated")],
                };
                vec![
                    code_cell(&g.name),
                    class(&g.arn).map_or_else(|| vec![em("untagged")], code_cell),
                    match g.retention_days {
                        Some(d) => cell(days(d)),
                        None => vec![strong("never expire")],
                    },
                    ceiling,
                    self.resource_verdict("LOG-001", &g.arn),
                    self.resource_verdict("LOG-002", &g.arn),
                ]
            })
            .collect();
        if rows.is_empty() {
            doc.para(vec![t("No log group in the snapshot.")]);
        } else {
            doc.table(&["Log group", "Data class", "Retention", "Ceiling", "LOG-001", "LOG-002"], rows);
        }
        self.expiring_stores(doc);
        doc.h3("Database backups and Performance Insights (evidence)");
        let mut rows = Vec::new();
        let dbs = self
            .snap
            .rds
            .instances
            .iter()
            .filter(|i| i.cluster_identifier.is_none())
            .map(|i| {
                (&i.arn, i.backup_retention_days, i.performance_insights_enabled, i.performance_insights_retention_days)
            })
            .chain(self.snap.rds.clusters.iter().map(|c| {
                (&c.arn, c.backup_retention_days, c.performance_insights_enabled, c.performance_insights_retention_days)
            }));
        for (arn, backup, pi, pi_days) in dbs {
            rows.push(vec![
                code_cell(self.short(arn)),
                if backup == 0 { vec![strong("no automated backups")] } else { cell(days(backup)) },
                self.resource_verdict("DB-004", arn),
                match (pi, pi_days) {
                    (true, Some(d)) => cell(days(d)),
                    (true, None) => cell("on"),
                    (false, _) => cell("off"),
                },
            ]);
        }
        if rows.is_empty() {
            doc.para(vec![t("No database in the snapshot.")]);
        } else {
            doc.para(vec![t(format!(
                "Automated backups are kept between {} and {} (DB-004). Performance Insights keeps SQL statements, which can hold personal data, for its retention period.",
                days(th.backup_retention_min_days),
                days(th.backup_retention_max_days)
            ))]);
            doc.table(&["Database", "Automated backups kept", "DB-004", "Performance Insights kept"], rows);
        }
        doc.h3("Secret rotation (evidence)");
        let rows: Vec<_> = self
            .snap
            .secretsmanager
            .secrets
            .iter()
            .map(|x| {
                vec![
                    code_cell(&x.name),
                    if x.rotation_enabled { cell("on") } else { vec![strong("off")] },
                    cell(
                        x.rotation_every_days
                            .map(days)
                            .or_else(|| x.rotation_schedule_expression.clone())
                            .unwrap_or_else(|| "—".into()),
                    ),
                    cell(x.last_rotated_at.clone().unwrap_or_else(|| "never".into())),
                    self.resource_verdict("SEC-001", &x.arn),
                    self.resource_verdict("SEC-002", &x.arn),
                ]
            })
            .collect();
        if rows.is_empty() {
            doc.para(vec![t("No secret in the snapshot.")]);
        } else {
            doc.table(&["Secret", "Rotation", "Every", "Last rotated", "SEC-001", "SEC-002"], rows);
        }
        self.gaps(doc, "retention");
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::gdpr::sections::fixtures::Fixture;

    #[test]
    fn each_log_group_has_the_class_and_ceiling_log_002_judged_it_by() {
        // The reproduction: orders-notifier tagged personal, its log group kept 90
        // days, the ceiling for personal data 60 days.
        let dir = tempfile::tempdir().unwrap();
        let mut snapshot: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string("examples/demo-snapshot.json").unwrap()).unwrap();
        for f in snapshot["lambda"]["functions"].as_array_mut().unwrap() {
            if f["name"] == "orders-notifier" {
                f["tags"]["data-class"] = "personal".into();
            }
        }
        for g in snapshot["logs"]["log_groups"].as_array_mut().unwrap() {
            if g["name"] == "/aws/lambda/orders-notifier" {
                g["retention_days"] = 90.into();
            }
        }
        let config = std::fs::read_to_string("examples/jalon.toml")
            .unwrap()
            .replace("{ audit = 400 }", "{ audit = 400, personal = 60 }");
        let (snapshot_path, config_path) = (dir.path().join("snapshot.json"), dir.path().join("jalon.toml"));
        std::fs::write(&snapshot_path, serde_json::to_string(&snapshot).unwrap()).unwrap();
        std::fs::write(&config_path, config).unwrap();
        let fixture = Fixture::of(&snapshot_path, Some(&config_path));
        let text = fixture.section(|b, doc| b.retention(doc));
        assert!(
            text.contains("| `/aws/lambda/orders-notifier` | `personal` | 90 days | 60 days | PASS | **FAIL** |"),
            "{text}"
        );
    }

    #[test]
    fn the_demo_ceilings_and_verdicts() {
        let fixture = Fixture::of(Path::new("examples/demo-snapshot.json"), Some(Path::new("examples/jalon.toml")));
        let text = fixture.section(|b, doc| b.retention(doc));
        assert!(
            text.contains("| `/orders/service-04` | _untagged_ | 3653 days | 365 days | PASS | **FAIL** |"),
            "{text}"
        );
        assert!(text.contains("per data class audit: 400 days"), "{text}");
        assert!(text.contains("| `orders-db` | 7 days | PASS | 7 days |"), "{text}");
    }
}

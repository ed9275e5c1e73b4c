//! 5. Where the data is stored (the personal-data inventory), and transfers outside the allowed regions.

use super::{cell, code_cell, days, declared_table, rest_encryption, Builder, Resource};
use crate::engine::inventory::PersonalDataStore;
use crate::gdpr::doc::{code, em, missing, strong, t, Document, Inline};
use crate::snapshot::arn::resource_name;
use crate::snapshot::{Bucket, DynamoDbTable, ReplicationGroup, ServerlessCache, SqsQueue};

impl<'a> Builder<'a> {
    pub(in crate::gdpr) fn locations(&self, doc: &mut Document) {
        doc.h2("5. Where the data is stored, and transfers outside the EU");
        let allowed = &self.src.config.allowed_regions;
        doc.para(vec![
            t("Allowed regions (configuration "),
            code("allowed_regions"),
            t(format!("): {}. Regions collected: {}.", allowed.join(", "), self.snap.regions.join(", "))),
        ]);
        let in_allowed = |region: &str| allowed.iter().any(|r| r == region);
        let allowed_cell = |region: &str| if in_allowed(region) { cell("yes") } else { vec![strong("no")] };
        let stores = &self.src.inventory.personal_data_stores;
        doc.h3("Personal-data stores (evidence)");
        if stores.is_empty() {
            doc.para(vec![t("No store in scope holds personal data, by the classification of section 3.")]);
        } else {
            let rows = stores
                .iter()
                .map(|s| {
                    vec![
                        code_cell(self.short(&s.arn)),
                        cell(self.store_kind(&s.arn, &s.kind)),
                        cell(&s.region),
                        self.store_class(s),
                        self.store_retention(s),
                        self.store_encryption(s),
                        allowed_cell(&s.region),
                    ]
                })
                .collect();
            let header =
                ["Store", "Kind", "Region", "Data class", "Kept at most", "Encryption at rest", "Allowed region"];
            doc.table(&header, rows);
        }
        doc.para(vec![t(
            "The stores GDP-002 and GDP-003 judge: in-scope databases, log groups, SQS queues, DynamoDB tables, ElastiCache caches and S3 buckets whose data class is personal. A read replica holds its source's data, and a log group without a class of its own that of the Lambda functions writing to it. Kept at most: the retention ceiling of its class for a log group or a queue (LOG-002), the backup retention ceiling for a database (DB-004); a table keeps an item until its TTL attribute's time, or until it is deleted when TTL is off.",
        )]);
        let others = self.other_stores();
        if !others.is_empty() {
            doc.h3("Other data stores (evidence)");
            let rows = others
                .into_iter()
                .map(|o| {
                    vec![
                        code_cell(self.short(o.arn)),
                        cell(o.kind),
                        cell(o.region),
                        self.class_of(o.arn).map_or_else(|| vec![em("untagged")], code_cell),
                        o.kept,
                        o.encryption,
                        allowed_cell(o.region),
                    ]
                })
                .collect();
            let header = ["Store", "Kind", "Region", "Data class", "Kept", "Encryption at rest", "Allowed region"];
            doc.table(&header, rows);
            doc.para(vec![t(
                "Databases, queues, tables, caches and buckets not classified personal, and secrets (they guard access to the data). An untagged store is not counted as holding personal data: if it does, tag it.",
            )]);
        }
        doc.h3("Transfers outside the allowed regions");
        let mut outside: Vec<Vec<Inline>> = stores
            .iter()
            .filter(|s| !in_allowed(&s.region))
            .map(|s| {
                let mut line = vec![code(self.short(&s.arn)), t(format!(" in {}", s.region))];
                if let Some(source) = &s.replica_of {
                    line.push(t(format!(", a replica of the personal-data store {}", resource_name(source))));
                }
                line
            })
            .collect();
        for s in stores {
            let replicas: Vec<&str> = s.replica_regions.iter().map(String::as_str).filter(|r| !in_allowed(r)).collect();
            if !replicas.is_empty() {
                let regions = replicas.join(", ");
                outside.push(vec![code(self.short(&s.arn)), t(format!(": global-table replicas in {regions}"))]);
            }
        }
        if outside.is_empty() {
            doc.para(vec![t(
                "Evidence: none. Every personal-data store, and every replica of one, is in an allowed region.",
            )]);
        } else {
            doc.para(vec![strong("Evidence: personal data outside the allowed regions:")]);
            doc.bullets(outside);
        }
        doc.bullets(self.control_lines(&["GDP-002"]));
        doc.h3("Transfers declared in the processing record (Chapter V)");
        declared_table(
            doc,
            &self.record().transfers,
            "transfer",
            vec![missing("transfer"), t(". Declare "), code("transfer = []"), t(" when there is none.")],
            "The record declares no transfer outside the EEA.",
            &[
                ("Recipient", "recipient", |x| &x.recipient),
                ("Country", "country", |x| &x.country),
                ("Safeguard (Art. 45-49)", "safeguard", |x| &x.safeguard),
            ],
        );
        self.gaps(doc, "locations");
    }

    /// What a store is, from the snapshot: "RDS instance, postgres 16.3, Multi-AZ".
    fn store_kind(&self, arn: &str, kind: &str) -> String {
        match self.index.resources.get(arn) {
            Some(Resource::Instance(i)) => {
                let mut text = format!("RDS instance, {} {}", i.engine, i.engine_version.as_deref().unwrap_or(""));
                text = text.trim_end().to_string();
                if i.multi_az {
                    text.push_str(", Multi-AZ");
                }
                if let Some(source) = &i.read_replica_source {
                    text.push_str(&format!(", read replica of {}", resource_name(source)));
                }
                text
            }
            Some(Resource::Cluster(c)) => {
                let mut text = format!("RDS cluster, {} {}", c.engine, c.engine_version.as_deref().unwrap_or(""));
                text = text.trim_end().to_string();
                if c.multi_az {
                    text.push_str(", Multi-AZ");
                }
                text
            }
            Some(Resource::LogGroup(_)) => "CloudWatch Logs log group".into(),
            Some(Resource::Queue(_)) => "SQS queue".into(),
            Some(Resource::Table(x)) if !x.replica_regions.is_empty() => {
                format!("DynamoDB global table, replicas in {}", x.replica_regions.join(", "))
            }
            Some(Resource::Table(_)) => "DynamoDB table".into(),
            Some(Resource::ReplicationGroup(g)) => {
                let az = if g.multi_az == "enabled" { ", Multi-AZ" } else { "" };
                format!("ElastiCache {} replication group{az}", engine_name(&g.engine))
            }
            Some(Resource::ServerlessCache(c)) => format!("ElastiCache {} serverless cache", engine_name(&c.engine)),
            Some(Resource::Bucket(b)) => match (b.versioning.as_str(), b.object_lock_days) {
                (_, Some(d)) => format!("S3 bucket, object lock {}", days(d)),
                ("Enabled", None) => "S3 bucket, versioned".into(),
                _ => "S3 bucket".into(),
            },
            None => kind.into(),
        }
    }

    /// A store's data class, and where it comes from when not from its own tag.
    fn store_class(&self, s: &PersonalDataStore) -> Vec<Inline> {
        let Some(class) = s.data_class.as_deref() else {
            return vec![t("personal")];
        };
        let from = match self.class_of(&s.arn) {
            Some(own) if own == class => "",
            _ if s.replica_of.is_some() => ", as its source",
            _ => ", as the Lambda functions writing to it",
        };
        vec![code(class), t(format!(" (personal{from})"))]
    }

    /// Whether the store is encrypted (the policies' judgement) and with which key (the
    /// snapshot's).
    fn store_encryption(&self, s: &PersonalDataStore) -> Vec<Inline> {
        let key = match self.index.resources.get(s.arn.as_str()) {
            Some(Resource::Instance(i)) => i.kms_key_id.as_deref(),
            Some(Resource::Cluster(c)) => c.kms_key_id.as_deref(),
            Some(Resource::LogGroup(g)) => g.kms_key_id.as_deref(),
            Some(Resource::Queue(q)) => return queue_encryption(q),
            Some(Resource::Table(x)) => return table_encryption(x),
            Some(Resource::ReplicationGroup(g)) => return group_encryption(g),
            Some(Resource::ServerlessCache(c)) => return serverless_encryption(c),
            Some(Resource::Bucket(b)) => return bucket_encryption(b),
            None => None,
        }
        .filter(|k| !k.is_empty());
        match (s.kind.as_str(), key) {
            ("log group", Some(k)) if s.encrypted => vec![t("KMS key "), code(resource_name(k))],
            ("log group", _) => cell("CloudWatch Logs service key (no customer KMS key)"),
            (_, key) => rest_encryption(s.encrypted, key),
        }
    }

    /// How long the store keeps its data: the ceiling its class allows, or for a table,
    /// whether its items expire (TTL) at all.
    fn store_retention(&self, s: &PersonalDataStore) -> Vec<Inline> {
        match (self.index.resources.get(s.arn.as_str()), s.retention_ceiling_days) {
            (Some(Resource::Table(x)), _) => table_retention(x),
            (Some(Resource::ReplicationGroup(g)), _) => snapshot_retention(g.snapshot_retention_days),
            (Some(Resource::ServerlessCache(c)), _) => snapshot_retention(c.snapshot_retention_days),
            (Some(Resource::Bucket(b)), _) => bucket_retention(b),
            (_, Some(d)) => cell(days(d)),
            (_, None) => cell("—"),
        }
    }

    /// The stores that are not personal-data stores, and secrets.
    fn other_stores(&self) -> Vec<OtherStore<'a>> {
        let s = self.snap;
        let personal = |arn: &str| self.src.inventory.store(arn).is_some();
        let mut out = Vec::new();
        let mut push = |arn: &'a str, kind: String, region: &'a str, kept: Vec<Inline>, encryption: Vec<Inline>| {
            out.push(OtherStore { arn, kind, region, kept, encryption });
        };
        for i in s.rds.instances.iter().filter(|i| !personal(&i.arn)) {
            let encryption = rest_encryption(i.storage_encrypted, i.kms_key_id.as_deref());
            push(&i.arn, self.store_kind(&i.arn, ""), &i.region, backups_kept(i.backup_retention_days), encryption);
        }
        for c in s.rds.clusters.iter().filter(|c| !personal(&c.arn)) {
            let encryption = rest_encryption(c.storage_encrypted, c.kms_key_id.as_deref());
            push(&c.arn, self.store_kind(&c.arn, ""), &c.region, backups_kept(c.backup_retention_days), encryption);
        }
        for x in &s.secretsmanager.secrets {
            let encryption = match &x.kms_key_id {
                Some(k) => vec![t("KMS key "), code(resource_name(k))],
                None => vec![t("AWS-managed key "), code("aws/secretsmanager")],
            };
            let kept = match x.rotation_every_days {
                Some(d) if x.rotation_enabled => cell(format!("until deleted; rotated every {}", days(d))),
                _ => cell("until deleted"),
            };
            push(&x.arn, "Secrets Manager secret".into(), &x.region, kept, encryption);
        }
        for q in s.sqs.queues.iter().filter(|q| !personal(&q.arn)) {
            push(&q.arn, "SQS queue".into(), &q.region, queue_retention(q), queue_encryption(q));
        }
        for x in s.dynamodb.tables.iter().filter(|x| !personal(&x.arn)) {
            push(&x.arn, self.store_kind(&x.arn, ""), &x.region, table_retention(x), table_encryption(x));
        }
        for g in s.elasticache.replication_groups.iter().filter(|g| !personal(&g.arn)) {
            let kept = snapshot_retention(g.snapshot_retention_days);
            push(&g.arn, self.store_kind(&g.arn, ""), &g.region, kept, group_encryption(g));
        }
        for c in s.elasticache.serverless_caches.iter().filter(|c| !personal(&c.arn)) {
            let kept = snapshot_retention(c.snapshot_retention_days);
            push(&c.arn, self.store_kind(&c.arn, ""), &c.region, kept, serverless_encryption(c));
        }
        for b in s.s3.buckets.iter().filter(|b| !personal(&b.arn)) {
            push(&b.arn, self.store_kind(&b.arn, ""), &b.region, bucket_retention(b), bucket_encryption(b));
        }
        out
    }
}

/// A store of section 5's second table.
struct OtherStore<'a> {
    arn: &'a str,
    kind: String,
    region: &'a str,
    /// How long it keeps its data.
    kept: Vec<Inline>,
    encryption: Vec<Inline>,
}

fn backups_kept(days_kept: i32) -> Vec<Inline> {
    match days_kept {
        0 => vec![strong("no automated backups")],
        n => cell(format!("backups {}", days(n))),
    }
}

/// How long a queue keeps a message.
pub(super) fn queue_retention(q: &SqsQueue) -> Vec<Inline> {
    let kept = q.message_retention_seconds;
    if kept % 86_400 == 0 {
        cell(format!("messages {}", days(kept / 86_400)))
    } else {
        cell(format!("messages {kept} s"))
    }
}

/// A queue's encryption at rest: its KMS key, SQS's own keys (SSE-SQS), or none.
fn queue_encryption(q: &SqsQueue) -> Vec<Inline> {
    match q.kms_master_key_id.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => vec![t("KMS key "), code(resource_name(k))],
        None if q.sqs_managed_sse => cell("SQS-managed keys (SSE-SQS)"),
        None => vec![strong("not encrypted")],
    }
}

/// A table's encryption at rest: DynamoDB encrypts every table, with its own key
/// unless a KMS key is set.
fn table_encryption(x: &DynamoDbTable) -> Vec<Inline> {
    match x.kms_key_arn.as_deref() {
        Some(k) => vec![t("KMS key "), code(resource_name(k))],
        None => cell("AWS owned key (DynamoDB's default)"),
    }
}

/// A replication group's encryption at rest: off, or on with its key.
fn group_encryption(g: &ReplicationGroup) -> Vec<Inline> {
    match (g.at_rest_encryption, g.kms_key_id.as_deref()) {
        (false, _) => vec![strong("not encrypted")],
        (true, Some(k)) => vec![t("KMS key "), code(resource_name(k))],
        (true, None) => cell("ElastiCache-managed key"),
    }
}

/// A serverless cache is always encrypted at rest: with its KMS key, or AWS's.
fn serverless_encryption(c: &ServerlessCache) -> Vec<Inline> {
    match c.kms_key_id.as_deref() {
        Some(k) => vec![t("KMS key "), code(resource_name(k))],
        None => cell("AWS owned key (ElastiCache's default)"),
    }
}

/// A bucket's default encryption: its KMS key, or S3's own keys (SSE-S3).
fn bucket_encryption(b: &Bucket) -> Vec<Inline> {
    match (b.encryption.as_str(), b.kms_key_id.as_deref()) {
        (_, Some(k)) => vec![t("KMS key "), code(resource_name(k))],
        ("AES256", None) => cell("S3-managed keys (SSE-S3)"),
        (other, None) => vec![t("default "), code(other)],
    }
}

/// How long a bucket keeps an object: the lifecycle rules that expire every object.
pub(super) fn bucket_retention(b: &Bucket) -> Vec<Inline> {
    let whole = b.lifecycle_rules.iter().filter(|r| r.enabled && r.applies_to.is_empty());
    let mut expiry: Vec<String> = whole
        .filter_map(|r| match (r.expiration_days, &r.expiration_date) {
            (Some(d), _) => Some(format!("objects expire after {}", days(d))),
            (None, Some(date)) => Some(format!("objects expire on {date}")),
            _ => None,
        })
        .collect();
    expiry.dedup();
    let partial = b.lifecycle_rules.iter().filter(|r| r.enabled && !r.applies_to.is_empty()).count();
    let mut line = if expiry.is_empty() { vec![strong("no expiry")] } else { cell(expiry.join("; ")) };
    if partial > 0 {
        line.push(t(format!(" ({partial} rule(s) on part of the bucket)")));
    }
    line
}

/// `valkey` -> Valkey, `redis` -> Redis OSS, as AWS names them.
fn engine_name(engine: &str) -> &str {
    match engine {
        "redis" => "Redis OSS",
        "valkey" => "Valkey",
        "memcached" => "Memcached",
        other => other,
    }
}

/// A cache holds its data in memory; what it keeps is its automatic snapshots.
pub(super) fn snapshot_retention(days_kept: i64) -> Vec<Inline> {
    match days_kept {
        0 => cell("in memory, no snapshots"),
        n => cell(format!("snapshots {}", days(n))),
    }
}

/// Whether a table's items expire: TTL on an attribute, or kept until deleted.
fn table_retention(x: &DynamoDbTable) -> Vec<Inline> {
    match x.ttl_attribute.as_deref() {
        Some(attribute) => vec![t("until its TTL ("), code(attribute), t(")")],
        None => vec![strong("no TTL"), t(": until deleted")],
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use crate::gdpr::sections::fixtures::Fixture;
    use crate::result::Verdict;
    use crate::snapshot::arn;

    /// The stores the section lists as holding personal data (the first cell of each
    /// row of its first table), as full ids.
    fn listed_stores(fixture: &Fixture) -> BTreeSet<String> {
        let text = fixture.section(|b, doc| b.locations(doc));
        let table = text.split("### Personal-data stores (evidence)").nth(1).expect("the stores table");
        let rows = table.lines().skip_while(|l| !l.starts_with("| ---")).skip(1).take_while(|l| l.starts_with('|'));
        let one_region = fixture.evaluation.report.snapshot.regions.len() <= 1;
        let full = |shown: &str| -> String {
            let ids = fixture.evaluation.report.controls.iter().flat_map(|c| c.resources.iter().map(|r| &*r.id));
            ids.clone().find(|id| arn::label(id, one_region) == shown).unwrap_or(shown).to_string()
        };
        rows.map(|row| full(row.split('`').nth(1).expect("a code span in the first cell"))).collect()
    }

    /// What GDP-003 judged.
    fn gdp_003_scope(fixture: &Fixture) -> BTreeSet<String> {
        let c = fixture.evaluation.report.controls.iter().find(|c| c.id == "GDP-003").expect("GDP-003");
        assert!(matches!(c.verdict, Verdict::Pass | Verdict::Fail), "{:?}: {:?}", c.verdict, c.note);
        c.resources.iter().map(|r| r.id.to_string()).collect()
    }

    #[test]
    fn the_stores_listed_are_gdp_003s_scope_on_the_demo() {
        let demo = Fixture::demo();
        let listed = listed_stores(&demo);
        assert_eq!(listed.len(), 6, "{listed:?}");
        assert_eq!(listed, gdp_003_scope(&demo));
    }

    #[test]
    fn the_stores_listed_are_gdp_003s_scope_on_a_synthetic_account() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("synthetic.json");
        crate::snapshot::save(&crate::synthetic::generate(3000, 11), &path).unwrap();
        let fixture = Fixture::of(&path, None);
        let listed = listed_stores(&fixture);
        // Databases, replicas and log groups of both kinds of classification are there.
        assert!(listed.iter().any(|s| s.contains(":db:")) && listed.iter().any(|s| s.contains(":log-group:")));
        assert!(listed.len() > 20, "{}", listed.len());
        assert_eq!(listed, gdp_003_scope(&fixture));
    }

    #[test]
    fn a_log_group_written_by_a_personal_function_is_a_personal_data_store() {
        // The reproduction: tag orders-notifier personal; its log group inherits.
        let dir = tempfile::tempdir().unwrap();
        let mut snapshot: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string("examples/demo-snapshot.json").unwrap()).unwrap();
        let notifier = snapshot["lambda"]["functions"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|f| f["name"] == "orders-notifier")
            .unwrap();
        notifier["tags"]["data-class"] = "personal".into();
        let path = dir.path().join("snapshot.json");
        std::fs::write(&path, serde_json::to_string(&snapshot).unwrap()).unwrap();
        let fixture = Fixture::of(&path, Some(Path::new("examples/jalon.toml")));
        let text = fixture.section(|b, doc| b.locations(doc));
        assert!(
            text.contains("| `/aws/lambda/orders-notifier` | CloudWatch Logs log group | eu-west-3 | `personal` (personal, as the Lambda functions writing to it) | 365 days | CloudWatch Logs service key (no customer KMS key) | yes |"),
            "{text}"
        );
        assert_eq!(listed_stores(&fixture), gdp_003_scope(&fixture));
    }

    #[test]
    fn a_queue_classified_personal_is_a_store_and_the_others_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        let mut snapshot: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string("examples/demo-snapshot.json").unwrap()).unwrap();
        let queues = snapshot["sqs"]["queues"].as_array_mut().unwrap();
        let mut plain = queues[0].clone();
        queues[0]["tags"]["data-class"] = "personal".into();
        for (field, value) in [
            ("name", "orders-thumbnails".into()),
            ("arn", "arn:aws:sqs:eu-west-3:123456789012:orders-thumbnails".into()),
            ("kms_master_key_id", serde_json::Value::Null),
            ("sqs_managed_sse", true.into()),
        ] {
            plain[field] = value;
        }
        queues.push(plain);
        let path = dir.path().join("snapshot.json");
        std::fs::write(&path, serde_json::to_string(&snapshot).unwrap()).unwrap();
        let fixture = Fixture::of(&path, Some(Path::new("examples/jalon.toml")));
        let text = fixture.section(|b, doc| b.locations(doc));
        let personal = "| `orders-notifier-dlq` | SQS queue | eu-west-3 | `personal` (personal) | 365 days | KMS key `17f90c6f-6a25-4f36-a142-29f2d1cd7e0e` | yes |";
        assert!(text.contains(personal), "{text}");
        assert!(
            text.contains(
                "| `orders-thumbnails` | SQS queue | eu-west-3 | _untagged_ | messages 14 days | SQS-managed keys (SSE-SQS) | yes |"
            ),
            "{text}"
        );
        assert_eq!(listed_stores(&fixture), gdp_003_scope(&fixture));
        assert!(listed_stores(&fixture).iter().any(|s| s.ends_with(":orders-notifier-dlq")));
    }

    #[test]
    fn a_personal_store_outside_the_allowed_regions_is_a_transfer() {
        let dir = tempfile::tempdir().unwrap();
        let mut snapshot: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string("examples/demo-snapshot.json").unwrap()).unwrap();
        let groups = snapshot["logs"]["log_groups"].as_array_mut().unwrap();
        let group = groups.iter_mut().find(|g| g["name"] == "/aws/lambda/orders-api").unwrap();
        group["region"] = "us-east-1".into();
        let path = dir.path().join("snapshot.json");
        std::fs::write(&path, serde_json::to_string(&snapshot).unwrap()).unwrap();
        let fixture = Fixture::of(&path, Some(Path::new("examples/jalon.toml")));
        let text = fixture.section(|b, doc| b.locations(doc));
        assert!(text.contains("**Evidence: personal data outside the allowed regions:**"), "{text}");
        assert!(text.contains("- `/aws/lambda/orders-api` in us-east-1"), "{text}");
        let gdp_002 = fixture.evaluation.report.controls.iter().find(|c| c.id == "GDP-002").unwrap();
        assert_eq!(gdp_002.verdict, Verdict::Fail, "the check says what the appendix says");
    }
}

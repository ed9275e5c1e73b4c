//! The eleven sections of the appendix, each from the processing record (declared)
//! and the snapshot and verdicts (evidence).

use std::collections::BTreeMap;

use super::doc::{code, em, fact, missing, strong, t, text_or_link, Document, Inline};
use super::record::{declared, ProcessingRecord};
use super::{Sources, MEASURES, NOT_COLLECTED};
use crate::result::{CheckReport, ControlResult, Verdict};
use crate::snapshot::arn::resource_name;
use crate::snapshot::{CollectionStatus, MetricAlarm, Snapshot, Tags};

/// Writes the sections of the appendix into a [`Document`].
pub(super) struct Builder<'a> {
    pub(super) src: &'a Sources<'a>,
    pub(super) snap: &'a Snapshot,
    pub(super) report: &'a CheckReport,
}

/// One table cell of plain text.
fn cell(text: impl Into<String>) -> Vec<Inline> {
    vec![t(text)]
}

fn code_cell(text: impl Into<String>) -> Vec<Inline> {
    vec![code(text)]
}

fn yes_no(value: bool) -> Vec<Inline> {
    cell(if value { "yes" } else { "no" })
}

fn days(n: impl Into<i64>) -> String {
    let n = n.into();
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

fn join_inlines(parts: Vec<Vec<Inline>>, sep: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push(t(sep));
        }
        out.extend(p);
    }
    out
}

/// One column of a declared table: header, field key, and how to read the field.
type DeclaredColumn<T> = (&'static str, &'static str, fn(&T) -> &Option<String>);

/// A declared list (recipients, processors, transfers) as a table with one column per
/// field: `none` when the record does not declare the list, `empty` when it declares
/// none, and a missing field marked with its key (`processor[0].agreement`).
fn declared_table<T>(
    doc: &mut Document,
    list: &Option<Vec<T>>,
    key: &str,
    none: Vec<Inline>,
    empty: &str,
    columns: &[DeclaredColumn<T>],
) {
    match list {
        None => doc.para(none),
        Some(items) if items.is_empty() => doc.para(vec![t(empty)]),
        Some(items) => {
            let rows = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    columns
                        .iter()
                        .map(|(_, field, value)| fact(declared(value(item)), &format!("{key}[{i}].{field}")))
                        .collect()
                })
                .collect();
            let header: Vec<&str> = columns.iter().map(|(header, _, _)| *header).collect();
            doc.table(&header, rows);
        }
    }
}

impl<'a> Builder<'a> {
    fn record(&self) -> &'a ProcessingRecord {
        self.src.record
    }

    fn control(&self, id: &str) -> Option<&'a ControlResult> {
        self.report.controls.iter().find(|c| c.id == id)
    }

    /// A verdict, with when it falls due if it is PENDING.
    fn verdict(&self, c: &ControlResult) -> Vec<Inline> {
        let mut v = vec![Inline::Verdict(c.verdict)];
        if c.verdict == Verdict::Pending {
            v.push(t(format!(" (due {})", c.phase_id)));
        }
        v
    }

    /// The verdict of one resource under a control; failing resources of a control
    /// not due yet are PENDING. None: not in the control's scope.
    fn resource_verdict(&self, id: &str, arn: &str) -> Vec<Inline> {
        let Some(c) = self.control(id) else {
            return vec![em("not evaluated")];
        };
        match c.resources.iter().find(|r| &*r.id == arn) {
            Some(r) if c.shown_verdict(r) == Verdict::Pending => {
                vec![Inline::Verdict(Verdict::Pending), t(format!(" (due {})", c.phase_id))]
            }
            Some(r) => vec![Inline::Verdict(r.verdict)],
            None if c.verdict == Verdict::Unknown => vec![Inline::Verdict(Verdict::Unknown)],
            None => cell("not in scope"),
        }
    }

    /// One line per control: id, title, verdict, result.
    fn control_lines(&self, ids: &[&str]) -> Vec<Vec<Inline>> {
        ids.iter()
            .map(|id| match self.control(id) {
                Some(c) => {
                    let mut line = vec![code(*id), t(format!(" {}: ", c.title))];
                    line.extend(self.verdict(c));
                    line.push(t(format!(", {}", c.summary())));
                    line
                }
                None => vec![code(*id), t(" "), em("not evaluated by this version of jalon")],
            })
            .collect()
    }

    /// The data-classification tag's value, when set.
    fn class_of(&self, tags: &'a Tags) -> Option<&'a str> {
        tags.get(&self.src.config.scope.data_class_tag).map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    fn is_personal(&self, class: Option<&str>) -> bool {
        class.is_some_and(|c| self.src.config.scope.personal_data_classes.iter().any(|p| p.eq_ignore_ascii_case(c)))
    }

    fn short(&self, arn: &'a str) -> &'a str {
        if self.snap.regions.len() <= 1 {
            resource_name(arn)
        } else {
            arn
        }
    }

    // ------------------------------------------------------------ title, intro

    pub(super) fn title(&self) -> String {
        match self.record().processing.as_ref().and_then(|p| declared(&p.name)) {
            Some(name) => format!("GDPR technical documentation appendix: {name}"),
            None => "GDPR technical documentation appendix".into(),
        }
    }

    pub(super) fn intro(&self, doc: &mut Document) {
        let p = self.record().processing.clone().unwrap_or_default();
        let mut line = vec![t("Processing activity: ")];
        line.extend(fact(declared(&p.name), "processing.name"));
        line.push(t(". Entry in the register of processing activities (Art. 30): "));
        line.extend(fact(declared(&p.register_ref), "processing.register_ref"));
        line.push(t(". Record last reviewed: "));
        match p.last_reviewed {
            Some(d) => line.push(t(d.to_string())),
            None => line.push(missing("processing.last_reviewed")),
        }
        line.push(t("."));
        doc.para(line);
        if let Some(description) = declared(&p.description) {
            doc.para(vec![t(description)]);
        }
        let r = self.report;
        let day = r
            .day
            .map(|d| format!(" (J{d:+} after the cutover of {})", r.cutover.map(|c| c.to_string()).unwrap_or_default()))
            .unwrap_or_default();
        doc.para(vec![
            strong("Declared"),
            t(" facts come from the processing record "),
            code(self.src.record_file),
            t(". Everything else is "),
            strong("evidence"),
            t(": read from the snapshot "),
            code(self.src.snapshot_file),
            t(format!(
                " of AWS account {} ({}), collected at {}, and judged by jalon {} as of {}{day} with the controls of ",
                account(&r.snapshot.account_id),
                r.snapshot.regions.join(", "),
                r.snapshot.collected_at,
                r.tool.version,
                r.as_of
            )),
            code("jalon check"),
            t(". A fact the record does not declare is marked "),
            strong("missing"),
            t("; evidence jalon does not collect is marked as a "),
            strong("gap"),
            t(". Nothing here is inferred. Section 11 identifies every input by its SHA-256."),
        ]);
    }

    // ------------------------------------------------------------ 1. parties

    pub(super) fn parties(&self, doc: &mut Document) {
        doc.h2("1. Controller, processors, DPO and contacts");
        let rec = self.record();
        let mut rows = Vec::new();
        let controller = rec.controller.clone().unwrap_or_default();
        rows.push(vec![
            cell("Controller"),
            fact(declared(&controller.name), "controller.name"),
            fact(declared(&controller.contact), "controller.contact"),
            fact(declared(&controller.address), "controller.address"),
        ]);
        let dpo = rec.dpo.clone().unwrap_or_default();
        rows.push(vec![
            cell("Data protection officer (Art. 37-39)"),
            fact(declared(&dpo.name), "dpo.name"),
            fact(declared(&dpo.contact), "dpo.contact"),
            cell(""),
        ]);
        match &rec.processors {
            None => rows.push(vec![cell("Processor (Art. 28)"), vec![missing("processor")], cell(""), cell("")]),
            Some(list) => {
                for (i, p) in list.iter().enumerate() {
                    rows.push(vec![
                        cell("Processor (Art. 28)"),
                        fact(declared(&p.name), &format!("processor[{i}].name")),
                        cell(""),
                        vec![t("see section 4")],
                    ]);
                }
            }
        }
        match &rec.contacts {
            None => rows.push(vec![cell("Other contacts"), vec![missing("contact")], cell(""), cell("")]),
            Some(list) => {
                for (i, c) in list.iter().enumerate() {
                    rows.push(vec![
                        fact(declared(&c.role), &format!("contact[{i}].role")),
                        fact(declared(&c.name), &format!("contact[{i}].name")),
                        fact(declared(&c.contact), &format!("contact[{i}].contact")),
                        cell(""),
                    ]);
                }
            }
        }
        doc.table(&["Role", "Name", "Contact", "Details"], rows);
        let mut line = vec![
            strong("Evidence"),
            t(": the stores of section 5 are hosted in AWS account "),
            code(account(&self.snap.account.id)),
        ];
        if !self.snap.account.caller_arn.is_empty() {
            line.push(t(", read as "));
            line.push(code(&self.snap.account.caller_arn));
        }
        line.push(t("."));
        let names_aws =
            rec.processors.iter().flatten().any(|p| {
                declared(&p.name).is_some_and(|n| n.to_ascii_lowercase().contains("amazon") || n.contains("AWS"))
            });
        if rec.processors.is_some() && !names_aws {
            line.push(t(" "));
            line.push(strong("Check"));
            line.push(t(": no declared processor names Amazon Web Services, which hosts them."));
        }
        doc.para(line);
    }

    // ------------------------------------------------------------ 2. purposes

    pub(super) fn purposes(&self, doc: &mut Document) {
        doc.h2("2. Purposes and lawful basis (Art. 6)");
        match self.record().purposes.as_deref() {
            None | Some([]) => doc.para(vec![missing("purpose")]),
            Some(list) => {
                let rows = list
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        vec![
                            fact(declared(&p.name), &format!("purpose[{i}].name")),
                            match p.lawful_basis {
                                Some(b) => cell(b.describe()),
                                None => vec![missing(format!("purpose[{i}].lawful_basis"))],
                            },
                            fact(declared(&p.details), &format!("purpose[{i}].details")),
                        ]
                    })
                    .collect();
                doc.table(&["Purpose", "Lawful basis", "Details"], rows);
            }
        }
    }

    // ------------------------------------------------------------ 3. subjects, categories

    /// Every tagged resource that can hold data: (kind, name, tags).
    fn tagged_resources(&self) -> Vec<(&'static str, &'a str, &'a Tags)> {
        let s = self.snap;
        let mut out: Vec<(&'static str, &'a str, &'a Tags)> = Vec::new();
        out.extend(s.rds.instances.iter().map(|i| ("DB instance", i.arn.as_str(), &i.tags)));
        out.extend(s.rds.clusters.iter().map(|c| ("DB cluster", c.arn.as_str(), &c.tags)));
        out.extend(s.logs.log_groups.iter().map(|g| ("log group", g.arn.as_str(), &g.tags)));
        out.extend(s.lambda.functions.iter().map(|f| ("Lambda function", f.arn.as_str(), &f.tags)));
        out.extend(s.secretsmanager.secrets.iter().map(|x| ("secret", x.arn.as_str(), &x.tags)));
        out
    }

    pub(super) fn subjects_and_categories(&self, doc: &mut Document) {
        doc.h2("3. Data subjects and data categories");
        let rec = self.record();
        let mut line = vec![t("Data subjects (declared): ")];
        match rec.data_subjects.as_deref() {
            None | Some([]) => line.push(missing("data_subjects")),
            Some(list) => line.push(t(list.join("; "))),
        }
        line.push(t("."));
        doc.para(line);
        let tag = &self.src.config.scope.data_class_tag;
        let by_class = self.resources_by_class();
        match rec.data_categories.as_deref() {
            None | Some([]) => doc.para(vec![t("Data categories (declared): "), missing("data_category")]),
            Some(list) => {
                let rows = list
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let class = declared(&c.data_class);
                        let seen = match class {
                            None => {
                                vec![em(format!("no `{tag}` value declared for this category"))]
                            }
                            Some(class) => match by_class.iter().find(|(k, _)| k.eq_ignore_ascii_case(class)) {
                                Some((_, resources)) => cell(count_kinds(resources)),
                                None => vec![strong("Check"), t(format!(": no resource is tagged {tag}={class}"))],
                            },
                        };
                        vec![
                            fact(declared(&c.name), &format!("data_category[{i}].name")),
                            fact(declared(&c.examples), &format!("data_category[{i}].examples")),
                            match c.special {
                                Some(true) => {
                                    vec![strong("yes"), t(" (Art. 9 or 10: an Art. 9(2) condition is needed)")]
                                }
                                Some(false) => cell("no"),
                                None => vec![missing(format!("data_category[{i}].special"))],
                            },
                            match class {
                                Some(class) => code_cell(format!("{tag}={class}")),
                                None => vec![missing(format!("data_category[{i}].data_class"))],
                            },
                            seen,
                        ]
                    })
                    .collect();
                doc.table(
                    &[
                        "Category (declared)",
                        "Examples",
                        "Special category",
                        "Tag",
                        "Resources carrying the tag (evidence)",
                    ],
                    rows,
                );
            }
        }
        doc.h3("Data-classification tags seen");
        let rows: Vec<Vec<Vec<Inline>>> = by_class
            .iter()
            .map(|(class, resources)| {
                vec![
                    code_cell(format!("{tag}={class}")),
                    yes_no(self.is_personal(Some(class))),
                    cell(count_kinds(resources)),
                ]
            })
            .collect();
        if rows.is_empty() {
            doc.para(vec![t(format!("No resource carries a `{tag}` tag."))]);
        } else {
            doc.table(&["Tag", "Personal data (scope.personal_data_classes)", "Resources"], rows);
        }
        let untagged: Vec<(&str, &str)> = self
            .tagged_resources()
            .into_iter()
            .filter(|(_, _, tags)| self.class_of(tags).is_none())
            .map(|(k, a, _)| (k, a))
            .collect();
        if !untagged.is_empty() {
            doc.para(vec![
                t("Not classified (no "),
                code(tag.as_str()),
                t(format!(" tag): {}. They are not counted as personal-data stores below; ", count_kinds(&untagged))),
                t("if they hold personal data, tag them."),
            ]);
        }
        doc.bullets(self.control_lines(&["GDP-001"]));
    }

    /// Data class -> (kind, arn) of every resource tagged with it.
    fn resources_by_class(&self) -> BTreeMap<&'a str, Vec<(&'static str, &'a str)>> {
        let mut map: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
        for (kind, arn, tags) in self.tagged_resources() {
            if let Some(class) = self.class_of(tags) {
                map.entry(class).or_default().push((kind, arn));
            }
        }
        map
    }

    // ------------------------------------------------------------ 4. recipients

    pub(super) fn recipients(&self, doc: &mut Document) {
        doc.h2("4. Recipients and processors");
        let rec = self.record();
        doc.h3("Recipients (declared)");
        declared_table(
            doc,
            &rec.recipients,
            "recipient",
            vec![missing("recipient")],
            "The record declares no recipient.",
            &[
                ("Recipient", "name", |r| &r.name),
                ("Purpose", "purpose", |r| &r.purpose),
                ("Location", "location", |r| &r.location),
            ],
        );
        doc.h3("Processors (declared)");
        declared_table(
            doc,
            &rec.processors,
            "processor",
            vec![missing("processor")],
            "The record declares no processor.",
            &[
                ("Processor", "name", |p| &p.name),
                ("Service", "service", |p| &p.service),
                ("Location", "location", |p| &p.location),
                ("Agreement (Art. 28(3))", "agreement", |p| &p.agreement),
            ],
        );
        doc.h3("Access from outside the account (evidence)");
        let findings = self.outside_access();
        if findings.is_empty() {
            doc.para(vec![t(format!(
                "None seen: no Lambda resource policy grants another account than {}, and no SNS subscription delivers to another account or to an HTTP(S) endpoint.",
                account(&self.snap.account.id)
            ))]);
        } else {
            doc.table(&["Resource", "Grants or delivers to", "Seen in"], findings);
        }
        doc.gap(vec![t(
            "S3 bucket policies, KMS key policies, IAM role trust policies, RDS snapshot sharing and AWS RAM shares are not collected: access granted there does not appear above.",
        )]);
    }

    /// Cross-account principals and external endpoints.
    fn outside_access(&self) -> Vec<Vec<Vec<Inline>>> {
        let own = self.snap.account.id.as_str();
        let other_account = |text: &str| -> Option<String> {
            let id = if text.len() == 12 && text.chars().all(|c| c.is_ascii_digit()) {
                Some(text.to_string())
            } else if text.starts_with("arn:") {
                text.split(':').nth(4).filter(|a| !a.is_empty()).map(str::to_string)
            } else {
                None
            };
            id.filter(|id| !own.is_empty() && id != own)
        };
        let mut rows = Vec::new();
        for f in &self.snap.lambda.functions {
            for p in &f.invoke_permissions {
                let outside = other_account(&p.principal)
                    .or_else(|| p.source_arn.as_deref().and_then(other_account))
                    .or_else(|| (p.principal == "*").then(|| "anyone (*)".to_string()));
                if let Some(who) = outside {
                    rows.push(vec![
                        code_cell(self.short(&f.arn)),
                        vec![t(format!("account {who}: ")), code(format!("{} {}", p.principal, p.action))],
                        cell(format!("Lambda resource policy, statement {}", p.sid)),
                    ]);
                }
            }
        }
        for s in &self.snap.sns.subscriptions {
            let external = match s.protocol.as_str() {
                "http" | "https" => Some(format!("{} endpoint {}", s.protocol, s.endpoint)),
                "lambda" | "sqs" | "firehose" => {
                    other_account(&s.endpoint).map(|a| format!("account {a}: {}", s.endpoint))
                }
                _ => None,
            };
            if let Some(what) = external {
                rows.push(vec![code_cell(self.short(&s.topic_arn)), cell(what), cell("SNS subscription")]);
            }
        }
        rows
    }

    // ------------------------------------------------------------ 5. locations

    pub(super) fn locations(&self, doc: &mut Document) {
        doc.h2("5. Where the data is stored, and transfers outside the EU");
        let allowed = &self.src.config.allowed_regions;
        doc.para(vec![
            t("Allowed regions (configuration "),
            code("allowed_regions"),
            t(format!("): {}. Regions collected: {}.", allowed.join(", "), self.snap.regions.join(", "))),
        ]);
        let mut rows = Vec::new();
        let mut outside = Vec::new();
        let s = self.snap;
        let in_allowed = |region: &str| allowed.iter().any(|r| r == region);
        let store_row = |kind: String, arn: &'a str, region: &str, tags: &Tags, encryption: Vec<Inline>| {
            let class = self.class_of(tags);
            let allowed_here = in_allowed(region);
            vec![
                code_cell(self.short(arn)),
                cell(kind),
                cell(region),
                match class {
                    Some(c) if self.is_personal(Some(c)) => vec![code(c), t(" (personal)")],
                    Some(c) => code_cell(c),
                    None => vec![em("untagged")],
                },
                encryption,
                if allowed_here { cell("yes") } else { vec![strong("no")] },
            ]
        };
        for i in &s.rds.instances {
            let mut kind = format!("RDS instance, {} {}", i.engine, i.engine_version.as_deref().unwrap_or(""));
            kind = kind.trim_end().to_string();
            if i.multi_az {
                kind.push_str(", Multi-AZ");
            }
            if let Some(source) = &i.read_replica_source {
                kind.push_str(&format!(", read replica of {}", resource_name(source)));
            }
            rows.push(store_row(
                kind,
                &i.arn,
                &i.region,
                &i.tags,
                rest_encryption(i.storage_encrypted, i.kms_key_id.as_deref()),
            ));
            if self.is_personal(self.class_of(&i.tags)) && !in_allowed(&i.region) {
                outside.push(vec![code(self.short(&i.arn)), t(format!(" in {}", i.region))]);
            }
            if let Some(source) = &i.read_replica_source {
                // A replica holds its source's data, whatever its own tags say.
                let source_personal =
                    s.rds.instances.iter().any(|x| {
                        (x.arn == *source || x.identifier == *source) && self.is_personal(self.class_of(&x.tags))
                    });
                if source_personal && !in_allowed(&i.region) && !self.is_personal(self.class_of(&i.tags)) {
                    outside.push(vec![
                        code(self.short(&i.arn)),
                        t(format!(" in {}, a replica of the personal-data store {}", i.region, resource_name(source))),
                    ]);
                }
            }
        }
        for c in &s.rds.clusters {
            let mut kind = format!("RDS cluster, {} {}", c.engine, c.engine_version.as_deref().unwrap_or(""));
            kind = kind.trim_end().to_string();
            if c.multi_az {
                kind.push_str(", Multi-AZ");
            }
            rows.push(store_row(
                kind,
                &c.arn,
                &c.region,
                &c.tags,
                rest_encryption(c.storage_encrypted, c.kms_key_id.as_deref()),
            ));
            if self.is_personal(self.class_of(&c.tags)) && !in_allowed(&c.region) {
                outside.push(vec![code(self.short(&c.arn)), t(format!(" in {}", c.region))]);
            }
        }
        for g in s.logs.log_groups.iter().filter(|g| self.is_personal(self.class_of(&g.tags))) {
            let encryption = match &g.kms_key_id {
                Some(k) => vec![t("KMS key "), code(resource_name(k))],
                None => cell("CloudWatch Logs service key (no customer KMS key)"),
            };
            rows.push(store_row("CloudWatch Logs log group".into(), &g.arn, &g.region, &g.tags, encryption));
            if !in_allowed(&g.region) {
                outside.push(vec![code(self.short(&g.arn)), t(format!(" in {}", g.region))]);
            }
        }
        for x in &s.secretsmanager.secrets {
            let encryption = match &x.kms_key_id {
                Some(k) => vec![t("KMS key "), code(resource_name(k))],
                None => vec![t("AWS-managed key "), code("aws/secretsmanager")],
            };
            rows.push(store_row("Secrets Manager secret".into(), &x.arn, &x.region, &x.tags, encryption));
        }
        if rows.is_empty() {
            doc.para(vec![t("No data store in the snapshot.")]);
        } else {
            doc.table(&["Store", "Kind", "Region", "Data class", "Encryption at rest", "Allowed region"], rows);
        }
        doc.para(vec![t(
            "Log groups are listed when their data-classification tag is a personal-data class; secrets always (they guard access to the data).",
        )]);
        doc.h3("Transfers outside the allowed regions");
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
        doc.gap(vec![t(format!(
            "Only the collected regions ({}) were read, and only RDS, CloudWatch Logs, Lambda and Secrets Manager among data stores: S3, DynamoDB, ElastiCache and SQS are not collected, so a store there does not appear above.",
            self.snap.regions.join(", ")
        ))]);
    }

    // ------------------------------------------------------------ 6. retention

    pub(super) fn retention(&self, doc: &mut Document) {
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
        let mut groups: Vec<_> = self.snap.logs.log_groups.iter().collect();
        groups.sort_by_key(|g| (self.class_of(&g.tags).is_none(), self.class_of(&g.tags), g.name.as_str()));
        let rows: Vec<_> = groups
            .iter()
            .map(|g| {
                let class = self.class_of(&g.tags);
                let ceiling = class
                    .and_then(|c| th.log_retention_ceiling_by_class.get(c))
                    .copied()
                    .unwrap_or(th.log_retention_ceiling_days);
                vec![
                    code_cell(&g.name),
                    class.map_or_else(|| vec![em("untagged")], code_cell),
                    match g.retention_days {
                        Some(d) => cell(days(d)),
                        None => vec![strong("never expire")],
                    },
                    cell(days(ceiling)),
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
        doc.gap(vec![
            t("DynamoDB TTL, S3 lifecycle expiry and SQS message retention are not collected: retention of data in those services has no evidence here."),
            t(self.not_evaluated(&["GDP-005"])),
        ]);
    }

    /// " Not evaluated, for lack of evidence: GDP-005 (...)." when the policies lack
    /// these controls; "" otherwise.
    fn not_evaluated(&self, ids: &[&str]) -> String {
        let absent: Vec<String> = ids
            .iter()
            .copied()
            .filter(|id| self.control(id).is_none())
            .map(|id| match NOT_COLLECTED.iter().find(|(c, _)| *c == id) {
                Some((_, about)) => format!("{id} ({about})"),
                None => id.to_string(),
            })
            .collect();
        if absent.is_empty() {
            String::new()
        } else {
            format!(" Not evaluated, for lack of evidence: {}.", absent.join("; "))
        }
    }

    // ------------------------------------------------------------ 7. measures

    pub(super) fn measures(&self, doc: &mut Document) {
        doc.h2("7. Security of processing: technical and organisational measures (Art. 32)");
        doc.para(vec![t(format!(
            "Each measure with the article it serves and the verdicts of the controls that evidence it, as of {}. PENDING: failing, but not due yet in the post-cutover plan; WAIVED: an accepted exception with an owner and an expiry.",
            self.report.as_of
        ))]);
        let mut rows = Vec::new();
        let mut listed: Vec<&str> = Vec::new();
        let mut not_evaluated = Vec::new();
        for (measure, ids) in MEASURES {
            for id in *ids {
                listed.push(id);
                rows.push(self.measure_row(measure, id, &mut not_evaluated));
            }
        }
        let others: Vec<&ControlResult> = self
            .report
            .controls
            .iter()
            .filter(|c| !listed.contains(&c.id.as_str()) && c.gdpr.iter().any(|a| a.starts_with("32")))
            .collect();
        for c in others {
            rows.push(self.measure_row("Other measures, Art. 32", &c.id, &mut not_evaluated));
        }
        doc.table(&["Measure", "Control", "Articles", "Verdict", "Result"], rows);
        let findings = self.findings(MEASURES.iter().flat_map(|(_, ids)| ids.iter().copied()));
        if !findings.is_empty() {
            doc.para(vec![strong("Resources that do not meet a measure yet:")]);
            doc.bullets(findings);
        }
        if !not_evaluated.is_empty() {
            doc.gap(vec![t(format!("Not evaluated by this version of jalon: {}.", not_evaluated.join("; ")))]);
        }
    }

    fn measure_row(&self, measure: &str, id: &str, not_evaluated: &mut Vec<String>) -> Vec<Vec<Inline>> {
        match self.control(id) {
            Some(c) => vec![
                cell(measure),
                vec![code(id), t(format!(" {}", c.title))],
                cell(c.gdpr.iter().map(|a| format!("Art. {a}")).collect::<Vec<_>>().join(", ")),
                self.verdict(c),
                cell(c.summary()),
            ],
            None => {
                let about =
                    NOT_COLLECTED.iter().find(|(c, _)| *c == id).map(|(_, a)| format!(" ({a})")).unwrap_or_default();
                not_evaluated.push(format!("{id}{about}"));
                vec![cell(measure), code_cell(id), cell(""), vec![em("not evaluated")], cell("no evidence collected")]
            }
        }
    }

    /// Failing, pending and waived resources of these controls, one line each.
    fn findings<'b>(&self, ids: impl Iterator<Item = &'b str>) -> Vec<Vec<Inline>> {
        let mut out = Vec::new();
        for id in ids {
            let Some(c) = self.control(id) else { continue };
            for r in c.resources.iter().filter(|r| matches!(r.verdict, Verdict::Fail | Verdict::Waived)) {
                let v = c.shown_verdict(r);
                out.push(vec![
                    code(id),
                    t(" "),
                    Inline::Verdict(v),
                    t(" "),
                    code(self.short(&r.id)),
                    t(format!(": {}", r.message)),
                ]);
            }
        }
        out
    }

    // ------------------------------------------------------------ 8. erasure

    pub(super) fn erasure(&self, doc: &mut Document) {
        doc.h2("8. Erasure and portability");
        let e = self.record().erasure.clone().unwrap_or_default();
        let item = |label: &str, value: Option<&str>, field: &str| {
            let mut line = vec![t(format!("{label}: "))];
            line.extend(fact(value, field));
            line
        };
        doc.bullets(vec![
            item("Erasure procedure (Art. 17, declared)", declared(&e.procedure), "erasure.procedure"),
            item("Portability (Art. 20, declared)", declared(&e.portability), "erasure.portability"),
            item("Requests are sent to (declared)", declared(&e.requests_to), "erasure.requests_to"),
            item("Documentation (declared)", declared(&e.link), "erasure.link"),
        ]);
        doc.para(vec![strong("Evidence that the procedure was tested:")]);
        let mut lines = self.control_lines(&["GDP-006"]);
        if let Some(a) = self.control("GDP-006").and_then(|c| c.attestation.as_ref()) {
            lines.push(vec![
                t(format!("Attested by {} on {}, valid until {}: ", a.by, a.date, a.expires)),
                text_or_link(&a.link),
            ]);
        }
        doc.bullets(lines);
        doc.para(vec![strong("Evidence of where erased data lives on (until it expires):")]);
        let mut lines = Vec::new();
        for i in self.snap.rds.instances.iter().filter(|i| i.cluster_identifier.is_none()) {
            lines.push(vec![
                code(self.short(&i.arn)),
                t(format!(
                    ": automated backups for {}{}",
                    days(i.backup_retention_days),
                    match (i.performance_insights_enabled, i.performance_insights_retention_days) {
                        (true, Some(d)) => format!("; Performance Insights for {}", days(d)),
                        _ => String::new(),
                    }
                )),
            ]);
        }
        for c in &self.snap.rds.clusters {
            lines.push(vec![
                code(self.short(&c.arn)),
                t(format!(": automated backups for {}", days(c.backup_retention_days))),
            ]);
        }
        for g in self.snap.logs.log_groups.iter().filter(|g| self.is_personal(self.class_of(&g.tags))) {
            let mut line = vec![code(&g.name), t(": logs for ")];
            match g.retention_days {
                Some(d) => line.push(t(days(d))),
                None => line.push(strong("ever (never expire)")),
            }
            lines.push(line);
        }
        if lines.is_empty() {
            doc.para(vec![t("No database or personal-data log group in the snapshot.")]);
        } else {
            doc.bullets(lines);
        }
        doc.gap(vec![t(
            "DynamoDB TTL, S3 lifecycle rules and manual snapshots are not collected: erasure from them has no evidence here.",
        )]);
    }

    // ------------------------------------------------------------ 9. audit trail

    pub(super) fn audit_trail(&self, doc: &mut Document) {
        doc.h2("9. Logs and audit trail");
        doc.gap(vec![
            strong("CloudTrail is not collected"),
            t(" by this version of jalon: this appendix gives no evidence of an audit trail of API activity (who did what in the account)."),
            t(self.not_evaluated(&["AUD-001", "AUD-002"])),
            t(" Provide it separately, e.g. the output of "),
            code("aws cloudtrail describe-trails"),
            t(" and "),
            code("aws cloudtrail get-trail-status"),
            t("."),
        ]);
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

    // ------------------------------------------------------------ 10. breach

    pub(super) fn breach(&self, doc: &mut Document) {
        doc.h2("10. Breach detection and notification (Art. 33)");
        let b = self.record().breach.clone().unwrap_or_default();
        let mut items = Vec::new();
        let mut line = vec![t("Procedure (declared): ")];
        line.extend(fact(declared(&b.procedure), "breach.procedure"));
        items.push(line);
        let mut line = vec![t("Supervisory authority (declared): ")];
        line.extend(fact(declared(&b.supervisory_authority), "breach.supervisory_authority"));
        items.push(line);
        let mut line = vec![t("Notified within (declared; Art. 33(1): 72 hours at most): ")];
        match b.notify_within_hours {
            Some(h) => line.push(t(format!("{h} hours of becoming aware"))),
            None => line.push(missing("breach.notify_within_hours")),
        }
        items.push(line);
        let mut line = vec![t("Contact (declared): ")];
        line.extend(fact(declared(&b.contact), "breach.contact"));
        items.push(line);
        doc.bullets(items);
        doc.h3("Alarms (evidence)");
        let alarms = &self.snap.cloudwatch.metric_alarms;
        if alarms.is_empty() && self.snap.cloudwatch.composite_alarms.is_empty() {
            doc.para(vec![strong("No CloudWatch alarm in the snapshot.")]);
        } else {
            let mut rows: Vec<_> = alarms
                .iter()
                .map(|a| {
                    vec![
                        code_cell(&a.name),
                        cell(watches(a)),
                        cell(threshold(a)),
                        cell(a.state_value.clone().unwrap_or_default()),
                        self.notifies(a.actions_enabled, &a.alarm_actions),
                    ]
                })
                .collect();
            rows.extend(self.snap.cloudwatch.composite_alarms.iter().map(|a| {
                vec![
                    code_cell(&a.name),
                    cell(format!("composite: {}", a.rule.as_deref().unwrap_or(""))),
                    cell(""),
                    cell(a.state_value.clone().unwrap_or_default()),
                    self.notifies(a.actions_enabled, &a.alarm_actions),
                ]
            }));
            doc.table(&["Alarm", "Watches", "Fires when", "State", "Notifies"], rows);
        }
        doc.h3("Notification topics and subscribers (evidence)");
        let topics = &self.snap.sns.topics;
        if topics.is_empty() {
            doc.para(vec![strong("No SNS topic in the snapshot.")]);
        } else {
            let rows: Vec<_> = topics
                .iter()
                .map(|topic| {
                    let subs: Vec<Vec<Inline>> = self
                        .snap
                        .sns
                        .subscriptions
                        .iter()
                        .filter(|s| s.topic_arn == topic.arn)
                        .map(|s| {
                            vec![
                                t(format!("{} ", s.protocol)),
                                code(self.short_endpoint(&s.endpoint)),
                                t(if s.confirmed { " (confirmed)" } else { " (pending confirmation)" }),
                            ]
                        })
                        .collect();
                    let used = alarms.iter().any(|a| a.alarm_actions.contains(&topic.arn))
                        || self.snap.cloudwatch.composite_alarms.iter().any(|a| a.alarm_actions.contains(&topic.arn));
                    vec![
                        code_cell(&topic.name),
                        yes_no(used),
                        if subs.is_empty() { vec![strong("no subscriber")] } else { join_inlines(subs, "; ") },
                    ]
                })
                .collect();
            doc.table(&["Topic", "Alarm target", "Subscriptions (endpoints masked)"], rows);
        }
        doc.para(vec![strong("Controls:")]);
        doc.bullets(self.control_lines(&["ALM-001", "ALM-002", "ALM-003", "ALM-004", "ALM-006", "OPS-001"]));
        let findings = self.findings(["ALM-001", "ALM-003", "ALM-004"].into_iter());
        if !findings.is_empty() {
            doc.bullets(findings);
        }
        doc.gap(vec![t(
            "GuardDuty, Security Hub, CloudTrail and VPC flow logs are not collected: detection evidenced here is limited to CloudWatch alarms and their SNS topics.",
        )]);
    }

    fn notifies(&self, enabled: bool, actions: &[String]) -> Vec<Inline> {
        let mut v: Vec<Vec<Inline>> = actions.iter().map(|a| code_cell(self.short(a))).collect();
        if v.is_empty() {
            return vec![strong("nobody")];
        }
        if !enabled {
            v.push(vec![strong("(actions disabled)")]);
        }
        join_inlines(v, ", ")
    }

    fn short_endpoint(&self, endpoint: &'a str) -> &'a str {
        if endpoint.starts_with("arn:") {
            self.short(endpoint)
        } else {
            endpoint
        }
    }

    // ------------------------------------------------------------ 11. annex

    pub(super) fn annex(&self, doc: &mut Document) {
        doc.h2("11. Evidence annex");
        let r = self.report;
        let s = self.snap;
        let none = || vec![em("none")];
        let file = |f: Option<&str>| f.map_or_else(none, code_cell);
        let rows = vec![
            vec![cell("Snapshot file"), code_cell(self.src.snapshot_file)],
            vec![cell("Snapshot SHA-256"), code_cell(&self.src.snapshot.sha256)],
            vec![cell("Collected at"), cell(&s.collected_at)],
            vec![cell("AWS account"), cell(account(&s.account.id))],
            vec![
                cell("Collected as"),
                if s.account.caller_arn.is_empty() { none() } else { code_cell(&s.account.caller_arn) },
            ],
            vec![cell("Regions"), cell(s.regions.join(", "))],
            vec![cell("Collected by"), cell(format!("{} {}", s.tool.name, s.tool.version))],
            vec![cell("Appendix written by"), cell(format!("{} {}", r.tool.name, r.tool.version))],
            vec![cell("Policies version"), code_cell(&r.policies_version)],
            vec![cell("Judged as of"), cell(&r.as_of)],
            vec![
                cell("Cutover"),
                match (r.cutover, r.day) {
                    (Some(c), Some(d)) => cell(format!("{c} (J{d:+})")),
                    _ => cell("none declared: every phase treated as due"),
                },
            ],
            vec![cell("Configuration"), self.src.config_file.map_or_else(|| cell("the defaults"), code_cell)],
            vec![cell("Waivers"), file(self.src.waivers_file)],
            vec![cell("Attestations"), file(self.src.attestations_file)],
            vec![cell("Processing record"), code_cell(self.src.record_file)],
            vec![cell("Processing record SHA-256"), code_cell(self.src.record_sha256)],
        ];
        doc.table(&["Item", "Value"], rows);
        doc.h3("Collectors");
        let rows: Vec<_> = s
            .collectors
            .iter()
            .map(|c| {
                let status = match c.status {
                    CollectionStatus::Ok => cell("ok"),
                    CollectionStatus::AccessDenied => vec![strong("access denied")],
                    CollectionStatus::Throttled => vec![strong("throttled")],
                    CollectionStatus::Error => vec![strong("error")],
                };
                let mut detail = status;
                if let Some(op) = &c.operation {
                    detail.push(t(format!(" on {op}")));
                }
                if let Some(m) = &c.message {
                    detail.push(t(format!(": {m}")));
                }
                vec![cell(c.service.as_str()), cell(&c.region), detail]
            })
            .collect();
        doc.table(&["Service", "Region", "Status"], rows);
        doc.h3("Every control verdict");
        let rows: Vec<_> = r
            .controls
            .iter()
            .map(|c| {
                vec![
                    code_cell(&c.id),
                    cell(&c.title),
                    cell(&c.phase_id),
                    cell(c.severity.as_str()),
                    vec![Inline::Verdict(c.verdict)],
                    cell(c.summary()),
                    cell(c.gdpr.iter().map(|a| format!("Art. {a}")).collect::<Vec<_>>().join(", ")),
                ]
            })
            .collect();
        doc.table(&["Control", "Title", "Phase", "Severity", "Verdict", "Result", "GDPR"], rows);
        let mut waivers = Vec::new();
        for w in &r.waivers.expired {
            waivers.push(vec![
                strong("expired"),
                t(format!(" on {}: {} ", w.expires, w.control)),
                code(&w.resource),
                t(format!(" (owner {}): it no longer waives", w.owner)),
            ]);
        }
        for w in &r.waivers.unmatched {
            waivers.push(vec![
                strong("unmatched"),
                t(format!(": {} ", w.control)),
                code(&w.resource),
                t(format!(" (owner {}, until {}) matches no resource", w.owner, w.expires)),
            ]);
        }
        if !waivers.is_empty() {
            doc.para(vec![t("Waivers to review:")]);
            doc.bullets(waivers);
        }
        let mut command = format!("jalon check --snapshot {}", self.src.snapshot_file);
        for (flag, value) in [
            ("--config", self.src.config_file),
            ("--waivers", self.src.waivers_file),
            ("--attestations", self.src.attestations_file),
        ] {
            if let Some(v) = value {
                command.push_str(&format!(" {flag} {v}"));
            }
        }
        command.push_str(&format!(" --as-of {}", r.as_of));
        if let Some(c) = r.cutover {
            command.push_str(&format!(" --cutover {c}"));
        }
        doc.para(vec![
            t("To reproduce the verdicts: "),
            code(command),
            t(" on the snapshot with the SHA-256 above, with the same jalon and policies versions."),
        ]);
    }
}

fn account(id: &str) -> &str {
    if id.is_empty() {
        "unknown"
    } else {
        id
    }
}

fn rest_encryption(encrypted: bool, key: Option<&str>) -> Vec<Inline> {
    match (encrypted, key) {
        (true, Some(k)) => vec![t("KMS key "), code(resource_name(k))],
        (true, None) => cell("encrypted"),
        (false, _) => vec![strong("not encrypted")],
    }
}

/// "1 DB instance, 2 log groups".
fn count_kinds(resources: &[(&str, &str)]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (kind, _) in resources {
        *counts.entry(kind).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(kind, n)| if n == 1 { format!("1 {kind}") } else { format!("{n} {kind}s") })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What an alarm watches, in one line.
fn watches(a: &MetricAlarm) -> String {
    let dims = |d: &BTreeMap<String, String>| d.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
    if let Some(q) = a.metrics.iter().find(|q| q.return_data == Some(true) && q.expression.is_some()) {
        let inputs: Vec<String> = a
            .metrics
            .iter()
            .filter_map(|m| {
                m.metric_stat.as_ref().map(|s| {
                    format!(
                        "{} = {} {}({})",
                        m.id,
                        s.namespace.as_deref().unwrap_or(""),
                        s.metric_name.as_deref().unwrap_or(""),
                        dims(&s.dimensions)
                    )
                })
            })
            .collect();
        return format!("{} where {}", q.expression.as_deref().unwrap_or(""), inputs.join("; "));
    }
    let stat = a.extended_statistic.as_deref().or(a.statistic.as_deref()).unwrap_or("");
    format!(
        "{} {} {stat} ({})",
        a.namespace.as_deref().unwrap_or(""),
        a.metric_name.as_deref().unwrap_or(""),
        dims(&a.dimensions)
    )
}

fn threshold(a: &MetricAlarm) -> String {
    let op = match a.comparison_operator.as_deref() {
        Some("GreaterThanThreshold") => ">",
        Some("GreaterThanOrEqualToThreshold") => ">=",
        Some("LessThanThreshold") => "<",
        Some("LessThanOrEqualToThreshold") => "<=",
        Some(other) => other,
        None => "?",
    };
    let value = a.threshold.map(|v| v.to_string()).unwrap_or_else(|| "?".into());
    let period = a
        .period_seconds
        .or_else(|| a.metrics.iter().find_map(|m| m.metric_stat.as_ref().and_then(|s| s.period_seconds)));
    let window = match (period, a.evaluation_periods) {
        (Some(p), Some(n)) => format!(" over {n} x {p} s"),
        _ => String::new(),
    };
    format!("{op} {value}{window}")
}

//! 8. Erasure and portability.

use super::{days, Builder, Resource};
use crate::gdpr::doc::{code, fact, strong, t, text_or_link, Document};
use crate::gdpr::record::declared;

impl<'a> Builder<'a> {
    pub(in crate::gdpr) fn erasure(&self, doc: &mut Document) {
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
        let personal_groups = self.src.inventory.personal_data_stores.iter().filter(|s| s.kind == "log group");
        let groups = personal_groups.filter_map(|s| match self.index.resources.get(s.arn.as_str()) {
            Some(Resource::LogGroup(g)) => Some(*g),
            _ => None,
        });
        for g in groups {
            let mut line = vec![code(&g.name), t(": logs for ")];
            match g.retention_days {
                Some(d) => line.push(t(days(d))),
                None => line.push(strong("ever (never expire)")),
            }
            lines.push(line);
        }
        // Object lock keeps every version for its retention, whatever an erasure asks.
        for b in self.snap.s3.buckets.iter().filter(|b| self.src.inventory.store(&b.arn).is_some()) {
            let mut line = vec![code(self.short(&b.arn)), t(": ")];
            line.extend(super::locations::bucket_retention(b));
            if let Some(d) = b.object_lock_days {
                line.push(t(format!("; object lock keeps each version {}, whatever an erasure asks", days(d))));
            } else if b.versioning != "Disabled" {
                line.push(t("; versioned: a deleted object stays as a noncurrent version until a rule expires it"));
            }
            lines.push(line);
        }
        if lines.is_empty() {
            doc.para(vec![t("No database or personal-data log group in the snapshot.")]);
        } else {
            doc.bullets(lines);
        }
        self.gaps(doc, "erasure");
    }
}

#[cfg(test)]
mod tests {
    use crate::gdpr::sections::fixtures::Fixture;

    #[test]
    fn where_erased_data_lives_on_backups_and_personal_log_groups() {
        let text = Fixture::demo().section(|b, doc| b.erasure(doc));
        assert!(
            text.contains("- `orders-db`: automated backups for 7 days; Performance Insights for 7 days"),
            "{text}"
        );
        assert!(text.contains("- `/aws/lambda/orders-api`: logs for 30 days"), "{text}");
        assert!(text.contains("`GDP-006`"), "{text}");
    }
}

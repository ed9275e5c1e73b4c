//! 4. Recipients and processors, with access from outside the account seen.

use super::{account, cell, code_cell, declared_table, Builder};
use crate::gdpr::doc::{code, missing, t, Document, Inline};

impl<'a> Builder<'a> {
    pub(in crate::gdpr) fn recipients(&self, doc: &mut Document) {
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
        self.gaps(doc, "recipients");
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
}

#[cfg(test)]
mod tests {
    use crate::gdpr::sections::fixtures::Fixture;

    #[test]
    fn declared_recipients_and_no_outside_access_in_the_demo() {
        let text = Fixture::demo().section(|b, doc| b.recipients(doc));
        assert!(text.contains("| Carrier | Delivering orders | France |"), "{text}");
        assert!(text.contains("None seen: no Lambda resource policy grants another account"), "{text}");
    }

    #[test]
    fn a_grant_to_another_account_is_listed() {
        let dir = tempfile::tempdir().unwrap();
        let mut snapshot: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string("examples/demo-snapshot.json").unwrap()).unwrap();
        snapshot["lambda"]["functions"][0]["invoke_permissions"] = serde_json::json!([{
            "sid": "partner", "principal": "999999999999", "action": "lambda:InvokeFunction", "source_arn": null
        }]);
        let path = dir.path().join("snapshot.json");
        std::fs::write(&path, serde_json::to_string(&snapshot).unwrap()).unwrap();
        let text = Fixture::of(&path, None).section(|b, doc| b.recipients(doc));
        assert!(text.contains("| `orders-api` | account 999999999999: `999999999999 lambda:InvokeFunction` | Lambda resource policy, statement partner |"), "{text}");
    }
}

//! 1. Controller, processors, DPO and contacts.

use super::{account, cell, Builder};
use crate::gdpr::doc::{code, fact, missing, strong, t, Document};
use crate::gdpr::record::declared;

impl<'a> Builder<'a> {
    pub(in crate::gdpr) fn parties(&self, doc: &mut Document) {
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
}

#[cfg(test)]
mod tests {
    use crate::gdpr::sections::fixtures::Fixture;

    #[test]
    fn the_parties_and_the_hosting_account() {
        let text = Fixture::demo().section(|b, doc| b.parties(doc));
        assert!(text.contains("| Controller | Example Shop SAS | privacy\\@example.com |"), "{text}");
        assert!(text.contains("hosted in AWS account `123456789012`"), "{text}");
        assert!(!text.contains("**Check**"), "the demo declares AWS as a processor: {text}");
    }

    #[test]
    fn a_record_naming_no_aws_processor_is_flagged() {
        let mut demo = Fixture::demo();
        demo.record.processors.as_mut().unwrap().retain(|p| !p.name.as_deref().unwrap_or("").contains("Amazon"));
        let text = demo.section(|b, doc| b.parties(doc));
        assert!(text.contains("**Check**: no declared processor names Amazon Web Services"), "{text}");
    }
}

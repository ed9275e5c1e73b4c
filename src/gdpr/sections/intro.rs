//! Title and introduction: what is declared, what is evidence.

use super::{account, Builder};
use crate::gdpr::doc::{code, fact, missing, strong, t, Document};
use crate::gdpr::record::declared;

impl<'a> Builder<'a> {
    pub(in crate::gdpr) fn title(&self) -> String {
        match self.record().processing.as_ref().and_then(|p| declared(&p.name)) {
            Some(name) => format!("GDPR technical documentation appendix: {name}"),
            None => "GDPR technical documentation appendix".into(),
        }
    }

    pub(in crate::gdpr) fn intro(&self, doc: &mut Document) {
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
}

#[cfg(test)]
mod tests {
    use crate::gdpr::sections::fixtures::Fixture;

    #[test]
    fn the_title_names_the_activity_and_the_intro_tells_declared_from_evidence() {
        let demo = Fixture::demo();
        let text = demo.section(|b, doc| {
            doc.title = b.title();
            b.intro(doc);
        });
        assert!(text.starts_with("# GDPR technical documentation appendix: Orders service"), "{text}");
        assert!(text.contains("**Declared** facts come from the processing record `processing.toml`"), "{text}");
        assert!(text.contains("of AWS account 123456789012 (eu-west-3)"), "{text}");
        assert!(text.contains("(J+3 after the cutover of 2026-11-19)"), "{text}");
    }

    #[test]
    fn an_undeclared_activity_is_missing() {
        let mut demo = Fixture::demo();
        demo.record.processing = None;
        let text = demo.section(|b, doc| b.intro(doc));
        assert!(text.contains("**missing**: _not declared in the processing record_ (`processing.name`)"), "{text}");
    }
}

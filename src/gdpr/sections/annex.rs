//! 11. Evidence annex: every input by its SHA-256, every control verdict.

use super::{account, cell, code_cell, Builder};
use crate::gdpr::doc::{code, em, strong, t, Document, Inline};
use crate::snapshot::CollectionStatus;

impl<'a> Builder<'a> {
    pub(in crate::gdpr) fn annex(&self, doc: &mut Document) {
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

#[cfg(test)]
mod tests {
    use crate::gdpr::sections::fixtures::Fixture;

    #[test]
    fn every_input_and_the_command_that_reproduces_the_verdicts() {
        let demo = Fixture::demo();
        let text = demo.section(|b, doc| b.annex(doc));
        assert!(text.contains(&format!("| Snapshot SHA-256 | `{}` |", demo.evaluation.snapshot.sha256)), "{text}");
        assert!(text.contains("| `LOG-001` |"), "{text}");
        assert!(text.contains("`jalon check --snapshot snapshot.json --config jalon.toml --as-of 2026-11-22T01:45:17Z --cutover 2026-11-19`"), "{text}");
    }
}

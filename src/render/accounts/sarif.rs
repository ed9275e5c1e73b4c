//! `--format sarif` over several accounts: ONE run (GitHub code scanning rejects an
//! upload that holds several runs of the same tool and category), its rules the
//! controls in view, its results every account's, each naming its account in its
//! message, its properties and (for a resource that is not an ARN) its logical
//! location, with a fingerprint keyed on the account (`jalonAccountResource/v1`):
//! the same resource in two accounts is two alerts. Results are written as each
//! account is judged; the invocation (notifications, exit code) closes the run.
//!
//! `--sarif-max-results` caps the whole log: each account keeps its reviews and its
//! most severe failures first, within what the accounts before it left.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{json, Map, Value};

use super::{AccountPart, AccountsWriter};
use crate::render::sarif::{
    account_of, configuration_notifications, control_results, execution_notifications, exit_code_description,
    information_uri, omitted_notification, result_count, rule, AccountTag, Budget, BASE_ID, SCHEMA_URI,
};
use crate::render::Options;
use crate::result::summary::RunSummary;
use crate::result::{ControlResult, Verdict};

pub struct Writer {
    options: Options,
    /// The head (tool and rules) is written with the first account's controls.
    started: bool,
    rule_index: HashMap<String, usize>,
    written: usize,
    /// Results the cap still allows (when there is a cap).
    left: usize,
    omitted: usize,
    execution: Vec<Value>,
    configuration: Vec<Value>,
    successful: bool,
    policies_version: String,
}

impl Writer {
    pub fn new(options: Options) -> Writer {
        Writer {
            options,
            started: false,
            rule_index: HashMap::new(),
            written: 0,
            left: options.sarif_max_results,
            omitted: 0,
            execution: Vec::new(),
            configuration: Vec::new(),
            successful: true,
            policies_version: String::new(),
        }
    }

    fn head(&mut self, controls: &[&ControlResult], out: &mut dyn Write) -> io::Result<()> {
        self.started = true;
        let rules: Vec<Value> = controls.iter().map(|c| rule(c)).collect();
        self.rule_index = controls.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
        let tool = json!({
            "driver": {
                "name": "jalon",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": information_uri(),
                "rules": rules,
            }
        });
        let bases = json!({
            BASE_ID: { "description": { "text":
                "AWS accounts: resources, not files. A path is account/region/service/resource, from the \
                 resource's ARN; the ARN itself is the logical location." } }
        });
        write!(
            out,
            "{{\n\"$schema\": {},\n\"version\": \"2.1.0\",\n\"runs\": [\n{{\n\"tool\": ",
            Value::from(SCHEMA_URI)
        )?;
        serde_json::to_writer_pretty(&mut *out, &tool).map_err(io::Error::from)?;
        out.write_all(b",\n\"automationDetails\": {\"id\": \"jalon/accounts/\"},\n\"originalUriBaseIds\": ")?;
        serde_json::to_writer_pretty(&mut *out, &bases).map_err(io::Error::from)?;
        out.write_all(b",\n\"results\": [")
    }
}

impl AccountsWriter for Writer {
    fn account(&mut self, part: &AccountPart, out: &mut dyn Write) -> io::Result<()> {
        let view = part.view;
        let report = view.report;
        let controls: Vec<&ControlResult> = report.controls.iter().filter(|c| (view.shown)(c)).collect();
        if !self.started {
            self.head(&controls, out)?;
            self.policies_version = report.policies_version.clone();
        }
        let tag = AccountTag { id: account_of(report), name: part.entry.name.as_deref(), several: true };
        let cap = self.options.sarif_max_results;
        let budget = match (cap, self.left) {
            (0, _) => Budget::new(&controls, 0),
            (_, 0) => {
                let wanted: usize = controls.iter().map(|c| result_count(c)).sum();
                Budget { per_control: vec![0; controls.len()], omitted: wanted }
            }
            (_, left) => Budget::new(&controls, left),
        };
        self.omitted += budget.omitted;
        for (c, allowed) in controls.iter().zip(&budget.per_control) {
            // The same policies judge every account: the first one's rules are all rules.
            let Some(&index) = self.rule_index.get(&c.id) else { continue };
            for result in control_results(report, c, index, &tag).take(*allowed) {
                out.write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer_pretty(&mut *out, &result).map_err(io::Error::from)?;
                self.written += 1;
                if cap > 0 {
                    self.left = self.left.saturating_sub(1);
                }
            }
        }
        let unknown = controls.iter().any(|c| c.verdict == Verdict::Unknown);
        let incomplete = !report.incomplete_collectors.is_empty() || report.warnings.iter().any(|w| w.incomplete);
        self.successful &= !unknown && !incomplete;
        self.execution.extend(execution_notifications(report, &tag));
        self.configuration.extend(configuration_notifications(report, view.shown, &controls, &tag));
        Ok(())
    }

    fn warnings(&self) -> Vec<String> {
        if self.omitted == 0 {
            return Vec::new();
        }
        vec![format!(
            "the SARIF log leaves out {} results (--sarif-max-results {}); the JSON report lists every one",
            self.omitted, self.options.sarif_max_results
        )]
    }

    fn finish(&mut self, summary: &RunSummary, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.head(&[], out)?;
        }
        let mut invocation = Map::new();
        let incomplete = summary.warnings.iter().any(|w| w.incomplete);
        invocation.insert("executionSuccessful".into(), Value::Bool(self.successful && !incomplete));
        invocation.insert("exitCode".into(), summary.exit_code.into());
        invocation.insert("exitCodeDescription".into(), exit_code_description(summary.exit_code).into());
        let mut execution = std::mem::take(&mut self.execution);
        execution.extend(summary.warnings.iter().map(|w| {
            json!({
                "level": if w.incomplete { "error" } else { "warning" },
                "message": { "text": w.message },
                "properties": { "kind": w.kind },
            })
        }));
        if self.omitted > 0 {
            execution.push(omitted_notification(self.omitted, self.written, self.options.sarif_max_results));
        }
        if !execution.is_empty() {
            invocation.insert("toolExecutionNotifications".into(), execution.into());
        }
        let mut configuration = std::mem::take(&mut self.configuration);
        configuration.extend(summary.unmatched_waivers.iter().map(|w| {
            let scope = match w.account.is_empty() {
                true => "any account".to_string(),
                false => format!("account {}", w.account.join(", ")),
            };
            json!({
                "level": "warning",
                "message": { "text": format!(
                    "waiver matches nothing in {scope}: {} {} (owner {})", w.control, w.resource, w.owner
                ) },
                "associatedRule": match self.rule_index.get(&w.control) {
                    Some(index) => json!({ "id": w.control, "index": index }),
                    None => json!({ "id": w.control }),
                },
            })
        }));
        if !configuration.is_empty() {
            invocation.insert("toolConfigurationNotifications".into(), configuration.into());
        }
        let accounts: Vec<Value> = summary
            .accounts
            .iter()
            .map(|a| {
                json!({
                    "id": a.id, "name": a.name, "status": a.status, "exitCode": a.exit_code,
                    "cutover": a.cutover, "day": a.day.map(crate::render::day_label), "asOf": a.as_of,
                })
            })
            .collect();
        let properties = json!({
            "index": summary.index.path,
            "indexSha256": summary.index.sha256,
            "collectedAt": summary.index.collected_at,
            "accounts": accounts,
            "policiesVersion": self.policies_version,
            "resultVersion": crate::result::RESULT_VERSION,
        });
        out.write_all(if self.written == 0 { b"],\n\"invocations\": [" } else { b"\n],\n\"invocations\": [" })?;
        serde_json::to_writer_pretty(&mut *out, &Value::Object(invocation)).map_err(io::Error::from)?;
        out.write_all(b"],\n\"properties\": ")?;
        serde_json::to_writer_pretty(&mut *out, &properties).map_err(io::Error::from)?;
        out.write_all(b"\n}\n]\n}\n")
    }
}

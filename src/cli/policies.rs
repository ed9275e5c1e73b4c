//! `jalon policies list | test`.

use clap::Subcommand;
use comfy_table::{presets, ContentArrangement, Table};

use crate::cli::{load_policies, output, PolicyArgs};
use crate::engine::policy_tests::{self, TestStatus};
use crate::error::{exit, JalonError};

#[derive(Subcommand, Debug)]
pub enum PoliciesCommand {
    /// Print the control catalogue with its metadata.
    List {
        #[command(flatten)]
        policy: PolicyArgs,
        /// `table` or `json`.
        #[arg(long, default_value = "table", value_parser = ["table", "json"])]
        format: String,
        /// Only the controls of this phase (J+0, J+7, J+30).
        #[arg(long, value_name = "PHASE")]
        phase: Option<String>,
        /// Only the controls that read this service's evidence (lambda, rds, logs, ...).
        #[arg(long, value_name = "SERVICE")]
        service: Option<String>,
        /// Only the controls that evidence a GDPR article.
        #[arg(long)]
        gdpr: bool,
    },
    /// Run every `test_*` rule of every `*_test.rego` file.
    Test {
        #[command(flatten)]
        policy: PolicyArgs,
        /// Only tests whose name contains this text.
        #[arg(long)]
        filter: Option<String>,
        /// Print passing tests too.
        #[arg(long, short)]
        verbose: bool,
    },
}

pub fn run(cmd: PoliciesCommand) -> Result<i32, JalonError> {
    match cmd {
        PoliciesCommand::List { policy, format, phase, service, gdpr } => {
            let set = load_policies(&policy)?;
            let checklist = crate::checklist::Checklist::embedded()?;
            if let Some(phase) = &phase {
                checklist.check_phase(phase).map_err(JalonError::Usage)?;
            }
            if let Some(service) = &service {
                crate::collect::registry::check_name(&service.to_ascii_lowercase())
                    .map_err(|e| JalonError::Usage(format!("--service: {e}")))?;
            }
            let listed = |c: &&crate::engine::ControlMeta| {
                let of_phase = |p: &String| checklist.phase_of(c).is_some_and(|ph| ph.id.eq_ignore_ascii_case(p));
                phase.as_ref().is_none_or(of_phase)
                    && service.as_ref().is_none_or(|s| c.evidence.iter().any(|e| e.as_str().eq_ignore_ascii_case(s)))
                    && (!gdpr || !c.gdpr.is_empty())
            };
            let set = crate::engine::PolicySet {
                controls: set.controls.into_iter().filter(|(_, c)| listed(&c)).collect(),
                ..set
            };
            if format == "json" {
                let controls: Vec<_> = set.controls.values().collect();
                let text = serde_json::to_string_pretty(&controls).expect("metadata serialises");
                output::print(&format!("{text}\n"))?;
                return Ok(exit::OK);
            }
            let mut table = Table::new();
            table.load_preset(presets::UTF8_HORIZONTAL_ONLY);
            table.set_content_arrangement(ContentArrangement::Dynamic);
            table.set_header(["id", "phase", "severity", "evidence", "gdpr", "title"]);
            let mut controls: Vec<_> = set.controls.values().collect();
            controls.sort_by_key(|c| (checklist.phase_of(c).map(|p| p.day).unwrap_or(c.phase), c.id.clone()));
            for c in controls {
                let mut evidence: Vec<&str> = c.evidence.iter().map(|s| s.as_str()).collect();
                if c.attestation {
                    evidence.push("attestation");
                }
                let evidence = evidence.join(", ");
                table.add_row(vec![
                    c.id.clone(),
                    checklist.phase_of(c).map_or_else(|| format!("J+{}", c.phase), |p| p.id.clone()),
                    c.severity.to_string(),
                    evidence,
                    c.gdpr.join(", "),
                    c.title.clone(),
                ]);
            }
            output::print(&format!("{table}\n"))?;
            Ok(exit::OK)
        }
        PoliciesCommand::Test { policy, filter, verbose } => {
            let set = load_policies(&policy)?;
            let results = policy_tests::run(&set, filter.as_deref()).map_err(JalonError::Runtime)?;
            let (mut passed, mut failed) = (0, 0);
            let mut text = String::new();
            for r in &results {
                match &r.status {
                    TestStatus::Pass => {
                        passed += 1;
                        if verbose {
                            text.push_str(&format!("PASS {}\n", r.name));
                        }
                    }
                    TestStatus::Fail => {
                        failed += 1;
                        text.push_str(&format!("FAIL {} ({})\n", r.name, r.file));
                    }
                    TestStatus::Error(e) => {
                        failed += 1;
                        text.push_str(&format!("ERROR {} ({}): {e}\n", r.name, r.file));
                    }
                }
                if r.status != TestStatus::Pass {
                    for line in &r.output {
                        text.push_str(&format!("    {line}\n"));
                    }
                }
            }
            text.push_str(&format!("policies: {passed} passed, {failed} failed\n"));
            output::print(&text)?;
            Ok(if failed == 0 && passed > 0 { exit::OK } else { exit::FINDINGS })
        }
    }
}

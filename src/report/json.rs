//! `--format json`: the [`CheckReport`] as is (documented in the README, versioned
//! by `result_version`).

use crate::checklist::CheckReport;

pub fn render(report: &CheckReport) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report always serialises");
    text.push('\n');
    text
}

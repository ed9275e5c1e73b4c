//! Control metadata, read from the OPA-style `# METADATA` comment block above
//! each control's `package` line. regorus ignores comments, so the policies stay
//! valid OPA and jalon reads the block itself.

use serde::{Deserialize, Serialize};

use crate::engine::fix::{FixSpec, IacSnippet, RawInput, RawVariant};
use crate::snapshot::Service;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything the engine and the reports know about a control besides its Rego.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlMeta {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Days after cutover when the control is due: 0, 7 or 30.
    pub phase: u32,
    pub severity: Severity,
    /// Collectors whose evidence the control reads; any of them failing makes it UNKNOWN.
    pub evidence: Vec<Service>,
    /// Singular noun for counts ("log group").
    pub resource_type: String,
    pub gdpr: Vec<String>,
    /// What to do, in words (the reports show it where a resource has no fix of its own).
    pub remediation: String,
    /// The commands that fix a failing resource, per kind of resource (`custom.fix`,
    /// `custom.inputs`).
    pub fix: FixSpec,
    /// CloudFormation / SAM properties that fix it in the stack (`custom.iac`).
    pub iac: Vec<IacSnippet>,
    pub related_resources: Vec<String>,
    /// An attestation entry evidences it: alone when `evidence` is empty; with
    /// evidence, for what the account cannot show (account state first, then the
    /// attestation: see [`ControlMeta::reads_account`]).
    pub attestation: bool,
    /// The Rego package, e.g. `jalon.controls.log_001`.
    pub package: String,
    /// Where the control was loaded from (`policies/logs/log_001.rego`).
    pub source: String,
    /// Where it came from: shipped inside jalon, or a team's `--policies` directory
    /// (and whether it took the place of the shipped control with its id).
    pub origin: Origin,
}

impl ControlMeta {
    /// Its policy is evaluated against the snapshot: every control but those evidenced
    /// by an attestation alone.
    pub fn reads_account(&self) -> bool {
        !self.attestation || !self.evidence.is_empty()
    }
}

/// Where a control's policy came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    #[default]
    Builtin,
    /// A team file with an id of its own.
    Team,
    /// A team file with the id of a shipped control, which it replaced.
    TeamReplacing,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Block {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    related_resources: Vec<RelatedResource>,
    custom: Custom,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RelatedResource {
    Url(String),
    Ref {
        #[serde(rename = "ref")]
        url: String,
        #[allow(dead_code)]
        #[serde(default)]
        description: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Custom {
    id: String,
    phase: u32,
    severity: String,
    #[serde(default)]
    evidence: Vec<String>,
    #[serde(default = "default_resource_type")]
    resource_type: String,
    #[serde(default)]
    gdpr: Vec<String>,
    remediation: String,
    #[serde(default)]
    fix: Vec<RawVariant>,
    #[serde(default)]
    inputs: std::collections::BTreeMap<String, RawInput>,
    #[serde(default)]
    iac: Vec<IacSnippet>,
    #[serde(default)]
    attestation: bool,
}

fn default_resource_type() -> String {
    "resource".into()
}

/// The package a Rego file declares, and the 1-based line it is on.
pub fn package_of(source: &str) -> Option<(String, usize)> {
    source.lines().enumerate().find_map(|(i, line)| {
        let rest = line.trim_start().strip_prefix("package ")?;
        Some((rest.trim().to_string(), i + 1))
    })
}

/// The deepest `[` / `{` nesting a METADATA block may use.
const MAX_FLOW_DEPTH: usize = 32;

/// The first (1-based line, depth) where `[` / `{` outside quotes nest deeper than
/// [`MAX_FLOW_DEPTH`]. Quotes are tracked roughly (no escapes): it only has to
/// let every real block through and stop pathological ones.
fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, line) in yaml.lines().enumerate() {
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some((i + 1, depth));
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

/// Reads the `# METADATA` block of a control file. Errors give the line and what was expected.
pub fn parse_control(source_name: &str, source: &str) -> Result<ControlMeta, String> {
    let (package, package_line) = package_of(source).ok_or_else(|| "no `package` line found".to_string())?;
    let lines: Vec<&str> = source.lines().collect();
    let start =
        lines.iter().position(|l| l.trim() == "# METADATA").filter(|&i| i + 1 < package_line).ok_or_else(|| {
            format!("line {package_line}: control package `{package}` has no `# METADATA` block above its package line")
        })?;
    let mut yaml = String::new();
    for line in &lines[start + 1..] {
        let Some(rest) = line.trim_start().strip_prefix('#') else {
            break;
        };
        yaml.push_str(rest.strip_prefix(' ').unwrap_or(rest));
        yaml.push('\n');
    }
    // The YAML parser takes time quadratic in the nesting depth of flow collections (a
    // fuzzed block took minutes): a METADATA block has no business nesting deeply.
    if let Some((line, depth)) = too_deep(&yaml) {
        return Err(format!(
            "line {}: bad METADATA block: brackets nest {depth} levels deep, more than {MAX_FLOW_DEPTH}",
            start + 1 + line
        ));
    }
    let block: Block = yaml_serde::from_str(&yaml).map_err(|e| {
        let line = e.location().map(|l| start + 1 + l.line()).unwrap_or(start + 1);
        format!("line {line}: bad METADATA block: {e}")
    })?;
    let custom = block.custom;
    let at = |what: &str| format!("line {}: METADATA custom.{what}", start + 1);
    if let Some(scope) = &block.scope {
        if scope != "package" {
            return Err(format!("line {}: METADATA scope must be `package`, found `{scope}`", start + 1));
        }
    }
    let severity = Severity::parse(&custom.severity).ok_or_else(|| {
        format!("{}: expected critical, high, medium or low, found `{}`", at("severity"), custom.severity)
    })?;
    if ![0, 7, 30].contains(&custom.phase) {
        return Err(format!("{}: expected 0, 7 or 30, found {}", at("phase"), custom.phase));
    }
    let evidence = custom
        .evidence
        .iter()
        .map(|name| {
            crate::collect::registry::check_name(name)
                .map(|()| Service::new(name))
                .map_err(|e| format!("{}: {e}", at("evidence")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if custom.id.trim().is_empty() {
        return Err(format!("{}: must not be empty", at("id")));
    }
    if !custom.attestation && evidence.is_empty() {
        return Err(format!(
            "{}: a control evidenced by account state must name its collectors (or set attestation: true)",
            at("evidence")
        ));
    }
    let fix =
        FixSpec::parse(custom.fix, custom.inputs).map_err(|e| format!("line {}: METADATA custom.{e}", start + 1))?;
    for (i, snippet) in custom.iac.iter().enumerate() {
        crate::engine::fix::check_iac(snippet).map_err(|e| format!("{}: {e}", at(&format!("iac[{i}]"))))?;
    }
    Ok(ControlMeta {
        id: custom.id,
        title: block.title,
        description: block.description.trim().to_string(),
        phase: custom.phase,
        severity,
        evidence,
        resource_type: custom.resource_type,
        gdpr: custom.gdpr,
        remediation: custom.remediation.trim().to_string(),
        fix,
        iac: custom.iac,
        related_resources: block
            .related_resources
            .into_iter()
            .map(|r| match r {
                RelatedResource::Url(u) | RelatedResource::Ref { url: u, .. } => u,
            })
            .collect(),
        attestation: custom.attestation,
        package,
        source: source_name.to_string(),
        origin: Origin::Builtin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# METADATA\n# title: Retention set\n# description: >-\n#   Long text.\n# related_resources:\n#   - https://example.com/a\n#   - ref: https://example.com/b\n# custom:\n#   id: LOG-001\n#   phase: 0\n#   severity: high\n#   evidence: [logs, tagging]\n#   resource_type: log group\n#   gdpr: [\"30(1)(f)\"]\n#   remediation: aws logs put-retention-policy --log-group-name {name} --retention-in-days 30\npackage jalon.controls.log_001\n\nimport rego.v1\n";

    #[test]
    fn reads_a_complete_block() {
        let meta = parse_control("policies/logs/log_001.rego", GOOD).unwrap();
        assert_eq!(meta.id, "LOG-001");
        assert_eq!(meta.phase, 0);
        assert_eq!(meta.severity, Severity::High);
        assert_eq!(meta.evidence, vec![Service::new("logs"), Service::new("tagging")]);
        assert_eq!(meta.resource_type, "log group");
        assert_eq!(meta.gdpr, vec!["30(1)(f)".to_string()]);
        assert_eq!(meta.related_resources, vec!["https://example.com/a", "https://example.com/b"]);
        assert_eq!(meta.package, "jalon.controls.log_001");
        assert_eq!(meta.description, "Long text.");
        assert!(!meta.attestation);
    }

    #[test]
    fn names_the_line_of_a_bad_severity() {
        let bad = GOOD.replace("severity: high", "severity: urgent");
        let err = parse_control("x.rego", &bad).unwrap_err();
        assert!(err.contains("custom.severity") && err.contains("urgent"), "{err}");
        assert!(err.starts_with("line 1:"), "{err}");
    }

    #[test]
    fn rejects_unknown_collectors_and_phases() {
        let err = parse_control("x.rego", &GOOD.replace("[logs, tagging]", "[logs, ec2]")).unwrap_err();
        assert!(err.contains("unknown collector `ec2`"), "{err}");
        let err = parse_control("x.rego", &GOOD.replace("phase: 0", "phase: 3")).unwrap_err();
        assert!(err.contains("expected 0, 7 or 30"), "{err}");
    }

    #[test]
    fn missing_block_and_bad_yaml_are_errors() {
        let err = parse_control("x.rego", "package jalon.controls.x\n").unwrap_err();
        assert!(err.contains("no `# METADATA` block"), "{err}");
        let err = parse_control("x.rego", &GOOD.replace("#   id: LOG-001", "#   id: [unclosed")).unwrap_err();
        assert!(err.contains("bad METADATA block"), "{err}");
    }

    #[test]
    fn deeply_nested_blocks_are_refused_quickly() {
        // Regression (found by tests/fuzz_parsers.rs): 100 000 nested brackets kept the
        // YAML parser busy for minutes.
        let deep = GOOD.replace("title: Retention set", &format!("title: {}", "[".repeat(100_000)));
        let err = parse_control("x.rego", &deep).unwrap_err();
        assert!(err.starts_with("line 2: bad METADATA block: brackets nest 33 levels"), "{err}");
        let quoted = GOOD.replace("title: Retention set", &format!("title: \"{}\"", "[".repeat(100)));
        assert_eq!(parse_control("x.rego", &quoted).unwrap().title, "[".repeat(100));
        let nested = GOOD.replace("title: Retention set", "title: Retention set\n# x: [[[{a: [1]}]]]");
        assert!(parse_control("x.rego", &nested).unwrap_err().contains("unknown field `x`"));
    }

    #[test]
    fn fix_inputs_and_iac_are_read_and_checked() {
        let with_fix = GOOD.replace(
            "#   remediation: aws logs put-retention-policy --log-group-name {name} --retention-in-days 30\n",
            "#   remediation: Set a retention.\n#   fix:\n#     - kind: logs:log-group\n#       commands:\n#         - aws logs put-retention-policy --region {region} --log-group-name {name} --kms-key-id {KEY}\n#   inputs:\n#     KEY: {per: region, description: the key}\n#   iac:\n#     - type: AWS::Logs::LogGroup\n#       properties: |\n#         RetentionInDays: 30\n",
        );
        let meta = parse_control("x.rego", &with_fix).unwrap();
        assert_eq!(meta.fix.variants.len(), 1);
        assert_eq!(meta.iac[0].resource_type, "AWS::Logs::LogGroup");
        let fix = meta.fix.fill("arn:aws:logs:eu-west-3:1:log-group:/a", &Default::default()).unwrap();
        assert_eq!(fix.inputs[0].variable, "KEY_EU_WEST_3");

        let bad_iac = with_fix.replace("#         RetentionInDays: 30", "#         RetentionInDays: [30");
        let err = parse_control("x.rego", &bad_iac).unwrap_err();
        assert!(err.contains("custom.iac[0]: properties: not YAML"), "{err}");
        let bad_type = with_fix.replace("type: AWS::Logs::LogGroup", "type: LogGroup");
        let err = parse_control("x.rego", &bad_type).unwrap_err();
        assert!(err.contains("custom.iac[0]: type: expected a CloudFormation resource type"), "{err}");
        let quoted = with_fix.replace("--log-group-name {name}", "--log-group-name '{name}'");
        let err = parse_control("x.rego", &quoted).unwrap_err();
        assert!(err.starts_with("line 1: METADATA custom.fix[0].commands[0]: `'{name}'`: do not quote"), "{err}");
        let angle = with_fix.replace("{KEY}", "<key-arn>");
        let err = parse_control("x.rego", &angle).unwrap_err();
        assert!(err.contains("no `<...>` left for the reader"), "{err}");
        let kind = with_fix.replace("kind: logs:log-group", "kind: logs:stream");
        assert!(parse_control("x.rego", &kind).unwrap_err().contains("unknown kind `logs:stream`"));
        let scope = with_fix.replace("per: region", "per: planet");
        assert!(parse_control("x.rego", &scope)
            .unwrap_err()
            .contains("inputs.KEY.per: expected account, region or resource"));
    }

    #[test]
    fn state_controls_must_name_their_evidence() {
        let err = parse_control("x.rego", &GOOD.replace("#   evidence: [logs, tagging]\n", "")).unwrap_err();
        assert!(err.contains("must name its collectors"), "{err}");
        let attested = GOOD.replace("#   evidence: [logs, tagging]\n", "#   attestation: true\n");
        assert!(parse_control("x.rego", &attested).unwrap().attestation);
    }
}

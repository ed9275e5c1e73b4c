//! Fixes: the commands that remediate one failing resource, from its control's
//! METADATA `fix` templates.
//!
//! A template is one AWS CLI command written as shell words. When it is filled for a
//! resource, the template is split into its words first (`shlex`), the placeholders
//! are replaced in each word's value, and every word is quoted again for POSIX shells:
//! a name such as `a!b$(x)'y` reaches `aws` as one argument, whatever it holds. The
//! rules every template must follow (checked when the METADATA is read, so a team's
//! policy gets the same clear error as a shipped one):
//!
//! - only single quotes, and no shell operator or expansion outside them: a fix is one
//!   simple command;
//! - a placeholder stands as a whole word (`--function-name {name}`), or inside a word
//!   single-quoted as a whole (`'{name}-error-rate'`); never quoted on its own
//!   (`'{name}'`): its value is quoted when filled;
//! - a single-quoted word that is JSON keeps its placeholders inside JSON strings
//!   (values are JSON-escaped there); another compound word has no `,` or `=` around a
//!   resource placeholder (AWS CLI shorthand cannot escape a value: write JSON);
//! - no `<...>` left for the reader: a value only the team can choose is an input,
//!   `{UPPER_CASE}`, declared under `inputs` and written in every output as a shell
//!   variable (`"$SNS_TOPIC_ARN_EU_WEST_3"`) that `jalon-fix.sh` asks for.

use std::collections::{BTreeMap, HashMap};

use regorus::Value;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::snapshot::arn::{resource_name, Arn};

/// What a control's METADATA says about fixing a resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FixSpec {
    /// One per kind of resource the control covers; the most specific matching kind wins.
    pub variants: Vec<FixVariant>,
    /// Values the team chooses, by placeholder name (`SNS_TOPIC_ARN`).
    pub inputs: BTreeMap<String, InputSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FixVariant {
    /// The resource kind it applies to (`rds:cluster`, `secretsmanager:secret:rds`);
    /// None: any.
    pub kind: Option<String>,
    pub commands: Vec<CommandTemplate>,
    /// What the commands cannot say (a step by hand, a caveat).
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct CommandTemplate {
    pub text: String,
    #[serde(skip)]
    words: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputSpec {
    pub description: String,
    pub per: InputScope,
}

/// How many values of an input a script needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputScope {
    /// One for the whole account (the on-call address).
    Account,
    /// One per region (a topic: an alarm notifies a topic of its own region).
    Region,
    /// One per resource (a function's published version).
    Resource,
}

/// A CloudFormation / SAM snippet: the properties to set on a resource type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IacSnippet {
    /// `AWS::Logs::LogGroup`, `AWS::Serverless::Function`.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// YAML, as it goes under the resource's `Properties:`.
    pub properties: String,
}

/// One resource's fix, as every report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    /// AWS CLI commands, one a line, every value quoted for POSIX shells: each pastes
    /// into bash as it is (once its inputs are set).
    pub commands: Vec<String>,
    /// The shell variables the commands read, which the team sets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<FixInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixInput {
    /// `SNS_TOPIC_ARN_EU_WEST_3`.
    pub variable: String,
    pub description: String,
}

/// The METADATA keys, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVariant {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    commands: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawInput {
    description: String,
    #[serde(default)]
    per: Option<String>,
}

/// The resource placeholders a template may use (lower case); inputs are upper case.
pub const RESOURCE_PLACEHOLDERS: &[&str] = &[
    "name",
    "arn",
    "region",
    "account",
    "queue_url",
    "engine",
    "instance_class",
    "function",
    "alias",
    "api_id",
    "stage",
    "application",
    "deployment_group",
];

/// The resource kinds [`kind_of`] tells apart, for the `kind` of a variant.
pub const KINDS: &[&str] = &[
    "lambda:function",
    "logs:log-group",
    "rds:db",
    "rds:db:aurora",
    "rds:cluster",
    "rds:cluster:aurora",
    "secretsmanager:secret",
    "secretsmanager:secret:rds",
    "cloudwatch:alarm",
    "sns",
    "sqs",
    "s3",
    "s3-block-public-access",
    "dynamodb:table",
    "elasticache:replicationgroup",
    "elasticache:serverlesscache",
    "kms:key",
    "cloudtrail:trail",
    "audit-trail",
    "xray-sampling",
    "apigateway:restapis",
    "apigateway:apis",
    "codedeploy:deploymentgroup",
    "lambda:event-source-mapping",
];

impl FixSpec {
    /// Reads and checks the `fix` and `inputs` keys; errors name the key.
    pub(crate) fn parse(variants: Vec<RawVariant>, inputs: BTreeMap<String, RawInput>) -> Result<FixSpec, String> {
        let mut spec_inputs = BTreeMap::new();
        for (name, raw) in inputs {
            if !is_input_name(&name) {
                return Err(format!("inputs.{name}: an input is named in UPPER_CASE (letters, digits, _)"));
            }
            let per = match raw.per.as_deref() {
                None | Some("account") => InputScope::Account,
                Some("region") => InputScope::Region,
                Some("resource") => InputScope::Resource,
                Some(other) => {
                    return Err(format!("inputs.{name}.per: expected account, region or resource, found `{other}`"))
                }
            };
            if raw.description.trim().is_empty() {
                return Err(format!("inputs.{name}.description: must say what value to choose"));
            }
            spec_inputs.insert(name, InputSpec { description: raw.description.trim().to_string(), per });
        }
        let mut used = std::collections::BTreeSet::new();
        let mut spec_variants = Vec::new();
        for (v, raw) in variants.into_iter().enumerate() {
            if let Some(kind) = &raw.kind {
                if !KINDS.iter().any(|k| k == kind || k.starts_with(&format!("{kind}:"))) {
                    return Err(format!(
                        "fix[{v}].kind: unknown kind `{kind}`, expected one of {} (or the part before a `:`)",
                        KINDS.join(", ")
                    ));
                }
            }
            if raw.commands.is_empty() && raw.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                return Err(format!("fix[{v}]: give commands, or a note saying why there is none"));
            }
            let mut commands = Vec::new();
            for (c, text) in raw.commands.into_iter().enumerate() {
                let template = CommandTemplate::parse(text.trim(), &spec_inputs)
                    .map_err(|e| format!("fix[{v}].commands[{c}]: {e}"))?;
                used.extend(placeholders(&template.text).filter(|p| is_input_name(p)).map(str::to_string));
                commands.push(template);
            }
            let note = raw.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
            if let Some(n) = &note {
                if let Some(p) = placeholders(n).next() {
                    return Err(format!(
                        "fix[{v}].note: no placeholder in a note (found `{{{p}}}`): it is the same for every resource"
                    ));
                }
            }
            spec_variants.push(FixVariant { kind: raw.kind, commands, note });
        }
        if let Some(unused) = spec_inputs.keys().find(|k| !used.contains(*k)) {
            return Err(format!("inputs.{unused}: declared but used by no command"));
        }
        Ok(FixSpec { variants: spec_variants, inputs: spec_inputs })
    }

    pub fn is_empty(&self) -> bool {
        self.variants.is_empty()
    }

    /// The variant for a kind: the most specific one naming it (or a prefix of it),
    /// else one for any kind.
    fn variant_for(&self, kind: &str) -> Option<&FixVariant> {
        let mut best: Option<(usize, &FixVariant)> = None;
        for v in &self.variants {
            let weight = match &v.kind {
                None => 0,
                Some(k) if kind == k || kind.starts_with(&format!("{k}:")) => k.len() + 1,
                Some(_) => continue,
            };
            if best.is_none_or(|(w, _)| weight > w) {
                best = Some((weight, v));
            }
        }
        best.map(|(_, v)| v)
    }

    /// The fix of one resource. None when no variant covers its kind, or a value the
    /// commands need is unknown (the reports then show the control's remediation).
    pub fn fill(&self, id: &str, facts: &Facts) -> Option<Fix> {
        let values = ResourceValues::new(id, facts);
        let variant = self.variant_for(&values.kind)?;
        let mut inputs: Vec<FixInput> = Vec::new();
        let mut commands = Vec::new();
        for template in &variant.commands {
            let command = template.fill(&values, &mut |name| {
                let spec = self.inputs.get(name)?;
                let variable = match spec.per {
                    InputScope::Account => name.to_string(),
                    InputScope::Region => {
                        let region = values.get("region")?;
                        format!("{name}_{}", variable_suffix(&region))
                    }
                    InputScope::Resource => {
                        let digest = Sha256::digest(id.as_bytes());
                        format!("{name}_{}", hex::encode_upper(&digest[..3]))
                    }
                };
                if !inputs.iter().any(|i| i.variable == variable) {
                    let description = match spec.per {
                        InputScope::Account => spec.description.clone(),
                        InputScope::Region => format!("{} (in {})", spec.description, values.get("region")?),
                        InputScope::Resource => format!("{} (for {id})", spec.description),
                    };
                    inputs.push(FixInput { variable: variable.clone(), description });
                }
                Some(variable)
            })?;
            commands.push(command);
        }
        Some(Fix { commands, inputs, note: variant.note.clone() })
    }
}

impl CommandTemplate {
    fn parse(text: &str, inputs: &BTreeMap<String, InputSpec>) -> Result<CommandTemplate, String> {
        lint(text, inputs)?;
        let words = shlex::split(text).ok_or_else(|| "does not parse as shell words".to_string())?;
        Ok(CommandTemplate { text: text.to_string(), words })
    }

    /// The command for one resource; `input` names the shell variable of an input.
    fn fill(&self, values: &ResourceValues, input: &mut dyn FnMut(&str) -> Option<String>) -> Option<String> {
        let mut out: Vec<String> = Vec::new();
        for word in &self.words {
            if let Some(name) = whole_placeholder(word).filter(|n| !is_input_name(n)) {
                let value = values.get(name)?;
                // A value that starts with `-` would read as an option: `--opt=value`.
                if value.starts_with('-') {
                    if let Some(option) = out.last().filter(|o| o.starts_with("--") && !o.contains('=')) {
                        let joined = format!("{option}={value}");
                        *out.last_mut()? = quote(&joined)?;
                        continue;
                    }
                }
                out.push(quote(&value)?);
                continue;
            }
            let json = is_json_word(word);
            let mut rendered = String::new();
            let mut literal = String::new();
            let mut rest = word.as_str();
            while let Some((before, name, after)) = next_placeholder(rest) {
                literal.push_str(before);
                if is_input_name(name) {
                    let variable = input(name)?;
                    if !literal.is_empty() {
                        rendered.push_str(&quote(&literal)?);
                        literal.clear();
                    }
                    rendered.push_str(&format!("\"${variable}\""));
                } else {
                    let value = values.get(name)?;
                    if json {
                        let quoted = serde_json::to_string(&value).ok()?;
                        literal.push_str(&quoted[1..quoted.len() - 1]);
                    } else {
                        literal.push_str(&value);
                    }
                }
                rest = after;
            }
            literal.push_str(rest);
            if !literal.is_empty() || rendered.is_empty() {
                rendered.push_str(&quote(&literal)?);
            }
            out.push(rendered);
        }
        Some(out.join(" "))
    }
}

/// One word for a POSIX shell (`shlex`), on one line: a word with a control character
/// (a newline in a hostile name) is written `$'...'` instead, with that character and
/// every other one that is not plainly safe as `\xHH` (`!` and `'` included, so that
/// interactive bash's history expansion sees one quoted span). None for a NUL byte,
/// which no argument can hold.
fn quote(word: &str) -> Option<String> {
    if word.contains('\0') {
        return None;
    }
    if !word.chars().any(|c| c.is_control()) {
        return shlex::try_quote(word).ok().map(|q| q.into_owned());
    }
    let mut out = String::from("$'");
    for c in word.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | ',' | '=' | '+' | '@' | '%' | ' ') {
            out.push(c);
        } else if c.is_ascii() {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else if c.is_control() {
            // C1 controls: their UTF-8 bytes.
            let mut bytes = [0u8; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    Some(out)
}

fn is_input_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn is_placeholder_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The first `{name}` in `text`: what comes before it, the name, what comes after.
fn next_placeholder(text: &str) -> Option<(&str, &str, &str)> {
    let mut from = 0;
    while let Some(open) = text[from..].find('{').map(|i| i + from) {
        if let Some(close) = text[open + 1..].find('}').map(|i| i + open + 1) {
            let name = &text[open + 1..close];
            if is_placeholder_name(name) {
                return Some((&text[..open], name, &text[close + 1..]));
            }
        }
        from = open + 1;
    }
    None
}

fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let (_, name, after) = next_placeholder(rest)?;
        rest = after;
        Some(name)
    })
}

fn whole_placeholder(word: &str) -> Option<&str> {
    next_placeholder(word).filter(|(before, _, after)| before.is_empty() && after.is_empty()).map(|(_, n, _)| n)
}

/// A word that opens like JSON (`{"`, `[`), not like a placeholder (`{name}-x`).
fn looks_like_json(word: &str) -> bool {
    word.starts_with('[')
        || (word.starts_with('{') && next_placeholder(word).is_none_or(|(before, _, _)| !before.is_empty()))
}

/// A word that is JSON once its placeholders stand for a string's content.
fn is_json_word(word: &str) -> bool {
    if !looks_like_json(word) {
        return false;
    }
    let mut probe = String::new();
    let mut rest = word;
    while let Some((before, _, after)) = next_placeholder(rest) {
        probe.push_str(before);
        probe.push('x');
        rest = after;
    }
    probe.push_str(rest);
    serde_json::from_str::<serde_json::Value>(&probe).is_ok()
}

/// The template rules (see the module documentation), on the raw text.
fn lint(text: &str, inputs: &BTreeMap<String, InputSpec>) -> Result<(), String> {
    if text.contains('<') {
        return Err(format!(
            "`<` in `{text}`: no `<...>` left for the reader; a value the team chooses is an input, {{UPPER_CASE}}, declared under `inputs`"
        ));
    }
    // Raw words: (text as written, whether it is one single-quoted segment and nothing else).
    let mut words: Vec<(String, bool)> = Vec::new();
    let mut current = String::new();
    let mut quoted_segments = 0usize;
    let mut has_unquoted = false;
    let mut chars = text.chars();
    loop {
        let c = chars.next();
        match c {
            None | Some(' ' | '\t' | '\n') => {
                if !current.is_empty() {
                    words.push((std::mem::take(&mut current), !has_unquoted && quoted_segments == 1));
                }
                quoted_segments = 0;
                has_unquoted = false;
                if c.is_none() {
                    break;
                }
            }
            Some('\'') => {
                current.push('\'');
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(q) => current.push(q),
                        None => return Err("an unclosed single quote".to_string()),
                    }
                }
                current.push('\'');
                quoted_segments += 1;
            }
            Some(c @ ('"' | '\\' | '$' | '`' | ';' | '|' | '&' | '>' | '(' | ')' | '!' | '#' | '*' | '?' | '~')) => {
                return Err(format!(
                    "`{c}` outside single quotes: a fix is one simple command, written with single quotes only"
                ));
            }
            Some(c) => {
                current.push(c);
                has_unquoted = true;
            }
        }
    }
    if words.first().map(|(w, _)| w.as_str()) != Some("aws") {
        return Err(format!("`{text}`: a fix command runs the AWS CLI (`aws ...`)"));
    }
    for (raw, quoted_whole) in &words {
        let names: Vec<&str> = placeholders(raw).collect();
        if names.is_empty() {
            continue;
        }
        for name in &names {
            if is_input_name(name) {
                if !inputs.contains_key(*name) {
                    return Err(format!("`{{{name}}}` is not declared under `inputs`"));
                }
            } else if !is_known_value(name) {
                return Err(format!(
                    "unknown placeholder `{{{name}}}`: expected one of {}, a threshold of jalon.toml \
                     (`{{backup_retention_min_days}}`), or an input in UPPER_CASE",
                    RESOURCE_PLACEHOLDERS.join(", ")
                ));
            }
        }
        if whole_placeholder(raw).is_some() {
            continue;
        }
        if !quoted_whole {
            return Err(format!(
                "`{raw}`: a placeholder stands as a whole word, or inside a word single-quoted as a whole"
            ));
        }
        let inner = &raw[1..raw.len() - 1];
        if whole_placeholder(inner).is_some() {
            return Err(format!("`{raw}`: do not quote a placeholder on its own: its value is quoted when filled"));
        }
        if looks_like_json(inner) {
            if !is_json_word(inner) {
                return Err(format!("`{raw}`: JSON that does not parse, or a placeholder outside a JSON string"));
            }
        } else if names.iter().any(|n| !is_input_name(n) && !is_threshold(n))
            && (inner.contains(',') || inner.contains('='))
        {
            return Err(format!(
                "`{raw}`: AWS CLI shorthand (`,` `=`) cannot escape a resource's value: write the argument as JSON"
            ));
        }
    }
    Ok(())
}

/// What the snapshot tells about a resource beyond its ARN: the kind refinements
/// (an Aurora cluster, an RDS-managed secret) and the values some commands need
/// (an Aurora cluster's engine and instance class). Read from the engine's input, so
/// it is there whether or not the typed snapshot kept its resources.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    by_arn: HashMap<String, BTreeMap<&'static str, String>>,
    /// The run's thresholds, as the commands write them (`{backup_retention_min_days}`):
    /// a fix sets what the team's config asks for, not jalon's default.
    thresholds: BTreeMap<String, String>,
}

/// The retention periods CloudWatch Logs accepts, in days.
const LOG_RETENTION_DAYS: [i64; 22] =
    [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

impl Facts {
    /// What the input tells, with the default thresholds until
    /// [`Facts::with_thresholds`] gives the run's.
    pub fn from_input(input: &super::Input) -> Facts {
        Facts::from_value(&input.0).with_thresholds(&crate::config::Thresholds::default())
    }

    /// The thresholds a command may name, from the run's config. Numbers are written
    /// as a command takes them (`2`, not `2.0`); the log retention floor is the
    /// smallest period CloudWatch Logs accepts at or above it (a floor of 45 days is set
    /// as 60: `put-retention-policy` refuses 45).
    pub fn with_thresholds(mut self, thresholds: &crate::config::Thresholds) -> Facts {
        self.thresholds = threshold_values(thresholds);
        let floor = thresholds.log_retention_floor_days;
        let allowed = LOG_RETENTION_DAYS.iter().copied().find(|d| *d >= floor).unwrap_or(floor);
        self.thresholds.insert("log_retention_floor_days".into(), allowed.to_string());
        self
    }

    fn from_value(input: &Value) -> Facts {
        let mut facts = Facts::default();
        let text = |v: &Value| v.as_string().ok().map(|s| s.to_string()).filter(|s| !s.is_empty());
        let list = |v: &Value| v.as_array().map(|a| a.to_vec()).unwrap_or_default();
        let instances = list(&input["rds"]["instances"]);
        for i in &instances {
            let Some(arn) = text(&i["arn"]) else { continue };
            let entry = facts.by_arn.entry(arn).or_default();
            for key in ["engine", "instance_class", "cluster_identifier"] {
                if let Some(value) = text(&i[key]) {
                    entry.insert(key, value);
                }
            }
        }
        for c in list(&input["rds"]["clusters"]) {
            let Some(arn) = text(&c["arn"]) else { continue };
            let (identifier, region) = (text(&c["identifier"]), text(&c["region"]));
            let entry = facts.by_arn.entry(arn).or_default();
            if let Some(engine) = text(&c["engine"]) {
                entry.insert("engine", engine);
            }
            // A new reader takes the class of a member already there (the first by ARN).
            let class = instances
                .iter()
                .filter(|i| text(&i["cluster_identifier"]) == identifier && text(&i["region"]) == region)
                .filter_map(|i| Some((text(&i["arn"])?, text(&i["instance_class"])?)))
                .min();
            if let Some((_, class)) = class {
                entry.insert("instance_class", class);
            }
        }
        for s in list(&input["secretsmanager"]["secrets"]) {
            let (Some(arn), Some(owner)) = (text(&s["arn"]), text(&s["owning_service"])) else { continue };
            facts.by_arn.entry(arn).or_default().insert("owning_service", owner);
        }
        facts
    }

    fn get(&self, arn: &str, key: &str) -> Option<&str> {
        self.by_arn.get(arn)?.get(key).map(String::as_str)
    }
}

/// The kind of a resource by its id (the ARN's service and resource type), refined by
/// what the snapshot says: `rds:cluster:aurora`, `secretsmanager:secret:rds`.
pub fn kind_of(id: &str, facts: &Facts) -> String {
    let Some(arn) = Arn::parse(id) else {
        // jalon's own ids for account- and region-level findings: `audit-trail:<account>`.
        return id.split(':').next().unwrap_or(id).to_string();
    };
    let base = match arn.service {
        "sns" | "sqs" | "s3" => arn.service.to_string(),
        "apigateway" => {
            let kind = arn.resource.trim_start_matches('/').split('/').next().unwrap_or("");
            format!("apigateway:{kind}")
        }
        _ => {
            let kind = arn.resource.split([':', '/']).next().unwrap_or("");
            format!("{}:{kind}", arn.service)
        }
    };
    let aurora = facts.get(id, "engine").is_some_and(|e| e.starts_with("aurora"));
    match base.as_str() {
        "rds:cluster" | "rds:db" if aurora => format!("{base}:aurora"),
        "secretsmanager:secret" if facts.get(id, "owning_service") == Some("rds") => format!("{base}:rds"),
        _ => base,
    }
}

/// The values of the resource placeholders for one resource.
struct ResourceValues<'a> {
    id: &'a str,
    kind: String,
    arn: Option<Arn<'a>>,
    facts: &'a Facts,
}

impl<'a> ResourceValues<'a> {
    fn new(id: &'a str, facts: &'a Facts) -> ResourceValues<'a> {
        ResourceValues { id, kind: kind_of(id, facts), arn: Arn::parse(id), facts }
    }

    fn get(&self, name: &str) -> Option<String> {
        let nonempty = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        let arn = self.arn.as_ref();
        match name {
            "name" => nonempty(resource_name(self.id)),
            "arn" => Some(self.id.to_string()),
            "region" => match arn {
                Some(a) => nonempty(a.region),
                // `xray-sampling:<region>`
                None if self.kind == "xray-sampling" => self.id.split_once(':').and_then(|(_, r)| nonempty(r)),
                None => None,
            },
            "account" => match arn {
                Some(a) => nonempty(a.account),
                None if matches!(self.kind.as_str(), "audit-trail" | "s3-block-public-access") => {
                    self.id.split_once(':').and_then(|(_, a)| nonempty(a))
                }
                None => None,
            },
            "queue_url" => {
                let a = arn.filter(|a| a.service == "sqs")?;
                let domain = if a.partition == "aws-cn" { "amazonaws.com.cn" } else { "amazonaws.com" };
                Some(format!("https://sqs.{}.{domain}/{}/{}", a.region, a.account, a.resource))
            }
            "engine" | "instance_class" => self.facts.get(self.id, name).map(str::to_string),
            "function" | "alias" => {
                let a = arn.filter(|a| a.service == "lambda")?;
                let mut parts = a.resource.strip_prefix("function:")?.splitn(2, ':');
                let (function, alias) = (parts.next()?, parts.next());
                if name == "function" {
                    nonempty(function)
                } else {
                    alias.and_then(nonempty)
                }
            }
            "api_id" | "stage" => {
                // `/restapis/<id>/stages/<stage>`, `/apis/<id>/stages/<stage>`
                let a = arn.filter(|a| a.service == "apigateway")?;
                let parts: Vec<&str> = a.resource.trim_start_matches('/').splitn(4, '/').collect();
                match (parts.as_slice(), name) {
                    ([_, id, "stages", _], "api_id") => nonempty(id),
                    ([_, _, "stages", stage], "stage") => nonempty(stage),
                    _ => None,
                }
            }
            "application" | "deployment_group" => {
                // `deploymentgroup:<application>/<group>`
                let a = arn.filter(|a| a.service == "codedeploy")?;
                let (application, group) = a.resource.strip_prefix("deploymentgroup:")?.split_once('/')?;
                nonempty(if name == "application" { application } else { group })
            }
            _ => self.facts.thresholds.get(name).cloned(),
        }
    }
}

/// Every number of the thresholds, by name, as a command writes it.
fn threshold_values(thresholds: &crate::config::Thresholds) -> BTreeMap<String, String> {
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(thresholds) else { return BTreeMap::new() };
    map.into_iter()
        .filter_map(|(name, value)| {
            let number = value.as_f64()?;
            let text = if number.fract() == 0.0 && number.abs() < 1e15 {
                format!("{}", number as i64)
            } else {
                format!("{number}")
            };
            Some((name, text))
        })
        .collect()
}

/// The names a template's `{placeholder}` may use: what a resource's ARN and the
/// snapshot tell ([`ResourceValues::get`]), and the thresholds (numbers: they need no
/// escaping in AWS CLI shorthand).
fn is_known_value(name: &str) -> bool {
    RESOURCE_PLACEHOLDERS.contains(&name) || is_threshold(name)
}

fn is_threshold(name: &str) -> bool {
    // The names are the config's fields: read once, not once per placeholder linted.
    static NAMES: std::sync::OnceLock<BTreeMap<String, String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| threshold_values(&crate::config::Thresholds::default())).contains_key(name)
}

/// `eu-west-3` -> `EU_WEST_3`, for a variable name.
fn variable_suffix(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
}

/// Checks an IaC snippet's properties parse as a YAML mapping.
pub(crate) fn check_iac(snippet: &IacSnippet) -> Result<(), String> {
    if !snippet.resource_type.starts_with("AWS::") || snippet.resource_type.split("::").count() != 3 {
        return Err(format!(
            "type: expected a CloudFormation resource type (`AWS::Service::Resource`), found `{}`",
            snippet.resource_type
        ));
    }
    match yaml_serde::from_str::<yaml_serde::Value>(&snippet.properties) {
        Ok(yaml_serde::Value::Mapping(m)) if !m.is_empty() => Ok(()),
        Ok(_) => Err("properties: expected a YAML mapping of property names to values".to_string()),
        Err(e) => Err(format!("properties: not YAML: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(commands: &[&str], inputs: &[(&str, &str)]) -> Result<FixSpec, String> {
        let variants =
            vec![RawVariant { kind: None, commands: commands.iter().map(|c| c.to_string()).collect(), note: None }];
        let inputs = inputs
            .iter()
            .map(|(n, per)| (n.to_string(), RawInput { description: "a value".into(), per: Some(per.to_string()) }))
            .collect();
        FixSpec::parse(variants, inputs)
    }

    const HOSTILE: &str = "arn:aws:lambda:eu-west-3:123456789012:function:a!b$(x)'y`z` \"q\"";

    /// The words bash passes to `aws` for a command line.
    fn bash_words(command: &str) -> Vec<String> {
        let script = format!("aws() {{ printf '%s\\0' aws \"$@\"; }}\n{command}\n");
        let out = std::process::Command::new("bash").arg("-c").arg(script).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        text.strip_suffix('\0').unwrap().split('\0').map(str::to_string).collect()
    }

    #[test]
    fn hostile_names_come_back_as_one_word() {
        let s = spec(&["aws lambda get-function --region {region} --function-name {name}"], &[]).unwrap();
        let fix = s.fill(HOSTILE, &Facts::default()).unwrap();
        let expected =
            ["aws", "lambda", "get-function", "--region", "eu-west-3", "--function-name", "a!b$(x)'y`z` \"q\""];
        assert_eq!(shlex::split(&fix.commands[0]).unwrap(), expected);
        assert_eq!(bash_words(&fix.commands[0]), expected);
        // `!` is never left where interactive bash expands history: only in single quotes.
        assert!(!fix.commands[0].contains("\"a!"), "{}", fix.commands[0]);
    }

    #[test]
    fn a_name_with_a_line_break_stays_on_one_line() {
        let s = spec(&["aws lambda get-function --function-name {name}"], &[]).unwrap();
        let fix = s.fill(&format!("{HOSTILE}\nnext\u{85}"), &Facts::default()).unwrap();
        assert!(!fix.commands[0].contains('\n'), "{}", fix.commands[0]);
        assert!(
            fix.commands[0].ends_with(r"$'a\x21b\x24\x28x\x29\x27y\x60z\x60 \x22q\x22\x0anext\xc2\x85'"),
            "{}",
            fix.commands[0]
        );
        let words = bash_words(&fix.commands[0]);
        assert_eq!(words[4], "a!b$(x)'y`z` \"q\"\nnext\u{85}");
        assert!(
            s.fill("arn:aws:lambda:eu-west-3:1:function:a\0b", &Facts::default()).is_none(),
            "no argument holds a NUL"
        );
    }

    #[test]
    fn json_words_escape_values_and_stay_json() {
        let s = spec(&[r#"aws cloudwatch get-metric-data --metric-data-queries '[{"Id":"a","Value":"{name}"}]'"#], &[])
            .unwrap();
        let fix = s.fill(HOSTILE, &Facts::default()).unwrap();
        let words = shlex::split(&fix.commands[0]).unwrap();
        let json: serde_json::Value = serde_json::from_str(&words[4]).unwrap();
        assert_eq!(json[0]["Value"], "a!b$(x)'y`z` \"q\"");
    }

    #[test]
    fn inputs_become_quoted_variables() {
        let s = spec(
            &[r#"aws sns subscribe --topic-arn {arn} --notification-endpoint {ONCALL} --attributes '{"A":"{TOPIC}"}'"#],
            &[("ONCALL", "account"), ("TOPIC", "region")],
        )
        .unwrap();
        let fix = s.fill("arn:aws:sns:eu-west-3:123456789012:alerts", &Facts::default()).unwrap();
        assert!(fix.commands[0].contains(r#"--notification-endpoint "$ONCALL""#), "{}", fix.commands[0]);
        assert!(fix.commands[0].contains(r#"'{"A":"'"$TOPIC_EU_WEST_3"'"}'"#), "{}", fix.commands[0]);
        let variables: Vec<&str> = fix.inputs.iter().map(|i| i.variable.as_str()).collect();
        assert_eq!(variables, ["ONCALL", "TOPIC_EU_WEST_3"]);
    }

    #[test]
    fn a_value_that_looks_like_an_option_is_joined_to_its_option() {
        let s = spec(&["aws lambda get-function --function-name {name}"], &[]).unwrap();
        let fix = s.fill("arn:aws:lambda:eu-west-3:123456789012:function:--debug", &Facts::default()).unwrap();
        assert_eq!(
            shlex::split(&fix.commands[0]).unwrap(),
            ["aws", "lambda", "get-function", "--function-name=--debug"]
        );
    }

    #[test]
    fn the_lint_names_what_is_wrong() {
        let cases = [
            ("aws logs x --log-group-name '{name}'", "do not quote a placeholder"),
            ("aws logs x --name {name}-error-rate", "whole word"),
            ("aws logs x --name <group>", "no `<...>`"),
            ("aws logs x --name \"{name}\"", "single quotes only"),
            ("aws logs x --name {name} && rm -rf /", "one simple command"),
            ("aws logs x --name $(id)", "one simple command"),
            ("aws logs x --name {nmae}", "unknown placeholder"),
            ("aws logs x --name {TOPIC}", "not declared"),
            ("aws logs x --dimensions 'Name=FunctionName,Value={name}'", "write the argument as JSON"),
            ("aws logs x --metrics '[{\"Value\":{name}}]'", "outside a JSON string"),
            ("aws logs x --name 'open", "unclosed single quote"),
            ("rm -rf {name}", "runs the AWS CLI"),
        ];
        for (template, expected) in cases {
            let err = spec(&[template], &[]).unwrap_err();
            assert!(err.contains(expected), "{template}: {err}");
        }
        assert!(spec(&["aws logs x --name '{name}-error-rate' --arn {arn}"], &[]).is_ok());
        // A threshold is a number: a whole word, or inside shorthand.
        assert!(
            spec(&["aws logs x --days {log_retention_floor_days} --r 'Max={secret_rotation_max_days}'"], &[]).is_ok()
        );
        let err = spec(&["aws logs x --days {log_retention_floor}"], &[]).unwrap_err();
        assert!(err.contains("a threshold of jalon.toml"), "{err}");
        let err = spec(&["aws logs x --name {name}"], &[("UNUSED", "account")]).unwrap_err();
        assert!(err.contains("inputs.UNUSED: declared but used by no command"), "{err}");
    }

    #[test]
    fn kinds_follow_the_arn_and_the_snapshot() {
        let input = serde_json::json!({
            "rds": {
                "instances": [
                    {"arn": "arn:aws:rds:eu-west-3:1:db:w", "engine": "aurora-postgresql", "instance_class": "db.r6g.large", "cluster_identifier": "c", "region": "eu-west-3"},
                    {"arn": "arn:aws:rds:eu-west-3:1:db:p", "engine": "postgres", "instance_class": "db.t4g.micro", "cluster_identifier": null, "region": "eu-west-3"}
                ],
                "clusters": [{"arn": "arn:aws:rds:eu-west-3:1:cluster:c", "identifier": "c", "region": "eu-west-3", "engine": "aurora-postgresql"}]
            },
            "secretsmanager": {"secrets": [{"arn": "arn:aws:secretsmanager:eu-west-3:1:secret:rds!db-x-AbCdEf", "owning_service": "rds"}]}
        });
        let facts = Facts::from_value(&Value::from_json_str(&input.to_string()).unwrap());
        assert_eq!(kind_of("arn:aws:rds:eu-west-3:1:cluster:c", &facts), "rds:cluster:aurora");
        assert_eq!(kind_of("arn:aws:rds:eu-west-3:1:db:p", &facts), "rds:db");
        assert_eq!(kind_of("arn:aws:rds:eu-west-3:1:db:w", &facts), "rds:db:aurora");
        assert_eq!(
            kind_of("arn:aws:secretsmanager:eu-west-3:1:secret:rds!db-x-AbCdEf", &facts),
            "secretsmanager:secret:rds"
        );
        assert_eq!(kind_of("arn:aws:secretsmanager:eu-west-3:1:secret:app-AbCdEf", &facts), "secretsmanager:secret");
        assert_eq!(kind_of("arn:aws:s3:::bucket", &facts), "s3");
        assert_eq!(kind_of("arn:aws:apigateway:eu-west-3::/restapis/a1/stages/prod", &facts), "apigateway:restapis");
        assert_eq!(kind_of("xray-sampling:eu-west-3", &facts), "xray-sampling");
        let values = ResourceValues::new("arn:aws:rds:eu-west-3:1:cluster:c", &facts);
        assert_eq!(values.get("instance_class").as_deref(), Some("db.r6g.large"));
        assert_eq!(values.get("engine").as_deref(), Some("aurora-postgresql"));
        let queue = ResourceValues::new("arn:aws:sqs:eu-west-3:1:q", &facts);
        assert_eq!(queue.get("queue_url").as_deref(), Some("https://sqs.eu-west-3.amazonaws.com/1/q"));
    }

    #[test]
    fn the_most_specific_variant_wins() {
        let variants = vec![
            RawVariant {
                kind: Some("rds:db".into()),
                commands: vec!["aws rds modify-db-instance --x {name}".into()],
                note: None,
            },
            RawVariant {
                kind: Some("rds:cluster".into()),
                commands: vec!["aws rds modify-db-cluster --x {name}".into()],
                note: None,
            },
            RawVariant { kind: Some("rds:cluster:aurora".into()), commands: vec![], note: Some("by hand".into()) },
        ];
        let s = FixSpec::parse(variants, BTreeMap::new()).unwrap();
        let facts = Facts::default();
        assert!(s.fill("arn:aws:rds:r:1:cluster:c", &facts).unwrap().commands[0].contains("modify-db-cluster"));
        assert!(s.fill("arn:aws:rds:r:1:db:d", &facts).unwrap().commands[0].contains("modify-db-instance"));
        assert!(s.fill("arn:aws:lambda:r:1:function:f", &facts).is_none());
    }
}

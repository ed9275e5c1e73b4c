//! The team's configuration (`jalon.toml`): cutover date, scope and thresholds.
//!
//! Every threshold has a documented default, so an empty file (or none) is valid.
//! The whole resolved config is handed to the policies as `data.jalon.config`,
//! with the same field names as here.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use crate::error::JalonError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Production cutover day (J+0). `--cutover` overrides it.
    #[serde(deserialize_with = "crate::dates::optional_day")]
    pub cutover: Option<NaiveDate>,
    pub scope: Scope,
    pub thresholds: Thresholds,
    /// Regions where personal data may be stored (GDPR chapter V).
    #[serde(deserialize_with = "regions")]
    pub allowed_regions: Vec<String>,
    /// `[accounts."<id>"]`: what differs for one account of a snapshot directory, as
    /// written (the keys above, a table's keys merged one by one). Not handed to the
    /// policies: [`Config::for_account`] gives each account its whole config.
    #[serde(skip_serializing)]
    accounts: BTreeMap<String, toml::Spanned<toml::Table>>,
    /// The config of each account named under `accounts`, resolved when the file is read.
    #[serde(skip)]
    resolved: BTreeMap<String, Config>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            cutover: None,
            scope: Scope::default(),
            thresholds: Thresholds::default(),
            allowed_regions: [
                "eu-central-1",
                "eu-central-2",
                "eu-north-1",
                "eu-south-1",
                "eu-south-2",
                "eu-west-1",
                "eu-west-2",
                "eu-west-3",
            ]
            .map(String::from)
            .to_vec(),
            accounts: BTreeMap::new(),
            resolved: BTreeMap::new(),
        }
    }
}

/// The keys an `[accounts."<id>"]` table may set.
const ACCOUNT_KEYS: [&str; 4] = ["cutover", "thresholds", "scope", "allowed_regions"];

/// Which resources the controls look at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scope {
    /// A resource is in scope when it carries every one of these tags with that value.
    /// Empty: every resource is in scope.
    pub require_tags: BTreeMap<String, String>,
    /// Resource names (glob patterns) that are never in scope, e.g. `"*-sandbox"`.
    pub exclude_names: Vec<String>,
    /// The tag that carries a data store's or log group's data classification.
    #[serde(deserialize_with = "tag_key")]
    pub data_class_tag: String,
    /// Data-classification values that mean "personal data".
    #[serde(deserialize_with = "personal_classes")]
    pub personal_data_classes: Vec<String>,
    /// Name patterns (glob) and tags that mark the mock code path that must be gone by J+30.
    pub mock_name_patterns: Vec<String>,
    pub mock_tags: BTreeMap<String, String>,
}

impl Scope {
    /// Whether the scope filters anything (tags required or names excluded).
    pub fn filters(&self) -> bool {
        !self.require_tags.is_empty() || !self.exclude_names.is_empty()
    }

    /// The filters, for a message: `require_tags env=prod; exclude_names *-sandbox`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.require_tags.is_empty() {
            let tags: Vec<String> = self.require_tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
            parts.push(format!("scope.require_tags {}", tags.join(", ")));
        }
        if !self.exclude_names.is_empty() {
            parts.push(format!("scope.exclude_names {}", self.exclude_names.join(", ")));
        }
        parts.join("; ")
    }
}

impl Default for Scope {
    fn default() -> Self {
        Scope {
            require_tags: BTreeMap::new(),
            exclude_names: Vec::new(),
            data_class_tag: "data-class".into(),
            personal_data_classes: vec!["personal".into(), "sensitive".into()],
            mock_name_patterns: vec!["*mock*".into()],
            mock_tags: BTreeMap::from([("path".into(), "mock".into())]),
        }
    }
}

/// CloudWatch Logs keeps a log group ten years at most.
const LOG_RETENTION_MAX_DAYS: i64 = 3653;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// LOG-001: minimum retention of a log group, days.
    #[serde(deserialize_with = "whole::<_, 1, LOG_RETENTION_MAX_DAYS>")]
    pub log_retention_floor_days: i64,
    /// LOG-002: maximum retention, days; "never expire" always fails.
    #[serde(deserialize_with = "whole::<_, 1, LOG_RETENTION_MAX_DAYS>")]
    pub log_retention_ceiling_days: i64,
    /// LOG-002: per data class ceiling, overriding the default one.
    #[serde(deserialize_with = "ceilings_by_class")]
    pub log_retention_ceiling_by_class: BTreeMap<String, i64>,
    /// ALM-001: error-rate alarm threshold, percent.
    #[serde(deserialize_with = "positive::<_, 100>")]
    pub error_rate_percent: f64,
    /// ALM-001: period x evaluation periods must not exceed this, seconds.
    #[serde(deserialize_with = "whole::<_, 10, { 7 * 86_400 }>")]
    pub error_rate_window_seconds: i64,
    /// ALM-002: p95 latency alarm threshold, milliseconds.
    #[serde(deserialize_with = "positive::<_, 900_000>")]
    pub latency_p95_ms: f64,
    /// ALM-006: an alarm in INSUFFICIENT_DATA longer than this is stuck, hours.
    #[serde(deserialize_with = "whole::<_, 1, { 366 * 24 }>")]
    pub insufficient_data_max_hours: i64,
    /// OPS-003: the p95 latency since the cutover may exceed the baseline's by this
    /// much, percent.
    #[serde(deserialize_with = "positive::<_, 1000>")]
    pub slo_latency_band_percent: f64,
    /// OPS-003: fewer invocations (requests) since the cutover than this: too little
    /// traffic to judge.
    #[serde(deserialize_with = "whole::<_, 1, 1_000_000_000>")]
    pub slo_min_requests: i64,
    /// OPS-003: windows with fewer requests than this are not judged one by one (one
    /// error in three requests reads 33 %); the whole window's still are.
    #[serde(deserialize_with = "whole::<_, 1, 1_000_000_000>")]
    pub slo_window_min_requests: i64,
    /// OPS-003: a database instance's average CPU in any 5-minute window, percent.
    #[serde(deserialize_with = "positive::<_, 100>")]
    pub db_cpu_max_percent: f64,
    /// ALM-007: the hours after the cutover in which an alarm that fires must be answered.
    #[serde(deserialize_with = "whole::<_, 1, { 31 * 24 }>")]
    pub alarm_watch_hours: i64,
    /// ALM-007: an alarm in ALARM longer than this was not answered, minutes.
    #[serde(deserialize_with = "whole::<_, 5, { 7 * 24 * 60 }>")]
    pub alarm_answer_max_minutes: i64,
    /// DB-001: Performance Insights retention, days.
    #[serde(deserialize_with = "whole::<_, 7, 731>")]
    pub performance_insights_min_days: i64,
    /// DB-004: automated backup retention bounds, days.
    #[serde(deserialize_with = "whole::<_, 1, 35>")]
    pub backup_retention_min_days: i64,
    #[serde(deserialize_with = "whole::<_, 1, 35>")]
    pub backup_retention_max_days: i64,
    /// SEC-001: rotation interval ceiling, days.
    #[serde(deserialize_with = "whole::<_, 1, 1000>")]
    pub secret_rotation_max_days: i64,
    /// AUD-002: how long the audit trail's logs are kept, days.
    #[serde(deserialize_with = "whole::<_, 1, LOG_RETENTION_MAX_DAYS>")]
    pub audit_log_retention_min_days: i64,
    #[serde(deserialize_with = "whole::<_, 1, LOG_RETENTION_MAX_DAYS>")]
    pub audit_log_retention_max_days: i64,
    /// TRC-002: X-Ray sampling fixed rate ceiling (0..1).
    #[serde(deserialize_with = "rate")]
    pub sampling_rate_max: f64,
    /// LOG-004: lowest application log level allowed in production.
    pub min_log_level: String,
    /// LMB-004: runtimes past end of support.
    pub deprecated_runtimes: Vec<String>,
    /// SEC-003: regular expression for credential-looking environment variable names.
    #[serde(deserialize_with = "regular_expression")]
    pub credential_name_pattern: String,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            log_retention_floor_days: 30,
            log_retention_ceiling_days: 365,
            log_retention_ceiling_by_class: BTreeMap::new(),
            error_rate_percent: 2.0,
            error_rate_window_seconds: 300,
            latency_p95_ms: 500.0,
            insufficient_data_max_hours: 24,
            slo_latency_band_percent: 15.0,
            slo_min_requests: 100,
            slo_window_min_requests: 1,
            db_cpu_max_percent: 80.0,
            alarm_watch_hours: 24,
            alarm_answer_max_minutes: 60,
            performance_insights_min_days: 7,
            backup_retention_min_days: 7,
            backup_retention_max_days: 35,
            secret_rotation_max_days: 30,
            audit_log_retention_min_days: 180,
            audit_log_retention_max_days: 365,
            sampling_rate_max: 0.10,
            min_log_level: "INFO".into(),
            deprecated_runtimes: [
                "nodejs",
                "nodejs4.3",
                "nodejs4.3-edge",
                "nodejs6.10",
                "nodejs8.10",
                "nodejs10.x",
                "nodejs12.x",
                "nodejs14.x",
                "nodejs16.x",
                "python2.7",
                "python3.6",
                "python3.7",
                "python3.8",
                "ruby2.5",
                "ruby2.7",
                "java8",
                "dotnetcore1.0",
                "dotnetcore2.0",
                "dotnetcore2.1",
                "dotnetcore3.1",
                "dotnet5.0",
                "dotnet6",
                "go1.x",
                "provided",
            ]
            .map(String::from)
            .to_vec(),
            credential_name_pattern:
                "(?i)(password|passwd|pwd|secret|token|api_?key|access_?key|private_?key|credential)".into(),
        }
    }
}

impl Config {
    /// Reads a config file; errors name the file, the line and column, and what was expected.
    pub fn load(path: &Path) -> Result<Config, JalonError> {
        let text = crate::error::read_text(path)?;
        Config::parse(&text).map_err(|detail| JalonError::input(path, detail))
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        let mut config: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        config.validate()?;
        if !config.accounts.is_empty() {
            let mut top: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
            top.remove("accounts");
            for (id, table) in &config.accounts {
                let resolved = resolve_account(&top, id, table.get_ref()).map_err(|detail| {
                    format!("line {}, at `accounts.\"{id}\"`: {detail}", line_of(text, table.span().start))
                })?;
                config.resolved.insert(id.clone(), resolved);
            }
        }
        Ok(config)
    }

    /// The config one account is judged with: its `[accounts."<id>"]` over the top level.
    pub fn for_account(&self, id: &str) -> &Config {
        self.resolved.get(id).unwrap_or(self)
    }

    /// The accounts that have a table of their own.
    pub fn account_ids(&self) -> impl Iterator<Item = &str> {
        self.resolved.keys().map(String::as_str)
    }

    fn validate(&self) -> Result<(), String> {
        let t = &self.thresholds;
        if t.log_retention_floor_days > t.log_retention_ceiling_days {
            return Err(format!(
                "thresholds.log_retention_floor_days ({}) is above thresholds.log_retention_ceiling_days ({})",
                t.log_retention_floor_days, t.log_retention_ceiling_days
            ));
        }
        if t.backup_retention_min_days > t.backup_retention_max_days {
            return Err(format!(
                "thresholds.backup_retention_min_days ({}) is above thresholds.backup_retention_max_days ({})",
                t.backup_retention_min_days, t.backup_retention_max_days
            ));
        }
        if t.audit_log_retention_min_days > t.audit_log_retention_max_days {
            return Err(format!(
                "thresholds.audit_log_retention_min_days ({}) is above thresholds.audit_log_retention_max_days ({})",
                t.audit_log_retention_min_days, t.audit_log_retention_max_days
            ));
        }
        if !["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"].contains(&t.min_log_level.as_str()) {
            return Err(format!(
                "thresholds.min_log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, found {:?}",
                t.min_log_level
            ));
        }
        for pattern in self.scope.exclude_names.iter().chain(&self.scope.mock_name_patterns) {
            globset::Glob::new(pattern).map_err(|e| format!("scope: bad name pattern {pattern:?}: {e}"))?;
        }
        Ok(())
    }
}

/// The top level with one account's table over it: `cutover` and `allowed_regions`
/// replaced, `thresholds` and `scope` key by key, then read and checked as a whole
/// config would be.
fn resolve_account(top: &toml::Table, id: &str, table: &toml::Table) -> Result<Config, String> {
    // Twelve digits (as `snapshot::index::is_account_id`, a layer this one may not import).
    if !(id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!("expected an account id of 12 digits, found {id:?}"));
    }
    let mut merged = top.clone();
    for (key, value) in table {
        if !ACCOUNT_KEYS.contains(&key.as_str()) {
            return Err(format!("unknown key `{key}`: an account's table sets {}", ACCOUNT_KEYS.join(", ")));
        }
        match (merged.get_mut(key), value) {
            (Some(toml::Value::Table(base)), toml::Value::Table(over)) => {
                base.extend(over.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            _ => {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    let config: Config = toml::Value::Table(merged).try_into().map_err(|e: toml::de::Error| one_line(e.message()))?;
    config.validate()?;
    Ok(config)
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(1, |before| before.matches('\n').count() + 1)
}

// ---------------------------------------------------------------- valid ranges
//
// A threshold out of its range would not fail loudly in a policy: a negative floor
// passes every log group, a NaN compares false everywhere, a pattern that does not
// compile makes its control an error on every run. Each is refused when the file is
// read, with its line (toml places the errors these functions raise).

/// A whole number from MIN to MAX.
fn whole<'de, D: Deserializer<'de>, const MIN: i64, const MAX: i64>(d: D) -> Result<i64, D::Error> {
    let n = i64::deserialize(d)?;
    if (MIN..=MAX).contains(&n) {
        Ok(n)
    } else {
        Err(de::Error::custom(format!("expected a whole number from {MIN} to {MAX}, found {n}")))
    }
}

/// A number above 0 and at most MAX.
fn positive<'de, D: Deserializer<'de>, const MAX: i64>(d: D) -> Result<f64, D::Error> {
    let x = f64::deserialize(d)?;
    // Written so that NaN fails it.
    if x > 0.0 && x <= MAX as f64 {
        Ok(x)
    } else {
        Err(de::Error::custom(format!("expected a number above 0 and at most {MAX}, found {x}")))
    }
}

/// A rate from 0 to 1.
fn rate<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let x = f64::deserialize(d)?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(de::Error::custom(format!("expected a rate from 0 to 1, found {x}")))
    }
}

fn ceilings_by_class<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, i64>, D::Error> {
    let ceilings = BTreeMap::<String, i64>::deserialize(d)?;
    for (class, days) in &ceilings {
        if !(1..=LOG_RETENTION_MAX_DAYS).contains(days) {
            return Err(de::Error::custom(format!(
                "class {class:?}: expected a whole number of days from 1 to {LOG_RETENTION_MAX_DAYS}, found {days}"
            )));
        }
    }
    Ok(ceilings)
}

/// A regular expression the policy engine compiles (regorus uses the same `regex`
/// crate, built with the same features).
fn regular_expression<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let pattern = String::deserialize(d)?;
    regex::Regex::new(&pattern)
        .map_err(|e| de::Error::custom(format!("expected a regular expression: {}", one_line(&e.to_string()))))?;
    Ok(pattern)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// AWS region names (`eu-west-3`, `us-gov-west-1`): a typo would make every store
/// "outside the allowed regions", or, worse, match nothing that was meant.
pub(crate) fn regions<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let regions = Vec::<String>::deserialize(d)?;
    for region in &regions {
        let parts: Vec<&str> = region.split('-').collect();
        let valid = parts.len() >= 3
            && parts[..parts.len() - 1].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
            && parts[parts.len() - 1].parse::<u8>().is_ok();
        if !valid {
            return Err(de::Error::custom(format!(
                "expected AWS region names such as \"eu-west-3\", found {region:?}"
            )));
        }
    }
    Ok(regions)
}

fn tag_key<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let key = String::deserialize(d)?;
    if key.trim().is_empty() {
        return Err(de::Error::custom("expected a tag key, found an empty one: no store would hold personal data"));
    }
    Ok(key)
}

fn personal_classes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let classes = Vec::<String>::deserialize(d)?;
    if classes.is_empty() || classes.iter().any(|c| c.trim().is_empty()) {
        return Err(de::Error::custom(
            "expected one or more non-empty classes: without them no store would hold personal data",
        ));
    }
    Ok(classes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WITH_ACCOUNTS: &str = r#"cutover = "2026-11-20"
allowed_regions = ["eu-west-3"]

[thresholds]
log_retention_floor_days = 60
error_rate_percent = 1.0

[accounts."222222222222"]
cutover = "2026-12-01"
allowed_regions = ["eu-west-1"]

[accounts."222222222222".thresholds]
log_retention_floor_days = 90
"#;

    #[test]
    fn an_account_table_overrides_its_keys_and_thresholds_one_by_one() {
        let config = Config::parse(WITH_ACCOUNTS).unwrap();
        let other = config.for_account("222222222222");
        assert_eq!(other.cutover, NaiveDate::from_ymd_opt(2026, 12, 1));
        assert_eq!(other.allowed_regions, ["eu-west-1"]);
        assert_eq!(other.thresholds.log_retention_floor_days, 90);
        // Not named in the account's table: the top level's, not the default.
        assert_eq!(other.thresholds.error_rate_percent, 1.0);
        let first = config.for_account("111111111111");
        assert_eq!(first.cutover, NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(first.thresholds.log_retention_floor_days, 60);
        assert_eq!(config.account_ids().collect::<Vec<_>>(), ["222222222222"]);
        // The policies read the top level's keys only.
        let data = serde_json::to_value(&config).unwrap();
        assert!(data.get("accounts").is_none() && data.get("resolved").is_none(), "{data}");
    }

    #[test]
    fn a_bad_account_table_is_refused_with_its_line() {
        let cases = [
            (WITH_ACCOUNTS.replace("222222222222", "2222"), "expected an account id of 12 digits"),
            (WITH_ACCOUNTS.replace("cutover = \"2026-12-01\"", "cutoff = \"2026-12-01\""), "unknown key `cutoff`"),
            (WITH_ACCOUNTS.replace("= 90", "= 0"), "expected a whole number from 1"),
            (WITH_ACCOUNTS.replace("= 90", "= 3000"), "is above thresholds.log_retention_ceiling_days"),
            (WITH_ACCOUNTS.replace("= 90", "= 90\nmade_up = 1"), "made_up"),
        ];
        for (text, expected) in cases {
            let err = Config::parse(&text).unwrap_err();
            assert!(err.contains(expected) && err.contains("line 8"), "{expected}: {err}");
            assert!(err.contains("accounts."), "{err}");
        }
    }
}

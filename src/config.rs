//! The team's configuration (`jalon.toml`): cutover date, scope and thresholds.
//!
//! Every threshold has a documented default, so an empty file (or none) is valid.
//! The whole resolved config is handed to the policies as `data.jalon.config`,
//! with the same field names as here.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
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
    pub allowed_regions: Vec<String>,
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
        }
    }
}

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
    pub data_class_tag: String,
    /// Data-classification values that mean "personal data".
    pub personal_data_classes: Vec<String>,
    /// Name patterns (glob) and tags that mark the mock code path that must be gone by J+30.
    pub mock_name_patterns: Vec<String>,
    pub mock_tags: BTreeMap<String, String>,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// LOG-001: minimum retention of a log group, days.
    pub log_retention_floor_days: i64,
    /// LOG-002: maximum retention, days; "never expire" always fails.
    pub log_retention_ceiling_days: i64,
    /// LOG-002: per data class ceiling, overriding the default one.
    pub log_retention_ceiling_by_class: BTreeMap<String, i64>,
    /// ALM-001: error-rate alarm threshold, percent.
    pub error_rate_percent: f64,
    /// ALM-001: period x evaluation periods must not exceed this, seconds.
    pub error_rate_window_seconds: i64,
    /// ALM-002: p95 latency alarm threshold, milliseconds.
    pub latency_p95_ms: f64,
    /// ALM-006: an alarm in INSUFFICIENT_DATA longer than this is stuck, hours.
    pub insufficient_data_max_hours: i64,
    /// DB-001: Performance Insights retention, days.
    pub performance_insights_min_days: i64,
    /// DB-004: automated backup retention bounds, days.
    pub backup_retention_min_days: i64,
    pub backup_retention_max_days: i64,
    /// SEC-001: rotation interval ceiling, days.
    pub secret_rotation_max_days: i64,
    /// TRC-002: X-Ray sampling fixed rate ceiling (0..1).
    pub sampling_rate_max: f64,
    /// LOG-004: lowest application log level allowed in production.
    pub min_log_level: String,
    /// LMB-004: runtimes past end of support.
    pub deprecated_runtimes: Vec<String>,
    /// SEC-003: regular expression for credential-looking environment variable names.
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
            performance_insights_min_days: 7,
            backup_retention_min_days: 7,
            backup_retention_max_days: 35,
            secret_rotation_max_days: 30,
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
        let config: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        config.validate()?;
        Ok(config)
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
        if !(0.0..=1.0).contains(&t.sampling_rate_max) {
            return Err(format!("thresholds.sampling_rate_max must be between 0 and 1, found {}", t.sampling_rate_max));
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

//! Reading, writing and fingerprinting snapshots.

pub mod arn;
pub mod format;
pub mod index;
pub mod merge;
mod model;
mod sections;

pub use model::*;
pub use sections::*;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{read_text, JalonError};

/// A snapshot as read from disk, with the hash of the exact bytes read
/// (the evidence annex and drift reports cite it).
#[derive(Debug, Clone)]
pub struct LoadedSnapshot {
    pub snapshot: Snapshot,
    pub sha256: String,
}

impl LoadedSnapshot {
    pub fn load(path: &Path) -> Result<LoadedSnapshot, JalonError> {
        LoadedSnapshot::from_text(path, &read_text(path)?)
    }

    /// Parses the text read from `path` (named in errors).
    pub fn from_text(path: &Path, text: &str) -> Result<LoadedSnapshot, JalonError> {
        let snapshot = parse(text).map_err(|detail| JalonError::input(path, detail))?;
        Ok(LoadedSnapshot { sha256: sha256_hex(text.as_bytes()), snapshot })
    }

    /// Like [`LoadedSnapshot::from_text`], checking the whole file but keeping only
    /// what [`Snapshot::drop_resources`] keeps.
    pub fn from_text_without_resources(path: &Path, text: &str) -> Result<LoadedSnapshot, JalonError> {
        let snapshot = parse_without_resources(text).map_err(|detail| JalonError::input(path, detail))?;
        Ok(LoadedSnapshot { sha256: sha256_hex(text.as_bytes()), snapshot })
    }
}

/// Parses and checks snapshot JSON as [`parse`] does (the same errors), keeping only
/// the metadata, the collector statuses and the cost: the resource lists come back
/// empty, as after [`Snapshot::drop_resources`].
pub fn parse_without_resources(text: &str) -> Result<Snapshot, String> {
    /// Turns the resource lists back on however the parse ends.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            KEEP_RESOURCES.set(self.0);
        }
    }
    let _restore = Restore(KEEP_RESOURCES.replace(false));
    parse(text)
}

/// Parses snapshot JSON. The error says where (line, column, field path) and what was expected.
pub fn parse(text: &str) -> Result<Snapshot, String> {
    // The fast path: tracking the field path is a large share of the parse time, so
    // it is paid only for a file that does not parse (parsed again).
    let parsed = match serde_json::from_str::<Snapshot>(text) {
        Ok(s) => Ok(s),
        Err(_) => serde_path_to_error::deserialize::<_, Snapshot>(&mut serde_json::Deserializer::from_str(text)),
    };
    let snapshot = match parsed {
        Ok(s) => s,
        Err(err) => {
            // A snapshot from another version fails on some field; say so instead.
            if let Some(found) = schema_version_of(text) {
                if found != u64::from(SCHEMA_VERSION) {
                    return Err(unsupported_version(found));
                }
            }
            let inner = err.inner();
            let path = err.path().to_string();
            return Err(if path.is_empty() || path == "." {
                format!("line {}, column {}: {}", inner.line(), inner.column(), strip_position(inner))
            } else {
                format!("line {}, column {}, at `{}`: {}", inner.line(), inner.column(), path, strip_position(inner))
            });
        }
    };
    if snapshot.schema_version != SCHEMA_VERSION {
        return Err(unsupported_version(u64::from(snapshot.schema_version)));
    }
    Ok(snapshot)
}

fn unsupported_version(found: u64) -> String {
    format!(
        "at `schema_version`: this jalon reads snapshot schema version {SCHEMA_VERSION}, the file has version {found}; collect it again with this version"
    )
}

fn schema_version_of(text: &str) -> Option<u64> {
    #[derive(serde::Deserialize)]
    struct VersionOnly {
        schema_version: u64,
    }
    serde_json::from_str::<VersionOnly>(text).ok().map(|v| v.schema_version)
}

/// serde_json appends " at line L column C" to its messages; we print the position first.
fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The canonical JSON form: pretty, stable field order, trailing newline.
pub fn to_json(snapshot: &Snapshot) -> String {
    let mut text = format::to_string(snapshot);
    text.push('\n');
    text
}

pub fn save(snapshot: &Snapshot, path: &Path) -> Result<String, JalonError> {
    let text = to_json(snapshot);
    // Whole or not at all: tomorrow's drift is measured against this file.
    crate::files::write_whole(path, |out| out.write_all(text.as_bytes()))?;
    Ok(sha256_hex(text.as_bytes()))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Snapshot {
    /// Sorts the regions and every resource list by its key, so that equal account
    /// states give equal files. (The collector statuses follow the collectors' registry:
    /// `collect::registry::sort_statuses`.)
    pub fn normalize(&mut self) {
        self.regions.sort();
        self.regions.dedup();
        for section in self.sections_mut() {
            section.normalize();
        }
    }

    /// Adds another part of the same account (a region's, a collector's): its
    /// collector statuses and resources.
    pub fn append(&mut self, other: Snapshot) {
        // Every field named: a new section does not compile until it is appended here.
        let Snapshot {
            schema_version: _,
            tool: _,
            account: _,
            regions: _,
            collected_at: _,
            collectors,
            cost: _,
            lambda,
            logs,
            rds,
            secretsmanager,
            cloudwatch,
            sns,
            sqs,
            dynamodb,
            elasticache,
            s3,
            apigateway,
            codedeploy,
            appconfig,
            cloudtrail,
            kms,
            xray,
            metrics,
        } = other;
        self.collectors.extend(collectors);
        self.lambda.append(lambda);
        self.logs.append(logs);
        self.rds.append(rds);
        self.secretsmanager.append(secretsmanager);
        self.cloudwatch.append(cloudwatch);
        self.sns.append(sns);
        self.sqs.append(sqs);
        self.dynamodb.append(dynamodb);
        self.elasticache.append(elasticache);
        self.s3.append(s3);
        self.apigateway.append(apigateway);
        self.codedeploy.append(codedeploy);
        self.appconfig.append(appconfig);
        self.cloudtrail.append(cloudtrail);
        self.kms.append(kms);
        self.xray.append(xray);
        self.metrics.append(metrics);
    }

    /// Every section, for what applies to all of them (the one list of them besides
    /// [`Snapshot::append`]; both name every field, so a new section does not compile
    /// until it is listed).
    fn sections_mut(&mut self) -> [&mut dyn Section; 17] {
        let Snapshot {
            schema_version: _,
            tool: _,
            account: _,
            regions: _,
            collected_at: _,
            collectors: _,
            cost: _,
            lambda,
            logs,
            rds,
            secretsmanager,
            cloudwatch,
            sns,
            sqs,
            dynamodb,
            elasticache,
            s3,
            apigateway,
            codedeploy,
            appconfig,
            cloudtrail,
            kms,
            xray,
            metrics,
        } = self;
        [
            lambda,
            logs,
            rds,
            secretsmanager,
            cloudwatch,
            sns,
            sqs,
            dynamodb,
            elasticache,
            s3,
            apigateway,
            codedeploy,
            appconfig,
            cloudtrail,
            kms,
            xray,
            metrics,
        ]
    }

    /// Sets the tags of the resources whose list call does not return them, from the
    /// tagging API's answer (ARN -> tags).
    pub fn apply_tags(&mut self, tags: &std::collections::HashMap<String, Tags>) {
        for section in self.sections_mut() {
            for (arn, resource_tags) in section.tags_mut() {
                if let Some(found) = tags.get(arn) {
                    resource_tags.clone_from(found);
                }
            }
        }
    }

    /// Frees the resource sections, keeping the metadata, the collector statuses and
    /// the cost: all that verdicts and reports read once the engine has its own copy.
    pub fn drop_resources(&mut self) {
        // The metric series stay: the reports chart them (`result::slo`).
        let metrics = std::mem::take(&mut self.metrics);
        for section in self.sections_mut() {
            section.clear();
        }
        self.metrics = metrics;
    }

    /// The status of every collector run for a service, across regions.
    pub fn statuses_of<'a>(&'a self, service: &'a Service) -> impl Iterator<Item = &'a CollectorStatus> {
        self.collectors.iter().filter(move |c| &c.service == service)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dropping_the_resources_keeps_what_verdicts_read() {
        let full = crate::synthetic::generate(300, 5);
        let mut slim = full.clone();
        slim.drop_resources();
        assert!(slim.logs.log_groups.is_empty() && slim.cloudwatch.metric_alarms.is_empty());
        assert!(slim.lambda.functions.is_empty() && slim.secretsmanager.secrets.is_empty());
        assert!(!full.logs.log_groups.is_empty());
        assert_eq!(
            (&slim.account, &slim.regions, &slim.collected_at, &slim.collectors, &slim.cost),
            (&full.account, &full.regions, &full.collected_at, &full.collectors, &full.cost)
        );
    }

    #[test]
    fn reading_without_resources_checks_them_all_the_same() {
        let full = crate::synthetic::generate(300, 5);
        let text = super::to_json(&full);
        let mut slim = full.clone();
        slim.drop_resources();
        assert_eq!(super::parse_without_resources(&text).unwrap(), slim);
        // A bad field deep in a resource list: the same error, at the same place.
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
        value["logs"]["log_groups"][7]["retention_days"] = "forever".into();
        let bad = serde_json::to_string_pretty(&value).unwrap();
        let expected = super::parse(&bad).unwrap_err();
        assert!(expected.contains("at `logs.log_groups[7].retention_days`"), "{expected}");
        assert_eq!(super::parse_without_resources(&bad).unwrap_err(), expected);
        // Resources are kept again after a failed read.
        assert_eq!(super::parse(&text).unwrap(), full);
    }
}

//! Every collector, once: its name, the IAM actions it calls, the snapshot section it
//! fills, the resource types whose tags the tagging API supplies for it, and its
//! function. The name is what the snapshot's collector statuses and the policies'
//! METADATA `evidence` say; `examples/iam-policy.json` grants exactly the actions
//! listed here (a test keeps the three in step).
//!
//! Adding a collector: its module under `collect/`, its section under
//! `snapshot/sections/`, one line here, its tests (ARCHITECTURE.md, "Adding a
//! collector").

use futures::future::BoxFuture;

use crate::collect::context::Context;
use crate::collect::{
    apigateway, appconfig, cloudtrail, cloudwatch, codedeploy, dynamodb, elasticache, kms, lambda, logs, metrics, rds,
    s3, secrets, sns, sqs, tagging, xray, Failure, Part,
};
use crate::snapshot::{CollectorStatus, Snapshot};

/// What a collector runs in one region.
pub type CollectFn = for<'a> fn(&'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>>;

/// What a collector runs in one region on what the others found there.
pub type FollowFn = for<'a> fn(&'a Context<'a>, &'a Snapshot) -> BoxFuture<'a, Result<Part, Failure>>;

/// When a collector runs.
#[derive(Clone, Copy)]
pub enum Run {
    /// Once per collection or account, by `collect` itself (the caller's identity, the
    /// account's regions).
    Once,
    /// In each region, beside the others.
    InRegion(CollectFn),
    /// In each region once the others are done, on what they found (the metric data
    /// of the functions, stages and instances listed); only when a metric window is
    /// planned (`collect --metrics`, or a cutover date).
    AfterRegion(FollowFn),
}

pub struct Collector {
    /// In the snapshot (`collectors[].service`) and in METADATA (`custom.evidence`).
    pub name: &'static str,
    /// The read-only IAM actions it calls.
    pub actions: &'static [&'static str],
    /// The snapshot section it fills; None for the caller's identity and the tags.
    pub section: Option<&'static str>,
    /// Resource types (`lambda:function`) whose list calls return no tags: the tagging
    /// collector reads theirs.
    pub tag_types: &'static [&'static str],
    pub run: Run,
}

pub const COLLECTORS: &[Collector] = &[
    Collector { name: "sts", actions: &["sts:GetCallerIdentity"], section: None, tag_types: &[], run: Run::Once },
    Collector {
        name: "lambda",
        actions: &[
            "lambda:ListFunctions",
            "lambda:GetFunctionConcurrency",
            "lambda:ListAliases",
            "lambda:ListFunctionEventInvokeConfigs",
            "lambda:GetPolicy",
            "lambda:ListEventSourceMappings",
        ],
        section: Some("lambda"),
        tag_types: &["lambda:function"],
        run: Run::InRegion(lambda::collect),
    },
    Collector {
        name: "logs",
        actions: &["logs:DescribeLogGroups"],
        section: Some("logs"),
        tag_types: &["logs:log-group"],
        run: Run::InRegion(logs::collect),
    },
    Collector {
        name: "rds",
        actions: &[
            "rds:DescribeDBInstances",
            "rds:DescribeDBClusters",
            "rds:DescribeDBParameters",
            "rds:DescribeDBClusterParameters",
        ],
        section: Some("rds"),
        tag_types: &[],
        run: Run::InRegion(rds::collect),
    },
    Collector {
        name: "secretsmanager",
        actions: &["secretsmanager:ListSecrets"],
        section: Some("secretsmanager"),
        tag_types: &[],
        run: Run::InRegion(secrets::collect),
    },
    Collector {
        name: "cloudwatch",
        actions: &["cloudwatch:DescribeAlarms"],
        section: Some("cloudwatch"),
        tag_types: &["cloudwatch:alarm"],
        run: Run::InRegion(cloudwatch::collect),
    },
    Collector {
        name: "sns",
        actions: &["sns:ListTopics", "sns:ListSubscriptions"],
        section: Some("sns"),
        tag_types: &[],
        run: Run::InRegion(sns::collect),
    },
    Collector {
        name: "sqs",
        actions: &["sqs:ListQueues", "sqs:GetQueueAttributes"],
        section: Some("sqs"),
        tag_types: &["sqs"],
        run: Run::InRegion(sqs::collect),
    },
    Collector {
        name: "dynamodb",
        actions: &[
            "dynamodb:ListTables",
            "dynamodb:DescribeTable",
            "dynamodb:DescribeContinuousBackups",
            "dynamodb:DescribeTimeToLive",
        ],
        section: Some("dynamodb"),
        tag_types: &["dynamodb:table"],
        run: Run::InRegion(dynamodb::collect),
    },
    Collector {
        name: "elasticache",
        actions: &["elasticache:DescribeReplicationGroups", "elasticache:DescribeServerlessCaches"],
        section: Some("elasticache"),
        tag_types: &["elasticache:replicationgroup", "elasticache:serverlesscache"],
        run: Run::InRegion(elasticache::collect),
    },
    Collector {
        name: "s3",
        actions: &[
            "s3:ListAllMyBuckets",
            "s3:GetBucketPublicAccessBlock",
            "s3:GetEncryptionConfiguration",
            "s3:GetBucketPolicy",
            "s3:GetLifecycleConfiguration",
            "s3:GetBucketVersioning",
            "s3:GetBucketObjectLockConfiguration",
            "s3:GetAccountPublicAccessBlock",
        ],
        section: Some("s3"),
        tag_types: &["s3"],
        run: Run::InRegion(s3::collect),
    },
    Collector {
        name: "apigateway",
        // API Gateway's IAM actions are HTTP verbs on its resources: GET reads.
        actions: &["apigateway:GET"],
        section: Some("apigateway"),
        tag_types: &[],
        run: Run::InRegion(apigateway::collect),
    },
    Collector {
        name: "codedeploy",
        actions: &[
            "codedeploy:ListApplications",
            "codedeploy:BatchGetApplications",
            "codedeploy:ListDeploymentGroups",
            "codedeploy:BatchGetDeploymentGroups",
        ],
        section: Some("codedeploy"),
        tag_types: &["codedeploy:deploymentgroup"],
        run: Run::InRegion(codedeploy::collect),
    },
    Collector {
        name: "appconfig",
        actions: &["appconfig:ListApplications", "appconfig:ListEnvironments"],
        section: Some("appconfig"),
        tag_types: &[],
        run: Run::InRegion(appconfig::collect),
    },
    Collector {
        name: "cloudtrail",
        actions: &["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus"],
        section: Some("cloudtrail"),
        tag_types: &[],
        run: Run::InRegion(cloudtrail::collect),
    },
    Collector {
        name: "kms",
        actions: &["kms:ListKeys", "kms:ListAliases", "kms:DescribeKey", "kms:GetKeyRotationStatus"],
        section: Some("kms"),
        tag_types: &[],
        run: Run::InRegion(kms::collect),
    },
    Collector {
        name: "xray",
        actions: &["xray:GetSamplingRules", "xray:GetEncryptionConfig", "xray:GetGroups"],
        section: Some("xray"),
        tag_types: &[],
        run: Run::InRegion(xray::collect),
    },
    Collector {
        name: "tagging",
        actions: &["tag:GetResources"],
        section: None,
        tag_types: &[],
        run: Run::InRegion(tagging::collect),
    },
    Collector {
        name: "metrics",
        actions: &["cloudwatch:GetMetricData", "cloudwatch:DescribeAlarmHistory"],
        section: Some("metrics"),
        tag_types: &[],
        run: Run::AfterRegion(metrics::collect),
    },
    // The regions enabled in an account, read by a multi-account run that was given
    // no region (collect::accounts).
    Collector { name: "account", actions: &["account:ListRegions"], section: None, tag_types: &[], run: Run::Once },
];

/// The collector of that name.
pub fn find(name: &str) -> Option<&'static Collector> {
    COLLECTORS.iter().find(|c| c.name == name)
}

/// Every collector's name, in registry order.
pub fn names() -> impl Iterator<Item = &'static str> {
    COLLECTORS.iter().map(|c| c.name)
}

/// Every IAM action the collectors call.
pub fn actions() -> impl Iterator<Item = &'static str> {
    COLLECTORS.iter().flat_map(|c| c.actions.iter().copied())
}

/// The collectors that run in each region, beside each other.
pub fn regional() -> impl Iterator<Item = (&'static Collector, CollectFn)> {
    COLLECTORS.iter().filter_map(|c| match c.run {
        Run::InRegion(f) => Some((c, f)),
        _ => None,
    })
}

/// The collectors that run in each region after the others, on what they found.
pub fn follow_ups() -> impl Iterator<Item = (&'static Collector, FollowFn)> {
    COLLECTORS.iter().filter_map(|c| match c.run {
        Run::AfterRegion(f) => Some((c, f)),
        _ => None,
    })
}

/// The resource types whose tags the tagging collector reads.
pub fn tag_types() -> impl Iterator<Item = &'static str> {
    COLLECTORS.iter().flat_map(|c| c.tag_types.iter().copied())
}

/// Collector statuses in the registry's order (as snapshots have always listed them),
/// then by region: the same account gives the same file.
pub fn sort_statuses(statuses: &mut [CollectorStatus]) {
    let position = |s: &CollectorStatus| names().position(|n| n == s.service.as_str()).unwrap_or(usize::MAX);
    statuses.sort_by(|a, b| (position(a), &a.region).cmp(&(position(b), &b.region)));
}

/// "`x`: unknown collector, expected one of sts, lambda, ..." when `name` is not one.
pub fn check_name(name: &str) -> Result<(), String> {
    match find(name) {
        Some(_) => Ok(()),
        None => Err(format!("unknown collector `{name}`, expected one of {}", names().collect::<Vec<_>>().join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_actions_are_unique_and_read_only() {
        let names: Vec<&str> = names().collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        for action in actions() {
            let (_, operation) = action.split_once(':').expect("service:Operation");
            assert!(
                ["Get", "List", "Describe", "BatchGet"].iter().any(|verb| operation.starts_with(verb))
                    || operation == "GET",
                "{action} is not a read-only call"
            );
        }
        // Never a call that returns a secret value (ListFunctions returns environment
        // values too: lambda.rs drops them as it reads them, and a canary test checks).
        for forbidden in [
            "secretsmanager:GetSecretValue",
            "secretsmanager:BatchGetSecretValue",
            "lambda:GetFunction",
            "lambda:GetFunctionConfiguration",
            "ssm:GetParameter",
            "ssm:GetParameters",
        ] {
            assert!(!actions().any(|a| a == forbidden), "{forbidden}");
        }
        assert!(check_name("lambda").is_ok());
        assert!(check_name("ec2").unwrap_err().contains("expected one of sts, lambda"));
    }
}

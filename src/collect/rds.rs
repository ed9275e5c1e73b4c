//! RDS: DB instances and clusters, and the parameters of the custom parameter
//! groups they use (only user-set values, only the ones controls read).

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_rds::types::Parameter;
use aws_sdk_rds::Client;
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::future::BoxFuture;

use crate::collect::{owned, Context, Failure, Part};
use crate::snapshot::{DbCluster, DbInstance, DbParameterGroup, Snapshot, Tags};

/// Parameters controls read (GDP-004: encryption in transit).
const KEPT_PARAMETERS: &[&str] = &["rds.force_ssl", "require_secure_transport"];

fn tags(list: &[aws_sdk_rds::types::Tag]) -> Tags {
    list.iter().map(|t| (t.key().unwrap_or_default().to_string(), t.value().unwrap_or_default().to_string())).collect()
}

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let config = aws_sdk_rds::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let mut part = Snapshot::default();
    let section = &mut part.rds;

    let pages = client.describe_db_instances().max_records(100).into_paginator().send();
    cx.pages("DescribeDBInstances", pages, |page| {
        for db in page.db_instances.unwrap_or_default() {
            section.instances.push(DbInstance {
                arn: db.db_instance_arn().unwrap_or_default().to_string(),
                identifier: db.db_instance_identifier().unwrap_or_default().to_string(),
                region: cx.region.to_string(),
                engine: db.engine().unwrap_or_default().to_string(),
                engine_version: owned(db.engine_version()),
                instance_class: owned(db.db_instance_class()),
                cluster_identifier: owned(db.db_cluster_identifier()),
                storage_encrypted: db.storage_encrypted().unwrap_or(false),
                kms_key_id: owned(db.kms_key_id()),
                performance_insights_enabled: db.performance_insights_enabled().unwrap_or(false),
                performance_insights_retention_days: db.performance_insights_retention_period(),
                backup_retention_days: db.backup_retention_period().unwrap_or(0),
                deletion_protection: db.deletion_protection().unwrap_or(false),
                multi_az: db.multi_az().unwrap_or(false),
                publicly_accessible: db.publicly_accessible().unwrap_or(false),
                iam_auth_enabled: db.iam_database_authentication_enabled().unwrap_or(false),
                master_user_secret_arn: db.master_user_secret().and_then(|s| owned(s.secret_arn())),
                cloudwatch_logs_exports: db.enabled_cloudwatch_logs_exports().to_vec(),
                parameter_groups: db
                    .db_parameter_groups()
                    .iter()
                    .filter_map(|g| owned(g.db_parameter_group_name()))
                    .collect(),
                read_replica_source: owned(db.read_replica_source_db_instance_identifier()),
                tags: tags(db.tag_list()),
            });
        }
    })
    .await?;

    let pages = client.describe_db_clusters().max_records(100).into_paginator().send();
    cx.pages("DescribeDBClusters", pages, |page| {
        for c in page.db_clusters.unwrap_or_default() {
            section.clusters.push(DbCluster {
                arn: c.db_cluster_arn().unwrap_or_default().to_string(),
                identifier: c.db_cluster_identifier().unwrap_or_default().to_string(),
                region: cx.region.to_string(),
                engine: c.engine().unwrap_or_default().to_string(),
                engine_version: owned(c.engine_version()),
                storage_encrypted: c.storage_encrypted().unwrap_or(false),
                kms_key_id: owned(c.kms_key_id()),
                performance_insights_enabled: c.performance_insights_enabled().unwrap_or(false),
                performance_insights_retention_days: c.performance_insights_retention_period(),
                backup_retention_days: c.backup_retention_period().unwrap_or(0),
                deletion_protection: c.deletion_protection().unwrap_or(false),
                multi_az: c.multi_az().unwrap_or(false),
                publicly_accessible: c.publicly_accessible().unwrap_or(false),
                iam_auth_enabled: c.iam_database_authentication_enabled().unwrap_or(false),
                master_user_secret_arn: c.master_user_secret().and_then(|s| owned(s.secret_arn())),
                cloudwatch_logs_exports: c.enabled_cloudwatch_logs_exports().to_vec(),
                parameter_group: owned(c.db_cluster_parameter_group()),
                members: c.db_cluster_members().iter().filter_map(|m| owned(m.db_instance_identifier())).collect(),
                tags: tags(c.tag_list()),
            });
        }
    })
    .await?;

    // Default parameter groups hold engine defaults: nothing to read there.
    let custom = |name: &String| !name.starts_with("default.");
    let instance_groups: BTreeSet<String> =
        section.instances.iter().flat_map(|i| i.parameter_groups.iter().cloned()).filter(custom).collect();
    let cluster_groups: BTreeSet<String> =
        section.clusters.iter().filter_map(|c| c.parameter_group.clone()).filter(custom).collect();
    for name in instance_groups {
        let pages = client
            .describe_db_parameters()
            .db_parameter_group_name(&name)
            .source("user")
            .max_records(100)
            .into_paginator()
            .send();
        let group = parameter_group(cx, "DescribeDBParameters", name, false, pages, |p| p.parameters()).await?;
        section.parameter_groups.push(group);
    }
    for name in cluster_groups {
        let pages = client
            .describe_db_cluster_parameters()
            .db_cluster_parameter_group_name(&name)
            .source("user")
            .max_records(100)
            .into_paginator()
            .send();
        let group = parameter_group(cx, "DescribeDBClusterParameters", name, true, pages, |p| p.parameters()).await?;
        section.parameter_groups.push(group);
    }
    Ok(Part::Resources(Box::new(part)))
}

/// A parameter group with the user-set parameters controls read, from its pages.
async fn parameter_group<T, E>(
    cx: &Context<'_>,
    operation: &str,
    name: String,
    cluster: bool,
    pages: PaginationStream<Result<T, SdkError<E, HttpResponse>>>,
    parameters_of: fn(&T) -> &[Parameter],
) -> Result<DbParameterGroup, Failure>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let mut parameters = BTreeMap::new();
    cx.pages(operation, pages, |page| {
        for p in parameters_of(&page) {
            if let (Some(name), Some(value)) = (p.parameter_name(), p.parameter_value()) {
                if KEPT_PARAMETERS.contains(&name) {
                    parameters.insert(name.to_string(), value.to_string());
                }
            }
        }
    })
    .await?;
    Ok(DbParameterGroup { name, region: cx.region.to_string(), cluster, parameters })
}

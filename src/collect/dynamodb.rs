//! DynamoDB: tables. ListTables returns names only, and no single call describes a
//! table's protection: per table, DescribeTable (encryption, deletion protection,
//! replicas), DescribeContinuousBackups (point-in-time recovery, DDB-001) and
//! DescribeTimeToLive (how items expire, GDP-005). Tags come in bulk from the tagging
//! API. Items are never read.

use aws_sdk_dynamodb::types::{PointInTimeRecoveryStatus, SseStatus, SseType, TimeToLiveStatus};
use aws_sdk_dynamodb::Client;
use futures::future::BoxFuture;

use crate::collect::{Context, Failure, Part};
use crate::snapshot::{DynamoDbTable, Snapshot};

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let config = aws_sdk_dynamodb::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let mut names = Vec::new();
    let pages = client.list_tables().limit(100).into_paginator().send();
    cx.pages("ListTables", pages, |page| names.extend(page.table_names.unwrap_or_default())).await?;
    let tables = cx.for_each(names, |name| table(cx, &client, name)).await?;
    let mut part = Snapshot::default();
    part.dynamodb.tables = tables.into_iter().flatten().collect();
    Ok(Part::Resources(Box::new(part)))
}

/// A table's settings; None when it was deleted after it was listed.
async fn table(cx: &Context<'_>, client: &Client, name: String) -> Result<Option<DynamoDbTable>, Failure> {
    let described = client.describe_table().table_name(&name).send();
    let Some(table) = cx.call_unless_absent("DescribeTable", described, is_gone).await?.and_then(|d| d.table) else {
        return Ok(None);
    };
    let backups = client.describe_continuous_backups().table_name(&name).send();
    let Some(backups) = cx.call_unless_absent("DescribeContinuousBackups", backups, is_gone).await? else {
        return Ok(None);
    };
    let ttl = client.describe_time_to_live().table_name(&name).send();
    let Some(ttl) = cx.call_unless_absent("DescribeTimeToLive", ttl, is_gone).await? else {
        return Ok(None);
    };
    let point_in_time_recovery = backups
        .continuous_backups_description
        .and_then(|c| c.point_in_time_recovery_description)
        .and_then(|p| p.point_in_time_recovery_status)
        == Some(PointInTimeRecoveryStatus::Enabled);
    let ttl_attribute = ttl.time_to_live_description.and_then(|t| {
        let on = matches!(t.time_to_live_status, Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling));
        t.attribute_name.filter(|_| on)
    });
    // SSE-KMS when the description says so; without one (or the legacy AES256 type)
    // the table is encrypted with the AWS owned key.
    let kms_key_arn = table.sse_description.and_then(|sse| {
        let active = !matches!(sse.status, Some(SseStatus::Disabled | SseStatus::Disabling));
        sse.kms_master_key_arn.filter(|k| active && sse.sse_type == Some(SseType::Kms) && !k.is_empty())
    });
    let region = cx.region.to_string();
    let replica_regions =
        table.replicas.unwrap_or_default().into_iter().filter_map(|r| r.region_name).filter(|r| *r != region).collect();
    Ok(Some(DynamoDbTable {
        arn: table.table_arn.unwrap_or_default(),
        status: table.table_status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        kms_key_arn,
        point_in_time_recovery,
        deletion_protection: table.deletion_protection_enabled == Some(true),
        ttl_attribute,
        replica_regions,
        tags: Default::default(),
        region,
        name,
    }))
}

/// DescribeTable's and DescribeTimeToLive's code, and DescribeContinuousBackups'.
fn is_gone(code: &str) -> bool {
    matches!(code, "ResourceNotFoundException" | "TableNotFoundException")
}

//! CloudWatch Logs: log groups with retention, encryption and class.

use aws_sdk_cloudwatchlogs::Client;
use futures::future::BoxFuture;

use crate::collect::{owned, Context, Failure, Part};
use crate::snapshot::{LogGroup, Snapshot};

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let config = aws_sdk_cloudwatchlogs::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let mut part = Snapshot::default();
    // 50 is the largest page DescribeLogGroups allows.
    let pages = client.describe_log_groups().limit(50).into_paginator().send();
    cx.pages("DescribeLogGroups", pages, |page| {
        for g in page.log_groups.unwrap_or_default() {
            let name = g.log_group_name().unwrap_or_default().to_string();
            // `arn` ends in `:*`; the tagging API and IAM use the form without it.
            let arn = g
                .log_group_arn()
                .map(str::to_string)
                .or_else(|| g.arn().map(|a| a.trim_end_matches(":*").to_string()))
                .unwrap_or_else(|| format!("arn:aws:logs:{}:{}:log-group:{name}", cx.region, cx.account_id));
            part.logs.log_groups.push(LogGroup {
                arn,
                name,
                region: cx.region.to_string(),
                retention_days: g.retention_in_days(),
                kms_key_id: owned(g.kms_key_id()),
                data_protection_status: g.data_protection_status().map(|s| s.as_str().to_string()),
                log_group_class: g.log_group_class().map(|c| c.as_str().to_string()),
                #[allow(deprecated)]
                stored_bytes: g.stored_bytes(),
                creation_time: g
                    .creation_time()
                    .and_then(chrono::DateTime::from_timestamp_millis)
                    .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                tags: Default::default(),
            });
        }
    })
    .await?;
    Ok(Part::Resources(Box::new(part)))
}

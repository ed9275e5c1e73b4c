//! Secrets Manager: metadata only. ListSecrets returns everything the controls
//! need (rotation, KMS key, owner, tags); `GetSecretValue` is never called, and
//! neither is DescribeSecret (it would add one call per secret for nothing new).

use aws_sdk_secretsmanager::Client;
use futures::future::BoxFuture;

use crate::collect::{owned, timestamp, Context, Failure, Part};
use crate::snapshot::{Secret, Snapshot};

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let config = aws_sdk_secretsmanager::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let mut part = Snapshot::default();
    let pages = client.list_secrets().max_results(100).into_paginator().send();
    cx.pages("ListSecrets", pages, |page| {
        for s in page.secret_list.unwrap_or_default() {
            let rules = s.rotation_rules();
            part.secretsmanager.secrets.push(Secret {
                arn: s.arn().unwrap_or_default().to_string(),
                name: s.name().unwrap_or_default().to_string(),
                region: cx.region.to_string(),
                description: owned(s.description()),
                kms_key_id: owned(s.kms_key_id()),
                rotation_enabled: s.rotation_enabled().unwrap_or(false),
                rotation_lambda_arn: owned(s.rotation_lambda_arn()),
                rotation_every_days: rules.and_then(|r| r.automatically_after_days()),
                rotation_schedule_expression: rules.and_then(|r| owned(r.schedule_expression())),
                last_rotated_at: timestamp(s.last_rotated_date()),
                next_rotation_at: timestamp(s.next_rotation_date()),
                last_changed_at: timestamp(s.last_changed_date()),
                created_at: timestamp(s.created_date()),
                owning_service: owned(s.owning_service()),
                tags: s
                    .tags()
                    .iter()
                    .map(|t| (t.key().unwrap_or_default().to_string(), t.value().unwrap_or_default().to_string()))
                    .collect(),
            });
        }
    })
    .await?;
    Ok(Part::Resources(Box::new(part)))
}

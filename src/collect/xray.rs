//! X-Ray: sampling rules, encryption configuration and groups.

use aws_sdk_xray::Client;

use futures::future::BoxFuture;

use crate::collect::{owned, Context, Failure, Part};
use crate::snapshot::{SamplingRule, Snapshot, XRayEncryption, XRayGroup};

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let config = aws_sdk_xray::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let mut part = Snapshot::default();
    let section = &mut part.xray;

    cx.pages("GetSamplingRules", client.get_sampling_rules().into_paginator().send(), |page| {
        for record in page.sampling_rule_records.unwrap_or_default() {
            let Some(r) = record.sampling_rule() else {
                continue;
            };
            section.sampling_rules.push(SamplingRule {
                arn: r.rule_arn().unwrap_or_default().to_string(),
                name: r.rule_name().unwrap_or_default().to_string(),
                region: cx.region.to_string(),
                priority: r.priority(),
                fixed_rate: r.fixed_rate(),
                reservoir_size: r.reservoir_size(),
                service_name: r.service_name().to_string(),
                service_type: r.service_type().to_string(),
                host: r.host().to_string(),
                http_method: r.http_method().to_string(),
                url_path: r.url_path().to_string(),
                resource_arn: r.resource_arn().to_string(),
            });
        }
    })
    .await?;

    let encryption = cx.call("GetEncryptionConfig", client.get_encryption_config().send()).await?;
    let config = encryption.encryption_config();
    section.encryption_configs.push(XRayEncryption {
        region: cx.region.to_string(),
        encryption_type: config
            .and_then(|c| c.r#type())
            .map(|t| t.as_str().to_string())
            .unwrap_or_else(|| "NONE".into()),
        key_id: config.and_then(|c| owned(c.key_id())),
        status: config.and_then(|c| c.status()).map(|s| s.as_str().to_string()),
    });

    cx.pages("GetGroups", client.get_groups().into_paginator().send(), |page| {
        for g in page.groups.unwrap_or_default() {
            section.groups.push(XRayGroup {
                arn: g.group_arn().unwrap_or_default().to_string(),
                name: g.group_name().unwrap_or_default().to_string(),
                region: cx.region.to_string(),
                filter_expression: owned(g.filter_expression()),
                insights_enabled: g.insights_configuration().and_then(|i| i.insights_enabled()).unwrap_or(false),
            });
        }
    })
    .await?;
    Ok(Part::Resources(Box::new(part)))
}

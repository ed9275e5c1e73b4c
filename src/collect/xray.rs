//! X-Ray: sampling rules, encryption configuration and groups.

use aws_sdk_xray::Client;

use crate::collect::{classify, owned, Failure, RegionContext};
use crate::snapshot::{SamplingRule, Service, XRayEncryption, XRayGroup, XRaySection};

pub async fn collect(cx: &RegionContext) -> Result<XRaySection, Failure> {
    let config = aws_sdk_xray::config::Builder::from(cx.sdk()).interceptor(cx.recorder(Service::Xray)).build();
    let client = Client::from_conf(config);
    let mut section = XRaySection::default();

    let mut pages = client.get_sampling_rules().into_paginator().send();
    loop {
        cx.throttle(Service::Xray).await;
        let Some(page) = pages.next().await else {
            break;
        };
        for record in page.map_err(|e| classify("GetSamplingRules", &e))?.sampling_rule_records.unwrap_or_default() {
            let Some(r) = record.sampling_rule() else {
                continue;
            };
            section.sampling_rules.push(SamplingRule {
                arn: r.rule_arn().unwrap_or_default().to_string(),
                name: r.rule_name().unwrap_or_default().to_string(),
                region: cx.region.clone(),
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
    }

    cx.throttle(Service::Xray).await;
    let encryption = client.get_encryption_config().send().await.map_err(|e| classify("GetEncryptionConfig", &e))?;
    let config = encryption.encryption_config();
    section.encryption_configs.push(XRayEncryption {
        region: cx.region.clone(),
        encryption_type: config
            .and_then(|c| c.r#type())
            .map(|t| t.as_str().to_string())
            .unwrap_or_else(|| "NONE".into()),
        key_id: config.and_then(|c| owned(c.key_id())),
        status: config.and_then(|c| c.status()).map(|s| s.as_str().to_string()),
    });

    let mut pages = client.get_groups().into_paginator().send();
    loop {
        cx.throttle(Service::Xray).await;
        let Some(page) = pages.next().await else {
            break;
        };
        for g in page.map_err(|e| classify("GetGroups", &e))?.groups.unwrap_or_default() {
            section.groups.push(XRayGroup {
                arn: g.group_arn().unwrap_or_default().to_string(),
                name: g.group_name().unwrap_or_default().to_string(),
                region: cx.region.clone(),
                filter_expression: owned(g.filter_expression()),
                insights_enabled: g.insights_configuration().and_then(|i| i.insights_enabled()).unwrap_or(false),
            });
        }
    }
    Ok(section)
}

//! Tags for the resources whose list calls do not return them (Lambda functions,
//! log groups, alarms), in bulk: one GetResources page covers 100 resources where
//! per-resource ListTags calls would cost one call each.

use std::collections::HashMap;

use aws_sdk_resourcegroupstagging::Client;

use crate::collect::{classify, Failure, RegionContext};
use crate::snapshot::{Service, Tags};

const RESOURCE_TYPES: &[&str] = &["lambda:function", "logs:log-group", "cloudwatch:alarm"];

pub async fn collect(cx: &RegionContext) -> Result<HashMap<String, Tags>, Failure> {
    let config = aws_sdk_resourcegroupstagging::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder(Service::Tagging))
        .build();
    let client = Client::from_conf(config);
    let mut tags = HashMap::new();
    let mut request = client.get_resources().resources_per_page(100);
    for t in RESOURCE_TYPES {
        request = request.resource_type_filters(*t);
    }
    let mut pages = request.into_paginator().send();
    loop {
        cx.throttle(Service::Tagging).await;
        let Some(page) = pages.next().await else {
            break;
        };
        for mapping in page.map_err(|e| classify("GetResources", &e))?.resource_tag_mapping_list.unwrap_or_default() {
            let Some(arn) = mapping.resource_arn() else {
                continue;
            };
            let resource_tags: Tags =
                mapping.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect();
            tags.insert(arn.to_string(), resource_tags);
        }
    }
    Ok(tags)
}

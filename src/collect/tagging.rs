//! Tags for the resources whose list calls do not return them (the registry's
//! `tag_types`: Lambda functions, log groups, alarms), in bulk: one GetResources page
//! covers 100 resources where per-resource ListTags calls would cost one call each.

use std::collections::HashMap;

use aws_sdk_resourcegroupstagging::Client;
use futures::future::BoxFuture;

use crate::collect::{registry, Context, Failure, Part};
use crate::snapshot::Tags;

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let config = aws_sdk_resourcegroupstagging::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let mut tags = HashMap::new();
    let mut request = client.get_resources().resources_per_page(100);
    for t in registry::tag_types() {
        request = request.resource_type_filters(t);
    }
    cx.pages("GetResources", request.into_paginator().send(), |page| {
        for mapping in page.resource_tag_mapping_list.unwrap_or_default() {
            let Some(arn) = mapping.resource_arn() else {
                continue;
            };
            let resource_tags: Tags =
                mapping.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect();
            tags.insert(arn.to_string(), resource_tags);
        }
    })
    .await?;
    Ok(Part::Tags(tags))
}

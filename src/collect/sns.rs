//! SNS: topics and subscriptions (where alarms notify). Two paginated calls cover
//! the account; endpoints are masked before they reach the snapshot.

use aws_sdk_sns::Client;
use futures::future::BoxFuture;

use crate::collect::{mask_endpoint, Context, Failure, Part};
use crate::snapshot::{Snapshot, SnsSubscription, SnsTopic};

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let config = aws_sdk_sns::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let mut part = Snapshot::default();
    let section = &mut part.sns;
    cx.pages("ListTopics", client.list_topics().into_paginator().send(), |page| {
        for t in page.topics.unwrap_or_default() {
            let arn = t.topic_arn().unwrap_or_default().to_string();
            let name = arn.rsplit(':').next().unwrap_or_default().to_string();
            section.topics.push(SnsTopic { arn, name, region: cx.region.to_string() });
        }
    })
    .await?;
    cx.pages("ListSubscriptions", client.list_subscriptions().into_paginator().send(), |page| {
        for s in page.subscriptions.unwrap_or_default() {
            let protocol = s.protocol().unwrap_or_default().to_string();
            // Unconfirmed subscriptions carry a placeholder instead of an ARN.
            let arn = s.subscription_arn().filter(|a| a.starts_with("arn:")).map(str::to_string);
            section.subscriptions.push(SnsSubscription {
                confirmed: arn.is_some(),
                arn,
                topic_arn: s.topic_arn().unwrap_or_default().to_string(),
                region: cx.region.to_string(),
                endpoint: mask_endpoint(&protocol, s.endpoint().unwrap_or_default()),
                protocol,
            });
        }
    })
    .await?;
    Ok(Part::Resources(Box::new(part)))
}

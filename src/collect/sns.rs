//! SNS: topics and subscriptions (where alarms notify). Two paginated calls cover
//! the account; endpoints are masked before they reach the snapshot.

use aws_sdk_sns::Client;

use crate::collect::{classify, mask_endpoint, Failure, RegionContext};
use crate::snapshot::{Service, SnsSection, SnsSubscription, SnsTopic};

pub async fn collect(cx: &RegionContext) -> Result<SnsSection, Failure> {
    let config = aws_sdk_sns::config::Builder::from(cx.sdk()).interceptor(cx.recorder(Service::Sns)).build();
    let client = Client::from_conf(config);
    let mut section = SnsSection::default();

    let mut pages = client.list_topics().into_paginator().send();
    loop {
        cx.throttle(Service::Sns).await;
        let Some(page) = pages.next().await else {
            break;
        };
        for t in page.map_err(|e| classify("ListTopics", &e))?.topics.unwrap_or_default() {
            let arn = t.topic_arn().unwrap_or_default().to_string();
            let name = arn.rsplit(':').next().unwrap_or_default().to_string();
            section.topics.push(SnsTopic { arn, name, region: cx.region.clone() });
        }
    }

    let mut pages = client.list_subscriptions().into_paginator().send();
    loop {
        cx.throttle(Service::Sns).await;
        let Some(page) = pages.next().await else {
            break;
        };
        for s in page.map_err(|e| classify("ListSubscriptions", &e))?.subscriptions.unwrap_or_default() {
            let protocol = s.protocol().unwrap_or_default().to_string();
            // Unconfirmed subscriptions carry a placeholder instead of an ARN.
            let arn = s.subscription_arn().filter(|a| a.starts_with("arn:")).map(str::to_string);
            section.subscriptions.push(SnsSubscription {
                confirmed: arn.is_some(),
                arn,
                topic_arn: s.topic_arn().unwrap_or_default().to_string(),
                region: cx.region.clone(),
                endpoint: mask_endpoint(&protocol, s.endpoint().unwrap_or_default()),
                protocol,
            });
        }
    }
    Ok(section)
}

//! SQS: queues. ListQueues returns only URLs, so each queue costs one
//! GetQueueAttributes, asking for the attributes the controls read and no other;
//! tags come in bulk from the tagging API. Messages are never received.

use aws_sdk_sqs::types::QueueAttributeName;
use aws_sdk_sqs::Client;
use futures::future::BoxFuture;

use crate::collect::{Context, Failure, Part};
use crate::snapshot::{Redrive, Snapshot, SqsQueue};

/// What the controls read: encryption, redrive, timing, and the ARN to name it by.
const ATTRIBUTES: [QueueAttributeName; 7] = [
    QueueAttributeName::QueueArn,
    QueueAttributeName::FifoQueue,
    QueueAttributeName::VisibilityTimeout,
    QueueAttributeName::MessageRetentionPeriod,
    QueueAttributeName::KmsMasterKeyId,
    QueueAttributeName::SqsManagedSseEnabled,
    QueueAttributeName::RedrivePolicy,
];

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let config = aws_sdk_sqs::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let mut urls = Vec::new();
    let pages = client.list_queues().max_results(1000).into_paginator().send();
    cx.pages("ListQueues", pages, |page| urls.extend(page.queue_urls.unwrap_or_default())).await?;
    let queues = cx.for_each(urls, |url| queue(cx, &client, url)).await?;
    let mut part = Snapshot::default();
    part.sqs.queues = queues.into_iter().flatten().collect();
    Ok(Part::Resources(Box::new(part)))
}

/// A queue's attributes; None when it was deleted after it was listed.
async fn queue(cx: &Context<'_>, client: &Client, url: String) -> Result<Option<SqsQueue>, Failure> {
    let mut request = client.get_queue_attributes().queue_url(&url);
    for name in ATTRIBUTES {
        request = request.attribute_names(name);
    }
    let Some(out) = cx.call_unless_absent("GetQueueAttributes", request.send(), is_gone).await? else {
        return Ok(None);
    };
    let attributes = out.attributes.unwrap_or_default();
    let text = |name: QueueAttributeName| attributes.get(&name).map(String::as_str);
    let number = |name: QueueAttributeName| text(name).and_then(|v| v.parse::<i64>().ok());
    let arn = text(QueueAttributeName::QueueArn).unwrap_or_default().to_string();
    Ok(Some(SqsQueue {
        name: arn.rsplit(':').next().unwrap_or_default().to_string(),
        region: cx.region.to_string(),
        fifo: text(QueueAttributeName::FifoQueue) == Some("true"),
        // SQS's defaults when an attribute is not returned (30 s, 4 days).
        visibility_timeout_seconds: number(QueueAttributeName::VisibilityTimeout).unwrap_or(30),
        message_retention_seconds: number(QueueAttributeName::MessageRetentionPeriod).unwrap_or(345_600),
        kms_master_key_id: text(QueueAttributeName::KmsMasterKeyId).filter(|k| !k.is_empty()).map(str::to_string),
        sqs_managed_sse: text(QueueAttributeName::SqsManagedSseEnabled) == Some("true"),
        redrive: text(QueueAttributeName::RedrivePolicy).and_then(parse_redrive),
        tags: Default::default(),
        arn,
    }))
}

/// `QueueDoesNotExist` (the query protocol's code) or its JSON-protocol name.
fn is_gone(code: &str) -> bool {
    matches!(code, "AWS.SimpleQueueService.NonExistentQueue" | "QueueDoesNotExist")
}

/// `{"deadLetterTargetArn": "arn:...", "maxReceiveCount": 5}`; the count comes as a
/// number or as a string depending on how it was set.
pub fn parse_redrive(policy: &str) -> Option<Redrive> {
    let doc: serde_json::Value = serde_json::from_str(policy).ok()?;
    let target = doc["deadLetterTargetArn"].as_str().filter(|t| !t.is_empty())?;
    let count = &doc["maxReceiveCount"];
    let max_receive_count =
        count.as_i64().or_else(|| count.as_str().and_then(|c| c.trim().parse().ok())).filter(|c| *c >= 0);
    Some(Redrive { dead_letter_target_arn: target.to_string(), max_receive_count })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redrive_policy_is_read_whichever_way_its_count_was_set() {
        let arn = "arn:aws:sqs:eu-west-3:123456789012:jobs-dlq";
        let with_number = parse_redrive(&format!(r#"{{"deadLetterTargetArn":"{arn}","maxReceiveCount":5}}"#));
        let with_text = parse_redrive(&format!(r#"{{"deadLetterTargetArn":"{arn}","maxReceiveCount":"5"}}"#));
        assert_eq!(with_number, Some(Redrive { dead_letter_target_arn: arn.into(), max_receive_count: Some(5) }));
        assert_eq!(with_number, with_text);
        let without_count = parse_redrive(&format!(r#"{{"deadLetterTargetArn":"{arn}"}}"#)).unwrap();
        assert_eq!(without_count.max_receive_count, None);
        assert_eq!(parse_redrive("not json"), None);
        assert_eq!(parse_redrive(r#"{"maxReceiveCount":5}"#), None);
        assert_eq!(parse_redrive(r#"{"deadLetterTargetArn":"","maxReceiveCount":5}"#), None);
    }
}

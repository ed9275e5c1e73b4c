//! SQS: queues, their encryption, redrive and timing. Which queue is a dead-letter
//! queue follows from the others' redrive policies (the policies derive it); the
//! messages themselves are never read.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{count, nullable, required_count, resources, Keyed, Tags};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqsSection {
    #[serde(deserialize_with = "resources")]
    pub queues: Vec<SqsQueue>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqsQueue {
    pub arn: String,
    pub name: String,
    pub region: String,
    pub fifo: bool,
    /// How long a received message stays hidden from other consumers.
    #[serde(deserialize_with = "required_count")]
    pub visibility_timeout_seconds: i64,
    #[serde(deserialize_with = "required_count")]
    pub message_retention_seconds: i64,
    /// SSE-KMS: the key (an ARN, an id or an alias, as set).
    #[serde(deserialize_with = "nullable")]
    pub kms_master_key_id: Option<String>,
    /// SSE-SQS: SQS-owned keys. Exclusive with a KMS key.
    pub sqs_managed_sse: bool,
    /// Where messages go after `max_receive_count` failed receives; None: nowhere.
    #[serde(deserialize_with = "nullable")]
    pub redrive: Option<Redrive>,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redrive {
    pub dead_letter_target_arn: String,
    #[serde(deserialize_with = "count")]
    pub max_receive_count: Option<i64>,
}

impl SqsSection {
    pub fn append(&mut self, other: SqsSection) {
        self.queues.extend(other.queues);
    }
}

impl Keyed for SqsQueue {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Section for SqsSection {
    fn normalize(&mut self) {
        self.queues.sort_by(|a, b| a.arn.cmp(&b.arn));
    }

    fn clear(&mut self) {
        *self = SqsSection::default();
    }

    fn tags_mut(&mut self) -> Vec<(&str, &mut Tags)> {
        self.queues.iter_mut().map(|q| (q.arn.as_str(), &mut q.tags)).collect()
    }
}

//! SNS: topics and subscriptions, endpoints masked.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{nullable, resources, Keyed};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnsSection {
    #[serde(deserialize_with = "resources")]
    pub topics: Vec<SnsTopic>,
    #[serde(deserialize_with = "resources")]
    pub subscriptions: Vec<SnsSubscription>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnsTopic {
    pub arn: String,
    pub name: String,
    pub region: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnsSubscription {
    /// `PendingConfirmation` subscriptions have no ARN yet; they carry None here.
    #[serde(deserialize_with = "nullable")]
    pub arn: Option<String>,
    pub topic_arn: String,
    pub region: String,
    pub protocol: String,
    /// Masked: `a***@example.com` for e-mail, the host only for HTTP(S), last digits for SMS.
    pub endpoint: String,
    pub confirmed: bool,
}

impl SnsSection {
    pub fn append(&mut self, other: SnsSection) {
        self.topics.extend(other.topics);
        self.subscriptions.extend(other.subscriptions);
    }
}

impl Keyed for SnsTopic {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Keyed for SnsSubscription {
    fn key(&self) -> Option<Cow<'_, str>> {
        // A subscription waiting for confirmation has no ARN yet.
        self.arn.as_deref().map(Cow::Borrowed)
    }
}

impl Section for SnsSection {
    fn normalize(&mut self) {
        self.topics.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.subscriptions.sort_by(|a, b| {
            (&a.topic_arn, &a.arn, &a.protocol, &a.endpoint).cmp(&(&b.topic_arn, &b.arn, &b.protocol, &b.endpoint))
        });
    }

    fn clear(&mut self) {
        *self = SnsSection::default();
    }
}

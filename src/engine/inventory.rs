//! The personal-data inventory as the engine computes it (`jalon.lib.inventory`,
//! `policies/lib/inventory.rego`): the stores GDP-002 and GDP-003 judge, which the
//! GDPR appendix documents. Read from the same rules, never decided again in Rust.

use std::collections::HashMap;

use regorus::Value;
use serde::{Deserialize, Serialize};

/// The package the inventory rules live in.
pub const PACKAGE: &str = "jalon.lib.inventory";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    /// Every in-scope store holding personal data.
    pub personal_data_stores: Vec<PersonalDataStore>,
    /// Every resource that can carry a data-classification tag, in scope or not.
    pub data_classes: Vec<Classification>,
    /// Every log group, in scope or not, with the retention ceiling LOG-002 applies.
    pub log_group_retention: Vec<LogGroupRetention>,
    /// Positions by ARN in `data_classes` and `personal_data_stores`: the appendix looks
    /// resources up one by one.
    #[serde(skip)]
    class_index: HashMap<String, usize>,
    #[serde(skip)]
    store_index: HashMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalDataStore {
    /// `DB instance`, `DB cluster`, `log group`, `SQS queue` or `DynamoDB table`.
    pub kind: String,
    pub arn: String,
    pub region: String,
    /// What makes it personal: its own class, a replica's source's, or (a log group) the
    /// class of the Lambda functions writing to it. None when the rules found none.
    pub data_class: Option<String>,
    /// How long its data may be kept, days (LOG-002's ceiling, DB-004's maximum); None
    /// for a table (TTL expires its items).
    pub retention_ceiling_days: Option<i64>,
    /// Encrypted at rest as GDP-003 requires.
    pub encrypted: bool,
    /// Databases only: the source of a read replica.
    #[serde(default)]
    pub replica_of: Option<String>,
    /// DynamoDB tables only: the regions of its global-table replicas.
    #[serde(default)]
    pub replica_regions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// `DB instance`, `DB cluster`, `log group`, `Lambda function`, `secret`, `SQS queue`
    /// or `DynamoDB table`.
    pub kind: String,
    pub arn: String,
    /// Its own data-classification tag; None when untagged.
    pub data_class: Option<String>,
    /// The class is one of `scope.personal_data_classes`, as the policies read them.
    pub personal: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogGroupRetention {
    pub arn: String,
    /// The class its ceiling follows (its own, else the functions'); None when none.
    pub data_class: Option<String>,
    pub retention_ceiling_days: i64,
}

impl Inventory {
    /// Reads the value of `data.jalon.lib.inventory`.
    pub(crate) fn from_value(value: &Value) -> Result<Inventory, String> {
        let json = serde_json::to_value(value).map_err(|e| e.to_string())?;
        let mut inventory: Inventory =
            serde_path_to_error::deserialize(json).map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))?;
        inventory.class_index = inventory.data_classes.iter().enumerate().map(|(i, c)| (c.arn.clone(), i)).collect();
        inventory.store_index =
            inventory.personal_data_stores.iter().enumerate().map(|(i, s)| (s.arn.clone(), i)).collect();
        Ok(inventory)
    }

    /// The classification of a resource, when the inventory has one.
    pub fn classification(&self, arn: &str) -> Option<&Classification> {
        self.class_index.get(arn).map(|&i| &self.data_classes[i])
    }

    /// A personal-data store by ARN.
    pub fn store(&self, arn: &str) -> Option<&PersonalDataStore> {
        self.store_index.get(arn).map(|&i| &self.personal_data_stores[i])
    }
}

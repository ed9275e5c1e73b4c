//! The snapshot's resource sections, one module per AWS service, as its collector
//! (`collect::<service>`) fills it. Field names are the contract with the policies.

mod apigateway;
mod appconfig;
mod cloudtrail;
mod cloudwatch;
mod codedeploy;
mod dynamodb;
mod elasticache;
mod kms;
mod lambda;
mod logs;
mod metrics;
mod rds;
mod s3;
mod secretsmanager;
mod sns;
mod sqs;
mod xray;

pub use apigateway::*;
pub use appconfig::*;
pub use cloudtrail::*;
pub use cloudwatch::*;
pub use codedeploy::*;
pub use dynamodb::*;
pub use elasticache::*;
pub use kms::*;
pub use lambda::*;
pub use logs::*;
pub use metrics::*;
pub use rds::*;
pub use s3::*;
pub use secretsmanager::*;
pub use sns::*;
pub use sqs::*;
pub use xray::*;

use super::Tags;

/// What every resource section does, so that the snapshot treats them alike.
pub trait Section {
    /// Sorts every list by its key, so that equal account states give equal files.
    fn normalize(&mut self);
    /// Empties every list.
    fn clear(&mut self);
    /// Each resource's ARN and tags, for the sections whose list calls return no tags:
    /// the tagging collector fills them in.
    fn tags_mut(&mut self) -> Vec<(&str, &mut Tags)> {
        Vec::new()
    }
}

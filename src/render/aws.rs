//! What the findings formats (OCSF, ASFF) and the CSV need to know of a resource id:
//! its ARN's parts, and its type as Security Hub (ASFF) and CloudFormation name it.
//!
//! A resource id is usually an ARN; some are not (`xray-sampling:eu-west-3`, the
//! account's S3 Block Public Access, an attestation's link): those have no region, no
//! partition, and the type `Other`.

use crate::snapshot::arn::Arn;

/// The ARN of a finding's resource: one that names its partition and its service
/// (the findings formats need both); None for any other id.
pub fn arn(id: &str) -> Option<Arn<'_>> {
    Arn::parse(id).filter(|a| !a.partition.is_empty() && !a.service.is_empty())
}

/// Writes `items` as one pretty JSON list, each item built as it is written: a large
/// account's findings run to hundreds of MB, never held whole.
pub fn write_list(out: &mut dyn std::io::Write, items: impl Iterator<Item = serde_json::Value>) -> std::io::Result<()> {
    use serde::Serializer as _;
    let mut serializer = serde_json::Serializer::pretty(&mut *out);
    (&mut serializer).collect_seq(items).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

/// The resource's region, from its ARN; None for a global resource or an id that is
/// not an ARN.
pub fn region_of(id: &str) -> Option<&str> {
    arn(id).map(|arn| arn.region).filter(|r| !r.is_empty())
}

/// The resource's AWS partition (`aws`, `aws-cn`, `aws-us-gov`...), from its ARN.
pub fn partition_of(id: &str) -> Option<&str> {
    arn(id).map(|arn| arn.partition)
}

/// A resource's type in the two vocabularies the findings formats use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceKind {
    /// Security Hub's ASFF `Resources[].Type` (a member of its `ResourceDetails`), or
    /// `Other` where Security Hub has none (log groups, ElastiCache...).
    pub asff: &'static str,
    /// The CloudFormation type (`AWS::Lambda::Function`), for OCSF's free-text
    /// `resources[].type`: it names every kind, log groups included.
    pub cloudformation: &'static str,
}

const OTHER: ResourceKind = ResourceKind { asff: "Other", cloudformation: "Other" };

const fn kind(asff: &'static str, cloudformation: &'static str) -> ResourceKind {
    ResourceKind { asff, cloudformation }
}

/// The kind of resource an id names, from its ARN's service and resource type.
pub fn resource_kind(id: &str) -> ResourceKind {
    let Some(arn) = arn(id) else { return OTHER };
    let resource = arn.resource;
    let starts = |prefix: &str| resource.starts_with(prefix);
    match arn.service {
        "lambda" if starts("function:") => kind("AwsLambdaFunction", "AWS::Lambda::Function"),
        "lambda" if starts("event-source-mapping:") => kind("Other", "AWS::Lambda::EventSourceMapping"),
        "logs" if starts("log-group:") => kind("Other", "AWS::Logs::LogGroup"),
        "rds" if starts("db:") => kind("AwsRdsDbInstance", "AWS::RDS::DBInstance"),
        "rds" if starts("cluster:") => kind("AwsRdsDbCluster", "AWS::RDS::DBCluster"),
        "rds" if starts("snapshot:") => kind("AwsRdsDbSnapshot", "AWS::RDS::DBSnapshot"),
        "cloudwatch" if starts("alarm:") => kind("AwsCloudWatchAlarm", "AWS::CloudWatch::Alarm"),
        "cloudtrail" if starts("trail/") => kind("AwsCloudTrailTrail", "AWS::CloudTrail::Trail"),
        "dynamodb" if starts("table/") => kind("AwsDynamoDbTable", "AWS::DynamoDB::Table"),
        "kms" if starts("key/") => kind("AwsKmsKey", "AWS::KMS::Key"),
        "kms" if starts("alias/") => kind("Other", "AWS::KMS::Alias"),
        "secretsmanager" if starts("secret:") => kind("AwsSecretsManagerSecret", "AWS::SecretsManager::Secret"),
        "sns" => kind("AwsSnsTopic", "AWS::SNS::Topic"),
        "sqs" => kind("AwsSqsQueue", "AWS::SQS::Queue"),
        "s3" if !resource.contains('/') => kind("AwsS3Bucket", "AWS::S3::Bucket"),
        "elasticache" if starts("replicationgroup:") => kind("Other", "AWS::ElastiCache::ReplicationGroup"),
        "elasticache" if starts("serverlesscache:") => kind("Other", "AWS::ElastiCache::ServerlessCache"),
        "xray" if starts("sampling-rule/") => kind("Other", "AWS::XRay::SamplingRule"),
        "xray" if starts("group/") => kind("Other", "AWS::XRay::Group"),
        "codedeploy" if starts("deploymentgroup:") => kind("Other", "AWS::CodeDeploy::DeploymentGroup"),
        "apigateway" if starts("/restapis/") && resource.contains("/stages/") => {
            kind("AwsApiGatewayStage", "AWS::ApiGateway::Stage")
        }
        "apigateway" if starts("/restapis/") => kind("AwsApiGatewayRestApi", "AWS::ApiGateway::RestApi"),
        "apigateway" if starts("/apis/") && resource.contains("/stages/") => {
            kind("AwsApiGatewayV2Stage", "AWS::ApiGatewayV2::Stage")
        }
        "apigateway" if starts("/apis/") => kind("AwsApiGatewayV2Api", "AWS::ApiGatewayV2::Api"),
        "iam" if starts("role/") => kind("AwsIamRole", "AWS::IAM::Role"),
        "iam" if starts("user/") => kind("AwsIamUser", "AWS::IAM::User"),
        "iam" if starts("policy/") => kind("AwsIamPolicy", "AWS::IAM::ManagedPolicy"),
        "events" if starts("event-bus/") => kind("AwsEventsEventbus", "AWS::Events::EventBus"),
        "backup" if starts("backup-plan:") => kind("AwsBackupBackupPlan", "AWS::Backup::BackupPlan"),
        "backup" if starts("backup-vault:") => kind("AwsBackupBackupVault", "AWS::Backup::BackupVault"),
        "ec2" if starts("instance/") => kind("AwsEc2Instance", "AWS::EC2::Instance"),
        "ec2" if starts("security-group/") => kind("AwsEc2SecurityGroup", "AWS::EC2::SecurityGroup"),
        "ec2" if starts("vpc/") => kind("AwsEc2Vpc", "AWS::EC2::VPC"),
        "states" if starts("stateMachine:") => kind("AwsStepFunctionStateMachine", "AWS::StepFunctions::StateMachine"),
        _ => OTHER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_split_into_their_parts() {
        let parts = arn("arn:aws:logs:eu-west-3:123456789012:log-group:/a:b").unwrap();
        assert_eq!(
            parts,
            Arn {
                partition: "aws",
                service: "logs",
                region: "eu-west-3",
                account: "123456789012",
                resource: "log-group:/a:b"
            }
        );
        assert_eq!(arn("xray-sampling:eu-west-3"), None);
        assert_eq!(arn("arn::x"), None);
        assert_eq!(arn("arn::s3:::bucket"), None, "no partition");
        assert_eq!(region_of("arn:aws:s3:::bucket"), None);
        assert_eq!(region_of("arn:aws-cn:rds:cn-north-1:1:db:x"), Some("cn-north-1"));
        assert_eq!(partition_of("arn:aws-cn:rds:cn-north-1:1:db:x"), Some("aws-cn"));
        assert_eq!(partition_of("https://wiki.example.com/x"), None);
    }

    #[test]
    fn resource_kinds_come_from_the_arn() {
        let asff = |id: &str| resource_kind(id).asff;
        assert_eq!(asff("arn:aws:lambda:eu-west-3:1:function:orders-api"), "AwsLambdaFunction");
        assert_eq!(asff("arn:aws:rds:eu-west-3:1:db:orders-db"), "AwsRdsDbInstance");
        assert_eq!(asff("arn:aws:s3:::orders-exports"), "AwsS3Bucket");
        assert_eq!(asff("arn:aws:apigateway:eu-west-3::/restapis/a1/stages/prod"), "AwsApiGatewayStage");
        assert_eq!(asff("arn:aws:logs:eu-west-3:1:log-group:/x"), "Other");
        assert_eq!(resource_kind("arn:aws:logs:eu-west-3:1:log-group:/x").cloudformation, "AWS::Logs::LogGroup");
        assert_eq!(resource_kind("xray-sampling:eu-west-3"), OTHER);
    }
}

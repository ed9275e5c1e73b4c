//! Reading ARNs: their parts, the short name of a resource, and how a report names it.

/// The parts of an ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// None when `id` is not `arn:` and five more colon-separated parts (the
    /// resource keeps its own colons). Parts may be empty: callers that need one
    /// check it.
    pub fn parse(id: &'a str) -> Option<Arn<'a>> {
        let mut parts = id.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        let (partition, service, region, account, resource) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        Some(Arn { partition, service, region, account, resource })
    }
}

/// The short name of a resource for remediation commands: the part of the ARN
/// after its resource type (`function:orders-api` -> `orders-api`).
pub fn resource_name(id: &str) -> &str {
    let parts: Vec<&str> = id.splitn(6, ':').collect();
    if parts.len() < 6 || parts[0] != "arn" {
        return id;
    }
    let resource = parts[5];
    for prefix in [
        "function:",
        "log-group:",
        "db:",
        "cluster:",
        "secret:",
        "alarm:",
        "sampling-rule/",
        "group/",
        "event-source-mapping:",
        "key/",
        "table/",
        "replicationgroup:",
        "serverlesscache:",
        "trail/",
    ] {
        if let Some(rest) = resource.strip_prefix(prefix) {
            return rest;
        }
    }
    // SNS topics: arn:aws:sns:region:account:name
    resource
}

/// How a resource is named where its account and region go without saying: its
/// short name when every resource shown is in one region (the name says it all), the
/// full ARN otherwise.
pub fn label(id: &str, one_region: bool) -> &str {
    if one_region {
        resource_name(id)
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_names_come_from_arns() {
        assert_eq!(resource_name("arn:aws:lambda:eu-west-3:123456789012:function:orders-api"), "orders-api");
        assert_eq!(resource_name("arn:aws:logs:eu-west-3:123456789012:log-group:/aws/lambda/x"), "/aws/lambda/x");
        assert_eq!(resource_name("arn:aws:rds:eu-west-3:123456789012:db:orders-db"), "orders-db");
        assert_eq!(resource_name("arn:aws:sns:eu-west-3:123456789012:alerts"), "alerts");
        assert_eq!(resource_name("arn:aws:dynamodb:eu-west-3:123456789012:table/orders-sessions"), "orders-sessions");
        let cache = "arn:aws:elasticache:eu-west-3:123456789012:replicationgroup:orders-cache";
        assert_eq!(resource_name(cache), "orders-cache");
        assert_eq!(resource_name("xray-sampling:eu-west-3"), "xray-sampling:eu-west-3");
    }
}

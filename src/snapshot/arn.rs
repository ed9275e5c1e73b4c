//! Reading ARNs: the short name of a resource, and how a report names it.

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

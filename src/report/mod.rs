//! Rendering a [`CheckReport`]: one module per format.

pub mod json;
pub mod table;

use crate::checklist::ResourceResult;

/// Output formats of `jalon check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

impl Format {
    /// File name used when several formats are written to a directory.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Table => "jalon.txt",
            Format::Json => "jalon.json",
        }
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
    for prefix in ["function:", "log-group:", "db:", "cluster:", "secret:", "alarm:", "sampling-rule/", "group/"] {
        if let Some(rest) = resource.strip_prefix(prefix) {
            return rest;
        }
    }
    // SNS topics: arn:aws:sns:region:account:name
    resource
}

/// The control's remediation with `{name}` and `{arn}` filled for one resource.
pub fn remediation_for(template: &str, resource: &ResourceResult) -> String {
    template.replace("{name}", resource_name(&resource.id)).replace("{arn}", &resource.id)
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
        assert_eq!(resource_name("xray-sampling:eu-west-3"), "xray-sampling:eu-west-3");
    }
}

//! Lambda: functions with their async-invocation settings, aliases, reserved
//! concurrency and invoke permissions; event source mappings.
//!
//! ListFunctions returns environment variable values: they are dropped here, at
//! the first moment jalon holds them, and only the names are kept.

use aws_sdk_lambda::types::FunctionConfiguration;
use aws_sdk_lambda::Client;
use futures::future::BoxFuture;

use crate::collect::{owned, Context, Failure, Part};
use crate::snapshot::{
    EventInvokeConfig, EventSourceMapping, InvokePermission, LambdaAlias, LambdaFunction, LambdaLogging, Snapshot,
};

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let config = aws_sdk_lambda::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let mut part = Snapshot::default();

    let mut configurations = Vec::new();
    let pages = client.list_functions().max_items(50).into_paginator().send();
    cx.pages("ListFunctions", pages, |page| configurations.extend(page.functions.unwrap_or_default())).await?;
    part.lambda.functions = cx.for_each(configurations, |f| function_details(cx, &client, f)).await?;

    let mappings = &mut part.lambda.event_source_mappings;
    let pages = client.list_event_source_mappings().max_items(10_000).into_paginator().send();
    cx.pages("ListEventSourceMappings", pages, |page| {
        for m in page.event_source_mappings.unwrap_or_default() {
            mappings.push(EventSourceMapping {
                uuid: m.uuid.clone().unwrap_or_default(),
                region: cx.region.to_string(),
                function_arn: m.function_arn.clone().unwrap_or_default(),
                event_source_arn: m.event_source_arn.clone(),
                state: m.state.clone(),
                on_failure_destination: m
                    .destination_config()
                    .and_then(|d| d.on_failure())
                    .and_then(|f| owned(f.destination())),
                batch_size: m.batch_size,
                maximum_retry_attempts: m.maximum_retry_attempts,
                maximum_record_age_seconds: m.maximum_record_age_in_seconds,
                bisect_batch_on_function_error: m.bisect_batch_on_function_error,
                function_response_types: m.function_response_types().iter().map(|t| t.as_str().to_string()).collect(),
            });
        }
    })
    .await?;
    Ok(Part::Resources(Box::new(part)))
}

async fn function_details(
    cx: &Context<'_>,
    client: &Client,
    f: FunctionConfiguration,
) -> Result<LambdaFunction, Failure> {
    let name = f.function_name().unwrap_or_default().to_string();
    let mut function = LambdaFunction {
        arn: f.function_arn().unwrap_or_default().to_string(),
        name: name.clone(),
        region: cx.region.to_string(),
        runtime: f.runtime().map(|r| r.as_str().to_string()),
        package_type: f.package_type().map(|p| p.as_str().to_string()),
        timeout_seconds: f.timeout(),
        memory_mb: f.memory_size(),
        tracing_mode: f.tracing_config().and_then(|t| t.mode()).map(|m| m.as_str().to_string()),
        kms_key_arn: owned(f.kms_key_arn()),
        // Names only: the values are dropped with `f` at the end of this function.
        environment_variable_names: f
            .environment()
            .and_then(|e| e.variables())
            .map(|vars| vars.keys().cloned().collect())
            .unwrap_or_default(),
        dead_letter_target_arn: f.dead_letter_config().and_then(|d| owned(d.target_arn())),
        logging: f.logging_config().map(|l| LambdaLogging {
            log_format: l.log_format().map(|v| v.as_str().to_string()),
            application_log_level: l.application_log_level().map(|v| v.as_str().to_string()),
            system_log_level: l.system_log_level().map(|v| v.as_str().to_string()),
            log_group: owned(l.log_group()),
        }),
        last_modified: aws_time(f.last_modified()),
        ..LambdaFunction::default()
    };

    let concurrency =
        cx.call("GetFunctionConcurrency", client.get_function_concurrency().function_name(&name).send()).await?;
    function.reserved_concurrency = concurrency.reserved_concurrent_executions();

    let aliases = client.list_aliases().function_name(&name).max_items(10_000).into_paginator().send();
    cx.pages("ListAliases", aliases, |page| {
        for a in page.aliases.unwrap_or_default() {
            function.aliases.push(LambdaAlias {
                arn: a.alias_arn().unwrap_or_default().to_string(),
                name: a.name().unwrap_or_default().to_string(),
                function_version: a.function_version().unwrap_or_default().to_string(),
                additional_version_weights: a
                    .routing_config()
                    .and_then(|r| r.additional_version_weights())
                    .map(|w| w.iter().map(|(k, v)| (k.clone(), *v)).collect())
                    .unwrap_or_default(),
            });
        }
    })
    .await?;

    let configs =
        client.list_function_event_invoke_configs().function_name(&name).max_items(50).into_paginator().send();
    cx.pages("ListFunctionEventInvokeConfigs", configs, |page| {
        for c in page.function_event_invoke_configs.unwrap_or_default() {
            let destinations = c.destination_config();
            function.event_invoke_configs.push(EventInvokeConfig {
                function_arn: c.function_arn().unwrap_or_default().to_string(),
                on_failure_destination: destinations.and_then(|d| d.on_failure()).and_then(|d| owned(d.destination())),
                on_success_destination: destinations.and_then(|d| d.on_success()).and_then(|d| owned(d.destination())),
                maximum_retry_attempts: c.maximum_retry_attempts(),
                maximum_event_age_seconds: c.maximum_event_age_in_seconds(),
            });
        }
    })
    .await?;

    // No resource policy (ResourceNotFound): nobody else may invoke the function.
    let policy = client.get_policy().function_name(&name).send();
    if let Some(out) = cx.call_unless_absent("GetPolicy", policy, |code| code == "ResourceNotFoundException").await? {
        function.invoke_permissions = parse_policy(out.policy().unwrap_or("{}"));
    }
    Ok(function)
}

/// The statements of a function's resource policy that allow invoking it.
pub fn parse_policy(policy: &str) -> Vec<InvokePermission> {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(policy) else {
        return Vec::new();
    };
    let statements = match &doc["Statement"] {
        serde_json::Value::Array(items) => items.clone(),
        serde_json::Value::Object(_) => vec![doc["Statement"].clone()],
        _ => Vec::new(),
    };
    let mut permissions = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        if s["Effect"].as_str() != Some("Allow") {
            continue;
        }
        let principals: Vec<String> = match &s["Principal"] {
            serde_json::Value::String(p) => vec![p.clone()],
            serde_json::Value::Object(map) => map.values().flat_map(strings).collect(),
            _ => Vec::new(),
        };
        let action = strings(&s["Action"]).join(",");
        let source_arn = ["ArnLike", "ArnEquals", "StringEquals", "StringLike"]
            .iter()
            .find_map(|op| {
                s["Condition"][op]["AWS:SourceArn"].as_str().or(s["Condition"][op]["aws:SourceArn"].as_str())
            })
            .map(str::to_string);
        for principal in principals {
            permissions.push(InvokePermission {
                sid: s["Sid"].as_str().map(str::to_string).unwrap_or_else(|| format!("statement-{i}")),
                principal,
                action: action.clone(),
                source_arn: source_arn.clone(),
            });
        }
    }
    permissions
}

fn strings(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(items) => items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

/// Lambda's `LastModified` (`2026-11-20T12:00:00.000+0000`) as RFC 3339, UTC; a value
/// that does not read as a time is left out (unknown) rather than stored unreadable.
fn aws_time(text: Option<&str>) -> Option<String> {
    let text = text?;
    let at = chrono::DateTime::parse_from_rfc3339(text)
        .or_else(|_| chrono::DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .ok()?
        .with_timezone(&chrono::Utc);
    at.timestamp_nanos_opt()?;
    Some(at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

#[cfg(test)]
mod tests {
    use super::{aws_time, parse_policy};

    #[test]
    fn last_modified_is_stored_as_rfc_3339() {
        assert_eq!(aws_time(Some("2026-11-20T12:00:00.000+0000")).as_deref(), Some("2026-11-20T12:00:00Z"));
        assert_eq!(aws_time(Some("2026-11-20T13:00:00.250+0100")).as_deref(), Some("2026-11-20T12:00:00.250Z"));
        assert_eq!(aws_time(Some("2026-11-22T01:45:15.677518Z")).as_deref(), Some("2026-11-22T01:45:15.677518Z"));
        assert_eq!(aws_time(Some("yesterday")), None);
        assert_eq!(aws_time(None), None);
    }

    #[test]
    fn invoke_permissions_come_from_allow_statements() {
        let policy = r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"sns","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"lambda:InvokeFunction",
             "Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:sns:eu-west-3:1:orders"}}},
            {"Sid":"deny","Effect":"Deny","Principal":"*","Action":"lambda:InvokeFunction"},
            {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::2:root"]},"Action":["lambda:InvokeFunction"]}]}"#;
        let perms = parse_policy(policy);
        assert_eq!(perms.len(), 2);
        assert_eq!(perms[0].principal, "sns.amazonaws.com");
        assert_eq!(perms[0].source_arn.as_deref(), Some("arn:aws:sns:eu-west-3:1:orders"));
        assert_eq!(perms[1].principal, "arn:aws:iam::2:root");
        assert_eq!(perms[1].sid, "statement-2");
        assert!(parse_policy("not json").is_empty());
    }
}

//! API Gateway: REST APIs (GetRestApis, paged; per API GetStages and GetResources
//! with their methods embedded, which carry the integrations) and HTTP/WebSocket APIs
//! (GetApis; per API GetStages and GetIntegrations). Tags come with the lists; only
//! Lambda integrations are kept.

use std::collections::HashMap;

use aws_sdk_apigateway::Client as RestClient;
use aws_sdk_apigatewayv2::Client as HttpClient;
use futures::future::BoxFuture;

use crate::collect::{Context, Failure, Part};
use crate::snapshot::{ApiIntegration, ApiStage, Snapshot, Tags};

/// API Gateway's integration timeouts when none is set.
const REST_DEFAULT_TIMEOUT_MS: i64 = 29_000;
const HTTP_DEFAULT_TIMEOUT_MS: i64 = 30_000;

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let mut part = Snapshot::default();
    let (stages, integrations) = rest_apis(cx).await?;
    part.apigateway.stages = stages;
    part.apigateway.integrations = integrations;
    let (stages, integrations) = http_apis(cx).await?;
    part.apigateway.stages.extend(stages);
    part.apigateway.integrations.extend(integrations);
    Ok(Part::Resources(Box::new(part)))
}

type Found = (Vec<ApiStage>, Vec<ApiIntegration>);

async fn rest_apis(cx: &Context<'_>) -> Result<Found, Failure> {
    let config = aws_sdk_apigateway::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = RestClient::from_conf(config);
    let mut apis = Vec::new();
    let pages = client.get_rest_apis().limit(500).into_paginator().send();
    cx.pages("GetRestApis", pages, |page| apis.extend(page.items.unwrap_or_default())).await?;
    let found = cx
        .for_each(apis, |api| async {
            let id = api.id.unwrap_or_default();
            let name = api.name.unwrap_or_default();
            let api_arn = format!("arn:aws:apigateway:{}::/restapis/{id}", cx.region);
            let api_tags = api.tags.unwrap_or_default();
            let read = cx.call("GetStages", client.get_stages().rest_api_id(&id).send()).await?;
            let stages = read.item.unwrap_or_default().into_iter().map(|s| {
                let stage = s.stage_name.unwrap_or_default();
                let all = s.method_settings.as_ref().and_then(|m| m.get("*/*"));
                ApiStage {
                    arn: format!("{api_arn}/stages/{stage}"),
                    name: format!("{name}/{stage}"),
                    region: cx.region.to_string(),
                    api_id: id.clone(),
                    api_type: "REST".into(),
                    access_log_destination: s.access_log_settings.and_then(|a| a.destination_arn),
                    tracing: s.tracing_enabled,
                    // 0 is what an absent setting reads as: no stage-wide limit.
                    throttling_rate_limit: all.map(|m| m.throttling_rate_limit).filter(|r| *r > 0.0),
                    throttling_burst_limit: all.map(|m| i64::from(m.throttling_burst_limit)).filter(|b| *b > 0),
                    tags: overlay(&api_tags, s.tags),
                }
            });
            let stages: Vec<ApiStage> = stages.collect();
            let mut integrations = Vec::new();
            let pages = client.get_resources().rest_api_id(&id).embed("methods").limit(500).into_paginator().send();
            cx.pages("GetResources", pages, |page| {
                for resource in page.items.unwrap_or_default() {
                    let resource_id = resource.id.unwrap_or_default();
                    for (verb, method) in resource.resource_methods.unwrap_or_default() {
                        let Some(integration) = method.method_integration else { continue };
                        let Some((function_arn, qualifier)) = integration.uri.as_deref().and_then(lambda_target) else {
                            continue;
                        };
                        let timeout = i64::from(integration.timeout_in_millis);
                        integrations.push(ApiIntegration {
                            arn: format!("{api_arn}/resources/{resource_id}/methods/{verb}"),
                            region: cx.region.to_string(),
                            api_id: id.clone(),
                            api_name: name.clone(),
                            api_type: "REST".into(),
                            function_arn,
                            qualifier,
                            timeout_ms: if timeout > 0 { timeout } else { REST_DEFAULT_TIMEOUT_MS },
                        });
                    }
                }
            })
            .await?;
            Ok::<Found, Failure>((stages, integrations))
        })
        .await?;
    Ok(flatten(found))
}

async fn http_apis(cx: &Context<'_>) -> Result<Found, Failure> {
    // Another service name for the cost record: its GetStages is not REST's.
    let recorder = cx.recorder().for_service("apigatewayv2");
    let config = aws_sdk_apigatewayv2::config::Builder::from(cx.sdk())
        .interceptor(recorder)
        .retry_partition(cx.retry_partition())
        .build();
    let client = HttpClient::from_conf(config);
    let mut apis = Vec::new();
    let mut token = None;
    loop {
        let page = cx.call("GetApis", client.get_apis().max_results("500").set_next_token(token).send()).await?;
        apis.extend(page.items.unwrap_or_default());
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    let found = cx
        .for_each(apis, |api| async {
            let id = api.api_id.unwrap_or_default();
            let name = api.name.unwrap_or_default();
            let api_type = api.protocol_type.map(|p| p.as_str().to_string()).unwrap_or_else(|| "HTTP".into());
            let api_arn = format!("arn:aws:apigateway:{}::/apis/{id}", cx.region);
            let api_tags = api.tags.unwrap_or_default();
            let mut stages = Vec::new();
            let mut token = None;
            loop {
                let read = client.get_stages().api_id(&id).max_results("500").set_next_token(token).send();
                let page = cx.call("GetStages", read).await?;
                stages.extend(page.items.unwrap_or_default().into_iter().map(|s| {
                    let stage = s.stage_name.unwrap_or_default();
                    let defaults = s.default_route_settings;
                    ApiStage {
                        arn: format!("{api_arn}/stages/{stage}"),
                        name: format!("{name}/{stage}"),
                        region: cx.region.to_string(),
                        api_id: id.clone(),
                        api_type: api_type.clone(),
                        access_log_destination: s.access_log_settings.and_then(|a| a.destination_arn),
                        tracing: false,
                        throttling_rate_limit: defaults.as_ref().and_then(|d| d.throttling_rate_limit),
                        throttling_burst_limit: defaults.and_then(|d| d.throttling_burst_limit).map(i64::from),
                        tags: overlay(&api_tags, s.tags),
                    }
                }));
                token = page.next_token;
                if token.is_none() {
                    break;
                }
            }
            let mut integrations = Vec::new();
            let mut token = None;
            loop {
                let read = client.get_integrations().api_id(&id).max_results("500").set_next_token(token).send();
                let page = cx.call("GetIntegrations", read).await?;
                for i in page.items.unwrap_or_default() {
                    let Some((function_arn, qualifier)) = i.integration_uri.as_deref().and_then(lambda_target) else {
                        continue;
                    };
                    integrations.push(ApiIntegration {
                        arn: format!("{api_arn}/integrations/{}", i.integration_id.unwrap_or_default()),
                        region: cx.region.to_string(),
                        api_id: id.clone(),
                        api_name: name.clone(),
                        api_type: api_type.clone(),
                        function_arn,
                        qualifier,
                        timeout_ms: i.timeout_in_millis.map_or(HTTP_DEFAULT_TIMEOUT_MS, i64::from),
                    });
                }
                token = page.next_token;
                if token.is_none() {
                    break;
                }
            }
            Ok::<Found, Failure>((stages, integrations))
        })
        .await?;
    Ok(flatten(found))
}

fn flatten(found: Vec<Found>) -> Found {
    let mut all: Found = Default::default();
    for (stages, integrations) in found {
        all.0.extend(stages);
        all.1.extend(integrations);
    }
    all
}

fn overlay(api: &HashMap<String, String>, stage: Option<HashMap<String, String>>) -> Tags {
    let mut tags: Tags = api.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    tags.extend(stage.unwrap_or_default());
    tags
}

/// The Lambda function an integration calls, unqualified, and its qualifier: from a
/// REST URI (`arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`)
/// or an HTTP API's function ARN. None for any other backend.
pub fn lambda_target(uri: &str) -> Option<(String, Option<String>)> {
    let arn = match uri.split_once("/functions/") {
        Some((_, rest)) => rest.strip_suffix("/invocations").unwrap_or(rest),
        None => uri,
    };
    let parts: Vec<&str> = arn.split(':').collect();
    if parts.len() < 7 || parts[0] != "arn" || parts[2] != "lambda" || parts[5] != "function" {
        return None;
    }
    let qualifier = (parts.len() > 7).then(|| parts[7..].join(":"));
    Some((parts[..7].join(":"), qualifier))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_function_behind_an_integration_is_read_from_its_uri() {
        let function = "arn:aws:lambda:eu-west-3:123456789012:function:orders-api";
        let rest = format!("arn:aws:apigateway:eu-west-3:lambda:path/2015-03-31/functions/{function}:live/invocations");
        assert_eq!(lambda_target(&rest), Some((function.to_string(), Some("live".to_string()))));
        assert_eq!(lambda_target(function), Some((function.to_string(), None)));
        assert_eq!(lambda_target("https://example.com/orders"), None);
        assert_eq!(lambda_target("arn:aws:states:eu-west-3:123456789012:stateMachine:x"), None);
    }
}

//! CodeDeploy: the deployment groups of Lambda applications. ListApplications, then per
//! application ListDeploymentGroups and BatchGetDeploymentGroups (25 groups a call);
//! applications of other platforms (EC2, ECS) are skipped after BatchGetApplications
//! says which they are. Tags come in bulk from the tagging API.

use aws_sdk_codedeploy::types::ComputePlatform;
use aws_sdk_codedeploy::Client;
use futures::future::BoxFuture;

use crate::collect::{Context, Failure, Part};
use crate::snapshot::{DeploymentGroup, Snapshot};

/// BatchGetApplications and BatchGetDeploymentGroups take at most this many names.
const BATCH: usize = 25;

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let config = aws_sdk_codedeploy::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let mut names = Vec::new();
    let pages = client.list_applications().into_paginator().send();
    cx.pages("ListApplications", pages, |page| names.extend(page.applications.unwrap_or_default())).await?;
    let mut lambda_apps = Vec::new();
    for chunk in names.chunks(BATCH) {
        let read = client.batch_get_applications().set_application_names(Some(chunk.to_vec())).send();
        let infos = cx.call("BatchGetApplications", read).await?.applications_info.unwrap_or_default();
        lambda_apps.extend(
            infos
                .into_iter()
                .filter(|a| a.compute_platform == Some(ComputePlatform::Lambda))
                .filter_map(|a| a.application_name),
        );
    }
    let groups = cx.for_each(lambda_apps, |app| groups_of(cx, &client, app)).await?;
    let mut part = Snapshot::default();
    part.codedeploy.deployment_groups = groups.into_iter().flatten().collect();
    Ok(Part::Resources(Box::new(part)))
}

async fn groups_of(cx: &Context<'_>, client: &Client, app: String) -> Result<Vec<DeploymentGroup>, Failure> {
    let mut names = Vec::new();
    let pages = client.list_deployment_groups().application_name(&app).into_paginator().send();
    cx.pages("ListDeploymentGroups", pages, |page| names.extend(page.deployment_groups.unwrap_or_default())).await?;
    let mut groups = Vec::new();
    for chunk in names.chunks(BATCH) {
        let read = client
            .batch_get_deployment_groups()
            .application_name(&app)
            .set_deployment_group_names(Some(chunk.to_vec()))
            .send();
        // A group deleted since it was listed is named in errorMessage, not returned.
        let infos = cx.call("BatchGetDeploymentGroups", read).await?.deployment_groups_info.unwrap_or_default();
        groups.extend(infos.into_iter().map(|g| {
            let name = g.deployment_group_name.unwrap_or_default();
            let alarms = g.alarm_configuration;
            let rollback = g.auto_rollback_configuration;
            DeploymentGroup {
                arn: format!("arn:aws:codedeploy:{}:{}:deploymentgroup:{app}/{name}", cx.region, cx.account_id),
                name: format!("{app}/{name}"),
                region: cx.region.to_string(),
                application: app.clone(),
                deployment_config: g.deployment_config_name.unwrap_or_default(),
                alarms_enabled: alarms.as_ref().is_some_and(|a| a.enabled),
                ignore_poll_alarm_failure: alarms.as_ref().is_some_and(|a| a.ignore_poll_alarm_failure),
                alarm_names: alarms
                    .and_then(|a| a.alarms)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|a| a.name)
                    .collect(),
                auto_rollback_enabled: rollback.as_ref().is_some_and(|r| r.enabled),
                auto_rollback_events: rollback
                    .and_then(|r| r.events)
                    .unwrap_or_default()
                    .iter()
                    .map(|e| e.as_str().to_string())
                    .collect(),
                tags: Default::default(),
            }
        }));
    }
    Ok(groups)
}

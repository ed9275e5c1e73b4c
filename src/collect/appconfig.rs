//! AppConfig: applications (ListApplications, paged) and per application its
//! environments (ListEnvironments, paged), which carry their alarm monitors: no call
//! per environment. Configuration profiles and their values are never read.

use aws_sdk_appconfig::Client;
use futures::future::BoxFuture;

use crate::collect::{Context, Failure, Part};
use crate::snapshot::{AppConfigEnvironment, Snapshot};

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let config = aws_sdk_appconfig::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let mut apps = Vec::new();
    let pages = client.list_applications().max_results(50).into_paginator().send();
    cx.pages("ListApplications", pages, |page| {
        apps.extend(
            page.items.unwrap_or_default().into_iter().filter_map(|a| Some((a.id?, a.name.unwrap_or_default()))),
        );
    })
    .await?;
    let environments = cx.for_each(apps, |(id, name)| environments_of(cx, &client, id, name)).await?;
    let mut part = Snapshot::default();
    part.appconfig.environments = environments.into_iter().flatten().collect();
    Ok(Part::Resources(Box::new(part)))
}

async fn environments_of(
    cx: &Context<'_>,
    client: &Client,
    app_id: String,
    app_name: String,
) -> Result<Vec<AppConfigEnvironment>, Failure> {
    let mut found = Vec::new();
    let pages = client.list_environments().application_id(&app_id).max_results(50).into_paginator().send();
    cx.pages("ListEnvironments", pages, |page| {
        found.extend(page.items.unwrap_or_default().into_iter().map(|e| {
            let id = e.id.unwrap_or_default();
            AppConfigEnvironment {
                arn: format!("arn:aws:appconfig:{}:{}:application/{app_id}/environment/{id}", cx.region, cx.account_id),
                name: format!("{app_name}/{}", e.name.unwrap_or_default()),
                region: cx.region.to_string(),
                application: app_name.clone(),
                state: e.state.map(|s| s.as_str().to_string()).unwrap_or_default(),
                monitor_alarm_arns: e.monitors.unwrap_or_default().into_iter().map(|m| m.alarm_arn).collect(),
            }
        }));
    })
    .await?;
    Ok(found)
}

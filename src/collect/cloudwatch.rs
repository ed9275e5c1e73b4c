//! CloudWatch: metric alarms in full (including metric-math queries) and composite alarms.

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::types::{AlarmType, Dimension};
use aws_sdk_cloudwatch::Client;

use futures::future::BoxFuture;

use crate::collect::{owned, timestamp, Context, Failure, Part};
use crate::snapshot::{CompositeAlarm, MetricAlarm, MetricQuery, MetricStat, Snapshot};

fn dimensions(list: &[Dimension]) -> BTreeMap<String, String> {
    list.iter().map(|d| (d.name().unwrap_or_default().to_string(), d.value().unwrap_or_default().to_string())).collect()
}

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let config = aws_sdk_cloudwatch::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let mut part = Snapshot::default();
    let section = &mut part.cloudwatch;
    let pages = client
        .describe_alarms()
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .max_records(100)
        .into_paginator()
        .send();
    cx.pages("DescribeAlarms", pages, |page| {
        for a in page.metric_alarms() {
            section.metric_alarms.push(MetricAlarm {
                arn: a.alarm_arn().unwrap_or_default().to_string(),
                name: a.alarm_name().unwrap_or_default().to_string(),
                region: cx.region.to_string(),
                description: owned(a.alarm_description()),
                namespace: owned(a.namespace()),
                metric_name: owned(a.metric_name()),
                dimensions: dimensions(a.dimensions()),
                statistic: a.statistic().map(|s| s.as_str().to_string()),
                extended_statistic: owned(a.extended_statistic()),
                metrics: a
                    .metrics()
                    .iter()
                    .map(|q| MetricQuery {
                        id: q.id().unwrap_or_default().to_string(),
                        expression: owned(q.expression()),
                        label: owned(q.label()),
                        return_data: q.return_data(),
                        period_seconds: q.period(),
                        metric_stat: q.metric_stat().map(|s| MetricStat {
                            namespace: s.metric().and_then(|m| owned(m.namespace())),
                            metric_name: s.metric().and_then(|m| owned(m.metric_name())),
                            dimensions: s.metric().map(|m| dimensions(m.dimensions())).unwrap_or_default(),
                            period_seconds: s.period(),
                            stat: owned(s.stat()),
                            unit: s.unit().map(|u| u.as_str().to_string()),
                        }),
                    })
                    .collect(),
                threshold: a.threshold(),
                threshold_metric_id: owned(a.threshold_metric_id()),
                comparison_operator: a.comparison_operator().map(|c| c.as_str().to_string()),
                period_seconds: a.period(),
                evaluation_periods: a.evaluation_periods(),
                datapoints_to_alarm: a.datapoints_to_alarm(),
                treat_missing_data: owned(a.treat_missing_data()),
                actions_enabled: a.actions_enabled().unwrap_or(false),
                alarm_actions: a.alarm_actions().to_vec(),
                ok_actions: a.ok_actions().to_vec(),
                insufficient_data_actions: a.insufficient_data_actions().to_vec(),
                state_value: a.state_value().map(|s| s.as_str().to_string()),
                state_updated_at: timestamp(a.state_updated_timestamp()),
                tags: Default::default(),
            });
        }
        for a in page.composite_alarms() {
            section.composite_alarms.push(CompositeAlarm {
                arn: a.alarm_arn().unwrap_or_default().to_string(),
                name: a.alarm_name().unwrap_or_default().to_string(),
                region: cx.region.to_string(),
                description: owned(a.alarm_description()),
                rule: owned(a.alarm_rule()),
                actions_enabled: a.actions_enabled().unwrap_or(false),
                alarm_actions: a.alarm_actions().to_vec(),
                state_value: a.state_value().map(|s| s.as_str().to_string()),
                state_updated_at: timestamp(a.state_updated_timestamp()),
            });
        }
    })
    .await?;
    Ok(Part::Resources(Box::new(part)))
}

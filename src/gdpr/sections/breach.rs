//! 10. Breach detection and notification (Art. 33).

use std::collections::BTreeMap;

use super::{cell, code_cell, join_inlines, yes_no, Builder};
use crate::gdpr::doc::{code, fact, missing, strong, t, Document, Inline};
use crate::gdpr::record::declared;
use crate::snapshot::MetricAlarm;

impl<'a> Builder<'a> {
    pub(in crate::gdpr) fn breach(&self, doc: &mut Document) {
        doc.h2("10. Breach detection and notification (Art. 33)");
        let b = self.record().breach.clone().unwrap_or_default();
        let mut items = Vec::new();
        let mut line = vec![t("Procedure (declared): ")];
        line.extend(fact(declared(&b.procedure), "breach.procedure"));
        items.push(line);
        let mut line = vec![t("Supervisory authority (declared): ")];
        line.extend(fact(declared(&b.supervisory_authority), "breach.supervisory_authority"));
        items.push(line);
        let mut line = vec![t("Notified within (declared; Art. 33(1): 72 hours at most): ")];
        match b.notify_within_hours {
            Some(h) => line.push(t(format!("{h} hours of becoming aware"))),
            None => line.push(missing("breach.notify_within_hours")),
        }
        items.push(line);
        let mut line = vec![t("Contact (declared): ")];
        line.extend(fact(declared(&b.contact), "breach.contact"));
        items.push(line);
        doc.bullets(items);
        doc.h3("Alarms (evidence)");
        let alarms = &self.snap.cloudwatch.metric_alarms;
        if alarms.is_empty() && self.snap.cloudwatch.composite_alarms.is_empty() {
            doc.para(vec![strong("No CloudWatch alarm in the snapshot.")]);
        } else {
            let mut rows: Vec<_> = alarms
                .iter()
                .map(|a| {
                    vec![
                        code_cell(&a.name),
                        cell(watches(a)),
                        cell(threshold(a)),
                        cell(a.state_value.clone().unwrap_or_default()),
                        self.notifies(a.actions_enabled, &a.alarm_actions),
                    ]
                })
                .collect();
            rows.extend(self.snap.cloudwatch.composite_alarms.iter().map(|a| {
                vec![
                    code_cell(&a.name),
                    cell(format!("composite: {}", a.rule.as_deref().unwrap_or(""))),
                    cell(""),
                    cell(a.state_value.clone().unwrap_or_default()),
                    self.notifies(a.actions_enabled, &a.alarm_actions),
                ]
            }));
            doc.table(&["Alarm", "Watches", "Fires when", "State", "Notifies"], rows);
        }
        doc.h3("Notification topics and subscribers (evidence)");
        let topics = &self.snap.sns.topics;
        if topics.is_empty() {
            doc.para(vec![strong("No SNS topic in the snapshot.")]);
        } else {
            let rows: Vec<_> = topics
                .iter()
                .map(|topic| {
                    let subs: Vec<Vec<Inline>> = self
                        .snap
                        .sns
                        .subscriptions
                        .iter()
                        .filter(|s| s.topic_arn == topic.arn)
                        .map(|s| {
                            vec![
                                t(format!("{} ", s.protocol)),
                                code(self.short_endpoint(&s.endpoint)),
                                t(if s.confirmed { " (confirmed)" } else { " (pending confirmation)" }),
                            ]
                        })
                        .collect();
                    let used = alarms.iter().any(|a| a.alarm_actions.contains(&topic.arn))
                        || self.snap.cloudwatch.composite_alarms.iter().any(|a| a.alarm_actions.contains(&topic.arn));
                    vec![
                        code_cell(&topic.name),
                        yes_no(used),
                        if subs.is_empty() { vec![strong("no subscriber")] } else { join_inlines(subs, "; ") },
                    ]
                })
                .collect();
            doc.table(&["Topic", "Alarm target", "Subscriptions (endpoints masked)"], rows);
        }
        doc.para(vec![strong("Controls:")]);
        doc.bullets(self.control_lines(&["ALM-001", "ALM-002", "ALM-003", "ALM-004", "ALM-006", "OPS-001"]));
        let findings = self.findings(["ALM-001", "ALM-003", "ALM-004"].into_iter());
        if !findings.is_empty() {
            doc.bullets(findings);
        }
        self.gaps(doc, "breach");
    }

    fn notifies(&self, enabled: bool, actions: &[String]) -> Vec<Inline> {
        let mut v: Vec<Vec<Inline>> = actions.iter().map(|a| code_cell(self.short(a))).collect();
        if v.is_empty() {
            return vec![strong("nobody")];
        }
        if !enabled {
            v.push(vec![strong("(actions disabled)")]);
        }
        join_inlines(v, ", ")
    }

    fn short_endpoint(&self, endpoint: &'a str) -> &'a str {
        if endpoint.starts_with("arn:") {
            self.short(endpoint)
        } else {
            endpoint
        }
    }
}

/// What an alarm watches, in one line.
fn watches(a: &MetricAlarm) -> String {
    let dims = |d: &BTreeMap<String, String>| d.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
    if let Some(q) = a.metrics.iter().find(|q| q.return_data == Some(true) && q.expression.is_some()) {
        let inputs: Vec<String> = a
            .metrics
            .iter()
            .filter_map(|m| {
                m.metric_stat.as_ref().map(|s| {
                    format!(
                        "{} = {} {}({})",
                        m.id,
                        s.namespace.as_deref().unwrap_or(""),
                        s.metric_name.as_deref().unwrap_or(""),
                        dims(&s.dimensions)
                    )
                })
            })
            .collect();
        return format!("{} where {}", q.expression.as_deref().unwrap_or(""), inputs.join("; "));
    }
    let stat = a.extended_statistic.as_deref().or(a.statistic.as_deref()).unwrap_or("");
    format!(
        "{} {} {stat} ({})",
        a.namespace.as_deref().unwrap_or(""),
        a.metric_name.as_deref().unwrap_or(""),
        dims(&a.dimensions)
    )
}

fn threshold(a: &MetricAlarm) -> String {
    let op = match a.comparison_operator.as_deref() {
        Some("GreaterThanThreshold") => ">",
        Some("GreaterThanOrEqualToThreshold") => ">=",
        Some("LessThanThreshold") => "<",
        Some("LessThanOrEqualToThreshold") => "<=",
        Some(other) => other,
        None => "?",
    };
    let value = a.threshold.map(|v| v.to_string()).unwrap_or_else(|| "?".into());
    let period = a
        .period_seconds
        .or_else(|| a.metrics.iter().find_map(|m| m.metric_stat.as_ref().and_then(|s| s.period_seconds)));
    let window = match (period, a.evaluation_periods) {
        (Some(p), Some(n)) => format!(" over {n} x {p} s"),
        _ => String::new(),
    };
    format!("{op} {value}{window}")
}

#[cfg(test)]
mod tests {
    use crate::gdpr::sections::fixtures::Fixture;

    #[test]
    fn alarms_topics_and_masked_subscribers() {
        let text = Fixture::demo().section(|b, doc| b.breach(doc));
        assert!(text.contains("| `orders-notifier-errors` | AWS/Lambda Errors Sum (FunctionName=orders-notifier) | \\> 0 over 1 x 60 s |"), "{text}");
        // The snapshot holds the endpoint masked; the appendix shows it as held.
        assert!(text.contains("| `orders-alerts` | yes | email `o***@example.com` (confirmed) |"), "{text}");
    }
}

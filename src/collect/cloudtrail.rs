//! CloudTrail: trails and whether they are logging. DescribeTrails (one call, shadow
//! trails included so a multi-region trail homed in a region that is not collected is
//! still seen) and one GetTrailStatus per trail kept. A trail is kept once: by its home
//! region when that region is collected, else by the first collected region.

use aws_sdk_cloudtrail::types::Trail as SdkTrail;
use aws_sdk_cloudtrail::Client;
use futures::future::BoxFuture;

use crate::collect::{owned, Context, Failure, Part};
use crate::snapshot::{Snapshot, Trail};

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let config = aws_sdk_cloudtrail::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let described = cx.call("DescribeTrails", client.describe_trails().include_shadow_trails(true).send()).await?;
    let kept: Vec<SdkTrail> = described
        .trail_list
        .unwrap_or_default()
        .into_iter()
        .filter(|t| keeps(cx.region, t.home_region().unwrap_or(cx.region), cx.regions))
        .collect();
    let trails = cx.for_each(kept, |t| trail(cx, &client, t)).await?;
    let mut part = Snapshot::default();
    part.cloudtrail.trails = trails;
    Ok(Part::Resources(Box::new(part)))
}

/// Whether the collector of `region` keeps a trail homed in `home`: the home region
/// does when it is collected, else the first collected region.
fn keeps(region: &str, home: &str, regions: &[String]) -> bool {
    if regions.iter().any(|r| r == home) {
        region == home
    } else {
        regions.first().is_some_and(|first| first == region)
    }
}

async fn trail(cx: &Context<'_>, client: &Client, t: SdkTrail) -> Result<Trail, Failure> {
    let arn = t.trail_arn().unwrap_or_default().to_string();
    // By ARN: a trail homed in another region is found by its ARN only.
    let status = cx.call("GetTrailStatus", client.get_trail_status().name(&arn).send()).await?;
    Ok(Trail {
        name: t.name().unwrap_or_default().to_string(),
        region: cx.region.to_string(),
        home_region: t.home_region().unwrap_or(cx.region).to_string(),
        multi_region: t.is_multi_region_trail().unwrap_or(false),
        organization_trail: t.is_organization_trail().unwrap_or(false),
        log_file_validation: t.log_file_validation_enabled().unwrap_or(false),
        kms_key_id: owned(t.kms_key_id()),
        s3_bucket_name: owned(t.s3_bucket_name()),
        cloud_watch_logs_log_group_arn: owned(t.cloud_watch_logs_log_group_arn()),
        logging: status.is_logging().unwrap_or(false),
        latest_delivery_error: owned(status.latest_delivery_error()).filter(|e| !e.is_empty()),
        arn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trail_is_kept_once_whichever_regions_are_collected() {
        let regions = ["eu-west-1".to_string(), "eu-west-3".to_string()];
        // Homed in a collected region: kept there only.
        assert!(keeps("eu-west-3", "eu-west-3", &regions));
        assert!(!keeps("eu-west-1", "eu-west-3", &regions));
        // Homed elsewhere (a multi-region trail seen as a shadow): the first region keeps it.
        assert!(keeps("eu-west-1", "us-east-1", &regions));
        assert!(!keeps("eu-west-3", "us-east-1", &regions));
    }
}

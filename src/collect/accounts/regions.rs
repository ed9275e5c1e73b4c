//! The regions enabled in an account (`account:ListRegions`, with the account's own
//! credentials): where to collect when neither the accounts file nor `--region` says.

use aws_sdk_account::types::RegionOptStatus;
use aws_types::SdkConfig;

use crate::collect::{classify, CostRecorder, Failure};

pub async fn enabled(account: &SdkConfig, id: &str, recorder: &CostRecorder) -> Result<Vec<String>, Failure> {
    let config = aws_sdk_account::config::Builder::from(account)
        .interceptor(recorder.for_service("account"))
        // The account's own partition, as every other call of the account.
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("account-{id}")))
        .build();
    let client = aws_sdk_account::Client::from_conf(config);
    let mut pages = client
        .list_regions()
        .region_opt_status_contains(RegionOptStatus::Enabled)
        .region_opt_status_contains(RegionOptStatus::EnabledByDefault)
        .into_paginator()
        .send();
    let mut regions = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| classify("ListRegions", &e))?;
        // Filtered again here: an endpoint that ignores the filter must not add a
        // region the account cannot use.
        let usable = |r: &&aws_sdk_account::types::Region| {
            matches!(r.region_opt_status(), Some(RegionOptStatus::Enabled | RegionOptStatus::EnabledByDefault))
        };
        regions.extend(page.regions().iter().filter(usable).filter_map(|r| r.region_name().map(str::to_string)));
    }
    regions.sort();
    regions.dedup();
    Ok(regions)
}

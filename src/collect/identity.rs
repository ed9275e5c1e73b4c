//! Who we are: STS GetCallerIdentity.

use aws_smithy_runtime_api::client::result::SdkError;
use aws_types::SdkConfig;

use crate::collect::{classify, CostRecorder, Failure};
use crate::error::JalonError;

pub struct Identity {
    pub account_id: String,
    pub caller_arn: String,
    /// Set when the call failed in a way that still lets other collectors try
    /// (denied, throttled); the account id is then unknown.
    pub failure: Option<Failure>,
}

/// `account`: the account asked for in a multi-account run, whose retry partition the
/// call takes (one throttled account must not slow the others' first call).
pub async fn collect(sdk: &SdkConfig, recorder: &CostRecorder, account: Option<&str>) -> Result<Identity, JalonError> {
    let mut config = aws_sdk_sts::config::Builder::from(sdk).interceptor(recorder.for_service("sts"));
    if let Some(account) = account {
        let region = sdk.region().map(|r| r.to_string()).unwrap_or_default();
        config = config.retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!(
            "sts-{region}-{account}"
        )));
    }
    let config = config.build();
    let client = aws_sdk_sts::Client::from_conf(config);
    match client.get_caller_identity().send().await {
        Ok(out) => Ok(Identity {
            account_id: out.account().unwrap_or_default().to_string(),
            caller_arn: out.arn().unwrap_or_default().to_string(),
            failure: None,
        }),
        // No credentials, no network: nothing else can work either.
        Err(e @ (SdkError::ConstructionFailure(_) | SdkError::DispatchFailure(_) | SdkError::TimeoutError(_))) => {
            let failure = classify("GetCallerIdentity", &e);
            Err(JalonError::Runtime(format!("cannot reach AWS (sts:GetCallerIdentity): {}", failure.message)))
        }
        Err(e) => Ok(Identity {
            account_id: String::new(),
            caller_arn: String::new(),
            failure: Some(classify("GetCallerIdentity", &e)),
        }),
    }
}

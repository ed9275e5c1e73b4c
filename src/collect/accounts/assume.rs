//! Credentials for one account: its role, assumed through STS with the caller's
//! credentials.
//!
//! Written here rather than taken from `aws_config::sts::AssumeRoleProvider` so that
//! each AssumeRole is counted in the run's cost, waits for the run's STS rate limit
//! (every AssumeRole of a run is made by the caller's account, against one quota),
//! and leaves its failure classified: an account whose role cannot be assumed is
//! reported as such, not as a dispatch error on its first call.

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use aws_credential_types::provider::{error::CredentialsError, future, ProvideCredentials};
use aws_credential_types::Credentials;

use crate::collect::{classify, CostRecorder, Failure, RegionLimiters};

/// Assumes `role_arn` each time the account's identity cache asks for credentials
/// (at the first call, then shortly before they expire).
#[derive(Debug)]
pub struct AssumedRole {
    client: aws_sdk_sts::Client,
    role_arn: String,
    external_id: Option<String>,
    session_name: String,
    limiter: RegionLimiters,
    failure: Arc<Mutex<Option<Failure>>>,
    /// The account the last credentials belong to, from the answer's AssumedRoleUser.
    assumed_account: Arc<Mutex<Option<String>>>,
}

impl AssumedRole {
    /// `caller`: the caller's configuration (its credentials, region, endpoint,
    /// retries); `recorder` counts the calls in the account's cost.
    pub fn new(
        caller: &aws_types::SdkConfig,
        recorder: &CostRecorder,
        limiter: RegionLimiters,
        role_arn: String,
        external_id: Option<String>,
        session_name: String,
    ) -> AssumedRole {
        let config = aws_sdk_sts::config::Builder::from(caller)
            .interceptor(recorder.for_service("sts"))
            // Every AssumeRole is charged to the caller's one STS quota: they back off
            // together, in one partition of their own (collect::Context::retry_partition).
            .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new("sts-assume-role-caller"))
            .build();
        AssumedRole {
            client: aws_sdk_sts::Client::from_conf(config),
            role_arn,
            external_id,
            session_name,
            limiter,
            failure: Arc::default(),
            assumed_account: Arc::default(),
        }
    }

    /// Why the role could not be assumed, the last time it was tried (None once it was).
    pub fn failure(&self) -> Arc<Mutex<Option<Failure>>> {
        self.failure.clone()
    }

    /// Whose credentials the last AssumeRole gave: the account of its AssumedRoleUser.
    pub fn assumed_account(&self) -> Arc<Mutex<Option<String>>> {
        self.assumed_account.clone()
    }

    async fn assume(&self) -> Result<Credentials, CredentialsError> {
        if let Some(limiter) = self.limiter.get("sts") {
            limiter.acquire().await;
        }
        let sent = self
            .client
            .assume_role()
            .role_arn(&self.role_arn)
            .role_session_name(&self.session_name)
            .set_external_id(self.external_id.clone())
            .send()
            .await;
        let remember = |failure: Option<Failure>| *self.failure.lock().unwrap_or_else(|e| e.into_inner()) = failure;
        let out = match sent {
            Ok(out) => out,
            Err(err) => {
                remember(Some(classify("AssumeRole", &err)));
                return Err(CredentialsError::provider_error(err));
            }
        };
        let Some(c) = out.credentials() else {
            let failure = Failure {
                status: crate::snapshot::CollectionStatus::Error,
                operation: "AssumeRole".into(),
                message: "the answer holds no credentials".into(),
                detail: String::new(),
            };
            remember(Some(failure));
            return Err(CredentialsError::unhandled("sts:AssumeRole answered without credentials"));
        };
        remember(None);
        let account = out
            .assumed_role_user()
            .and_then(|u| crate::snapshot::arn::Arn::parse(u.arn()))
            .map(|a| a.account.to_string());
        *self.assumed_account.lock().unwrap_or_else(|e| e.into_inner()) = account;
        let expiry = SystemTime::try_from(*c.expiration()).ok();
        Ok(Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            expiry,
            "jalon-assume-role",
        ))
    }
}

impl ProvideCredentials for AssumedRole {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.assume())
    }
}

//! Turning SDK errors into collector statuses. A collector that fails records
//! why; its section is then empty *and marked*, never read as "no resources".

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::snapshot::CollectionStatus;

/// Error codes AWS uses for a denied permission, across protocols.
const ACCESS_DENIED_CODES: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "AuthorizationError",
    "AuthorizationErrorException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "NotAuthorized",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
];

/// Error codes AWS uses for throttling (the SDK's own list, plus the HTTP 429 ones).
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub status: CollectionStatus,
    pub operation: String,
    pub message: String,
}

/// Classifies an SDK error from `operation`.
pub fn classify<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let code = err.code().unwrap_or_default();
    let http = err.raw_response().map(|r| r.status().as_u16());
    let status = if ACCESS_DENIED_CODES.contains(&code) || http == Some(403) {
        CollectionStatus::AccessDenied
    } else if THROTTLING_CODES.contains(&code) || http == Some(429) {
        CollectionStatus::Throttled
    } else {
        CollectionStatus::Error
    };
    let message = match (err.code(), err.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code.to_string(),
        _ => DisplayErrorContext(err).to_string(),
    };
    Failure { status, operation: operation.to_string(), message }
}

/// The error code of an SDK error, for "not found means none" cases.
pub fn code_of<E>(err: &SdkError<E, HttpResponse>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    err.code()
}

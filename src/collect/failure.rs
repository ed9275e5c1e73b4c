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
    /// One line for the snapshot and every report: the AWS error code and message, or
    /// what went wrong on the way (HTTP status, timeout, connection).
    pub message: String,
    /// The SDK's whole error chain, for `--verbose` only (never stored): it can run to
    /// kilobytes, with the response's headers and body.
    pub detail: String,
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
    Failure {
        status,
        operation: operation.to_string(),
        message: one_line(&summary(err)),
        detail: redact(&DisplayErrorContext(err).to_string()),
    }
}

/// What went wrong, from the error's parts that are meant to be read: the AWS error
/// code and message, the HTTP status, the kind of transport failure. Never the SDK's
/// `Debug` text, which holds the raw response (headers included).
fn summary<E>(err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let http = err.raw_response().map(|r| r.status().as_u16());
    match err {
        SdkError::ServiceError(_) | SdkError::ResponseError(_) => match (err.code(), err.message(), http) {
            (Some(code), Some(message), _) => format!("{code}: {message}"),
            (Some(code), None, _) => code.to_string(),
            (None, _, Some(status)) => {
                format!("HTTP {status} without an AWS error code: the endpoint did not answer as the AWS API")
            }
            (None, _, None) => "a response that could not be read".to_string(),
        },
        SdkError::TimeoutError(_) => "timed out (--connect-timeout, --read-timeout)".to_string(),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => {
            "timed out (--connect-timeout, --read-timeout)".to_string()
        }
        SdkError::DispatchFailure(failure) if failure.is_io() => {
            format!("the connection failed: {}", innermost(err))
        }
        SdkError::DispatchFailure(_) => format!("the request could not be sent: {}", innermost(err)),
        SdkError::ConstructionFailure(_) => format!("the request could not be built: {}", innermost(err)),
        _ => "the call failed".to_string(),
    }
}

/// The last error of the chain (`Connection refused (os error 111)`): the cause, in
/// the words of the system, without the wrappers.
fn innermost(err: &(dyn std::error::Error + 'static)) -> String {
    let mut last = err;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

/// A message as one short line, with anything that looks like a credential redacted.
pub fn one_line(text: &str) -> String {
    const MAX: usize = 300;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = redact(&flat);
    match flat.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

/// Access key ids (`AKIA…`, `ASIA…`) and SigV4 credential, signature and token
/// parameters, redacted: an endpoint can echo the request in its error, and the
/// error ends up in files that are shared.
pub fn redact(text: &str) -> String {
    static PATTERNS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\b(?:AKIA|ASIA|AIDA|AROA|ABIA|ACCA)[A-Z0-9]{12,}\b|(?:Credential|Signature|X-Amz-Security-Token|X-Amz-Credential|X-Amz-Signature)=[^\s,&\x22']+|(?:x-amz-security-token|authorization)\x22?\s*[:=]\s*\x22?[^\x22\n]+",
        )
        .expect("a valid pattern")
    });
    PATTERNS.replace_all(text, "[redacted]").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_an_error_are_redacted() {
        let echoed = "AWS4-HMAC-SHA256 Credential=AKIAJALONTEST0000001/20261204/eu-west-3/logs/aws4_request, \
                      SignedHeaders=host, Signature=0123abcd";
        let text = redact(echoed);
        assert!(!text.contains("AKIAJALONTEST") && !text.contains("0123abcd"), "{text}");
        assert_eq!(redact("key ASIAABCDEFGHIJKLMNOP used"), "key [redacted] used");
        assert_eq!(redact("\"authorization\": \"AWS4 x\""), "\"[redacted]\"");
        assert_eq!(
            redact("AccessDeniedException: User arn:aws:iam::1:user/a"),
            "AccessDeniedException: User arn:aws:iam::1:user/a"
        );
    }

    #[test]
    fn a_message_is_one_short_line() {
        assert_eq!(one_line("a\n  b\tc"), "a b c");
        let long = one_line(&"x".repeat(1000));
        assert_eq!(long.chars().count(), 301);
        assert!(long.ends_with('…'));
    }
}

//! Counting what collection costs: calls per operation, retries, throttles.
//! An SDK interceptor sees every attempt of every call, so the counts are exact.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use crate::collect::failure::THROTTLING_CODES;

#[derive(Debug, Default)]
struct Counts {
    calls: BTreeMap<String, u64>,
    attempts: u64,
    throttles: u64,
}

/// Shared by every client of one collection run.
#[derive(Debug, Clone, Default)]
pub struct CostRecorder {
    /// The jalon service name the clients belong to (`lambda`, `cloudwatch`...).
    service: &'static str,
    counts: Arc<Mutex<Counts>>,
}

impl CostRecorder {
    pub fn new() -> CostRecorder {
        CostRecorder::default()
    }

    /// The same counters, labelled for one service.
    pub fn for_service(&self, service: &'static str) -> CostRecorder {
        CostRecorder { service, counts: self.counts.clone() }
    }

    /// (calls per `service:Operation`, retries, throttles).
    pub fn totals(&self) -> (BTreeMap<String, u64>, u64, u64) {
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let calls: u64 = counts.calls.values().sum();
        (counts.calls.clone(), counts.attempts.saturating_sub(calls), counts.throttles)
    }

    pub fn total_calls(&self) -> u64 {
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        counts.calls.values().sum()
    }

    fn with<F: FnOnce(&mut Counts)>(&self, f: F) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut counts);
    }
}

impl Intercept for CostRecorder {
    fn name(&self) -> &'static str {
        "JalonCostRecorder"
    }

    // Once per call, after the operation's config (and its Metadata) is in place;
    // `read_before_execution` runs too early for client-level interceptors.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let operation = cfg.load::<Metadata>().map(|m| m.name().to_string()).unwrap_or_else(|| "Unknown".into());
        let key = format!("{}:{operation}", self.service);
        self.with(|c| *c.calls.entry(key).or_default() += 1);
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.with(|c| c.attempts += 1);
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(response) = context.response() {
            if is_throttling(
                response.status().as_u16(),
                response.headers().get("x-amzn-errortype"),
                response.body().bytes(),
            ) {
                self.with(|c| c.throttles += 1);
            }
        }
        Ok(())
    }
}

/// Whether a raw response is a throttling error, whatever the protocol: HTTP 429,
/// or an error status whose error type header or body names a throttling code.
fn is_throttling(status: u16, error_type: Option<&str>, body: Option<&[u8]>) -> bool {
    if status == 429 {
        return true;
    }
    if status < 400 {
        return false;
    }
    let names_throttling = |text: &str| THROTTLING_CODES.iter().any(|code| text.contains(code));
    error_type.is_some_and(names_throttling)
        || body.is_some_and(|b| names_throttling(&String::from_utf8_lossy(&b[..b.len().min(4096)])))
}

#[cfg(test)]
mod tests {
    use super::is_throttling;

    #[test]
    fn throttling_is_recognised_in_every_protocol_shape() {
        assert!(is_throttling(429, None, None));
        assert!(is_throttling(400, Some("ThrottlingException:http://internal"), None));
        assert!(is_throttling(400, None, Some(b"{\"__type\":\"ThrottlingException\"}")));
        assert!(is_throttling(400, None, Some(b"<Error><Code>Throttling</Code></Error>")));
        assert!(is_throttling(503, None, Some(b"<Code>SlowDown</Code>")));
        assert!(!is_throttling(400, None, Some(b"{\"__type\":\"ValidationException\"}")));
        assert!(!is_throttling(200, None, Some(b"Throttling")));
    }
}

//! Client-side rate limiting per service and region, so a nightly run never
//! starves production of its API quota.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// The longest wait between two calls, whatever the rate (a tiny rate must not
/// overflow a `Duration` or an `Instant`).
pub const MAX_INTERVAL: Duration = Duration::from_secs(3600);

/// Spaces calls at least `1 / rate` seconds apart. A rate of 0 (or anything that is
/// not a positive number) means no limit; the CLI rejects negative and non-finite rates.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Option<Duration>,
    next_slot: Mutex<Option<Instant>>,
}

impl RateLimiter {
    pub fn new(calls_per_second: f64) -> RateLimiter {
        let interval = (calls_per_second.is_finite() && calls_per_second > 0.0)
            .then(|| Duration::try_from_secs_f64(1.0 / calls_per_second).map_or(MAX_INTERVAL, |d| d.min(MAX_INTERVAL)));
        RateLimiter { interval, next_slot: Mutex::new(None) }
    }

    /// Waits for this call's slot.
    pub async fn acquire(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let wait_until = {
            let mut next = self.next_slot.lock().await;
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + interval);
            slot
        };
        tokio::time::sleep_until(wait_until).await;
    }
}

/// The limiters of one region, one per collector.
pub type RegionLimiters = Arc<BTreeMap<&'static str, RateLimiter>>;

/// Every limiter of one budget, one per service and region, shared by every task that
/// draws on it: an account's collectors, or every account's AssumeRole (charged to the
/// caller's account).
#[derive(Debug, Clone)]
pub struct RateLimits {
    calls_per_second: f64,
    by_region: Arc<StdMutex<HashMap<String, RegionLimiters>>>,
}

impl RateLimits {
    pub fn new(calls_per_second: f64) -> RateLimits {
        RateLimits { calls_per_second, by_region: Arc::default() }
    }

    /// The limiters of `region`, one per collector, the same for every caller.
    pub fn in_region(&self, region: &str) -> RegionLimiters {
        // A poisoned lock only means another thread panicked while inserting: the map
        // itself is whole.
        let mut by_region = self.by_region.lock().unwrap_or_else(|e| e.into_inner());
        by_region
            .entry(region.to_string())
            .or_insert_with(|| {
                Arc::new(
                    crate::collect::registry::names()
                        .map(|name| (name, RateLimiter::new(self.calls_per_second)))
                        .collect(),
                )
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn calls_are_spaced_by_the_rate() {
        let limiter = RateLimiter::new(10.0);
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire().await;
        }
        // First call immediate, then 4 intervals of 100 ms (virtual time: not a timed test).
        assert_eq!(start.elapsed(), Duration::from_millis(400));
    }

    #[tokio::test(start_paused = true)]
    async fn odd_rates_never_panic() {
        // Regression: 1 / 1e-300 seconds overflowed Duration::from_secs_f64 (a panic).
        for rate in [1e-300, f64::MIN_POSITIVE, 1e300, f64::INFINITY, f64::NAN, -1.0, -0.0] {
            let limiter = RateLimiter::new(rate);
            limiter.acquire().await;
            limiter.acquire().await;
        }
        let slow = RateLimiter::new(1e-300);
        let start = Instant::now();
        slow.acquire().await;
        slow.acquire().await;
        assert_eq!(start.elapsed(), MAX_INTERVAL);
    }

    #[tokio::test(start_paused = true)]
    async fn zero_means_unlimited() {
        let limiter = RateLimiter::new(0.0);
        let start = Instant::now();
        for _ in 0..100 {
            limiter.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}

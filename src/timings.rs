//! Wall time per stage on stderr when `JALON_TIMINGS` is set (to anything but `0`):
//! where a slow run on a large account goes, without a profiler.

use std::sync::OnceLock;
use std::time::Instant;

/// A stage being timed; its time is printed when it is dropped.
pub struct Stage {
    name: &'static str,
    start: Instant,
}

/// Starts timing `name` (a no-op unless `JALON_TIMINGS` is set).
pub fn stage(name: &'static str) -> Stage {
    Stage { name, start: Instant::now() }
}

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("JALON_TIMINGS").is_some_and(|v| v != "0" && !v.is_empty()))
}

impl Drop for Stage {
    fn drop(&mut self) {
        if enabled() {
            eprintln!("jalon: {:<22} {:>8.3} s", self.name, self.start.elapsed().as_secs_f64());
        }
    }
}

/// The process's resident-set high-water mark, when `JALON_TIMINGS` is set (Linux:
/// `VmHWM` in /proc/self/status; printed nowhere else).
pub fn peak_memory() {
    if !enabled() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.split_whitespace().next());
    if let Some(kib) = kib.and_then(|v| v.parse::<u64>().ok()) {
        eprintln!("jalon: {:<22} {:>8.0} MiB", "peak memory (VmHWM)", kib as f64 / 1024.0);
    }
}

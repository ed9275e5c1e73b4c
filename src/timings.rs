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

/// The process's resident-set high-water mark, when `JALON_TIMINGS` is set (Linux
/// only; printed nowhere else).
pub fn peak_memory() {
    if !enabled() {
        return;
    }
    if let Some(bytes) = proc_status_bytes("VmHWM") {
        eprintln!("jalon: {:<22} {:>8.0} MiB", "peak memory (VmHWM)", bytes as f64 / (1024.0 * 1024.0));
    }
}

/// A size field of /proc/self/status (`VmHWM`, `VmRSS`), in bytes; None off Linux.
pub fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib = status.lines().find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?.split_whitespace().next()?;
    kib.parse::<u64>().ok().map(|kib| kib * 1024)
}

// The global allocator is regorus's mimalloc (regorus installs it with its
// `allocator-memory-limits` feature): faster than the system allocator for the engine's
// small values (docs/benchmarks.md), and it counts the bytes in use, which the
// evaluation memory limit (--eval-memory) reads.

fn main() {
    std::process::exit(jalon::cli::main());
}

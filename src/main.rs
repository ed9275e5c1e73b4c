// Evaluation allocates a small value per Rego step: mimalloc serves that faster than
// the system allocator (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(jalon::cli::main());
}

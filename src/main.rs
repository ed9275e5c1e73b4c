// Evaluation allocates a small value per Rego step: mimalloc serves that about a
// third faster than the system allocator (benchmarks in the README).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(jalon::cli::main());
}

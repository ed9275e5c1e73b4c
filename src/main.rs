fn main() {
    std::process::exit(jalon::cli::main());
}

//! The `koppel` binary: hands over to the command line at once.

/// mimalloc rather than the system allocator: loading the read model allocates and frees
/// millions of small strings, and glibc's malloc was a quarter of the start-up time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    koppel::cli::main()
}

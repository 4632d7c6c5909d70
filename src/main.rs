//! The `koppel` binary: hands over to the command line at once.

fn main() -> std::process::ExitCode {
    koppel::cli::main()
}

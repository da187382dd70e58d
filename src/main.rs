//! The `gantry` binary: parses the command line and hands over to the CLI layer.

fn main() -> std::process::ExitCode {
    gantry_ls::cli::main()
}

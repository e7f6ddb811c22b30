//! The `parvis` binary: parses the command line and runs it (see `cli.rs`).

use clap::Parser;

fn main() -> std::process::ExitCode {
    parvis::cli::run(parvis::cli::Cli::parse())
}

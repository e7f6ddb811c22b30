//! The `parvis` binary: parses the command line and runs it (see `cli/`).

use clap::Parser;

/// mimalloc on every target: the static musl build would otherwise use
/// musl's allocator, which halves throughput (see BENCHMARKS.md, Packaging).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    parvis::cli::run(parvis::cli::Cli::parse())
}

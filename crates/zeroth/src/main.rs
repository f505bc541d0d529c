//! The `zeroth` binary: serve, migrate, export/import, key maintenance and configuration.
#![forbid(unsafe_code)]

mod cli;
mod config;
mod maintenance;
mod manage;

use clap::Parser;

/// mimalloc rather than glibc's malloc: glibc keeps the pages of a burst of concurrent
/// requests in per-thread arenas long after it ends (RSS +20-30 MB after 64 concurrent
/// full-body PATCHes); mimalloc hands them back (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // Before tracing is set up (configuration errors) this is the only report.
            eprintln!("Error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

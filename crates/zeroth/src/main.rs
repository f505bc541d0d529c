//! The `zeroth` binary: serve, migrate, export/import, key maintenance and configuration.
#![forbid(unsafe_code)]

mod cli;
mod config;
mod maintenance;
mod manage;

use clap::Parser;

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

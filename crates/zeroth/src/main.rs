//! The `zeroth` binary: serve, migrate, export/import and the management CLI.
#![forbid(unsafe_code)]

fn main() {}

//! Ceilings that scripts/bench divides Zeroth's numbers by: what the crypto library and
//! the database can do alone on this machine, measured in the same run.

#![forbid(unsafe_code)]

/// The allocator Zeroth runs with, so the RS256-only endpoint is the same stack.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod endpoint;
mod rsa;
mod sqlite;

use std::time::Duration;

use anyhow::{bail, Context};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let secs = |i: usize| -> anyhow::Result<Duration> {
        let s: f64 = args
            .get(i)
            .context("missing SECONDS")?
            .parse()
            .context("SECONDS must be a number")?;
        // Bounded: a ceiling never runs for more than a minute.
        Ok(Duration::from_secs_f64(s.clamp(0.1, 60.0)))
    };
    match args.first().map(String::as_str) {
        Some("rsa") => {
            let threads: usize = args.get(2).map_or(Ok(1), |t| t.parse())?;
            let rate = rsa::signatures_per_sec(secs(1)?, threads.clamp(1, 64))?;
            println!("{rate:.1}");
        }
        Some("sqlite") => {
            let dir = args.get(2).context("missing DIR")?;
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let rate = rt.block_on(sqlite::commits_per_sec(dir, secs(1)?))?;
            println!("{rate:.1}");
        }
        Some("sqlite-direct") => {
            let dir = args.get(2).context("missing DIR")?;
            println!("{:.1}", sqlite::direct_commits_per_sec(dir, secs(1)?)?);
        }
        Some("sqlite-paced") => {
            let dir = args.get(2).context("missing DIR")?;
            let gap: u64 = args
                .get(3)
                .context("missing GAP_MICROS")?
                .parse()
                .context("GAP_MICROS must be a whole number")?;
            let gap = Duration::from_micros(gap.min(1_000_000));
            println!("{:.1}", sqlite::paced_commit_micros(dir, secs(1)?, gap)?);
        }
        Some("rs256-endpoint") => {
            let arg = |i: usize, what: &str| args.get(i).with_context(|| format!("missing {what}"));
            let listen = arg(1, "LISTEN")?
                .parse()
                .context("LISTEN must be IP:PORT")?;
            let rt = tokio::runtime::Runtime::new()?;
            rt.block_on(endpoint::serve(
                listen,
                arg(2, "CERT")?.as_ref(),
                arg(3, "KEY")?.as_ref(),
                arg(4, "CLAIMS")?.as_ref(),
            ))?;
        }
        _ => bail!(
            "usage: zeroth-bench-ceilings rsa SECONDS [THREADS] | sqlite SECONDS DIR\n\
             \x20      | sqlite-direct SECONDS DIR | sqlite-paced SECONDS DIR GAP_MICROS\n\
             \x20      | rs256-endpoint LISTEN CERT KEY CLAIMS\n\
             prints one number: RS256 signatures/s (all threads together), durable commits/s,\n\
             or (sqlite-paced) the mean µs of one commit made after sleeping GAP_MICROS;\n\
             rs256-endpoint serves POST /oauth/token with only an RS256 signature until killed"
        ),
    }
    Ok(())
}

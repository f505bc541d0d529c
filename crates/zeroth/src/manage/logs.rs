//! `zeroth logs tail`: the tenant's newest log events, and new ones as they arrive.

use std::time::Duration;

use clap::{Args, Subcommand};
use zeroth_client::models::LogEvent;
use zeroth_client::ManagementClient;

use super::output;

#[derive(Subcommand, Debug)]
#[command(
    after_help = "Examples:\n  zeroth logs tail\n  zeroth logs tail --filter type:fapi --number 50\n  zeroth logs tail --follow --json"
)]
pub enum LogsCommand {
    /// The newest events, oldest of them first; `--follow` keeps printing new ones.
    Tail(TailArgs),
}

#[derive(Args, Debug)]
pub struct TailArgs {
    /// How many of the newest events to show first (at most 100).
    #[arg(long, short = 'n', default_value_t = 20)]
    number: u64,
    /// Auth0 log search, e.g. `type:sapi` or `client_id:"abc"`.
    #[arg(long)]
    filter: Option<String>,
    /// Keep polling for new events until interrupted.
    #[arg(long, short = 'f')]
    follow: bool,
    /// Seconds between polls with --follow.
    #[arg(long, default_value_t = 2)]
    interval: u64,
    /// One JSON event per line (JSON Lines) instead of columns.
    #[arg(long)]
    json: bool,
}

pub async fn run(api: &ManagementClient, cmd: LogsCommand) -> anyhow::Result<()> {
    let LogsCommand::Tail(args) = cmd;
    let q = args.filter.as_deref();
    let mut newest = api.recent_logs(args.number, q).await?;
    newest.reverse();
    let mut last = newest.last().map(|e| e.log_id.clone());
    for e in &newest {
        print_event(e, args.json)?;
    }
    if !args.follow {
        return Ok(());
    }
    let pause = Duration::from_secs(args.interval.max(1));
    loop {
        tokio::time::sleep(pause).await;
        let batch = match &last {
            Some(from) => api.logs_after(from, 100, q).await?,
            None => {
                let mut b = api.recent_logs(100, q).await?;
                b.reverse();
                b
            }
        };
        if let Some(e) = batch.last() {
            last = Some(e.log_id.clone());
        }
        for e in &batch {
            print_event(e, args.json)?;
        }
    }
}

fn print_event(e: &LogEvent, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        println!("{}", serde_json::to_string(e)?);
        return Ok(());
    }
    let who = e.client_name.as_deref().or(e.client_id.as_deref());
    println!(
        "{}  {:<6}  {}  {}",
        e.date,
        e.kind,
        e.description.as_deref().unwrap_or(""),
        who.unwrap_or("")
    );
    output::flush()
}

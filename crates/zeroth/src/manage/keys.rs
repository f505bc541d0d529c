//! `zeroth keys …`: the tenant's signing keys.

use clap::Subcommand;
use serde_json::Value;
use zeroth_client::ManagementClient;

use super::output;
use super::OutputArgs;

#[derive(Subcommand, Debug)]
#[command(
    after_help = "Examples:\n  zeroth keys list\n  zeroth keys rotate\n  zeroth keys revoke KID"
)]
pub enum KeysCommand {
    List(OutputArgs),
    /// Make the next key current and prepare a new next key.
    Rotate(OutputArgs),
    /// Revoke a previous key; tokens it signed stop verifying.
    Revoke {
        kid: String,
        #[command(flatten)]
        out: OutputArgs,
    },
}

pub async fn keys(api: &ManagementClient, cmd: KeysCommand) -> anyhow::Result<()> {
    match cmd {
        KeysCommand::List(out) => {
            let keys = api.signing_keys().await?;
            let flag = |b: Option<bool>| if b == Some(true) { "yes" } else { "" }.to_owned();
            let headers = ["KID", "CURRENT", "NEXT", "PREVIOUS", "REVOKED"];
            output::listing(&keys, out.json, &headers, |k| {
                vec![
                    k.kid.clone(),
                    flag(k.current),
                    flag(k.next),
                    flag(k.previous),
                    flag(k.revoked),
                ]
            })
        }
        KeysCommand::Rotate(out) => print_kid(&api.rotate_signing_key().await?, out),
        KeysCommand::Revoke { kid, out } => print_kid(&api.revoke_signing_key(&kid).await?, out),
    }
}

fn print_kid(v: &Value, out: OutputArgs) -> anyhow::Result<()> {
    if out.json {
        return output::json(v);
    }
    println!(
        "kid: {}",
        v.get("kid").and_then(Value::as_str).unwrap_or("")
    );
    Ok(())
}

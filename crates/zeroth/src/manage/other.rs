//! `zeroth apis …`, `zeroth keys …` and the raw `zeroth api METHOD PATH`.

use clap::{Args, Subcommand};
use futures::TryStreamExt as _;
use serde_json::Value;
use zeroth_client::models::{ResourceServer, Scope};
use zeroth_client::{ManagementClient, Method};

use super::output::{self, opt};
use super::OutputArgs;

#[derive(Subcommand, Debug)]
#[command(
    after_help = "Examples:\n  zeroth apis list\n  zeroth apis create --name Orders --identifier https://orders.example.com --scopes read:orders,write:orders\n  zeroth apis delete ID"
)]
pub enum ApisCommand {
    List(OutputArgs),
    /// One API, by id or identifier.
    Show {
        id: String,
        #[command(flatten)]
        out: OutputArgs,
    },
    Create {
        #[arg(long)]
        name: String,
        /// The audience tokens are issued for (usually a URL).
        #[arg(long)]
        identifier: String,
        #[arg(long, value_delimiter = ',')]
        scopes: Vec<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    Delete {
        id: String,
    },
}

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

#[derive(Args, Debug)]
pub struct ApiArgs {
    /// get, post, patch, put or delete.
    method: String,
    /// Starting with /api/v2/.
    path: String,
    /// Request body (JSON).
    #[arg(long)]
    data: Option<String>,
}

pub async fn apis(api: &ManagementClient, cmd: ApisCommand) -> anyhow::Result<()> {
    match cmd {
        ApisCommand::List(out) => {
            let all: Vec<ResourceServer> = api.resource_servers_all().try_collect().await?;
            output::listing(&all, out.json, &["ID", "NAME", "IDENTIFIER"], |r| {
                vec![opt(&r.id), opt(&r.name), opt(&r.identifier)]
            })
        }
        ApisCommand::Show { id, out } => show_api(&api.resource_server(&id).await?, out),
        ApisCommand::Create {
            name,
            identifier,
            scopes,
            out,
        } => {
            let rs = ResourceServer {
                name: Some(name),
                identifier: Some(identifier),
                scopes: Some(
                    scopes
                        .into_iter()
                        .map(|value| Scope {
                            value,
                            description: None,
                        })
                        .collect(),
                ),
                ..ResourceServer::default()
            };
            show_api(&api.create_resource_server(&rs).await?, out)
        }
        ApisCommand::Delete { id } => {
            api.delete_resource_server(&id).await?;
            println!("Deleted {id}");
            Ok(())
        }
    }
}

fn show_api(r: &ResourceServer, out: OutputArgs) -> anyhow::Result<()> {
    if out.json {
        return output::json(r);
    }
    let scopes: Vec<String> = r.scopes.iter().flatten().map(|s| s.value.clone()).collect();
    output::fields(&[
        ("id", opt(&r.id)),
        ("name", opt(&r.name)),
        ("identifier", opt(&r.identifier)),
        ("scopes", scopes.join(", ")),
    ]);
    Ok(())
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

/// Always prints JSON: there is no table shape for an arbitrary answer.
pub async fn api(api: &ManagementClient, args: ApiArgs) -> anyhow::Result<()> {
    let method = Method::from_bytes(args.method.to_uppercase().as_bytes())
        .map_err(|_| anyhow::anyhow!("unknown method {}", args.method))?;
    let body: Option<Value> = match args.data.as_deref() {
        Some(text) => Some(
            serde_json::from_str(text).map_err(|e| anyhow::anyhow!("--data is not JSON: {e}"))?,
        ),
        None => None,
    };
    let path = if args.path.starts_with('/') {
        args.path
    } else {
        format!("/{}", args.path)
    };
    let v = api.request(method, &path, body.as_ref()).await?;
    if !v.is_null() {
        output::json(&v)?;
    }
    Ok(())
}

//! `zeroth apis …`: APIs (resource servers) through the Management API.

use clap::Subcommand;
use futures::TryStreamExt as _;
use serde_json::Value;
use zeroth_client::models::{ResourceServer, Scope};
use zeroth_client::ManagementClient;

use super::output::{self, opt};
use super::OutputArgs;

#[derive(Subcommand, Debug)]
#[command(
    after_help = "Examples:\n  zeroth apis list\n  zeroth apis create --name Orders --identifier https://orders.example.com --scopes read:orders,write:orders\n  zeroth apis update ID --scopes read:orders,write:orders,admin:orders --token-lifetime 3600\n  zeroth apis delete ID"
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
    /// Change an API; `--scopes` replaces the whole list, `--data` is merged into the body.
    Update {
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_delimiter = ',')]
        scopes: Option<Vec<String>>,
        /// Seconds a token for this API stays valid.
        #[arg(long)]
        token_lifetime: Option<u64>,
        /// RS256, PS256 or HS256.
        #[arg(long)]
        signing_alg: Option<String>,
        /// Any other fields as a JSON object, e.g. '{"allow_offline_access": true}'.
        #[arg(long)]
        data: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    Delete {
        id: String,
    },
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
                scopes: Some(scope_list(scopes)),
                ..ResourceServer::default()
            };
            show_api(&api.create_resource_server(&rs).await?, out)
        }
        ApisCommand::Update {
            id,
            name,
            scopes,
            token_lifetime,
            signing_alg,
            data,
            out,
        } => {
            let mut body = super::apps::parse_object(data.as_deref())?;
            if let Some(n) = name {
                body.insert("name".into(), Value::String(n));
            }
            if let Some(s) = scopes {
                body.insert("scopes".into(), serde_json::to_value(scope_list(s))?);
            }
            if let Some(t) = token_lifetime {
                body.insert("token_lifetime".into(), t.into());
            }
            if let Some(a) = signing_alg {
                body.insert("signing_alg".into(), Value::String(a));
            }
            if body.is_empty() {
                anyhow::bail!("nothing to change: pass --name, --scopes, --token-lifetime, --signing-alg or --data");
            }
            show_api(
                &api.update_resource_server(&id, &Value::Object(body))
                    .await?,
                out,
            )
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

fn scope_list(values: Vec<String>) -> Vec<Scope> {
    values
        .into_iter()
        .map(|value| Scope {
            value,
            description: None,
        })
        .collect()
}

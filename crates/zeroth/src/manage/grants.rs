//! `zeroth grants …`: which application may get tokens for which API, with which scopes.

use clap::Subcommand;
use zeroth_client::models::ClientGrant;
use zeroth_client::ManagementClient;

use super::output;
use super::OutputArgs;

const EXAMPLES: &str = "Examples:
  zeroth grants list --client-id ID
  zeroth grants create --client-id ID --audience https://orders.example.com --scopes read:orders
  zeroth grants update GRANT_ID --scopes read:orders,write:orders
  zeroth grants delete GRANT_ID";

#[derive(Subcommand, Debug)]
#[command(after_help = EXAMPLES)]
pub enum GrantsCommand {
    /// Grants, optionally of one application and/or for one API.
    List {
        #[arg(long)]
        client_id: Option<String>,
        /// The API's identifier.
        #[arg(long)]
        audience: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Let an application get tokens for an API.
    Create {
        #[arg(long)]
        client_id: String,
        #[arg(long)]
        audience: String,
        /// The scopes it may ask for (comma-separated; none is allowed).
        #[arg(long, value_delimiter = ',')]
        scopes: Vec<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Replace a grant's scopes.
    Update {
        id: String,
        #[arg(long, value_delimiter = ',', required = true)]
        scopes: Vec<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    Delete {
        id: String,
    },
}

pub async fn run(api: &ManagementClient, cmd: GrantsCommand) -> anyhow::Result<()> {
    match cmd {
        GrantsCommand::List {
            client_id,
            audience,
            out,
        } => {
            let grants = api
                .client_grants(client_id.as_deref(), audience.as_deref())
                .await?;
            let headers = ["ID", "CLIENT ID", "AUDIENCE", "SCOPES"];
            output::listing(&grants, out.json, &headers, |g| {
                vec![
                    g.id.clone().unwrap_or_default(),
                    g.client_id.clone(),
                    g.audience.clone(),
                    scope_cell(&g.scope),
                ]
            })
        }
        GrantsCommand::Create {
            client_id,
            audience,
            scopes,
            out,
        } => show(
            &api.create_client_grant(&client_id, &audience, &scopes)
                .await?,
            out,
        ),
        GrantsCommand::Update { id, scopes, out } => {
            show(&api.update_client_grant(&id, &scopes).await?, out)
        }
        GrantsCommand::Delete { id } => {
            api.delete_client_grant(&id).await?;
            println!("Deleted {id}");
            Ok(())
        }
    }
}

fn show(g: &ClientGrant, out: OutputArgs) -> anyhow::Result<()> {
    if out.json {
        return output::json(g);
    }
    output::fields(&[
        ("id", g.id.clone().unwrap_or_default()),
        ("client_id", g.client_id.clone()),
        ("audience", g.audience.clone()),
        ("scope", g.scope.join(" ")),
    ]);
    Ok(())
}

/// A table cell stays one readable line: the admin grant alone holds over 200 scopes
/// (`--json` prints them all).
fn scope_cell(scopes: &[String]) -> String {
    const SHOWN: usize = 4;
    if scopes.len() <= SHOWN {
        return scopes.join(" ");
    }
    format!(
        "{} … (+{} more)",
        scopes[..SHOWN].join(" "),
        scopes.len() - SHOWN
    )
}

#[cfg(test)]
mod tests {
    use super::scope_cell;

    #[test]
    fn long_scope_lists_are_cut_short_in_tables() {
        let few: Vec<String> = ["a", "b"].map(String::from).to_vec();
        assert_eq!(scope_cell(&few), "a b");
        let many: Vec<String> = (0..221).map(|i| format!("s{i}")).collect();
        assert_eq!(scope_cell(&many), "s0 s1 s2 s3 … (+217 more)");
    }
}

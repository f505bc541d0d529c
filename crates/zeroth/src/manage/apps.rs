//! `zeroth apps …`: applications through the Management API.

use clap::Subcommand;
use futures::TryStreamExt as _;
use serde_json::{Map, Value};
use zeroth_client::models::{Client, ClientUpdate, Patch};
use zeroth_client::ManagementClient;

use super::output::{self, list, opt};
use super::OutputArgs;

const EXAMPLES: &str = "Examples:
  zeroth apps list
  zeroth apps create --name 'My SPA' --type spa --callbacks https://app.example.com/cb
  zeroth apps update ID --name 'Renamed' --data '{\"sso_disabled\": true}'
  zeroth apps rotate-secret ID
  zeroth apps delete ID --force
  zeroth apps open ID";

#[derive(Subcommand, Debug)]
#[command(after_help = EXAMPLES)]
pub enum AppsCommand {
    /// Every application.
    List(OutputArgs),
    /// One application.
    Show {
        id: String,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// A new application.
    Create {
        #[arg(long)]
        name: String,
        /// spa, native, regular_web or non_interactive.
        #[arg(long = "type")]
        app_type: Option<String>,
        /// Allowed callback URLs (comma-separated or repeated).
        #[arg(long, value_delimiter = ',')]
        callbacks: Vec<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Change an application; `--data` is merged into the PATCH body.
    Update {
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_delimiter = ',')]
        callbacks: Option<Vec<String>>,
        /// Any other fields as a JSON object, e.g. '{"description": null}'.
        #[arg(long)]
        data: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Delete an application (asks first unless --force).
    Delete {
        id: String,
        #[arg(long)]
        force: bool,
    },
    /// A new client secret; the old one stops working at once.
    RotateSecret {
        id: String,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// The application's page in the dashboard (Zeroth's /admin, or Auth0's), in a browser.
    Open {
        id: String,
        /// Only print the address.
        #[arg(long)]
        no_browser: bool,
    },
}

pub async fn run(api: &ManagementClient, cmd: AppsCommand) -> anyhow::Result<()> {
    match cmd {
        AppsCommand::List(out) => {
            let apps: Vec<Client> = api.clients_all().try_collect().await?;
            output::listing(&apps, out.json, &["CLIENT ID", "NAME", "TYPE"], |c| {
                vec![opt(&c.client_id), opt(&c.name), opt(&c.app_type)]
            })
        }
        AppsCommand::Show { id, out } => show(&api.client(&id).await?, out),
        AppsCommand::Create {
            name,
            app_type,
            callbacks,
            out,
        } => {
            let new = Client {
                name: Some(name),
                app_type,
                callbacks: (!callbacks.is_empty()).then_some(callbacks),
                ..Client::default()
            };
            show(&api.create_client(&new).await?, out)
        }
        AppsCommand::Update {
            id,
            name,
            callbacks,
            data,
            out,
        } => {
            let mut update = ClientUpdate {
                extra: parse_object(data.as_deref())?,
                ..ClientUpdate::default()
            };
            if let Some(n) = name {
                update.name = Patch::Set(n);
            }
            if let Some(c) = callbacks {
                update.callbacks = Patch::Set(c);
            }
            show(&api.update_client(&id, &update).await?, out)
        }
        AppsCommand::Delete { id, force } => {
            if !force && !confirm(&format!("Delete application {id}?"))? {
                anyhow::bail!("not deleted (pass --force to skip the question)");
            }
            api.delete_client(&id).await?;
            println!("Deleted {id}");
            Ok(())
        }
        AppsCommand::RotateSecret { id, out } => show(&api.rotate_client_secret(&id).await?, out),
        AppsCommand::Open { id, no_browser } => {
            let url = dashboard_url(api.base_url(), &id);
            println!("{url}");
            if !no_browser {
                open_in_browser(&url);
            }
            Ok(())
        }
    }
}

/// Auth0 tenants (`name.region.auth0.com`) have their dashboard at manage.auth0.com;
/// every other domain is a Zeroth serving its own under /admin.
fn dashboard_url(base: &str, client_id: &str) -> String {
    let id: String = client_id
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    let host = base
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    if let Some(tenant) = host.strip_suffix(".auth0.com") {
        let (name, region) = tenant.split_once('.').unwrap_or((tenant, "us"));
        return format!(
            "https://manage.auth0.com/dashboard/{region}/{name}/applications/{id}/settings"
        );
    }
    format!("{base}/admin/apps/{id}")
}

/// Best effort: without a desktop the printed address is the answer.
fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let started = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if started.is_err() {
        eprintln!("(no {opener} here: open the address above yourself)");
    }
}

fn show(c: &Client, out: OutputArgs) -> anyhow::Result<()> {
    if out.json {
        return output::json(c);
    }
    let mut pairs = vec![
        ("client_id", opt(&c.client_id)),
        ("name", opt(&c.name)),
        ("app_type", opt(&c.app_type)),
        ("callbacks", list(&c.callbacks)),
        ("allowed_origins", list(&c.allowed_origins)),
        ("grant_types", list(&c.grant_types)),
        (
            "token_endpoint_auth_method",
            opt(&c.token_endpoint_auth_method),
        ),
    ];
    if let Some(s) = &c.client_secret {
        pairs.push(("client_secret", s.clone()));
    }
    output::fields(&pairs);
    Ok(())
}

pub fn parse_object(data: Option<&str>) -> anyhow::Result<Map<String, Value>> {
    match data {
        None => Ok(Map::new()),
        Some(text) => match serde_json::from_str(text) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => anyhow::bail!("--data must be a JSON object"),
            Err(e) => anyhow::bail!("--data is not valid JSON: {e}"),
        },
    }
}

fn confirm(question: &str) -> anyhow::Result<bool> {
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

#[cfg(test)]
mod tests {
    use super::dashboard_url;

    #[test]
    fn dashboards_of_zeroth_and_auth0_tenants() {
        assert_eq!(
            dashboard_url("https://localhost:8443", "abc"),
            "https://localhost:8443/admin/apps/abc"
        );
        assert_eq!(
            dashboard_url("https://acme.eu.auth0.com", "abc"),
            "https://manage.auth0.com/dashboard/eu/acme/applications/abc/settings"
        );
        assert_eq!(
            dashboard_url("https://acme.auth0.com", "a b"),
            "https://manage.auth0.com/dashboard/us/acme/applications/a%20b/settings"
        );
    }
}

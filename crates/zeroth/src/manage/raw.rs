//! `zeroth api METHOD PATH`: any Management API call, for what no verb covers.

use clap::Args;
use serde_json::Value;
use zeroth_client::{ManagementClient, Method};

use super::output;

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

//! Keeps every node's keys in step with the store: a rotation or revocation made on
//! another node reaches this one within about a second.

use std::time::Duration;

use zeroth_core::signing_keys::fingerprint;
use zeroth_core::store::SigningKeyRow;

use crate::state::AppState;

const POLL: Duration = Duration::from_secs(1);

/// Runs until aborted: reloads the key ring whenever the stored key set (kids and
/// states) differs from what this node last loaded, starting from `loaded`, the set read
/// at start-up before the ring was (so a rotation landing in between is still seen).
pub async fn watch_signing_keys(state: AppState, loaded: Vec<SigningKeyRow>) {
    let mut seen = fingerprint(&loaded);
    loop {
        tokio::time::sleep(POLL).await;
        let rows = match state.store().list_signing_keys().await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "could not poll the signing keys");
                continue;
            }
        };
        let now = fingerprint(&rows);
        if seen != now {
            match state.auth.keys.reload(state.store()).await {
                Ok(()) => {
                    state.set_signing_keys(&rows);
                    tracing::info!("signing keys changed in the store; reloaded");
                }
                Err(e) => {
                    tracing::error!(error = %e, "could not reload the signing keys");
                    continue;
                }
            }
        }
        seen = now;
    }
}

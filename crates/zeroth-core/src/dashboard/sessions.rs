//! Dashboard sessions: random 256-bit tokens, stored hashed, with idle and absolute expiry.

use base64::Engine as _;

use crate::store::{DashboardSessionRow, Store};
use crate::{ids, now_ms, Error, Secret};

/// A session ends after this long without a request.
pub const IDLE_MS: i64 = 8 * 3600 * 1000;
/// And this long after sign-in, however busy.
pub const ABSOLUTE_MS: i64 = 12 * 3600 * 1000;
/// `last_seen_at` is written at most this often, so browsing is not a write per page.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// A live session as a request sees it.
#[derive(Debug, Clone)]
pub struct Session {
    pub username: String,
    /// Sent back in every form and compared on every state-changing request.
    pub csrf_token: Secret,
}

fn random_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(ids::random(32))
}

/// The SHA-256 of a session token, hex: what the database keys sessions by.
pub fn token_hash(token: &str) -> String {
    hex::encode(aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        token.as_bytes(),
    ))
}

/// Starts a session for `username`; the returned token goes into the cookie and nowhere else.
pub async fn start_session(store: &Store, username: &str) -> Result<(Secret, Session), Error> {
    let now = now_ms();
    // Sign-in is rare: a good moment to drop what has expired.
    store
        .purge_dashboard_sessions(now - IDLE_MS, now - ABSOLUTE_MS)
        .await?;
    let token = random_token();
    let csrf = random_token();
    store
        .insert_dashboard_session(&DashboardSessionRow {
            token_hash: token_hash(&token),
            username: username.to_string(),
            csrf_token: csrf.clone(),
            created_at: now,
            last_seen_at: now,
        })
        .await?;
    Ok((
        Secret::new(token),
        Session {
            username: username.to_string(),
            csrf_token: Secret::new(csrf),
        },
    ))
}

/// The session `token` names, if it exists and has not expired (expired ones are deleted).
pub async fn find_session(store: &Store, token: &str) -> Result<Option<Session>, Error> {
    let hash = token_hash(token);
    let Some(row) = store.get_dashboard_session(&hash).await? else {
        return Ok(None);
    };
    let now = now_ms();
    if now - row.last_seen_at > IDLE_MS || now - row.created_at > ABSOLUTE_MS {
        store.delete_dashboard_session(&hash).await?;
        return Ok(None);
    }
    if now - row.last_seen_at > TOUCH_EVERY_MS {
        store.touch_dashboard_session(&hash, now).await?;
    }
    Ok(Some(Session {
        username: row.username,
        csrf_token: Secret::new(row.csrf_token),
    }))
}

/// Signs out: the token stops working on every node at once.
pub async fn end_session(store: &Store, token: &str) -> Result<(), Error> {
    store.delete_dashboard_session(&token_hash(token)).await?;
    Ok(())
}

//! The signing-keys resource: listing, rotating and revoking the tenant's keys as Auth0 shows them.

mod render;

pub use render::render;

use serde_json::Value;

use crate::crypto::keys::{generate_signing_key, KeyError};
use crate::scopes::Granted;
use crate::store::{KeyState, SigningKeyRow, Store, StoreError};
use crate::{now_ms, Error};

pub const READ_SCOPES: &[&str] = &["read:signing_keys"];
pub const ROTATE_SCOPES: &[&str] = &["create:signing_keys", "update:signing_keys"];
pub const REVOKE_SCOPES: &[&str] = &["update:signing_keys"];

/// How many times a rotation that lost a race with another node is retried.
const ROTATE_ATTEMPTS: u32 = 3;

fn key_error(e: KeyError) -> Error {
    match e {
        KeyError::Store(s) => s.into(),
        other => Error::internal(other),
    }
}

/// 404 for a kid the tenant never had.
pub fn inexistent_key() -> Error {
    Error::NotFound {
        code: "inexistent_signing_key",
        message: "The signing key does not exist".into(),
    }
}

/// Every key: current, next, previous (newest first), then revoked (newest first).
pub async fn list(store: &Store, granted: &Granted) -> Result<Value, Error> {
    granted.require_any(READ_SCOPES)?;
    let mut rows = store.list_signing_keys().await?;
    rows.sort_by_key(|r| (rank(r.state), -r.created_at));
    Ok(Value::Array(
        rows.iter().map(|r| Value::Object(render(r))).collect(),
    ))
}

fn rank(s: KeyState) -> u8 {
    match s {
        KeyState::Current => 0,
        KeyState::Next => 1,
        KeyState::Previous => 2,
        KeyState::Revoked => 3,
    }
}

pub async fn get(store: &Store, granted: &Granted, kid: &str) -> Result<Value, Error> {
    granted.require_any(READ_SCOPES)?;
    let rows = store.list_signing_keys().await?;
    let row = rows
        .iter()
        .find(|r| r.kid == kid)
        .ok_or_else(inexistent_key)?;
    Ok(Value::Object(render(row)))
}

/// Next becomes current, current becomes previous and a fresh next is made, in one
/// transaction. Returns the key that now signs.
pub async fn rotate(store: &Store, granted: &Granted, domain: &str) -> Result<Value, Error> {
    granted.require_any(ROTATE_SCOPES)?;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match rotate_once(store, domain).await {
            Err(Error::Conflict { .. }) if attempt < ROTATE_ATTEMPTS => continue,
            Err(Error::Conflict { .. }) => {
                return Err(Error::Conflict {
                    code: "conflict",
                    message: "The signing keys changed during the rotation; try again".into(),
                })
            }
            other => return other.map(|row| Value::Object(render(&row))),
        }
    }
}

async fn rotate_once(store: &Store, domain: &str) -> Result<SigningKeyRow, Error> {
    let rows = store.list_signing_keys().await?;
    let current = rows
        .iter()
        .filter(|r| r.state == KeyState::Current)
        .max_by_key(|r| r.current_since.unwrap_or(r.created_at))
        .ok_or_else(|| Error::internal("the tenant has no current signing key"))?;
    let next = rows
        .iter()
        .filter(|r| r.state == KeyState::Next)
        .max_by_key(|r| r.created_at)
        .ok_or_else(|| Error::internal("the tenant has no next signing key"))?;
    let now = now_ms();
    let old = SigningKeyRow {
        state: KeyState::Previous,
        current_until: Some(now),
        ..current.clone()
    };
    let promoted = SigningKeyRow {
        state: KeyState::Current,
        current_since: Some(now),
        ..next.clone()
    };
    let mut fresh = generate_signing_key(domain, KeyState::Next, now).map_err(key_error)?;
    // The new key's id follows from the key it succeeds, so two nodes rotating from
    // the same state insert the same kid: the second transaction fails on the unique
    // key and rolls back whole instead of leaving two next keys.
    fresh.kid = successor_kid(&next.kid);
    store
        .save_signing_keys(&[old, promoted.clone()], Some(&fresh))
        .await
        .map_err(|e| match e {
            StoreError::Conflict(m) => Error::Conflict {
                code: "conflict",
                message: m,
            },
            other => other.into(),
        })?;
    Ok(promoted)
}

/// A 22-character base64url kid derived from the kid of the key being promoted.
fn successor_kid(kid: &str) -> String {
    use base64::Engine;
    let d = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        format!("zeroth-next-key:{kid}").as_bytes(),
    );
    let b = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(d.as_ref());
    b.chars().take(22).collect()
}

/// Revokes a previously used key. The current and next keys cannot be revoked (Auth0
/// only revokes the previous key); revoking a revoked key changes nothing.
pub async fn revoke(store: &Store, granted: &Granted, kid: &str) -> Result<Value, Error> {
    granted.require_any(REVOKE_SCOPES)?;
    let rows = store.list_signing_keys().await?;
    let row = rows
        .iter()
        .find(|r| r.kid == kid)
        .ok_or_else(inexistent_key)?;
    let refuse = |which: &str| Error::BadRequest {
        code: "operation_not_supported",
        message: format!(
            "The {which} signing key cannot be revoked; only a previously used key can"
        ),
    };
    match row.state {
        KeyState::Current => return Err(refuse("current")),
        KeyState::Next => return Err(refuse("next")),
        KeyState::Revoked => return Ok(Value::Object(render(row))),
        KeyState::Previous => {}
    }
    let revoked = SigningKeyRow {
        state: KeyState::Revoked,
        revoked_at: Some(now_ms()),
        ..row.clone()
    };
    store
        .save_signing_keys(std::slice::from_ref(&revoked), None)
        .await?;
    Ok(Value::Object(render(&revoked)))
}

/// A cheap summary of the stored key set (kids and states) that changes whenever a
/// rotation or revocation happened anywhere.
pub fn fingerprint(rows: &[SigningKeyRow]) -> String {
    let mut parts: Vec<String> = rows
        .iter()
        .map(|r| format!("{}={}", r.kid, r.state.as_str()))
        .collect();
    parts.sort();
    parts.join(",")
}

#[cfg(test)]
mod tests;

//! The dashboard's user and sessions: an argon2id password hash and server-side sessions.

mod password;
mod sessions;

pub use password::{
    ensure_password, hash_password, verify_password, DashboardPassword, Remembered,
};
pub use sessions::{end_session, find_session, start_session, token_hash, Session};

/// The one dashboard user. A name keeps room for more users later without a format change.
pub const USERNAME: &str = "admin";

/// The setting holding the argon2id PHC string of the dashboard password.
pub const PASSWORD_SETTING: &str = "dashboard_password_hash";

//! Zeroth's domain: applications (clients), APIs, grants, keys, tokens, secrets and storage.
#![forbid(unsafe_code)]

pub mod bootstrap;
pub mod client_grants;
pub mod clients;
pub mod credentials;
pub mod crypto;
pub mod dashboard;
pub mod error;
pub mod ids;
pub mod logs;
pub mod resource_servers;
pub mod schema;
pub mod scopes;
pub mod secret;
pub mod signing_keys;
pub mod store;
pub mod tenant;
pub mod tokens;

pub use error::Error;
pub use secret::Secret;

/// Milliseconds since the Unix epoch: the one clock every table uses.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Unix milliseconds as Auth0 prints dates: UTC with milliseconds (`…T09:07:30.535Z`).
/// Every tenant log event carries one, so it takes chrono's fixed RFC 3339 writer rather
/// than a format string parsed at each call.
pub fn iso_ms(ms: i64) -> serde_json::Value {
    match chrono::DateTime::from_timestamp_millis(ms) {
        Some(t) => {
            serde_json::Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        }
        None => serde_json::Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::iso_ms;
    use serde_json::json;

    #[test]
    fn dates_are_utc_milliseconds() {
        assert_eq!(iso_ms(1_684_227_450_535), json!("2023-05-16T08:57:30.535Z"));
        assert_eq!(iso_ms(0), json!("1970-01-01T00:00:00.000Z"));
    }

    /// The same text as the strftime pattern it replaced, across leap days, month ends and
    /// every millisecond digit, from 1970 to 2200.
    #[test]
    fn dates_match_the_strftime_shape_everywhere() {
        let mut ms: i64 = 0;
        while ms < 7_258_118_400_000 {
            let want = chrono::DateTime::from_timestamp_millis(ms)
                .unwrap()
                .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                .to_string();
            assert_eq!(iso_ms(ms), json!(want), "{ms}");
            ms += 86_399_997;
        }
    }
}

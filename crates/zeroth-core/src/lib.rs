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

use std::sync::atomic::{AtomicI64, Ordering};

/// Milliseconds since the Unix epoch: the one clock every table uses.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

static LAST_CREATION: AtomicI64 = AtomicI64::new(0);

/// Raises the floor of `creation_ms` to the newest stamp already stored, at start-up.
pub fn creation_floor(newest: i64) {
    LAST_CREATION.fetch_max(newest, Ordering::Relaxed);
}

/// The `created_at` stamp of a listed item (client, API, grant, credential): `now_ms`, but
/// strictly above every stamp this process gave before. Lists are ordered by `created_at`;
/// with plain milliseconds, items made in the same millisecond fell back to their random ids
/// and a script's creations came back shuffled. Past 1,000 creations a second the stamps run
/// ahead of the wall clock by the excess and catch up once the burst ends; a restart
/// starts above the newest stored stamp (`creation_floor`).
pub fn creation_ms() -> i64 {
    let now = now_ms();
    let step = |last: i64| Some(now.max(last + 1));
    match LAST_CREATION.fetch_update(Ordering::Relaxed, Ordering::Relaxed, step) {
        Ok(prev) | Err(prev) => now.max(prev + 1),
    }
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
    use super::{creation_ms, iso_ms, now_ms};
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

    #[test]
    fn creation_stamps_keep_creation_order_within_a_millisecond() {
        let before = now_ms();
        let stamps: Vec<i64> = (0..5_000).map(|_| creation_ms()).collect();
        assert!(
            stamps.windows(2).all(|w| w[0] < w[1]),
            "strictly increasing"
        );
        assert!(stamps[0] >= before, "never behind the wall clock");
    }

    /// After a restart the stamps start above what the store holds, even when a burst
    /// before it had run them ahead of the wall clock.
    #[test]
    fn creation_stamps_start_above_the_stored_floor() {
        let ahead = now_ms() + 5_000;
        super::creation_floor(ahead);
        assert!(creation_ms() > ahead);
    }

    #[test]
    fn creation_stamps_from_many_threads_never_repeat() {
        let handles: Vec<_> = (0..4)
            .map(|_| std::thread::spawn(|| (0..2_000).map(|_| creation_ms()).collect::<Vec<_>>()))
            .collect();
        let mut all: Vec<i64> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
    }
}

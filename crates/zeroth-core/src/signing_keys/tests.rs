//! Tests for the pure parts of the signing-keys resource.

use super::*;

#[test]
fn dates_are_utc_milliseconds() {
    assert_eq!(
        iso_ms(1_684_227_450_535),
        json_str("2023-05-16T08:57:30.535Z")
    );
    assert_eq!(iso_ms(0), json_str("1970-01-01T00:00:00.000Z"));
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
        assert_eq!(iso_ms(ms), json_str(&want), "{ms}");
        ms += 86_399_997;
    }
}

fn json_str(s: &str) -> Value {
    Value::String(s.into())
}

#[test]
fn successor_kids_are_stable_and_distinct() {
    let a = successor_kid("abc");
    assert_eq!(a, successor_kid("abc"));
    assert_ne!(a, successor_kid("abd"));
    assert_eq!(a.len(), 22);
    assert!(a
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
}

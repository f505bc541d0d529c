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

//! Tests for the pure parts of the signing-keys resource.

use super::*;

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

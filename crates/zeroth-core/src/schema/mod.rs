//! A declarative JSON-schema subset with Auth0's (tv4-worded) validation messages.
//!
//! INTERFACE STUB: the schema work fills this in.

/// One validation failure: where (`callbacks[0]`, `addons.rms`; empty = the root) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

/// Auth0's body message: `Payload validation error: '<msg>' on property <path>.`,
/// several joined with ` (also) `.
pub fn payload_error(problems: &[Problem]) -> String {
    wrap("Payload validation error", problems)
}

/// Auth0's query message: `Query validation error: '<msg>' on property <param>.`
pub fn query_error(problems: &[Problem]) -> String {
    wrap("Query validation error", problems)
}

fn wrap(prefix: &str, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| {
            if p.path.is_empty() {
                format!("{prefix}: '{}'.", p.message)
            } else {
                format!("{prefix}: '{}' on property {}.", p.message, p.path)
            }
        })
        .collect::<Vec<_>>()
        .join(" (also) ")
}

//! A declarative JSON-schema subset with Auth0's (tv4-worded) validation messages.
//!
//! Wording decisions (tv4 plus Auth0's own changes, see docs/API.md):
//! - union type errors list the allowed types joined with `/` as tv4 does:
//!   `Invalid type: number (expected string/null)`;
//! - patterns name the pattern and the value: `String does not match pattern ^[^<>]+$: <value>`;
//! - formats: `Object didn't pass validation for format callback-url: <value>`;
//! - every extra key of one object is listed in one `Additional properties not allowed: a,b`
//!   reported at the object's own path (the empty root path for the body itself);
//! - a type or enum failure stops validation of that node; everything else accumulates.

mod formats;
mod model;
mod openapi;
mod validate;

pub use formats::check as check_format;
pub use model::{Additional, Schema, Type};
pub use openapi::to_json_schema;
pub use validate::{is_valid, type_name, validate};

/// One validation failure: where (`callbacks[0]`, `addons.rms`; empty = the root) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl Problem {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            message: message.into(),
        }
    }
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

/// Reads a message built by [`payload_error`] (and rules joined to it with ` (also) `)
/// back into problems, so a front end can show each next to the field it names.
/// Parts that are not payload errors come back with an empty path.
pub fn parse_payload_error(message: &str) -> Vec<Problem> {
    const PREFIX: &str = "Payload validation error: '";
    message
        .split(" (also) ")
        .map(|part| {
            let Some(rest) = part.strip_prefix(PREFIX) else {
                return Problem::new("", part);
            };
            // The message may quote the value, so the path is after the last marker.
            match rest.rsplit_once("' on property ") {
                Some((msg, path)) => Problem::new(path.trim_end_matches('.'), msg),
                None => Problem::new("", rest.trim_end_matches("'.")),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;

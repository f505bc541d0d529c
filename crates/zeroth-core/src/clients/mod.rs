//! Applications (Auth0 "clients"): schema, defaults, PATCH merge, field visibility, service.

pub mod schema;

pub use schema::{validate_create, validate_update};
pub mod defaults;
pub mod merge;
pub mod rules;

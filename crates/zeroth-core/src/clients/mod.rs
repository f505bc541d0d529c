//! Applications (Auth0 "clients"): schema, defaults, PATCH merge, field visibility, service.

pub mod defaults;
pub mod fields;
pub mod merge;
pub mod rendered;
pub mod rules;
pub mod schema;

pub use defaults::apply_create_defaults;
pub use fields::{
    check_create_scopes, check_fields, check_write_scopes, parse_fields, project, ReadAccess,
};
pub use merge::merge_patch;
pub use schema::{validate_create, validate_update};
pub mod service;

#[cfg(test)]
mod hostile_tests;

//! APIs (Auth0 "resource servers"): schema, defaults, PATCH merge and the operations.

pub mod defaults;
pub mod merge;
pub mod schema;
pub mod service;

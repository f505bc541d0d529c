//! Client grants: which application may get tokens for which API, with which scopes.

pub mod schema;
pub mod service;

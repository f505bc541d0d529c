//! Cryptography: sealing secrets at rest and the tenant's signing keys.

pub mod keys;
pub mod seal;

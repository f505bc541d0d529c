//! Where a setting's value came from, and the errors that say so.

use std::fmt;
use std::path::PathBuf;

/// One layer of configuration; later layers override earlier ones.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Default,
    File { path: PathBuf, key: String },
    Env(String),
    Flag(String),
}

impl Source {
    /// Precedence: defaults → file → environment → flags.
    pub fn rank(&self) -> u8 {
        match self {
            Source::Default => 0,
            Source::File { .. } => 1,
            Source::Env(_) => 2,
            Source::Flag(_) => 3,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => write!(f, "default"),
            Source::File { path, key } => write!(f, "{}, key `{key}`", path.display()),
            Source::Env(name) => write!(f, "environment variable {name}"),
            Source::Flag(name) => write!(f, "flag {name}"),
        }
    }
}

/// A configuration problem, naming the setting and where its value came from.
#[derive(Debug)]
pub struct ConfigError {
    pub key: String,
    pub source: Option<Source>,
    pub message: String,
}

impl ConfigError {
    pub fn new(key: impl Into<String>, source: &Source, message: impl Into<String>) -> Self {
        ConfigError {
            key: key.into(),
            source: Some(source.clone()),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(source) => write!(
                f,
                "invalid setting `{}` (from {source}): {}",
                self.key, self.message
            ),
            None => write!(f, "{}: {}", self.key, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// A setting's value once read from any layer.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Text(String),
    Int(u64),
    Bool(bool),
}

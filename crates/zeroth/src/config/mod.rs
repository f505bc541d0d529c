//! One configuration for `zeroth`: defaults, then a TOML file, then `ZEROTH_*`, then flags.

mod default_file;
mod parse;
pub mod serve;
mod source;
mod table;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use default_file::default_file;
pub use source::{ConfigError, Source, Val};
pub use table::SETTINGS;

/// What the command line and environment hand to the resolver.
#[derive(Debug, Default)]
pub struct Inputs {
    /// `--config` (wins over `ZEROTH_CONFIG`).
    pub config_flag: Option<PathBuf>,
    /// `ZEROTH_*` variables (a snapshot, so tests can pass their own).
    pub env: BTreeMap<String, String>,
    /// `(setting key, flag as typed, raw value)`.
    pub flags: Vec<(&'static str, &'static str, String)>,
}

impl Inputs {
    /// The process environment's `ZEROTH_*` variables; empty values count as unset,
    /// as container tooling often sets a variable to "" to mean "not given".
    pub fn from_process(flags: Vec<(&'static str, &'static str, String)>) -> Inputs {
        Inputs {
            config_flag: None,
            env: std::env::vars()
                .filter(|(k, v)| k.starts_with("ZEROTH_") && !v.is_empty())
                .collect(),
            flags,
        }
    }
}

/// Every setting's effective value and where it came from.
#[derive(Debug)]
pub struct Resolved {
    values: BTreeMap<&'static str, (Val, Source)>,
    /// The file that was read, if any.
    pub file: Option<PathBuf>,
}

impl Resolved {
    pub fn get(&self, key: &str) -> Option<&(Val, Source)> {
        self.values.get(key)
    }

    pub fn text(&self, key: &str) -> Option<String> {
        match self.values.get(key) {
            Some((Val::Text(t), _)) => Some(t.clone()),
            _ => None,
        }
    }

    pub fn int(&self, key: &str) -> u64 {
        match self.values.get(key) {
            Some((Val::Int(n), _)) => *n,
            _ => 0,
        }
    }

    pub fn flag(&self, key: &str) -> bool {
        matches!(self.values.get(key), Some((Val::Bool(true), _)))
    }

    /// Each setting with its source, secrets masked (for `config check`).
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for setting in SETTINGS {
            let Some((val, source)) = self.values.get(setting.key) else {
                continue;
            };
            let shown = match val {
                _ if is_secret(setting.key) => "(set)".to_string(),
                Val::Text(t) => format!("{t:?}"),
                Val::Int(n) => n.to_string(),
                Val::Bool(b) => b.to_string(),
            };
            out.push_str(&format!("{} = {shown}  # {source}\n", setting.key));
        }
        out
    }
}

fn is_secret(key: &str) -> bool {
    table::SECRET_PAIRS.iter().any(|(inline, _)| *inline == key)
}

/// Layers defaults, the file, the environment and flags; every value is checked and
/// the first problem names its key and where it came from.
pub fn resolve(inputs: &Inputs) -> Result<Resolved, ConfigError> {
    let mut values: BTreeMap<&'static str, (Val, Source)> = BTreeMap::new();
    for setting in SETTINGS {
        if let Some(default) = setting.default {
            let value: toml::Value = toml::from_str::<toml::Table>(&format!("v = {default}"))
                .ok()
                .and_then(|mut t| t.remove("v"))
                .ok_or_else(|| ConfigError::new(setting.key, &Source::Default, "bad default"))?;
            let val = parse::from_toml(setting, &value, &Source::Default)?;
            values.insert(setting.key, (val, Source::Default));
        }
    }
    let file = match (&inputs.config_flag, inputs.env.get("ZEROTH_CONFIG")) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(p)) => Some(PathBuf::from(p)),
        (None, None) => None,
    };
    if let Some(path) = &file {
        for (setting, val, source) in parse::file(path)? {
            values.insert(setting.key, (val, source));
        }
    }
    for setting in SETTINGS {
        if let Some(raw) = inputs.env.get(setting.env) {
            let source = Source::Env(setting.env.to_string());
            let val = parse::from_text(setting, raw, &source)?;
            values.insert(setting.key, (val, source));
        }
    }
    for (key, flag, raw) in &inputs.flags {
        let setting = table::find(key).ok_or_else(|| {
            ConfigError::new(*key, &Source::Flag(flag.to_string()), "unknown setting")
        })?;
        let source = Source::Flag(flag.to_string());
        let val = parse::from_text(setting, raw, &source)?;
        values.insert(setting.key, (val, source));
    }
    pick_secret_forms(&mut values)?;
    let resolved = Resolved { values, file };
    serve::cross_checks(&resolved)?;
    Ok(resolved)
}

/// A secret given both inline and as a file: the higher layer wins; both in the same
/// layer is a mistake worth stopping for.
fn pick_secret_forms(
    values: &mut BTreeMap<&'static str, (Val, Source)>,
) -> Result<(), ConfigError> {
    for (inline, file) in table::SECRET_PAIRS {
        let (Some((_, a)), Some((_, b))) = (values.get(inline), values.get(file)) else {
            continue;
        };
        if a.rank() == b.rank() {
            return Err(ConfigError::new(
                *file,
                b,
                format!("{inline} is also set ({a}): set one of them"),
            ));
        }
        let loser = if a.rank() > b.rank() { file } else { inline };
        values.remove(loser);
    }
    Ok(())
}

#[cfg(test)]
mod tests;

//! Reading one setting's value from text (environment, flags) or TOML (the file), by kind.

use std::net::SocketAddr;
use std::path::Path;

use super::source::{ConfigError, Source, Val};
use super::table::{find, Kind, Setting};

/// Reads text from the environment or a flag as `setting`'s kind.
pub fn from_text(setting: &Setting, raw: &str, source: &Source) -> Result<Val, ConfigError> {
    let bad = |m: String| ConfigError::new(setting.key, source, m);
    let val = match setting.kind {
        Kind::Bool => match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Val::Bool(true),
            "false" | "0" | "no" | "off" => Val::Bool(false),
            _ => return Err(bad(format!("expected true or false, got {raw:?}"))),
        },
        Kind::Count { min, max } => match raw.trim().parse::<u64>() {
            Ok(n) => Val::Int(n),
            Err(_) => {
                return Err(bad(format!(
                    "expected a whole number from {min} to {max}, got {raw:?}"
                )))
            }
        },
        _ => Val::Text(raw.to_string()),
    };
    check(setting, &val, source)?;
    Ok(val)
}

/// Reads a TOML value from the file as `setting`'s kind.
pub fn from_toml(
    setting: &Setting,
    value: &toml::Value,
    source: &Source,
) -> Result<Val, ConfigError> {
    let val = match (setting.kind, value) {
        (Kind::Bool, toml::Value::Boolean(b)) => Val::Bool(*b),
        (Kind::Count { min, max }, toml::Value::Integer(n)) => match u64::try_from(*n) {
            Ok(n) => Val::Int(n),
            Err(_) => {
                return Err(ConfigError::new(
                    setting.key,
                    source,
                    format!("expected a whole number from {min} to {max}, got {n}"),
                ))
            }
        },
        (Kind::Bool | Kind::Count { .. }, other) => {
            return Err(ConfigError::new(
                setting.key,
                source,
                format!(
                    "expected {}, got {}",
                    expected(setting.kind),
                    other.type_str()
                ),
            ))
        }
        (_, toml::Value::String(s)) => Val::Text(s.clone()),
        (kind, other) => {
            return Err(ConfigError::new(
                setting.key,
                source,
                format!("expected {}, got {}", expected(kind), other.type_str()),
            ))
        }
    };
    check(setting, &val, source)?;
    Ok(val)
}

fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Bool => "true or false",
        Kind::Count { .. } => "a whole number",
        _ => "a string",
    }
}

/// The rules a value of each kind must meet, whichever layer it came from.
fn check(setting: &Setting, val: &Val, source: &Source) -> Result<(), ConfigError> {
    let bad = |m: String| Err(ConfigError::new(setting.key, source, m));
    match (setting.kind, val) {
        (Kind::Count { min, max }, Val::Int(n)) if *n < min || *n > max => bad(format!(
            "expected a whole number from {min} to {max}, got {n}"
        )),
        (Kind::Addr, Val::Text(t)) if t.parse::<SocketAddr>().is_err() => bad(format!(
            "expected IP:PORT such as 127.0.0.1:8443 or [::]:8443, got {t:?}"
        )),
        (Kind::DatabaseUrl, Val::Text(t))
            if !["sqlite:", "postgres://", "postgresql://"]
                .iter()
                .any(|p| t.starts_with(p)) =>
        {
            bad("expected sqlite://PATH or postgres://USER:PASS@HOST/DB".into())
        }
        (Kind::Domain, Val::Text(t))
            if t.is_empty() || t.contains("://") || t.contains('/') || t.contains(' ') =>
        {
            bad(format!(
                "expected a host with an optional port, such as auth.example.com, got {t:?}"
            ))
        }
        (Kind::Choice(options), Val::Text(t)) if !options.contains(&t.as_str()) => {
            bad(format!("expected one of {}, got {t:?}", options.join(", ")))
        }
        (Kind::Filter, Val::Text(t)) => match tracing_subscriber::EnvFilter::try_new(t) {
            Ok(_) => Ok(()),
            Err(e) => bad(format!("not a log filter: {e}")),
        },
        (Kind::Text | Kind::Path, Val::Text(t)) if t.trim().is_empty() => {
            bad("must not be empty".into())
        }
        _ => Ok(()),
    }
}

/// Every setting in a configuration file, each checked; unknown keys are errors.
pub fn file(path: &Path) -> Result<Vec<(&'static Setting, Val, Source)>, ConfigError> {
    let whole = |m: String| ConfigError {
        key: path.display().to_string(),
        source: None,
        message: m,
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| whole(format!("cannot read the configuration file: {e}")))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| whole(format!("not valid TOML: {e}")))?;
    let mut out = Vec::new();
    walk(path, "", &table, &mut out)?;
    Ok(out)
}

fn walk(
    path: &Path,
    prefix: &str,
    table: &toml::Table,
    out: &mut Vec<(&'static Setting, Val, Source)>,
) -> Result<(), ConfigError> {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let source = Source::File {
            path: path.to_path_buf(),
            key: key.clone(),
        };
        let is_section = super::table::SETTINGS
            .iter()
            .any(|s| s.in_file && s.key.starts_with(&format!("{key}.")));
        match (find(&key).filter(|s| s.in_file), value) {
            (Some(setting), v) => out.push((setting, from_toml(setting, v, &source)?, source)),
            (None, toml::Value::Table(inner)) if is_section => walk(path, &key, inner, out)?,
            (None, _) => {
                let hint = match find(&key) {
                    Some(s) => format!(
                        "a secret is not read from the file: use {} or {key}_file",
                        s.env
                    ),
                    None => "unknown setting (see `zeroth config print-default`)".into(),
                };
                return Err(ConfigError::new(key, &source, hint));
            }
        }
    }
    Ok(())
}

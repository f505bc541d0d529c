//! The commented default configuration file `zeroth config print-default` writes.

use super::table::{Setting, SETTINGS};

/// Every file setting with its documentation, environment variable and flag; settings
/// without a default are shown commented out with an example.
pub fn default_file() -> String {
    let mut out = String::from(
        "# Zeroth configuration (TOML). Precedence: defaults, then this file, then ZEROTH_*\n\
         # environment variables, then command-line flags. Check it with\n\
         # `zeroth config check --config FILE`; docs/CONFIGURATION.md describes every setting.\n\
         # Secrets (master key, admin client secret, dashboard password, a database URL with a\n\
         # password) are read from the environment or from the files the *_file settings name,\n\
         # never inline here.\n",
    );
    let mut section = "";
    for setting in SETTINGS.iter().filter(|s| s.in_file) {
        let (group, name) = setting.key.split_once('.').unwrap_or(("", setting.key));
        if group != section {
            out.push_str(&format!("\n[{group}]\n"));
            section = group;
        }
        out.push('\n');
        describe(&mut out, setting);
        match (setting.default, setting.example) {
            (Some(d), _) => out.push_str(&format!("{name} = {d}\n")),
            (None, Some(e)) => out.push_str(&format!("# {name} = {e}\n")),
            (None, None) => out.push_str(&format!("# {name} =\n")),
        }
    }
    out
}

fn describe(out: &mut String, setting: &Setting) {
    for line in setting.doc.lines() {
        out.push_str(&format!("# {line}\n"));
    }
    let mut via = format!("# Environment: {}", setting.env);
    if let Some(flag) = setting.flag {
        via.push_str(&format!("; flag: {flag}"));
    }
    out.push_str(&via);
    out.push('\n');
}

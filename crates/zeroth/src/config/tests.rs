//! Layering, validation and the default file, without a process.

use std::io::Write as _;

use super::*;

fn file_with(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

fn inputs(file: Option<&tempfile::NamedTempFile>, env: &[(&str, &str)]) -> Inputs {
    Inputs {
        config_flag: file.map(|f| f.path().to_path_buf()),
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        flags: Vec::new(),
    }
}

#[test]
fn defaults_then_file_then_env_then_flags() {
    let f = file_with("listen = \"127.0.0.1:1001\"\n[rate_limits]\nmanagement = 5\n");
    let r = resolve(&inputs(Some(&f), &[])).unwrap();
    assert_eq!(r.text("listen").unwrap(), "127.0.0.1:1001");
    assert_eq!(r.int("rate_limits.management"), 5);
    assert_eq!(r.int("rate_limits.token_per_ip"), 2000);
    assert!(matches!(r.get("listen").unwrap().1, Source::File { .. }));

    let mut i = inputs(Some(&f), &[("ZEROTH_LISTEN", "127.0.0.1:1002")]);
    assert_eq!(
        resolve(&i).unwrap().text("listen").unwrap(),
        "127.0.0.1:1002"
    );
    i.flags
        .push(("listen", "--listen", "127.0.0.1:1003".to_string()));
    i.flags.push((
        "rate_limits.enabled",
        "--no-rate-limits",
        "false".to_string(),
    ));
    let r = resolve(&i).unwrap();
    assert_eq!(r.text("listen").unwrap(), "127.0.0.1:1003");
    let cfg = r.serve_config().unwrap();
    assert_eq!(cfg.listen.port(), 1003);
    assert!(!cfg.rate_limits.enabled);
    assert_eq!(cfg.rate_limits.management.per_second, 5.0);
}

#[test]
fn errors_name_the_key_and_where_it_came_from() {
    let f = file_with("[rate_limits]\nmanagment = 5\n");
    let e = resolve(&inputs(Some(&f), &[])).unwrap_err().to_string();
    assert!(e.contains("rate_limits.managment"), "{e}");
    assert!(e.contains(&f.path().display().to_string()), "{e}");

    let f = file_with("[logs]\nformat = \"xml\"\n");
    let e = resolve(&inputs(Some(&f), &[])).unwrap_err().to_string();
    assert!(
        e.contains("logs.format") && e.contains("pretty, json"),
        "{e}"
    );

    let e = resolve(&inputs(None, &[("ZEROTH_RATE_LIMIT_MANAGEMENT", "lots")]))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("environment variable ZEROTH_RATE_LIMIT_MANAGEMENT"),
        "{e}"
    );

    let mut i = inputs(None, &[]);
    i.flags
        .push(("metrics.listen", "--metrics-listen", "nowhere".into()));
    let e = resolve(&i).unwrap_err().to_string();
    assert!(
        e.contains("flag --metrics-listen") && e.contains("metrics.listen"),
        "{e}"
    );

    let e = resolve(&inputs(None, &[("ZEROTH_TLS_CERT", "/etc/hostname")]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("tls.key is not set"), "{e}");
}

#[test]
fn secrets_come_from_the_environment_or_files_never_the_file_inline() {
    let f = file_with("[admin]\nclient_secret = \"s\"\n");
    let e = resolve(&inputs(Some(&f), &[])).unwrap_err().to_string();
    assert!(e.contains("ZEROTH_ADMIN_CLIENT_SECRET"), "{e}");

    let secret = file_with("from-a-file\n");
    let path = secret.path().display().to_string();
    let r = resolve(&inputs(
        None,
        &[
            ("ZEROTH_ADMIN_CLIENT_SECRET_FILE", &path),
            ("ZEROTH_ADMIN_CLIENT_ID", "adm"),
        ],
    ))
    .unwrap();
    let admin = r.serve_config().unwrap().admin;
    assert_eq!(admin.client_secret.unwrap().expose(), "from-a-file");
    assert!(!r.describe().contains("from-a-file"));

    // The environment beats a file setting of the same secret.
    let f = file_with(&format!("[admin]\nclient_secret_file = {path:?}\n"));
    let r = resolve(&inputs(
        Some(&f),
        &[("ZEROTH_ADMIN_CLIENT_SECRET", "inline")],
    ))
    .unwrap();
    let admin = r.serve_config().unwrap().admin;
    assert_eq!(admin.client_secret.unwrap().expose(), "inline");

    let e = resolve(&inputs(
        None,
        &[
            ("ZEROTH_MASTER_KEY", "x"),
            ("ZEROTH_MASTER_KEY_FILE", &path),
        ],
    ))
    .unwrap_err()
    .to_string();
    assert!(e.contains("set one of them"), "{e}");
}

#[test]
fn the_default_file_round_trips_and_documents_every_setting() {
    let text = default_file();
    let f = file_with(&text);
    let r = resolve(&inputs(Some(&f), &[])).unwrap();
    assert_eq!(r.text("listen").unwrap(), "127.0.0.1:8443");
    for setting in SETTINGS {
        assert!(text.contains(setting.env), "{} undocumented", setting.key);
    }
    // Uncommenting every example still makes a valid file (paths aside).
    let uncommented: String = text
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest)
                if rest.contains(" = ") && !rest.contains("_file") && !rest.contains("tls/") =>
            {
                rest.to_string()
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let f = file_with(&uncommented);
    let r = resolve(&inputs(Some(&f), &[])).unwrap();
    assert_eq!(r.text("domain").unwrap(), "auth.example.com");
}

#[test]
fn the_dashboard_password_comes_from_the_environment_or_a_file() {
    let f = file_with("[admin]\npassword = \"inline\"\n");
    let e = resolve(&inputs(Some(&f), &[])).unwrap_err().to_string();
    assert!(e.contains("ZEROTH_ADMIN_PASSWORD"), "{e}");

    let secret = file_with("hunter2 hunter2\n");
    let path = secret.path().display().to_string();
    let r = resolve(&inputs(None, &[("ZEROTH_ADMIN_PASSWORD_FILE", &path)])).unwrap();
    let admin = r.serve_config().unwrap().admin;
    assert_eq!(admin.password.unwrap().expose(), "hunter2 hunter2");
    assert!(!r.describe().contains("hunter2"));

    let r = resolve(&inputs(None, &[("ZEROTH_ADMIN_PASSWORD", "from-env")])).unwrap();
    let admin = r.serve_config().unwrap().admin;
    assert_eq!(admin.password.unwrap().expose(), "from-env");
}

//! Offline commands: migrate, export, import and master-key rotation.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context;
use zeroth_core::crypto::seal::{MasterKey, MasterKeySource};
use zeroth_core::store::Store;

use crate::config::serve::StoreSettings as StoreArgs;

fn database_url(args: &StoreArgs) -> String {
    args.database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", args.data_dir.join("zeroth.db").display()))
}

async fn open(args: &StoreArgs) -> anyhow::Result<(Store, MasterKeySource)> {
    let (master, source) = if args.master_key.is_none() && args.master_key_file.is_none() {
        MasterKey::load(&args.data_dir)?
    } else {
        MasterKey::load_from(
            args.master_key.as_ref().map(zeroth_core::Secret::expose),
            args.master_key_file.as_deref(),
            &args.data_dir,
        )?
    };
    let store = Store::open(&database_url(args), master)
        .await
        .context("opening the database")?;
    Ok((store, source))
}

/// Opening runs the migrations; two nodes doing it at once wait on each other.
pub async fn migrate(args: &StoreArgs) -> anyhow::Result<()> {
    let (store, _) = open(args).await?;
    store.close().await;
    println!("migrations applied to {}", redact_url(&database_url(args)));
    Ok(())
}

pub async fn export(args: &StoreArgs, file: &Path) -> anyhow::Result<()> {
    let (store, _) = open(args).await?;
    let tenant = store.export_tenant().await?;
    let text = serde_json::to_string_pretty(&tenant)?;
    write_private(file, text.as_bytes())?;
    store.close().await;
    println!(
        "tenant exported to {} (it holds every secret in clear: keep it like the master key)",
        file.display()
    );
    Ok(())
}

pub async fn import(args: &StoreArgs, file: &Path) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let tenant: serde_json::Value =
        serde_json::from_str(&text).context("the export is not JSON")?;
    let (store, _) = open(args).await?;
    store.refuse_if_owned()?;
    store.import_tenant(&tenant).await.context(
        "importing (the target database must hold no tenant yet: import before the first `serve`)",
    )?;
    store.close().await;
    println!("tenant imported into {}", redact_url(&database_url(args)));
    Ok(())
}

/// Re-seals everything under a new key. Run it with every node stopped: a running node
/// would keep sealing with the old key.
pub async fn rotate_master_key(args: &StoreArgs) -> anyhow::Result<()> {
    let (store, source) = open(args).await?;
    store.refuse_if_owned()?;
    let (new, chosen) = match std::env::var("ZEROTH_NEW_MASTER_KEY") {
        Ok(text) => (
            MasterKey::parse(&text).context("ZEROTH_NEW_MASTER_KEY")?,
            true,
        ),
        Err(_) => (MasterKey::generate()?, false),
    };
    match &source {
        MasterKeySource::File(path) | MasterKeySource::Generated(path) => {
            // Write the new key beside the old one first, so a crash between the database
            // commit and the rename leaves both keys on disk.
            let staged = path.with_extension("key.new");
            let _ = std::fs::remove_file(&staged);
            new.write_new_file(&staged)?;
            store.rotate_master_key(new).await?;
            std::fs::rename(&staged, path)?;
            println!("master key rotated; the new key is in {}", path.display());
        }
        MasterKeySource::Env => {
            store.rotate_master_key(new.clone()).await?;
            // A key the operator chose is already theirs: never echo a secret needlessly.
            if chosen {
                println!("master key rotated. Set ZEROTH_MASTER_KEY to ZEROTH_NEW_MASTER_KEY before the next start");
            } else {
                println!(
                    "master key rotated. Set ZEROTH_MASTER_KEY to the new key before the next start:"
                );
                println!("{}", new.to_hex().expose());
            }
        }
    }
    store.close().await;
    Ok(())
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

/// The URL without its password, for messages.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..s + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

//! Where the master key comes from: the environment, a key file, or a file generated on first start.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;

use super::MasterKey;
use crate::store::StoreError;
use crate::Secret;

/// Where `MasterKey::load` found the key, so start-up can say so in its log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MasterKeySource {
    /// `ZEROTH_MASTER_KEY`.
    Env,
    /// `ZEROTH_MASTER_KEY_FILE` or an existing `<data_dir>/master.key`.
    File(PathBuf),
    /// Generated now into this file (first start).
    Generated(PathBuf),
}

/// The generated key's file name inside the data directory.
pub const KEY_FILE_NAME: &str = "master.key";

impl MasterKey {
    /// A fresh random key.
    pub fn generate() -> Result<MasterKey, StoreError> {
        Ok(MasterKey::from_bytes(crate::ids::random_array()))
    }

    /// Parses 64 hex characters or the base64 (standard or url-safe) of 32 bytes.
    pub fn parse(text: &str) -> Result<MasterKey, StoreError> {
        let t = text.trim();
        let bytes = if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(t).ok()
        } else {
            let b64 = base64::engine::general_purpose::STANDARD;
            let url = base64::engine::general_purpose::URL_SAFE;
            let trimmed = t.trim_end_matches('=');
            b64.decode(t)
                .ok()
                .or_else(|| url.decode(t).ok())
                .or_else(|| {
                    base64::engine::general_purpose::STANDARD_NO_PAD
                        .decode(trimmed)
                        .ok()
                })
                .or_else(|| {
                    base64::engine::general_purpose::URL_SAFE_NO_PAD
                        .decode(trimmed)
                        .ok()
                })
        };
        let bytes: [u8; 32] = bytes.and_then(|b| b.try_into().ok()).ok_or_else(|| {
            StoreError::Seal(
                "the master key must be 64 hex characters or the base64 of 32 bytes".into(),
            )
        })?;
        Ok(MasterKey::from_bytes(bytes))
    }

    /// The key as 64 hex characters, for writing it down (never for logs).
    pub fn to_hex(&self) -> Secret {
        Secret::new(hex::encode(self.bytes))
    }

    /// Loads the key from `ZEROTH_MASTER_KEY`, else `ZEROTH_MASTER_KEY_FILE`, else
    /// `<data_dir>/master.key`, generating that file (mode 0600) when it does not exist.
    pub fn load(data_dir: &Path) -> Result<(MasterKey, MasterKeySource), StoreError> {
        let inline = std::env::var("ZEROTH_MASTER_KEY").ok();
        let file = std::env::var_os("ZEROTH_MASTER_KEY_FILE").map(PathBuf::from);
        MasterKey::load_from(inline.as_deref(), file.as_deref(), data_dir)
    }

    /// `load` with the environment passed in (for the CLI's flags and for tests).
    pub fn load_from(
        inline: Option<&str>,
        file: Option<&Path>,
        data_dir: &Path,
    ) -> Result<(MasterKey, MasterKeySource), StoreError> {
        if let Some(text) = inline.filter(|t| !t.trim().is_empty()) {
            return Ok((
                MasterKey::parse(text).map_err(|e| named("ZEROTH_MASTER_KEY", e))?,
                MasterKeySource::Env,
            ));
        }
        if let Some(path) = file {
            let key = read_key_file(path)?;
            return Ok((key, MasterKeySource::File(path.to_path_buf())));
        }
        let path = data_dir.join(KEY_FILE_NAME);
        if path.exists() {
            return Ok((read_key_file(&path)?, MasterKeySource::File(path)));
        }
        std::fs::create_dir_all(data_dir)
            .map_err(|e| StoreError::Seal(format!("cannot create {}: {e}", data_dir.display())))?;
        let key = MasterKey::generate()?;
        match key.write_new_file(&path) {
            Ok(()) => Ok((key, MasterKeySource::Generated(path))),
            // Another node sharing the data directory generated it first: use theirs.
            Err(_) if path.exists() => Ok((read_key_file(&path)?, MasterKeySource::File(path))),
            Err(e) => Err(e),
        }
    }

    /// Writes the key as hex into a new file only its owner can read; fails if the file exists.
    pub fn write_new_file(&self, path: &Path) -> Result<(), StoreError> {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            opts.mode(0o600);
        }
        let mut f = opts
            .open(path)
            .map_err(|e| StoreError::Seal(format!("cannot create {}: {e}", path.display())))?;
        f.write_all(format!("{}\n", self.to_hex().expose()).as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(|e| StoreError::Seal(format!("cannot write {}: {e}", path.display())))
    }
}

fn named(source: &str, e: StoreError) -> StoreError {
    StoreError::Seal(format!("{source}: {e}"))
}

fn read_key_file(path: &Path) -> Result<MasterKey, StoreError> {
    warn_if_readable_by_others(path);
    let text = std::fs::read_to_string(path)
        .map_err(|e| StoreError::Seal(format!("cannot read {}: {e}", path.display())))?;
    MasterKey::parse(&text).map_err(|e| named(&path.display().to_string(), e))
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(
                path = %path.display(),
                mode = format!("{mode:o}"),
                "the master key file is readable by other users; chmod 600 it"
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

/// Whether a file's permissions let anyone but its owner in (exposed for tests and `zeroth config`).
#[cfg(unix)]
pub fn is_private(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex_and_base64_and_rejects_the_rest() {
        let hex64 = "00".repeat(31) + "ff";
        let k = MasterKey::parse(&hex64).unwrap();
        assert_eq!(k.to_hex().expose(), hex64);
        let b64 = base64::engine::general_purpose::STANDARD.encode([0xffu8; 32]);
        let k = MasterKey::parse(&format!("{b64}\n")).unwrap();
        assert_eq!(k.to_hex().expose(), "ff".repeat(32));
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([0xfbu8; 32]);
        assert_eq!(
            MasterKey::parse(&url).unwrap().to_hex().expose(),
            "fb".repeat(32)
        );
        assert!(MasterKey::parse("abcd").is_err());
        assert!(MasterKey::parse(&"zz".repeat(32)).is_err());
        let short = base64::engine::general_purpose::STANDARD.encode([1u8; 16]);
        assert!(MasterKey::parse(&short).is_err());
    }

    #[test]
    fn generates_a_private_file_once_then_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let (k1, src) = MasterKey::load_from(None, None, dir.path()).unwrap();
        let path = dir.path().join(KEY_FILE_NAME);
        assert_eq!(src, MasterKeySource::Generated(path.clone()));
        assert!(is_private(&path));
        let (k2, src) = MasterKey::load_from(None, None, dir.path()).unwrap();
        assert_eq!(src, MasterKeySource::File(path));
        assert_eq!(k1.to_hex(), k2.to_hex());
    }

    #[test]
    fn env_beats_file_beats_generated() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k");
        std::fs::write(&file, "11".repeat(32)).unwrap();
        let inline = "22".repeat(32);
        let (k, src) = MasterKey::load_from(Some(&inline), Some(&file), dir.path()).unwrap();
        assert_eq!(
            (k.to_hex().expose(), src),
            (inline.as_str(), MasterKeySource::Env)
        );
        let (k, src) = MasterKey::load_from(None, Some(&file), dir.path()).unwrap();
        assert_eq!(k.to_hex().expose(), "11".repeat(32));
        assert_eq!(src, MasterKeySource::File(file));
        assert!(!dir.path().join(KEY_FILE_NAME).exists());
        let err = MasterKey::load_from(Some("nope"), None, dir.path()).unwrap_err();
        assert!(err.to_string().contains("ZEROTH_MASTER_KEY"));
    }
}

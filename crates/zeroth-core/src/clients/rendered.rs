//! Clients kept as the JSON bytes a reader was last sent, so repeated reads skip parsing,
//! arranging and serialising documents that have not changed.
//!
//! An entry answers only for the row's `version` and `updated_at` it was rendered from
//! (as just read from the database), so it can never answer for a newer write, on this
//! node or another; rendering a newer version replaces it, so a client written often
//! holds one entry, not one per version. The
//! secret is never kept: a rendering that shows it is split around it, and each read
//! splices in the secret it unsealed itself.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::clients::fields::ReadAccess;
use crate::store::StoredClient;
use crate::{Error, Secret};

/// Rendered bytes kept at most; past it the whole cache starts over. A client is ~3 KB
/// (most of it `signing_keys`), so this holds ~2,700 renderings: part of the memory
/// target of 64 MB with 10,000 clients (BENCHMARKS.md).
const BUDGET_BYTES: usize = 8 << 20;

/// One client as one kind of reader sees it.
#[derive(Hash, PartialEq, Eq)]
struct Key {
    client_id: String,
    config: bool,
    keys: bool,
    has_secret: bool,
}

/// The row a rendering was made from.
#[derive(PartialEq, Eq, Clone, Copy)]
struct Made {
    version: i64,
    updated_at: i64,
}

/// `head`, then the secret as a JSON string when `tail` is present, then `tail`.
struct Piece {
    head: Box<[u8]>,
    tail: Option<Box<[u8]>>,
}

impl Piece {
    fn len(&self) -> usize {
        self.head.len() + self.tail.as_ref().map_or(0, |t| t.len())
    }
}

#[derive(Default)]
struct Cache {
    /// The `signing_keys` every entry was rendered with; new keys void them all.
    signing_keys: Option<Arc<Value>>,
    entries: HashMap<Key, (Made, Arc<Piece>)>,
    bytes: usize,
}

pub struct Renders {
    cache: Mutex<Cache>,
    /// Stands in for the secret while rendering; random per process so no stored
    /// document can contain it.
    marker: String,
}

impl Default for Renders {
    fn default() -> Self {
        Renders {
            cache: Mutex::default(),
            marker: format!("zeroth-secret-{}", hex::encode(crate::ids::random(16))),
        }
    }
}

impl Renders {
    /// Appends `stored` as a reader with `access` sees it (no `fields` selection) to `out`.
    /// `render` turns a parsed row into that view; it runs only on a miss.
    pub fn write(
        &self,
        out: &mut Vec<u8>,
        stored: StoredClient,
        signing_keys: &Arc<Value>,
        access: ReadAccess,
        render: impl FnOnce(crate::store::ClientRow) -> Result<Value, Error>,
    ) -> Result<(), Error> {
        let key = Key {
            client_id: stored.client_id.clone(),
            config: access.config,
            keys: access.keys,
            has_secret: stored.client_secret.is_some(),
        };
        let made = Made {
            version: stored.version,
            updated_at: stored.updated_at,
        };
        let secret = stored.client_secret.clone();
        let piece = match self.lookup(&key, made, signing_keys) {
            Some(p) => p,
            None => {
                let mut row = stored.parse()?;
                if row.client_secret.is_some() {
                    row.client_secret = Some(Secret::new(self.marker.clone()));
                }
                let bytes = serde_json::to_vec(&render(row)?).map_err(internal)?;
                let piece = Arc::new(self.split(bytes, key.has_secret)?);
                self.keep(key, made, Arc::clone(&piece), signing_keys);
                piece
            }
        };
        out.extend_from_slice(&piece.head);
        if let Some(tail) = &piece.tail {
            let s = secret.as_ref().map(Secret::expose).unwrap_or_default();
            serde_json::to_writer(&mut *out, s).map_err(internal)?;
            out.extend_from_slice(tail);
        }
        Ok(())
    }

    /// Whether any kept rendering contains `needle`: lets tests show secrets are not kept.
    pub fn holds(&self, needle: &[u8]) -> bool {
        self.cache.lock().is_ok_and(|c| {
            c.entries.values().any(|(_, p)| {
                find(&p.head, needle).is_some()
                    || p.tail.as_ref().is_some_and(|t| find(t, needle).is_some())
            })
        })
    }

    fn lookup(&self, key: &Key, made: Made, signing_keys: &Arc<Value>) -> Option<Arc<Piece>> {
        let cache = self.cache.lock().ok()?;
        let same_keys = cache
            .signing_keys
            .as_ref()
            .is_some_and(|k| Arc::ptr_eq(k, signing_keys));
        let (kept, piece) = cache.entries.get(key).filter(|_| same_keys)?;
        (*kept == made).then(|| Arc::clone(piece))
    }

    fn keep(&self, key: Key, made: Made, piece: Arc<Piece>, signing_keys: &Arc<Value>) {
        let Ok(mut cache) = self.cache.lock() else {
            return;
        };
        let same_keys = cache
            .signing_keys
            .as_ref()
            .is_some_and(|k| Arc::ptr_eq(k, signing_keys));
        if !same_keys || cache.bytes + piece.len() > BUDGET_BYTES {
            cache.entries.clear();
            cache.bytes = 0;
            cache.signing_keys = Some(Arc::clone(signing_keys));
        }
        cache.bytes += piece.len();
        if let Some((_, old)) = cache.entries.insert(key, (made, piece)) {
            cache.bytes -= old.len();
        }
    }

    /// Cuts the rendering where the marker (as a JSON string) stands for the secret.
    fn split(&self, bytes: Vec<u8>, has_secret: bool) -> Result<Piece, Error> {
        if !has_secret {
            return Ok(Piece {
                head: bytes.into_boxed_slice(),
                tail: None,
            });
        }
        let quoted = format!("\"{}\"", self.marker);
        match find(&bytes, quoted.as_bytes()) {
            Some(at) => Ok(Piece {
                head: bytes[..at].into(),
                tail: Some(bytes[at + quoted.len()..].into()),
            }),
            // The view hid the secret: nothing to splice.
            None => Ok(Piece {
                head: bytes.into_boxed_slice(),
                tail: None,
            }),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn internal(e: serde_json::Error) -> Error {
    Error::Internal(format!("rendering a client: {e}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn stored(version: i64, name: &str) -> StoredClient {
        StoredClient {
            client_id: "c1".into(),
            doc: serde_json::json!({ "name": name }).to_string().into(),
            client_secret: None,
            created_at: 1,
            updated_at: version,
            version,
        }
    }

    fn render(renders: &Renders, keys: &Arc<Value>, s: StoredClient) -> Vec<u8> {
        let mut out = Vec::new();
        let access = ReadAccess {
            config: true,
            keys: false,
        };
        renders
            .write(&mut out, s, keys, access, |row| Ok(Value::Object(row.doc)))
            .unwrap();
        out
    }

    /// A client changed a thousand times holds one rendering, and only the newest
    /// version's bytes answer for it.
    #[test]
    fn a_newer_version_replaces_the_kept_rendering() {
        let renders = Renders::default();
        let keys = Arc::new(Value::Array(Vec::new()));
        assert_eq!(
            render(&renders, &keys, stored(1, "first")),
            br#"{"name":"first"}"#
        );
        assert_eq!(
            render(&renders, &keys, stored(2, "second")),
            br#"{"name":"second"}"#
        );
        assert!(renders.holds(b"second"));
        assert!(!renders.holds(b"first"), "the old version's bytes are gone");
        // The older row, read before the change, still gets its own bytes.
        assert_eq!(
            render(&renders, &keys, stored(1, "first")),
            br#"{"name":"first"}"#
        );
    }
}

//! Clients kept as the JSON bytes a reader was last sent, so repeated reads skip parsing,
//! arranging and serialising documents that have not changed.
//!
//! An entry is keyed by the row's `version` and `updated_at` as just read from the
//! database, so it can never answer for a newer write, on this node or another. The
//! secret is never kept: a rendering that shows it is split around it, and each read
//! splices in the secret it unsealed itself.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::clients::fields::ReadAccess;
use crate::store::StoredClient;
use crate::{Error, Secret};

/// Rendered bytes kept at most; past it the whole cache starts over (a list page of 50
/// clients is ~155 KB, so this holds a few hundred pages of them).
const BUDGET_BYTES: usize = 16 << 20;

#[derive(Hash, PartialEq, Eq)]
struct Key {
    client_id: String,
    version: i64,
    updated_at: i64,
    config: bool,
    keys: bool,
    has_secret: bool,
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
    entries: HashMap<Key, Arc<Piece>>,
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
            version: stored.version,
            updated_at: stored.updated_at,
            config: access.config,
            keys: access.keys,
            has_secret: stored.client_secret.is_some(),
        };
        let secret = stored.client_secret.clone();
        let piece = match self.lookup(&key, signing_keys) {
            Some(p) => p,
            None => {
                let mut row = stored.parse()?;
                if row.client_secret.is_some() {
                    row.client_secret = Some(Secret::new(self.marker.clone()));
                }
                let bytes = serde_json::to_vec(&render(row)?).map_err(internal)?;
                let piece = Arc::new(self.split(bytes, key.has_secret)?);
                self.keep(key, Arc::clone(&piece), signing_keys);
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
            c.entries.values().any(|p| {
                find(&p.head, needle).is_some()
                    || p.tail.as_ref().is_some_and(|t| find(t, needle).is_some())
            })
        })
    }

    fn lookup(&self, key: &Key, signing_keys: &Arc<Value>) -> Option<Arc<Piece>> {
        let cache = self.cache.lock().ok()?;
        let same_keys = cache
            .signing_keys
            .as_ref()
            .is_some_and(|k| Arc::ptr_eq(k, signing_keys));
        same_keys.then(|| cache.entries.get(key).cloned()).flatten()
    }

    fn keep(&self, key: Key, piece: Arc<Piece>, signing_keys: &Arc<Value>) {
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
        if let Some(old) = cache.entries.insert(key, piece) {
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

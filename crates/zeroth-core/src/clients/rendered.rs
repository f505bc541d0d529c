//! Clients kept as the JSON bytes a reader was last sent, so repeated reads skip parsing,
//! arranging and serialising documents that have not changed.
//!
//! An entry answers only for the row's `version` and `updated_at` it was rendered from
//! (as just read from the database), so it can never answer for a newer write, on this
//! node or another; rendering a newer version replaces it, so a client written often
//! holds one entry, not one per version. A whole list page is kept too, for as long as
//! the owning store holds that same page.
//!
//! No secret is kept in the clear: a rendering that shows it is split around it, and each
//! read splices in the secret it unsealed itself (for a kept page, from one block sealed
//! with a key of this process).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use serde_json::Value;

use crate::clients::fields::ReadAccess;
use crate::crypto::seal::MasterKey;
use crate::store::{HeldPage, PageTag, StoredClient};
use crate::{Error, Secret};

/// Rendered bytes kept at most; past it the whole cache starts over. A client is ~3 KB
/// (most of it `signing_keys`), so this holds ~2,700 renderings: part of the memory
/// target of 64 MB with 10,000 clients (BENCHMARKS.md).
const BUDGET_BYTES: usize = 8 << 20;

/// Whole list pages kept at most. A page of 50 is ~150 KB; a script paging through a
/// tenant replaces them in turn.
const MAX_PAGES: usize = 8;

/// Which kind of reader a rendering is for (`config`, `keys`) and whether the row had a
/// secret to splice in: one small number, so a lookup by client id allocates nothing.
#[derive(PartialEq, Eq, Clone, Copy)]
struct Variant(u8);

impl Variant {
    fn of(access: ReadAccess, has_secret: bool) -> Self {
        Variant(
            u8::from(access.config) | (u8::from(access.keys) << 1) | (u8::from(has_secret) << 2),
        )
    }

    fn has_secret(self) -> bool {
        self.0 & 4 != 0
    }
}

/// The row a rendering was made from.
#[derive(PartialEq, Eq, Clone, Copy)]
struct Made {
    version: i64,
    updated_at: i64,
}

impl Made {
    fn of(stored: &StoredClient) -> Self {
        Made {
            version: stored.version,
            updated_at: stored.updated_at,
        }
    }
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

/// One client's renderings, by kind of reader.
type Slots = Vec<(Variant, Made, Arc<Piece>)>;

#[derive(Default)]
struct Cache {
    /// The `signing_keys` every entry was rendered with; new keys void them all.
    signing_keys: Option<Arc<Value>>,
    /// By client id, one rendering per kind of reader (usually just one). A list of 50
    /// looks up 50 ids, so the hasher counts; foldhash is seeded per process, so ids
    /// cannot be chosen to collide.
    entries: HashMap<String, Slots, foldhash::fast::RandomState>,
    bytes: usize,
}

impl Cache {
    fn same_keys(&self, signing_keys: &Arc<Value>) -> bool {
        self.signing_keys
            .as_ref()
            .is_some_and(|k| Arc::ptr_eq(k, signing_keys))
    }

    fn get(&self, client_id: &str, variant: Variant, made: Made) -> Option<Arc<Piece>> {
        self.entries
            .get(client_id)?
            .iter()
            .find(|(v, m, _)| *v == variant && *m == made)
            .map(|(_, _, p)| Arc::clone(p))
    }
}

/// A list page as one kind of reader sees it: the clients comma-separated, cut where
/// each shown secret goes. It answers only while the store holds the same page, which it
/// replaces after any write to a client.
struct PageRendering {
    page: PageTag,
    signing_keys: Arc<Value>,
    /// The reader's access, and whether secrets are shown at all.
    kind: Variant,
    bytes: Box<[u8]>,
    /// Where a secret goes in `bytes`, and where it lies in the opened `secrets`.
    cuts: Box<[(usize, usize, usize)]>,
    /// The page's shown secrets, one after another, sealed as one block with the
    /// process's own key: a read opens one block, not one sealed secret per client.
    secrets: Option<Box<[u8]>>,
}

pub struct Renders {
    /// Read-locked by every list and GET, so readers on different threads look up at
    /// once rather than in turn.
    cache: RwLock<Cache>,
    /// Rendered pages: a repeated list costs one copy and the opening of its secrets,
    /// not a lookup and two contended reference counts per client.
    pages: Mutex<Vec<Arc<PageRendering>>>,
    /// Seals what rendered pages keep of secrets; random per process, never stored.
    key: MasterKey,
    /// Stands in for the secret while rendering; random per process so no stored
    /// document can contain it.
    marker: String,
}

impl Default for Renders {
    fn default() -> Self {
        Renders {
            cache: RwLock::default(),
            pages: Mutex::default(),
            key: MasterKey::from_bytes(crate::ids::random_array()),
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
        render: impl Fn(crate::store::ClientRow) -> Result<Value, Error>,
    ) -> Result<(), Error> {
        self.write_all(out, vec![stored], signing_keys, access, render)
    }

    /// [`Renders::write`] for a page: the clients comma-separated, their kept renderings
    /// found under one lock (a list of 50 took the lock 50 times).
    pub fn write_all(
        &self,
        out: &mut Vec<u8>,
        items: Vec<StoredClient>,
        signing_keys: &Arc<Value>,
        access: ReadAccess,
        render: impl Fn(crate::store::ClientRow) -> Result<Value, Error>,
    ) -> Result<(), Error> {
        let pieces = self.pieces(&items, signing_keys, access, &render)?;
        for (i, (stored, piece)) in items.iter().zip(pieces).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&piece.head);
            if let Some(tail) = &piece.tail {
                let s = stored
                    .client_secret
                    .as_ref()
                    .map(Secret::expose)
                    .unwrap_or_default();
                write_json_string(out, s)?;
                out.extend_from_slice(tail);
            }
        }
        Ok(())
    }

    /// The rendering of each of `items` for `access`: the kept ones found under one read
    /// lock (a list of 50 took the lock 50 times), the others rendered and kept.
    fn pieces(
        &self,
        items: &[StoredClient],
        signing_keys: &Arc<Value>,
        access: ReadAccess,
        render: &impl Fn(crate::store::ClientRow) -> Result<Value, Error>,
    ) -> Result<Vec<Arc<Piece>>, Error> {
        let variant = |s: &StoredClient| Variant::of(access, s.client_secret.is_some());
        let kept: Vec<Option<Arc<Piece>>> = match self.cache.read() {
            Ok(cache) if cache.same_keys(signing_keys) => items
                .iter()
                .map(|s| cache.get(&s.client_id, variant(s), Made::of(s)))
                .collect(),
            _ => vec![None; items.len()],
        };
        items
            .iter()
            .zip(kept)
            .map(|(stored, kept)| match kept {
                Some(p) => Ok(p),
                None => self.render_and_keep(stored, variant(stored), signing_keys, render),
            })
            .collect()
    }

    /// [`Renders::write_all`] for a page the owning store holds, `shown` telling whether
    /// the reader sees secrets. Byte for byte the same answer.
    pub fn write_page(
        &self,
        out: &mut Vec<u8>,
        page: &HeldPage,
        signing_keys: &Arc<Value>,
        access: ReadAccess,
        shown: bool,
        render: impl Fn(crate::store::ClientRow) -> Result<Value, Error>,
    ) -> Result<(), Error> {
        let kind = Variant::of(access, shown);
        let kept = self.pages.lock().ok().and_then(|pages| {
            pages
                .iter()
                .find(|r| {
                    r.kind == kind && r.page.is(page) && Arc::ptr_eq(&r.signing_keys, signing_keys)
                })
                .cloned()
        });
        let rendering = match kept {
            Some(r) => r,
            None => self.render_page(page, signing_keys, access, kind, &render)?,
        };
        let secrets = match &rendering.secrets {
            Some(sealed) => Secret::new(self.key.open_decoded_str(sealed)?),
            None => Secret::new(String::new()),
        };
        // The quotes around each secret, and room for what closes the list: growing a
        // 150 KB answer by one byte copies all of it.
        let quotes = 2 * rendering.cuts.len();
        out.reserve(rendering.bytes.len() + secrets.expose().len() + quotes + 64);
        let mut from = 0;
        for &(at, start, end) in rendering.cuts.iter() {
            out.extend_from_slice(&rendering.bytes[from..at]);
            write_json_string(out, secrets.expose().get(start..end).unwrap_or_default())?;
            from = at;
        }
        out.extend_from_slice(&rendering.bytes[from..]);
        Ok(())
    }

    fn render_page(
        &self,
        page: &HeldPage,
        signing_keys: &Arc<Value>,
        access: ReadAccess,
        kind: Variant,
        render: &impl Fn(crate::store::ClientRow) -> Result<Value, Error>,
    ) -> Result<Arc<PageRendering>, Error> {
        let items: Vec<StoredClient> = (0..page.len())
            .map_while(|i| {
                let mut stored = page.client(i)?;
                if kind.has_secret() && page.has_secret(i) {
                    // Only marks that there is one: the rendering holds the marker, never it.
                    stored.client_secret = Some(Secret::new(String::new()));
                }
                Some(stored)
            })
            .collect();
        let mut bytes = Vec::new();
        let mut cuts = Vec::new();
        // Opened only to be sealed again as one block below.
        let mut plain = String::new();
        for (i, piece) in self
            .pieces(&items, signing_keys, access, render)?
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                bytes.push(b',');
            }
            bytes.extend_from_slice(&piece.head);
            if let Some(tail) = &piece.tail {
                let start = plain.len();
                if let Some(secret) = page.open_secret(i)? {
                    plain.push_str(secret.expose());
                }
                cuts.push((bytes.len(), start, plain.len()));
                bytes.extend_from_slice(tail);
            }
        }
        let sealed = match plain.as_str() {
            "" => None,
            plain => Some(MasterKey::decode(&self.key.seal_str(plain)?)?.into_boxed_slice()),
        };
        let rendering = Arc::new(PageRendering {
            page: page.tag(),
            signing_keys: Arc::clone(signing_keys),
            kind,
            bytes: bytes.into_boxed_slice(),
            cuts: cuts.into_boxed_slice(),
            secrets: sealed,
        });
        if let Ok(mut pages) = self.pages.lock() {
            pages.retain(|r| r.page.alive() && Arc::ptr_eq(&r.signing_keys, signing_keys));
            if pages.len() >= MAX_PAGES {
                pages.remove(0);
            }
            pages.push(Arc::clone(&rendering));
        }
        Ok(rendering)
    }

    fn render_and_keep(
        &self,
        stored: &StoredClient,
        variant: Variant,
        signing_keys: &Arc<Value>,
        render: &impl Fn(crate::store::ClientRow) -> Result<Value, Error>,
    ) -> Result<Arc<Piece>, Error> {
        let mut row = stored.clone().parse()?;
        if row.client_secret.is_some() {
            row.client_secret = Some(Secret::new(self.marker.clone()));
        }
        let bytes = serde_json::to_vec(&render(row)?).map_err(internal)?;
        let piece = Arc::new(self.split(bytes, variant.has_secret())?);
        self.keep(
            &stored.client_id,
            variant,
            Made::of(stored),
            Arc::clone(&piece),
            signing_keys,
        );
        Ok(piece)
    }

    /// Whether any kept rendering contains `needle`: lets tests show secrets are not kept.
    pub fn holds(&self, needle: &[u8]) -> bool {
        let in_clients = self.cache.read().is_ok_and(|c| {
            c.entries.values().flatten().any(|(_, _, p)| {
                find(&p.head, needle).is_some()
                    || p.tail.as_ref().is_some_and(|t| find(t, needle).is_some())
            })
        });
        let in_pages = self.pages.lock().is_ok_and(|pages| {
            pages.iter().any(|r| {
                find(&r.bytes, needle).is_some()
                    || r.secrets
                        .as_ref()
                        .is_some_and(|s| find(s, needle).is_some())
            })
        });
        in_clients || in_pages
    }

    fn keep(
        &self,
        client_id: &str,
        variant: Variant,
        made: Made,
        piece: Arc<Piece>,
        signing_keys: &Arc<Value>,
    ) {
        let Ok(mut cache) = self.cache.write() else {
            return;
        };
        if !cache.same_keys(signing_keys) || cache.bytes + piece.len() > BUDGET_BYTES {
            cache.entries.clear();
            cache.bytes = 0;
            cache.signing_keys = Some(Arc::clone(signing_keys));
        }
        cache.bytes += piece.len();
        let slots = cache.entries.entry(client_id.to_owned()).or_default();
        let old = match slots.iter_mut().find(|(v, _, _)| *v == variant) {
            Some(slot) => Some(std::mem::replace(slot, (variant, made, piece)).2),
            None => {
                slots.push((variant, made, piece));
                None
            }
        };
        if let Some(old) = old {
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

/// `s` as a JSON string, as serde_json writes it. Secrets Zeroth makes need no escapes, so
/// the common case is two quotes and a copy (serde's escaping scan was 1.4 % of a list).
fn write_json_string(out: &mut Vec<u8>, s: &str) -> Result<(), Error> {
    let plain = s
        .bytes()
        .fold(true, |ok, b| ok & (b >= 0x20) & (b != b'"') & (b != b'\\'));
    if !plain {
        return serde_json::to_writer(&mut *out, s).map_err(internal);
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
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

    #[test]
    fn secrets_are_written_as_serde_json_writes_them() {
        for s in [
            "plain-Secret_0123",
            "",
            "quote\"back\\slash",
            "tab\tnew\nline\u{1}",
            "é✓",
        ] {
            let mut out = Vec::new();
            write_json_string(&mut out, s).unwrap();
            assert_eq!(out, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
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

//! RSA public keys from PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`) and their RFC 7638 thumbprint.

use aws_lc_rs::signature::{self, ParsedPublicKey};
use base64::Engine;

use crate::crypto::keys::pem_to_der;

const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

// 1.2.840.113549.1.1.1
const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// A parsed RSA public key: the PKCS#1 DER the verifier takes plus n and e.
#[derive(Debug, Clone)]
pub struct RsaPublic {
    pub pkcs1_der: Vec<u8>,
    pub n: Vec<u8>,
    pub e: Vec<u8>,
}

impl RsaPublic {
    /// From PEM; `None` unless it is an RSA key of 2048 to 8192 bits.
    pub fn from_pem(pem: &str) -> Option<RsaPublic> {
        let pkcs1 = match pem_to_der(pem, "PUBLIC KEY") {
            Some(spki) => spki_to_pkcs1(&spki)?,
            None => pem_to_der(pem, "RSA PUBLIC KEY")?,
        };
        let (n, e) = pkcs1_parts(&pkcs1)?;
        let bits = n.len() * 8 - n.first().map_or(8, |b| b.leading_zeros() as usize);
        if !(2048..=8192).contains(&bits) {
            return None;
        }
        // The verifier's own parser must agree, or signatures could never verify.
        ParsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &pkcs1).ok()?;
        Some(RsaPublic {
            pkcs1_der: pkcs1,
            n,
            e,
        })
    }

    /// RFC 7638 JWK thumbprint (SHA-256, base64url): Auth0's default credential `kid`.
    pub fn thumbprint(&self) -> String {
        let canonical = format!(
            r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
            B64URL.encode(&self.e),
            B64URL.encode(&self.n)
        );
        let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, canonical.as_bytes());
        B64URL.encode(d.as_ref())
    }
}

/// (tag, content, rest) of the first DER element of `input`.
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let count = (first & 0x7f) as usize;
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let len = rest[..count]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &rest[count..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// SubjectPublicKeyInfo → the RSAPublicKey inside its BIT STRING.
fn spki_to_pkcs1(spki: &[u8]) -> Option<Vec<u8>> {
    let (0x30, body, _) = tlv(spki)? else {
        return None;
    };
    let (0x30, alg, rest) = tlv(body)? else {
        return None;
    };
    let (0x06, oid, _) = tlv(alg)? else {
        return None;
    };
    if oid != OID_RSA {
        return None;
    }
    let (0x03, bits, _) = tlv(rest)? else {
        return None;
    };
    let (&unused, key) = bits.split_first()?;
    (unused == 0).then(|| key.to_vec())
}

/// RSAPublicKey → (n, e) without leading zero bytes.
fn pkcs1_parts(pkcs1: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (0x30, body, _) = tlv(pkcs1)? else {
        return None;
    };
    let (0x02, n, rest) = tlv(body)? else {
        return None;
    };
    let (0x02, e, _) = tlv(rest)? else {
        return None;
    };
    let strip = |v: &[u8]| -> Vec<u8> { v.iter().copied().skip_while(|b| *b == 0).collect() };
    let (n, e) = (strip(n), strip(e));
    (!n.is_empty() && !e.is_empty()).then_some((n, e))
}

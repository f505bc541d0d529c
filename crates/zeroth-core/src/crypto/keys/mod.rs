//! The tenant's RS256 signing keys: generation, certificates, thumbprints and the key ring.

mod der;
mod ring;

pub use der::{pem_crlf, pem_to_der, pkcs7_certs_only};
pub use ring::{ensure_signing_keys, KeyRing, RsaScheme};

use aws_lc_rs::digest;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::RsaKeyPair;
use base64::Engine;

use crate::store::{KeyState, SecretBytes, SigningKeyRow, StoreError};

const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// How long a signing certificate claims to be valid; Auth0's run about a decade.
const CERT_YEARS: i32 = 10;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("could not generate an RSA key")]
    Generate,
    #[error("could not make a certificate: {0}")]
    Certificate(String),
    #[error("signing key {kid} is unusable: {why}")]
    BadKey { kid: String, why: String },
    #[error("no current signing key")]
    NoCurrentKey,
    #[error("signing failed")]
    Sign,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A fresh RSA-2048 signing key for `domain` with its self-signed certificate, in
/// `state`. Times are unix milliseconds.
pub fn generate_signing_key(
    domain: &str,
    state: KeyState,
    now_ms: i64,
) -> Result<SigningKeyRow, KeyError> {
    let pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(|_| KeyError::Generate)?;
    let pkcs8 = pair.as_der().map_err(|_| KeyError::Generate)?;
    let pkcs8 = pkcs8.as_ref().to_vec();
    let cert_der = self_signed_cert(domain, &pkcs8)?;
    Ok(SigningKeyRow {
        kid: B64URL.encode(crate::ids::random(18)),
        private_pkcs8: SecretBytes(pkcs8),
        cert_pem: pem_crlf("CERTIFICATE", &cert_der),
        pkcs7_pem: pem_crlf("PKCS7", &pkcs7_certs_only(&cert_der)),
        state,
        created_at: now_ms,
        current_since: (state == KeyState::Current).then_some(now_ms),
        current_until: None,
        revoked_at: None,
    })
}

fn self_signed_cert(domain: &str, pkcs8: &[u8]) -> Result<Vec<u8>, KeyError> {
    let cert_err = |e: rcgen::Error| KeyError::Certificate(e.to_string());
    let key = rcgen::KeyPair::try_from(pkcs8).map_err(cert_err)?;
    let mut params = rcgen::CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, domain);
    let today = chrono::Utc::now().date_naive();
    let (y, m, d) = shift_years(today, 0);
    params.not_before = rcgen::date_time_ymd(y, m, d);
    let (y, m, d) = shift_years(today, CERT_YEARS);
    params.not_after = rcgen::date_time_ymd(y, m, d);
    let mut serial = crate::ids::random(16);
    // A positive INTEGER: the top bit set would make it negative.
    if let Some(b) = serial.first_mut() {
        *b &= 0x7f;
    }
    params.serial_number = Some(rcgen::SerialNumber::from_slice(&serial));
    let cert = params.self_signed(&key).map_err(cert_err)?;
    Ok(cert.der().to_vec())
}

/// `date` shifted by whole years as (year, month, day); Feb 29 becomes Feb 28.
pub fn shift_years(date: chrono::NaiveDate, plus_years: i32) -> (i32, u8, u8) {
    use chrono::Datelike;
    let day = if date.month() == 2 && date.day() == 29 {
        28
    } else {
        date.day()
    };
    (date.year() + plus_years, date.month() as u8, day as u8)
}

/// What Auth0 shows about a signing certificate, derived from its DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertPrints {
    /// SHA-1, upper-case hex pairs joined by colons.
    pub fingerprint: String,
    /// SHA-1, upper-case hex without separators.
    pub thumbprint: String,
    /// SHA-1, base64url (JWK `x5t`).
    pub x5t: String,
    /// SHA-256, base64url (JWK `x5t#S256`).
    pub x5t_s256: String,
}

impl CertPrints {
    pub fn of(cert_der: &[u8]) -> CertPrints {
        let sha1 = digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, cert_der);
        let sha256 = digest::digest(&digest::SHA256, cert_der);
        let thumbprint = hex::encode_upper(sha1.as_ref());
        let fingerprint = sha1
            .as_ref()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":");
        CertPrints {
            fingerprint,
            thumbprint,
            x5t: B64URL.encode(sha1.as_ref()),
            x5t_s256: B64URL.encode(sha256.as_ref()),
        }
    }

    /// From a row's `cert_pem`; `None` when the PEM holds no certificate.
    pub fn of_pem(cert_pem: &str) -> Option<CertPrints> {
        pem_to_der(cert_pem, "CERTIFICATE").map(|der| CertPrints::of(&der))
    }
}

#[cfg(test)]
mod tests;

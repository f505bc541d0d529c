//! PEM and the little DER the signing keys need (PKCS#7 certs-only), written by hand.

use base64::Engine;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// PEM with 64-character lines and `\r\n` breaks, the way Auth0 serves `cert` and `pkcs7`.
pub fn pem_crlf(label: &str, der: &[u8]) -> String {
    let body = B64.encode(der);
    let mut out = format!("-----BEGIN {label}-----\r\n");
    // base64 output is ASCII, so byte chunks are valid UTF-8.
    for line in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push_str("\r\n");
    }
    out.push_str(&format!("-----END {label}-----\r\n"));
    out
}

/// The DER inside the first `label` block of `pem` (either line-break style).
pub fn pem_to_der(pem: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin)? + begin.len();
    let stop = start + pem[start..].find(&end)?;
    let b64: String = pem[start..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    B64.decode(b64).ok()
}

/// One DER TLV with a definite length.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

// 1.2.840.113549.1.7.2 (signedData) and 1.2.840.113549.1.7.1 (data).
const OID_SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
const OID_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];

/// A certs-only PKCS#7 SignedData (RFC 2315/5652) carrying `cert_der`: no signers,
/// no content, which is what `openssl crl2pkcs7 -nocrl` makes and Auth0 serves.
pub fn pkcs7_certs_only(cert_der: &[u8]) -> Vec<u8> {
    let mut signed = Vec::new();
    signed.extend(tlv(0x02, &[0x01])); // version 1
    signed.extend(tlv(0x31, &[])); // digestAlgorithms: none
    signed.extend(tlv(0x30, &tlv(0x06, OID_DATA))); // contentInfo without content
    signed.extend(tlv(0xa0, cert_der)); // [0] IMPLICIT certificates
    signed.extend(tlv(0x31, &[])); // signerInfos: none
    let signed_data = tlv(0x30, &signed);
    let mut info = tlv(0x06, OID_SIGNED_DATA);
    info.extend(tlv(0xa0, &signed_data));
    tlv(0x30, &info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trip_with_crlf() {
        let der: Vec<u8> = (0..=255u8).cycle().take(300).collect();
        let pem = pem_crlf("CERTIFICATE", &der);
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\r\n"));
        assert!(pem.ends_with("-----END CERTIFICATE-----\r\n"));
        assert!(pem.lines().all(|l| l.len() <= 64 + 1));
        assert!(!pem.replace("\r\n", "").contains('\n'));
        assert_eq!(pem_to_der(&pem, "CERTIFICATE"), Some(der));
        assert_eq!(pem_to_der(&pem, "PKCS7"), None);
    }

    #[test]
    fn long_lengths_use_the_long_form() {
        assert_eq!(tlv(0x04, &[0; 5])[..2], [0x04, 5]);
        assert_eq!(tlv(0x04, &[0; 200])[..3], [0x04, 0x81, 200]);
        assert_eq!(tlv(0x04, &[0; 1000])[..4], [0x04, 0x82, 0x03, 0xe8]);
    }
}

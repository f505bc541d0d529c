//! RS256 alone: RSA-2048 PKCS#1 v1.5 SHA-256 signatures with aws-lc-rs, the key parsed once.

use std::time::{Duration, Instant};

use anyhow::anyhow;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{KeyPair as _, RsaKeyPair, RSA_PKCS1_SHA256};

/// About the size of the JWS signing input of a client_credentials token.
const SIGNING_INPUT_LEN: usize = 420;

pub fn signatures_per_sec(window: Duration, threads: usize) -> anyhow::Result<f64> {
    let key = RsaKeyPair::generate(KeySize::Rsa2048).map_err(|_| anyhow!("RSA keygen failed"))?;
    let _ = key.public_key();
    let key = &key;
    let total: u64 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| s.spawn(move || sign_for(key, window)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    Ok(total as f64 / window.as_secs_f64())
}

fn sign_for(key: &RsaKeyPair, window: Duration) -> u64 {
    let rng = SystemRandom::new();
    let msg = vec![b'e'; SIGNING_INPUT_LEN];
    let mut sig = vec![0u8; key.public_modulus_len()];
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < window {
        if key.sign(&RSA_PKCS1_SHA256, &rng, &msg, &mut sig).is_err() {
            return n;
        }
        n += 1;
    }
    n
}

//! A raw HTTP/1.1-over-TLS connection, for what reqwest will not send: chunked floods, half requests.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use serde_json::Value;

pub struct Raw {
    stream: StreamOwned<ClientConnection, TcpStream>,
}

/// How a read ended.
#[derive(Debug, PartialEq, Eq)]
pub enum End {
    /// The server closed the connection.
    Closed,
    /// Nothing more arrived within the read timeout; the connection is still open.
    TimedOut,
}

impl Raw {
    /// Connects and completes the TLS handshake, trusting the dev CA.
    pub fn connect(addr: SocketAddr, ca_pem: &[u8]) -> Raw {
        let mut roots = RootCertStore::empty();
        for cert in rustls_pemfile::certs(&mut &ca_pem[..]) {
            roots.add(cert.unwrap()).unwrap();
        }
        let config = ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        let name = ServerName::try_from("localhost").unwrap();
        let conn = ClientConnection::new(Arc::new(config), name).unwrap();
        let tcp = TcpStream::connect(addr).unwrap();
        let mut stream = StreamOwned::new(conn, tcp);
        while stream.conn.is_handshaking() {
            stream.conn.complete_io(&mut stream.sock).unwrap();
        }
        Raw { stream }
    }

    /// Writes everything; `Err` once the server has stopped listening.
    pub fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.stream.write_all(bytes)?;
        self.stream.flush()
    }

    /// Writes `frames` one by one, looking for an answer between them: a server that
    /// refuses early answers and closes, and a reset would lose an answer read too late.
    pub fn write_until_answered(&mut self, frames: impl Iterator<Item = Vec<u8>>) -> Vec<u8> {
        self.stream
            .sock
            .set_write_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut got = Vec::new();
        for frame in frames {
            if self.write(&frame).is_err() {
                break;
            }
            let (bytes, _) = self.read_all(Duration::from_millis(20));
            if !bytes.is_empty() {
                got = bytes;
                break;
            }
        }
        got
    }

    /// Reads until the server closes or `wait` passes with nothing new.
    pub fn read_all(&mut self, wait: Duration) -> (Vec<u8>, End) {
        self.stream.sock.set_read_timeout(Some(wait)).unwrap();
        let mut out = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        loop {
            match self.stream.read(&mut buf) {
                Ok(0) => return (out, End::Closed),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return (out, End::TimedOut)
                }
                // A reset or a close without close_notify is a close too.
                Err(_) => return (out, End::Closed),
            }
        }
    }
}

/// The status and JSON body of the first response in `bytes`.
pub fn parse(bytes: &[u8]) -> (u16, Value) {
    let text = String::from_utf8_lossy(bytes);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no complete response: {text:?}"));
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {head:?}"));
    let len = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(body.len());
    let json = serde_json::from_str(&body[..len.min(body.len())]).unwrap_or(Value::Null);
    (status, json)
}

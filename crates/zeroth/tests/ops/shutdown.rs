//! SIGTERM: requests in flight finish with 2xx, new connections are refused, exit 0.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::process::{admin_token, serve, zeroth};

const IN_FLIGHT: usize = 8;

/// Sends the head and half the body of a client creation, leaving the rest to the caller.
async fn half_sent(port: u16, token: &str, n: usize) -> (TcpStream, Vec<u8>) {
    let body = format!(
        r#"{{"name":"in-flight-{n}","description":"{}"}}"#,
        "x".repeat(120)
    );
    let head = format!(
        "POST /api/v2/clients HTTP/1.1\r\nHost: localhost:{port}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(first).await.unwrap();
    stream.flush().await.unwrap();
    (stream, rest.to_vec())
}

#[tokio::test]
async fn sigterm_finishes_in_flight_requests_refuses_new_ones_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let stderr = dir.path().join("stderr.log");
    let mut server = serve(
        zeroth(&[
            "serve",
            "--http",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data.to_str().unwrap(),
        ]),
        &stderr,
    );
    let port = server.port;
    let token = admin_token(port, &data).await;

    let mut pending = Vec::new();
    for n in 0..IN_FLIGHT {
        pending.push(half_sent(port, &token, n).await);
    }
    // Let the server read the heads: these requests are now in its hands.
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.sigterm();

    // New connections are refused once the signal is handled (bounded wait).
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match TcpStream::connect(("127.0.0.1", port)).await {
            Err(_) => break,
            Ok(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await
            }
            Ok(_) => panic!("still accepting connections 5 s after SIGTERM"),
        }
    }

    // The requests in flight complete, with 201.
    for (mut stream, rest) in pending {
        stream.write_all(&rest).await.unwrap();
        let mut answer = String::new();
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_string(&mut answer))
            .await
            .expect("an in-flight request was left hanging")
            .unwrap();
        assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    }

    let status = server
        .wait_exit(Duration::from_secs(10))
        .expect("no exit within 10 s of the last answer");
    assert!(status.success(), "exit status {status}");
}

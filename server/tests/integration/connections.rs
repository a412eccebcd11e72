//! Connections that send nothing, half a request or half a body are closed, and no more
//! connections are served at once than configured: slow or idle clients cannot hold the
//! server's file descriptors.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::*;

async fn spawn(limits: server::connections::Limits) -> TestApp {
    TestApp::spawn_configured(Engine::Sqlite, |config| config.connections = limits)
        .await
        .expect("SQLite always runs")
}

/// Reads until the server closes the connection (or `within` passes: None). Answers
/// what was read.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut read = Vec::new();
    let outcome = tokio::time::timeout(within, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => read.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    outcome
        .ok()
        .map(|()| String::from_utf8_lossy(&read).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_half_sent_connections_are_closed() {
    let app = spawn(server::connections::Limits {
        max_connections: 100,
        header_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(2),
    })
    .await;

    // Says nothing at all.
    let mut silent = TcpStream::connect(app.addr).await.unwrap();
    assert!(closed_within(&mut silent, Duration::from_secs(10))
        .await
        .is_some());

    // Half a request's headers, then nothing.
    let mut half = TcpStream::connect(app.addr).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    assert!(closed_within(&mut half, Duration::from_secs(10))
        .await
        .is_some());

    // Headers trickled a byte at a time, never idle for long, never finished: the
    // headers' own deadline closes it.
    let mut trickle = TcpStream::connect(app.addr).await.unwrap();
    let started = std::time::Instant::now();
    let mut open = true;
    for byte in b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        .iter()
        .take(40)
    {
        if trickle.write_all(&[*byte]).await.is_err() {
            open = false;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        !open
            || closed_within(&mut trickle, Duration::from_millis(500))
                .await
                .is_some(),
        "still open after {:?}",
        started.elapsed()
    );

    // Whole headers, then half the body it announced.
    let mut stalled = TcpStream::connect(app.addr).await.unwrap();
    stalled
        .write_all(
            b"POST /api/login HTTP/1.1\r\nHost: localhost\r\n\
              Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=a",
        )
        .await
        .unwrap();
    assert!(closed_within(&mut stalled, Duration::from_secs(10))
        .await
        .is_some());

    // A client that asks promptly is answered, and may ask again on the same connection.
    let mut prompt = TcpStream::connect(app.addr).await.unwrap();
    for _ in 0..2 {
        prompt
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        let mut answer = [0u8; 256];
        let n = tokio::time::timeout(Duration::from_secs(10), prompt.read(&mut answer))
            .await
            .expect("an answer")
            .unwrap();
        assert!(String::from_utf8_lossy(&answer[..n]).starts_with("HTTP/1.1 200"));
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_cap_wait_for_one_to_close() {
    let app = spawn(server::connections::Limits {
        max_connections: 2,
        header_timeout: Duration::from_secs(2),
        idle_timeout: Duration::from_secs(60),
    })
    .await;
    let _first = TcpStream::connect(app.addr).await.unwrap();
    let _second = TcpStream::connect(app.addr).await.unwrap();
    // Both are being served (and say nothing), so the third waits in the backlog...
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = TcpStream::connect(app.addr).await.unwrap();
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(
        closed_within(&mut third, Duration::from_millis(700)).await,
        None,
        "not served while two connections are open"
    );
    // ...until the silent ones are closed, then it is answered.
    let answer = closed_within(&mut third, Duration::from_secs(15))
        .await
        .expect("served once a connection closed");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    app.stop().await;
}

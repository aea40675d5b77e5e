//! The accept loop: HTTP/1.1 connections served by hyper with a deadline for the request
//! head (a client that trickles its headers is dropped), a limit on connections per
//! client address (answered `429 TOO_MANY_CONNECTIONS`), and a graceful shutdown that
//! lets requests in flight finish.

use std::{
    collections::HashMap,
    future::Future,
    net::{IpAddr, SocketAddr},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{Extension, Router, extract::ConnectInfo};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

use crate::error_code::ErrorCode;

/// What the accept loop enforces.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    /// Time a client has to send the request line and headers.
    pub header_timeout: Duration,
    /// Open connections one address may hold; 0 = no limit.
    pub per_address: usize,
}

/// Open connections per client address.
#[derive(Default)]
pub(super) struct Counts(Mutex<HashMap<IpAddr, usize>>);

/// One open connection, counted until dropped.
pub(super) struct Slot {
    counts: Arc<Counts>,
    address: IpAddr,
}

impl Counts {
    /// A slot for one more connection of `address`, or `None` when it holds `limit`
    /// already (0: no limit).
    pub(super) fn take(self: &Arc<Self>, address: IpAddr, limit: usize) -> Option<Slot> {
        let mut counts = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let open = counts.entry(address).or_default();
        if limit > 0 && *open >= limit {
            return None;
        }
        *open += 1;
        Some(Slot {
            counts: Arc::clone(self),
            address,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self
            .counts
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(open) = counts.get_mut(&self.address) {
            *open -= 1;
            if *open == 0 {
                counts.remove(&self.address);
            }
        }
    }
}

/// Refusals answered at once; beyond, a refused connection is closed without an answer,
/// so that a flood gets no more of the server's time.
const MAX_REFUSING: usize = 256;

/// How long a refused client has to take its answer.
const REFUSAL_TIMEOUT: Duration = Duration::from_secs(1);

/// Answers a connection beyond the address's limit with `429 Too Many Requests`
/// (`TOO_MANY_CONNECTIONS`, `Retry-After`) and closes it, rather than resetting it: a
/// client opening many at once (a burst of subscribers) learns why and when to retry.
fn refuse(mut stream: TcpStream, refusing: &Arc<AtomicUsize>) {
    if refusing.fetch_add(1, Ordering::Relaxed) >= MAX_REFUSING {
        refusing.fetch_sub(1, Ordering::Relaxed);
        return;
    }
    let refusing = Arc::clone(refusing);
    tokio::spawn(async move {
        let body = serde_json::json!({ "errors": [{
            "message": "too many open connections from this address: use fewer at once, or retry in a second",
            "extensions": { "code": ErrorCode::TooManyConnections.as_str() },
        }] })
        .to_string();
        let answer = format!(
            "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\nretry-after: 1\r\n\
             connection: close\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        let _ = tokio::time::timeout(REFUSAL_TIMEOUT, async {
            stream.write_all(answer.as_bytes()).await?;
            stream.shutdown().await?;
            // What the client sent is read, so that closing does not reset the
            // connection before it has read the answer.
            let mut sink = [0u8; 4096];
            while stream.read(&mut sink).await? > 0 {}
            Ok::<_, std::io::Error>(())
        })
        .await;
        refusing.fetch_sub(1, Ordering::Relaxed);
    });
}

/// Serves `router` on `listener` until `shutdown` resolves, then waits for the
/// connections still open to finish their requests.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    // Connections are upgradeable (WebSocket subscriptions), which hyper-util's graceful
    // shutdown does not take: each connection watches `closing` and ends gracefully
    // itself; the loop waits until every `open` clone is dropped.
    let (closing, _) = tokio::sync::watch::channel(false);
    let (open, mut all_closed) = tokio::sync::mpsc::channel::<()>(1);
    let counts = Arc::new(Counts::default());
    let refusing = Arc::new(AtomicUsize::new(0));
    tokio::pin!(shutdown);
    loop {
        let (stream, peer): (_, SocketAddr) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait a little, go on.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some(slot) = counts.take(peer.ip(), limits.per_address) else {
            tracing::info!(%peer, "refused a connection: too many open from this address");
            refuse(stream, &refusing);
            continue;
        };
        let service = TowerToHyperService::new(router.clone().layer(Extension(ConnectInfo(peer))));
        let connection = http
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades();
        let mut closing = closing.subscribe();
        let open = open.clone();
        tokio::spawn(async move {
            tokio::pin!(connection);
            let ended = tokio::select! {
                ended = connection.as_mut() => ended,
                _ = async { closing.wait_for(|closing| *closing).await.map(|_| ()) } => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = ended {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
            drop(slot);
            drop(open);
        });
    }
    drop(listener);
    let _ = closing.send(true);
    drop(open);
    // Every connection has ended when the last `open` is dropped.
    let _ = all_closed.recv().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_holds_at_most_its_limit_and_gets_slots_back() {
        let counts = Arc::new(Counts::default());
        let address: IpAddr = "127.0.0.1".parse().expect("an address");

        let first = counts.take(address, 2);
        let second = counts.take(address, 2);
        let third = counts.take(address, 2);
        drop(first);
        let again = counts.take(address, 2);

        assert!(second.is_some() && third.is_none() && again.is_some());
        assert!(
            counts
                .take("127.0.0.2".parse().expect("an address"), 2)
                .is_some()
        );
    }
}

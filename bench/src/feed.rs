//! (g) The change feed: how fast a consumer reads it from the start, and how fast one
//! change reaches many live subscribers (WebSocket, graphql-transport-ws).

use std::{
    fmt::Write as _,
    time::{Duration, Instant},
};

use anyhow::{Result, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

/// Live subscribers in the fan-out.
pub const SUBSCRIBERS: usize = 1000;
/// Changes pushed to them, one after the other.
const ROUNDS: usize = 20;

/// What (g) measured.
pub struct Feed {
    pub events: usize,
    pub read_seconds: f64,
    pub subscribers: usize,
    /// Subscribers that could not connect.
    pub refused: usize,
    /// Per delivered event: from before the write was sent to its arrival, ms.
    pub latencies_ms: Vec<f64>,
    pub missed: usize,
}

/// Reads the whole feed as `token`'s consumer, pages of 100.
async fn read_all(endpoint: &str, token: &str) -> Result<(usize, f64)> {
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut after: Option<String> = None;
    let mut events = 0;
    loop {
        let answer: Value = client
            .post(endpoint)
            .bearer_auth(token)
            .json(&json!({
                "query": "query($after: String) { changes(after: $after, first: 100) {
                    cursor pageInfo { hasNextPage } edges { node { sequence kind entity id fields } } } }",
                "variables": { "after": after },
            }))
            .send()
            .await?
            .json()
            .await?;
        let page = &answer["data"]["changes"];
        let Some(edges) = page["edges"].as_array() else {
            bail!("(g): the feed answered {answer}");
        };
        events += edges.len();
        after = page["cursor"].as_str().map(str::to_owned);
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
    }
    Ok((events, started.elapsed().as_secs_f64()))
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A public subscriber to updates of services, ready once subscribed.
async fn subscriber(url: &str) -> Result<Socket> {
    let mut request = url.into_client_request()?;
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse()?);
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await?;
    socket
        .send(Message::Text(
            json!({ "type": "connection_init", "payload": {} })
                .to_string()
                .into(),
        ))
        .await?;
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) if text.contains("connection_ack") => break,
            Some(Ok(_)) => {}
            other => bail!("(g): no connection_ack: {other:?}"),
        }
    }
    socket
        .send(Message::Text(
            json!({ "id": "1", "type": "subscribe", "payload": {
                "query": "subscription { changes(kinds: [UPDATED], entities: [SERVICE]) { sequence } }" } })
            .to_string()
            .into(),
        ))
        .await?;
    Ok(socket)
}

/// (g): the feed read by an administrator from its start, then `SUBSCRIBERS` public
/// subscribers told of `ROUNDS` partner upserts of one listing (`external_id` of
/// `organisation`, which must exist and be public).
pub async fn measure(
    endpoint: &str,
    admin: &str,
    partner: &str,
    organisation: &str,
    external_id: &str,
) -> Result<Feed> {
    println!("1× (g) the change feed…");
    let (events, read_seconds) = read_all(endpoint, admin).await?;

    let url = endpoint.replace("http://", "ws://");
    let (arrivals, mut arrived) = tokio::sync::mpsc::unbounded_channel::<Instant>();
    // Connected all at once; a subscriber that cannot connect is counted, not fatal.
    let mut sockets = Vec::new();
    let mut refused = Vec::new();
    let connecting: Vec<_> = (0..SUBSCRIBERS)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { subscriber(&url).await })
        })
        .collect();
    for socket in connecting {
        match socket.await? {
            Ok(socket) => sockets.push(socket),
            Err(error) => refused.push(error.to_string()),
        }
    }
    if let Some(first) = refused.first() {
        println!(
            "(g): {} subscribers could not connect: {first}",
            refused.len()
        );
    }
    let connected = sockets.len();
    let mut readers = Vec::new();
    for mut socket in sockets {
        let arrivals = arrivals.clone();
        readers.push(tokio::spawn(async move {
            while let Some(Ok(message)) = socket.next().await {
                if let Message::Text(text) = message
                    && text.contains("\"next\"")
                    && arrivals.send(Instant::now()).is_err()
                {
                    break;
                }
            }
        }));
    }
    // Every subscription is in place once the server has answered a request after them.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let client = reqwest::Client::new();
    let mut latencies_ms = Vec::new();
    let mut missed = 0;
    for round in 0..ROUNDS {
        let sent = Instant::now();
        let answer: Value = client
            .post(endpoint)
            .bearer_auth(partner)
            .json(&json!({
                "query": "mutation($input: UpsertListingsInput!) { upsertListings(input: $input) { updated } }",
                "variables": { "input": { "organisation": organisation, "items": [{
                    "externalId": external_id,
                    "service": { "descriptionFr": format!("Tour {round} du flux") } }] } },
            }))
            .send()
            .await?
            .json()
            .await?;
        if answer["data"]["upsertListings"]["updated"] != 1 {
            bail!("(g): the upsert changed nothing: {answer}");
        }
        let mut received = 0;
        while received < connected {
            match tokio::time::timeout(Duration::from_secs(10), arrived.recv()).await {
                Ok(Some(at)) => {
                    latencies_ms.push(at.duration_since(sent).as_secs_f64() * 1000.0);
                    received += 1;
                }
                _ => {
                    missed += connected - received;
                    break;
                }
            }
        }
    }
    for reader in readers {
        reader.abort();
    }
    Ok(Feed {
        events,
        read_seconds,
        subscribers: connected,
        refused: refused.len(),
        latencies_ms,
        missed,
    })
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

pub fn render(feed: &Feed) -> String {
    let mut sorted = feed.latencies_ms.clone();
    sorted.sort_by(f64::total_cmp);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n## (g) The change feed (1×)\n\n\
         An administrator reads `changes` from the start in pages of 100 (every sync and \
         write of the run above is in it); then {} public subscribers, each on its own \
         WebSocket, all connecting at once, are told of {ROUNDS} partner upserts of one listing, one after the other \
         (latency: from before the write is sent to the event's arrival; the write's own \
         round trip included).\n",
        feed.subscribers
    );
    let _ = writeln!(out, "| measure | value |\n|---|---|");
    let _ = writeln!(
        out,
        "| feed read | {} events in {:.1} s: {:.0} events/s |",
        feed.events,
        feed.read_seconds,
        feed.events as f64 / feed.read_seconds.max(f64::EPSILON)
    );
    let _ = writeln!(
        out,
        "| fan-out to {} subscribers: delivery p50 / p99 / max | {:.1} / {:.1} / {:.1} ms |",
        feed.subscribers,
        percentile(&sorted, 50.0),
        percentile(&sorted, 99.0),
        sorted.last().copied().unwrap_or(f64::NAN)
    );
    let _ = writeln!(
        out,
        "| events delivered (missed) | {} ({}) |",
        feed.latencies_ms.len(),
        feed.missed
    );
    let _ = writeln!(
        out,
        "| subscribers connected (refused) | {} ({}) |",
        feed.subscribers, feed.refused
    );
    out
}

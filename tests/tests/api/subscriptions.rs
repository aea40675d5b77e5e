//! Subscriptions over WebSocket (`graphql-transport-ws`): the token in
//! `connection_init`, the same events as the feed pushed live (a change made by a sync
//! in another process on the same database included), resumable from a cursor, scoped by role;
//! refused tokens, expiry, limits and shutdown close the connection as the protocol says.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use passerelle::{auth::Role, domain::GlobalId};
use passerelle_tests::{
    Backend, TestApp, both_backends, fixture, process, spawn_app_with, upstream::Upstream,
};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, protocol::CloseFrame};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

const SUBSCRIBE: &str = "subscription($after: String, $kinds: [ChangeKind!]) {
  changes(after: $after, kinds: $kinds) { cursor kind entity id fields
    node { id ... on Service { name organisation { id name } } } } }";

/// A socket to `app` speaking graphql-transport-ws; not yet initialised.
async fn open(app: &TestApp) -> Socket {
    let url = app.url.replace("http://", "ws://") + "/graphql";
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        "graphql-transport-ws"
    );
    socket
}

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

/// The next protocol message (pings answered), or the close frame.
async fn next(socket: &mut Socket) -> Result<Value, Option<CloseFrame>> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(20), socket.next())
            .await
            .expect("a message within 20 s");
        match message {
            Some(Ok(Message::Text(text))) => {
                let value: Value = serde_json::from_str(&text).unwrap();
                if value["type"] == "ping" {
                    send(socket, json!({ "type": "pong" })).await;
                    continue;
                }
                return Ok(value);
            }
            Some(Ok(Message::Close(frame))) => return Err(frame),
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => return Err(None),
        }
    }
}

/// An initialised connection with `token`.
async fn connect(app: &TestApp, token: Option<&str>) -> Socket {
    let mut socket = open(app).await;
    let payload = token.map_or(
        json!({}),
        |t| json!({ "Authorization": format!("Bearer {t}") }),
    );
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": payload }),
    )
    .await;
    assert_eq!(next(&mut socket).await.unwrap()["type"], "connection_ack");
    socket
}

async fn subscribe(socket: &mut Socket, id: &str, variables: Value) {
    send(
        socket,
        json!({ "id": id, "type": "subscribe", "payload": { "query": SUBSCRIBE, "variables": variables } }),
    )
    .await;
}

/// The next change about a service pushed on subscription `id` (the organisations and
/// sites a sync also changes are skipped).
async fn service_change(socket: &mut Socket, id: &str) -> Value {
    loop {
        let change = change(socket, id).await;
        if change["entity"] == "SERVICE" {
            return change;
        }
    }
}

/// The next change pushed on subscription `id`.
async fn change(socket: &mut Socket, id: &str) -> Value {
    let message = next(socket).await.expect("a message, not a close");
    assert_eq!(message["id"], id, "{message}");
    assert_eq!(message["type"], "next", "{message}");
    assert!(message["payload"]["errors"].is_null(), "{message}");
    message["payload"]["data"]["changes"].clone()
}

fn service(key: &str, name: &str) -> Value {
    fixture::hsds_service(
        &format!("{key}-service"),
        (&format!("{key}-org"), "ASBL Abonnée", None),
        name,
        (50.8671, 4.3729),
        "housing",
        "2026-01-01T00:00:00Z",
    )
}

/// `passerelle sync --source live --full` in a process of its own on the app's
/// database, reading `services` from a local HSDS upstream over HTTP.
async fn sync_process(app: &TestApp, services: Vec<Value>) {
    let upstream = Upstream::start().await;
    upstream.set_hsds(services);
    let config = format!(
        "[[sources]]\nname = \"live\"\nkind = \"hsds\"\nbase_url = \"{}\"\nlanguage = \"fr\"\n",
        upstream.url
    );
    let database = app.state.config.database.url.expose();
    let output = process::run(database, &config, &["sync", "--source", "live", "--full"]).await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A change made by a sync in another process (`passerelle sync` on the same database)
/// reaches a subscriber; a public and a partner subscriber each see their own view of
/// an unpublication; a consumer that reconnects with its last cursor gets what it
/// missed.
async fn subscribers_get_changes_live_as_their_role_sees_them(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.database.change_poll_ms = 100).await;
    let mut public = connect(&app, None).await;
    subscribe(&mut public, "p", json!({})).await;

    // A sync in another process.
    sync_process(&app, vec![service("live", "Permanence en direct")]).await;
    let created = service_change(&mut public, "p").await;
    assert_eq!(created["kind"], "CREATED");
    assert_eq!(created["node"]["name"], "Permanence en direct");
    // Nested fields read the directory as it is now, not as it was at connection_init.
    assert_eq!(created["node"]["organisation"]["name"], "ASBL Abonnée");
    assert!(
        created["fields"]
            .as_array()
            .unwrap()
            .contains(&json!("name_fr"))
    );

    // Withheld by its partner: removed for the public, updated for the partner.
    let organisation = GlobalId::parse(created["node"]["organisation"]["id"].as_str().unwrap())
        .unwrap()
        .id;
    let partner = app.token(Role::Partner, &[organisation], None);
    let mut own = connect(&app, Some(&partner)).await;
    subscribe(&mut own, "o", json!({ "kinds": ["UPDATED", "REMOVED"] })).await;
    let withheld = app
        .gql_as(
            Some(&partner),
            "mutation($id: ID!) { publishService(input: { id: $id, version: 1, published: false }) {
               service { published } } }",
            json!({ "id": created["id"] }),
        )
        .await;
    assert!(withheld.body["errors"].is_null(), "{:?}", withheld.body);
    let removed = service_change(&mut public, "p").await;
    assert_eq!(
        (removed["kind"].as_str(), removed["id"].clone()),
        (Some("REMOVED"), created["id"].clone())
    );
    assert_eq!(removed["node"], Value::Null);
    let updated = service_change(&mut own, "o").await;
    assert_eq!(updated["kind"], "UPDATED");
    assert_eq!(updated["fields"], json!(["published"]));

    // The public consumer goes away; a change happens; it comes back from its cursor.
    let cursor = removed["cursor"].clone();
    drop(public);
    sync_process(
        &app,
        vec![
            service("live", "Permanence en direct"),
            service("later", "Permanence manquée"),
        ],
    )
    .await;
    let mut back = connect(&app, None).await;
    subscribe(&mut back, "b", json!({ "after": cursor })).await;
    let missed = service_change(&mut back, "b").await;
    assert_eq!(missed["node"]["name"], "Permanence manquée");
}

/// A bad token in `connection_init` closes with 4403; an expired token's connection is
/// closed when it expires; a subscription beyond the per-connection limit gets an
/// error; the server's shutdown closes with 1001.
async fn the_protocol_refuses_and_closes_cleanly(backend: Backend) {
    let mut app = passerelle_tests::spawn_app_with(backend, |c| {
        c.limits.max_subscriptions_per_connection = 1;
    })
    .await;
    let mut refused = open(&app).await;
    send(
        &mut refused,
        json!({ "type": "connection_init", "payload": { "Authorization": "Bearer not-a-token" } }),
    )
    .await;
    let frame = next(&mut refused).await.unwrap_err().unwrap();
    assert_eq!(u16::from(frame.code), 4403);

    // A token valid for two seconds.
    let brief = app.token_for(Role::Admin, &[], None, Duration::from_secs(2));
    let mut expiring = connect(&app, Some(&brief)).await;
    subscribe(&mut expiring, "e", json!({})).await;
    let frame = next(&mut expiring).await.unwrap_err().unwrap();
    assert_eq!(
        (u16::from(frame.code), frame.reason.as_str()),
        (4403, "token expired")
    );

    let mut limited = connect(&app, None).await;
    subscribe(&mut limited, "one", json!({})).await;
    subscribe(&mut limited, "two", json!({})).await;
    // Refused as the field's error, then completed.
    let error = next(&mut limited).await.unwrap();
    assert_eq!(error["id"], "two", "{error}");
    assert_eq!(
        error["payload"]["errors"][0]["extensions"]["code"],
        "TOO_MANY_SUBSCRIPTIONS"
    );
    assert_eq!(next(&mut limited).await.unwrap()["type"], "complete");

    // The socket carries subscriptions only, checked as a POST is.
    let mut checked = connect(&app, None).await;
    send(
        &mut checked,
        json!({ "id": "q", "type": "subscribe", "payload": { "query": "{ __typename }" } }),
    )
    .await;
    let query = next(&mut checked).await.unwrap();
    assert_eq!(query["id"], "q", "{query}");
    assert_eq!(
        query["payload"]["errors"][0]["extensions"]["code"], "BAD_REQUEST",
        "{query}"
    );
    let deep = format!(
        "subscription {{ changes {{ node {{ ... on Service {{ {}id{} }} }} }} }}",
        "organisation { services { edges { node { ".repeat(8),
        " } } } }".repeat(8)
    );
    send(
        &mut checked,
        json!({ "id": "d", "type": "subscribe", "payload": { "query": deep } }),
    )
    .await;
    let deep = loop {
        let message = next(&mut checked).await.unwrap();
        if message["id"] == "d" && message["type"] != "complete" {
            break message;
        }
    };
    assert_eq!(
        deep["payload"]["errors"][0]["extensions"]["code"], "DEPTH_LIMIT_EXCEEDED",
        "{deep}"
    );

    // A subscription over plain HTTP is refused, not hung.
    let over_http = app.gql(SUBSCRIBE, json!({})).await;
    assert!(over_http.body["errors"].is_array(), "{:?}", over_http.body);

    // Shutdown: the running subscription may complete first, then the close.
    app.shutdown();
    let frame = loop {
        match next(&mut limited).await {
            Ok(message) => assert_eq!(message["type"], "complete", "{message}"),
            Err(frame) => break frame.unwrap(),
        }
    };
    assert_eq!(u16::from(frame.code), 1001);
}

both_backends!(
    subscribers_get_changes_live_as_their_role_sees_them,
    the_protocol_refuses_and_closes_cleanly,
);

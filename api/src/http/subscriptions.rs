//! GraphQL subscriptions over WebSocket at `/graphql`: the `graphql-transport-ws`
//! protocol (graphql-ws, Apollo), and the older `graphql-ws` of
//! subscriptions-transport-ws. The token comes in `connection_init`
//! (`{"Authorization": "Bearer …"}`), verified as a request's; a refused token closes
//! with 4403, no `connection_init` within ten seconds with 4408, the token's expiry with
//! 4403, the server's shutdown with 1001. Connections per client address and
//! subscriptions per connection are limited (`limits`).

use std::{
    net::{IpAddr, SocketAddr},
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use async_graphql::http::{WebSocket as GraphQLWebSocket, WebSocketProtocols, WsMessage};
use axum::{
    extract::{
        ConnectInfo, FromRequestParts, Request,
        ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade},
    },
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};

use super::{
    HttpState, accept_language,
    graphql::{client_key, forwarded_client, prepare_subscription, rate_limited},
    problem::Problem,
};
use crate::{auth::Principal, error_code::ErrorCode, graphql};

/// Time a client has to send `connection_init` after the upgrade.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// Time a message may wait for a client that does not read.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// The schema as a socket may use it: subscriptions only, each checked as a POST is
/// (document limits, variables) and counted against the rate limit of the socket's
/// address; each with fresh loaders.
#[derive(Clone)]
struct Guarded {
    state: HttpState,
    client: String,
}

impl async_graphql::Executor for Guarded {
    async fn execute(&self, _request: async_graphql::Request) -> async_graphql::Response {
        refused(Problem::bad_request(
            "a WebSocket carries subscriptions; send queries and mutations with POST",
        ))
    }

    fn execute_stream(
        &self,
        request: async_graphql::Request,
        session_data: Option<Arc<async_graphql::Data>>,
    ) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
        let checked = match rate_limited(&self.state, &self.client) {
            Some(problem) => Err(problem),
            None => prepare_subscription(&self.state, request),
        };
        match checked {
            Ok(request) => self.state.schema.execute_stream_with_session_data(
                graphql::subscription_data(request, &self.state.app),
                session_data.unwrap_or_default(),
            ),
            Err(problem) => {
                futures_util::stream::once(std::future::ready(refused(problem))).boxed()
            }
        }
    }
}

/// A refusal before execution, as a GraphQL response.
fn refused(problem: Problem) -> async_graphql::Response {
    let mut error = async_graphql::ServerError::new(problem.message, None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", problem.code.as_str());
    error.extensions = Some(extensions);
    async_graphql::Response::from_errors(vec![error])
}

/// Whether a request asks to become a WebSocket.
pub(super) fn is_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// Answers a WebSocket upgrade of `/graphql`.
pub(super) async fn upgrade(state: HttpState, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    let socket_peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    // Behind a trusted proxy, the client is the first forwarded address.
    let peer = forwarded_client(&parts.headers, state.app.config.limits.trust_forwarded_for)
        .and_then(|v| v.parse().ok())
        .unwrap_or(socket_peer);
    let Some(protocol) = protocol(&parts.headers) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
            "a GraphQL WebSocket names its subprotocol: graphql-transport-ws (or graphql-ws)",
        );
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let limit = state
        .app
        .config
        .limits
        .max_subscription_connections_per_address;
    let Some(slot) = state.subscribers.take(peer, limit) else {
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            &format!("at most {limit} subscription connections from one address"),
        );
    };
    let lang = accept_language(&parts.headers);
    // Operations on the socket count against the rate limit of its address.
    let client = client_key(
        &Principal::public(),
        &parts.headers,
        Some(SocketAddr::new(peer, 0)),
        state.app.config.limits.trust_forwarded_for,
    );
    let request_id = parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    upgrade
        .protocols([protocol.sec_websocket_protocol()])
        .on_upgrade(move |socket| async move {
            serve(state, socket, protocol, lang, request_id, client).await;
            drop(slot);
        })
}

fn refuse(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    (
        status,
        axum::Json(
            json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] }),
        ),
    )
        .into_response()
}

/// The subprotocol the client offers that we speak, the current one first.
fn protocol(headers: &HeaderMap) -> Option<WebSocketProtocols> {
    let offered: Vec<&str> = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    [
        WebSocketProtocols::GraphQLWS,
        WebSocketProtocols::SubscriptionsTransportWS,
    ]
    .into_iter()
    .find(|p| offered.contains(&p.sec_websocket_protocol()))
}

/// How `connection_init` went.
#[derive(Default)]
struct Init {
    accepted: bool,
    refused: bool,
    /// When the token expires, as an instant of this process.
    expires: Option<tokio::time::Instant>,
}

/// The token a `connection_init` payload carries: `Authorization` (any case) as a bearer
/// header, or `token`.
fn bearer(payload: &Value) -> Option<String> {
    let object = payload.as_object()?;
    let header = object
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, value)| value.as_str())
        .map(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
                .unwrap_or(value)
        });
    header
        .or_else(|| object.get("token").and_then(Value::as_str))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
}

/// Runs one connection until the client or the server closes it.
async fn serve(
    state: HttpState,
    socket: WebSocket,
    protocol: WebSocketProtocols,
    lang: Option<crate::domain::Lang>,
    request_id: String,
    client: String,
) {
    let (mut sink, source) = socket.split();
    let input = source
        .take_while(|message| {
            std::future::ready(matches!(message, Ok(m) if !matches!(m, Message::Close(_))))
        })
        .filter_map(|message| {
            std::future::ready(match message {
                Ok(Message::Text(text)) => Some(text.as_bytes().to_vec()),
                Ok(Message::Binary(bytes)) => Some(bytes.to_vec()),
                _ => None,
            })
        });
    let init = Arc::new(Mutex::new(Init::default()));
    let on_init = {
        let init = Arc::clone(&init);
        let app = state.app.clone();
        move |payload: Value| async move {
            let outcome = app
                .auth
                .authenticate_until(bearer(&payload).as_deref())
                .await;
            let mut init = init.lock().unwrap_or_else(|e| e.into_inner());
            match outcome {
                Ok((principal, expires)) => {
                    init.accepted = true;
                    init.expires = expires.map(instant_of);
                    Ok(graphql::connection_data(principal, lang, &request_id))
                }
                Err(error) => {
                    init.refused = true;
                    Err(async_graphql::Error::new(error.to_string()))
                }
            }
        }
    };
    let guarded = Guarded {
        state: state.clone(),
        client,
    };
    let connection = GraphQLWebSocket::new(guarded, input, protocol).on_connection_init(on_init);
    tokio::pin!(connection);
    let mut stopping = state.app.stopping.subscribe();
    let opened = tokio::time::Instant::now();
    let far = opened + Duration::from_secs(365 * 24 * 3600);
    loop {
        let (accepted, expires) = {
            let init = init.lock().unwrap_or_else(|e| e.into_inner());
            (init.accepted, init.expires)
        };
        let closing = tokio::select! {
            message = connection.next() => match message {
                Some(WsMessage::Text(text)) => {
                    // A client that stops reading is dropped, not waited for.
                    match tokio::time::timeout(SEND_TIMEOUT, sink.send(Message::Text(text.into()))).await {
                        Ok(Ok(())) => continue,
                        _ => return,
                    }
                }
                Some(WsMessage::Close(code, reason)) => {
                    let refused = init.lock().unwrap_or_else(|e| e.into_inner()).refused;
                    // graphql-transport-ws: a refused `connection_init` is 4403 Forbidden.
                    (if refused { 4403 } else { code }, reason)
                }
                None => return,
            },
            () = tokio::time::sleep_until(opened + INIT_TIMEOUT), if !accepted => {
                (4408, "Connection initialisation timeout".to_owned())
            }
            () = tokio::time::sleep_until(expires.unwrap_or(far)), if expires.is_some() => {
                (4403, "token expired".to_owned())
            }
            _ = async { stopping.wait_for(|stopping| *stopping).await.map(|_| ()) } => {
                (1001, "server shutting down".to_owned())
            }
        };
        let (code, reason) = closing;
        let _ = sink
            .send(Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            })))
            .await;
        return;
    }
}

/// The instant of this process at `epoch_seconds`.
fn instant_of(epoch_seconds: u64) -> tokio::time::Instant {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let left = Duration::from_secs(epoch_seconds).saturating_sub(now);
    tokio::time::Instant::now() + left
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_comes_from_the_init_payload_in_any_usual_form() {
        for payload in [
            json!({ "Authorization": "Bearer abc" }),
            json!({ "authorization": "bearer abc" }),
            json!({ "token": "abc" }),
            json!({ "headers": {}, "Authorization": "abc" }),
        ] {
            assert_eq!(bearer(&payload).as_deref(), Some("abc"), "{payload}");
        }
        assert_eq!(bearer(&json!({})), None);
        assert_eq!(bearer(&json!({ "Authorization": "Bearer  " })), None);
        assert_eq!(bearer(&Value::Null), None);
    }
}

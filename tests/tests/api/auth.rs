//! Bearer tokens: development HS256, JWKS-served RS256/ES256 with rotation, and every
//! way a token can be wrong, each refused with a 401 and nothing more than
//! "expired" or "invalid".

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicUsize, Ordering},
};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use passerelle::auth::Role;
use passerelle_tests::{Backend, DEV_SECRET, TestApp, spawn_app, spawn_app_with};
use serde_json::{Value, json};

const WHO: &str = "{ authorities { code } }";
const INTERNAL: &str = "{ services(first: 1) { edges { node { internalContacts { value } } } } }";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/fixtures/keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

fn claims(role: &str) -> Value {
    json!({
        "sub": "someone",
        "iss": "passerelle",
        "aud": "passerelle",
        "iat": now(),
        "exp": now() + 600,
        "passerelle_role": role,
        "passerelle_bassin": "nord",
        "passerelle_organisations": [1],
    })
}

fn sign(header: Header, claims: &Value, key: &EncodingKey) -> String {
    jsonwebtoken::encode(&header, claims, key).unwrap()
}

fn hs256(claims: &Value, secret: &str) -> String {
    sign(
        Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
}

fn rs256(kid: &str, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    sign(
        header,
        claims,
        &EncodingKey::from_rsa_pem(fixture(&format!("{kid}.pem")).as_bytes()).unwrap(),
    )
}

fn es256(kid: &str, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some(kid.to_owned());
    sign(
        header,
        claims,
        &EncodingKey::from_ec_pem(fixture(&format!("{kid}.pem")).as_bytes()).unwrap(),
    )
}

async fn assert_refused(app: &TestApp, token: &str, message: &str, why: &str) {
    let response = app.gql_as(Some(token), WHO, json!({})).await;
    assert_eq!(response.status, 401, "{why}: {}", response.body);
    assert_eq!(response.error_code(), Some("UNAUTHENTICATED"), "{why}");
    assert_eq!(response.error_message(), message, "{why}");
    assert!(
        response.body.get("data").is_none_or(Value::is_null),
        "{why}: nothing executed"
    );
}

async fn accepted_role(app: &TestApp, token: &str) -> bool {
    let response = app.gql_as(Some(token), INTERNAL, json!({})).await;
    response.status == 200 && response.error_code().is_none()
}

#[tokio::test]
async fn development_tokens_are_accepted_and_bad_ones_refused() {
    let app = spawn_app(Backend::Sqlite).await;
    let good = app.token(Role::ZonePartner, &[], None);
    assert!(
        accepted_role(&app, &good).await,
        "a zone partner reads internal fields"
    );

    assert_refused(
        &app,
        &hs256(&claims("admin"), "some-other-secret"),
        "invalid token",
        "forged signature",
    )
    .await;

    let mut expired = claims("admin");
    expired["exp"] = json!(now() - 3600);
    assert_refused(
        &app,
        &hs256(&expired, DEV_SECRET),
        "expired token",
        "expired",
    )
    .await;

    let mut audience = claims("admin");
    audience["aud"] = json!("someone-else");
    assert_refused(
        &app,
        &hs256(&audience, DEV_SECRET),
        "invalid token",
        "wrong audience",
    )
    .await;

    let mut issuer = claims("admin");
    issuer["iss"] = json!("https://evil.example");
    assert_refused(
        &app,
        &hs256(&issuer, DEV_SECRET),
        "invalid token",
        "wrong issuer",
    )
    .await;

    let mut future = claims("admin");
    future["nbf"] = json!(now() + 3600);
    assert_refused(
        &app,
        &hs256(&future, DEV_SECRET),
        "invalid token",
        "not yet valid",
    )
    .await;

    let mut no_subject = claims("admin");
    no_subject.as_object_mut().unwrap().remove("sub");
    assert_refused(
        &app,
        &hs256(&no_subject, DEV_SECRET),
        "invalid token",
        "no subject",
    )
    .await;

    assert_refused(
        &app,
        &hs256(&claims("emperor"), DEV_SECRET),
        "invalid token",
        "unknown role",
    )
    .await;

    // Same secret, another HMAC algorithm: only HS256 is accepted for development tokens.
    let hs512 = sign(
        Header::new(Algorithm::HS512),
        &claims("admin"),
        &EncodingKey::from_secret(DEV_SECRET.as_bytes()),
    );
    assert_refused(&app, &hs512, "invalid token", "wrong algorithm").await;

    // alg: none, with and without a trailing signature part.
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims("admin").to_string());
    assert_refused(
        &app,
        &format!("{header}.{payload}."),
        "invalid token",
        "alg none",
    )
    .await;
    assert_refused(
        &app,
        &format!("{header}.{payload}"),
        "invalid token",
        "alg none, two parts",
    )
    .await;

    // A partner token whose role claim was edited to admin, signature kept.
    let partner = app.token(Role::Partner, &[1], None);
    let parts: Vec<&str> = partner.split('.').collect();
    let mut body: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    body["passerelle_role"] = json!("admin");
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(body.to_string()),
        parts[2]
    );
    assert_refused(&app, &tampered, "invalid token", "tampered role claim").await;

    assert_refused(&app, "not-a-jwt", "invalid token", "garbage").await;
    let basic = app
        .gql_with_headers(
            WHO,
            json!({}),
            &[("authorization", "Basic YWRtaW46YWRtaW4=")],
        )
        .await;
    assert_eq!(basic.status, 401, "only bearer tokens");
}

#[tokio::test]
async fn a_protected_field_is_null_with_its_error_and_the_rest_of_the_data_stands() {
    let app = spawn_app(Backend::Sqlite).await;
    let anonymous = app.gql(INTERNAL, json!({})).await;
    // GraphQL's partial result: the refused field is null at its path, HTTP 200.
    assert_eq!(anonymous.status, 200, "{}", anonymous.body);
    assert_eq!(anonymous.error_code(), Some("UNAUTHENTICATED"));
    let node = &anonymous.body["data"]["services"]["edges"][0]["node"];
    assert!(
        node.get("internalContacts").is_some_and(|v| v.is_null()),
        "{}",
        anonymous.body
    );
    assert_eq!(
        anonymous.body["errors"][0]["path"],
        json!(["services", "edges", 0, "node", "internalContacts"])
    );
    let partner = app
        .gql_as(
            Some(&app.token(Role::Partner, &[999_999], None)),
            INTERNAL,
            json!({}),
        )
        .await;
    assert_eq!(partner.status, 200);
    assert_eq!(partner.error_code(), Some("FORBIDDEN"));
}

#[tokio::test]
async fn without_a_dev_secret_hs256_tokens_are_refused() {
    let app = spawn_app_with(Backend::Sqlite, |config| config.auth.dev_secret = None).await;
    assert_refused(
        &app,
        &hs256(&claims("admin"), DEV_SECRET),
        "invalid token",
        "no dev secret",
    )
    .await;
    assert!(
        app.state
            .auth
            .issue_dev_token(&passerelle::auth::DevTokenRequest {
                subject: "x".to_owned(),
                role: Role::Admin,
                organisations: Vec::new(),
                bassin: None,
                ttl: std::time::Duration::from_secs(60),
            })
            .is_none()
    );
}

/// A JWKS endpoint on loopback whose key set can be replaced, counting its requests.
struct JwksServer {
    url: String,
    keys: Arc<Mutex<Vec<Value>>>,
    hits: Arc<AtomicUsize>,
}

async fn jwks_server(initial: Vec<Value>) -> JwksServer {
    let keys = Arc::new(Mutex::new(initial));
    let hits = Arc::new(AtomicUsize::new(0));
    let (served, counted) = (Arc::clone(&keys), Arc::clone(&hits));
    let router = axum::Router::new().route(
        "/certs",
        axum::routing::get(move || {
            let served = Arc::clone(&served);
            let counted = Arc::clone(&counted);
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                let keys = served.lock().unwrap().clone();
                axum::Json(json!({ "keys": keys }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    JwksServer {
        url: format!("http://{addr}/certs"),
        keys,
        hits,
    }
}

fn jwk(name: &str) -> Value {
    serde_json::from_str(&fixture(&format!("{name}.jwk.json"))).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jwks_keys_verify_tokens_and_rotate() {
    let server = jwks_server(vec![jwk("rsa-k1"), jwk("ec-e1")]).await;
    let url = server.url.clone();
    let app = spawn_app_with(Backend::Sqlite, move |config| {
        config.auth.jwks_url = Some(url);
        config.auth.jwks_refresh_min_seconds = 0;
    })
    .await;

    assert!(
        accepted_role(&app, &rs256("rsa-k1", &claims("zone_partner"))).await,
        "RS256 from the JWKS"
    );
    assert!(
        accepted_role(&app, &es256("ec-e1", &claims("basin_team"))).await,
        "ES256 from the JWKS"
    );
    assert_eq!(
        server.hits.load(Ordering::SeqCst),
        1,
        "the key set is cached"
    );

    // Key confusion: the RSA public key used as an HMAC secret, under the RSA key's kid.
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("rsa-k1".to_owned());
    let confused = sign(
        header,
        &claims("admin"),
        &EncodingKey::from_secret(fixture("rsa-k1.pub.pem").as_bytes()),
    );
    assert_refused(
        &app,
        &confused,
        "invalid token",
        "HS256 with the RSA public key",
    )
    .await;
    // An ES256 token naming the RSA key, and an RS256 token signed by a key not in the set.
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some("rsa-k1".to_owned());
    let wrong_family = sign(
        header,
        &claims("admin"),
        &EncodingKey::from_ec_pem(fixture("ec-e1.pem").as_bytes()).unwrap(),
    );
    assert_refused(
        &app,
        &wrong_family,
        "invalid token",
        "ES256 token for an RSA key",
    )
    .await;
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("rsa-k1".to_owned());
    let wrong_key = sign(
        header,
        &claims("admin"),
        &EncodingKey::from_rsa_pem(fixture("rsa-k2.pem").as_bytes()).unwrap(),
    );
    assert_refused(&app, &wrong_key, "invalid token", "signed by another key").await;

    // Rotation: the provider replaces k1 by k2; a k2 token triggers a refetch and passes,
    // and k1 tokens stop working once the new set is loaded.
    *server.keys.lock().unwrap() = vec![jwk("rsa-k2"), jwk("ec-e1")];
    assert!(
        accepted_role(&app, &rs256("rsa-k2", &claims("zone_partner"))).await,
        "rotated key"
    );
    assert_refused(
        &app,
        &rs256("rsa-k1", &claims("zone_partner")),
        "invalid token",
        "retired key",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_kids_do_not_hammer_the_identity_provider() {
    let server = jwks_server(vec![jwk("rsa-k1")]).await;
    let url = server.url.clone();
    let app = spawn_app_with(Backend::Sqlite, move |config| {
        config.auth.jwks_url = Some(url);
        config.auth.jwks_refresh_min_seconds = 3600;
    })
    .await;
    assert!(accepted_role(&app, &rs256("rsa-k1", &claims("admin"))).await);
    for _ in 0..5 {
        assert_refused(
            &app,
            &rs256("rsa-k2", &claims("admin")),
            "invalid token",
            "unknown kid",
        )
        .await;
    }
    assert_eq!(
        server.hits.load(Ordering::SeqCst),
        1,
        "refetches are rate-limited"
    );
}

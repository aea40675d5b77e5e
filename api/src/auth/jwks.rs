//! Keys of the production identity provider, fetched from its JWKS URL, cached, and
//! refetched when a token names an unknown `kid` (at most once per configured
//! interval, so forged `kid`s cannot make us hammer the provider).

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use jsonwebtoken::{
    Algorithm, DecodingKey,
    jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm},
};

/// A verification key and the one algorithm it may verify.
pub struct JwkKey {
    pub decoding: DecodingKey,
    pub algorithm: Algorithm,
}

pub struct JwksCache {
    url: String,
    client: reqwest::Client,
    allowed: Vec<Algorithm>,
    min_refresh: Duration,
    keys: RwLock<HashMap<String, Arc<JwkKey>>>,
    last_fetch: tokio::sync::Mutex<Option<Instant>>,
}

impl JwksCache {
    pub fn new(url: String, allowed: Vec<Algorithm>, min_refresh: Duration) -> JwksCache {
        JwksCache {
            url,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap_or_default(),
            allowed,
            min_refresh,
            keys: RwLock::new(HashMap::new()),
            last_fetch: tokio::sync::Mutex::new(None),
        }
    }

    fn cached(&self, kid: &str) -> Option<Arc<JwkKey>> {
        self.keys
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(kid)
            .cloned()
    }

    /// The key with this `kid`, fetching the JWKS again if it is unknown.
    pub async fn key(&self, kid: &str) -> Option<Arc<JwkKey>> {
        if let Some(key) = self.cached(kid) {
            return Some(key);
        }
        let mut last = self.last_fetch.lock().await;
        // Another request may have refreshed the set while this one waited.
        if let Some(key) = self.cached(kid) {
            return Some(key);
        }
        if last.is_some_and(|t| t.elapsed() < self.min_refresh) {
            return None;
        }
        *last = Some(Instant::now());
        match self.fetch().await {
            Ok(keys) => {
                tracing::info!(keys = keys.len(), url = %self.url, "fetched JWKS");
                *self
                    .keys
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = keys;
            }
            Err(error) => tracing::warn!(%error, url = %self.url, "cannot fetch JWKS"),
        }
        self.cached(kid)
    }

    async fn fetch(&self) -> Result<HashMap<String, Arc<JwkKey>>, String> {
        let response = self
            .client
            .get(&self.url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status()));
        }
        let set: JwkSet = response.json().await.map_err(|e| e.to_string())?;
        Ok(set
            .keys
            .iter()
            .filter_map(|jwk| {
                let kid = jwk.common.key_id.clone()?;
                let key = self.usable(jwk)?;
                Some((kid, Arc::new(key)))
            })
            .collect())
    }

    /// Only asymmetric keys of an allowed algorithm are kept: a symmetric key in a JWKS
    /// would let anyone who read the set sign tokens.
    fn usable(&self, jwk: &Jwk) -> Option<JwkKey> {
        let algorithm = match (&jwk.algorithm, &jwk.common.key_algorithm) {
            (AlgorithmParameters::RSA(_), None | Some(KeyAlgorithm::RS256)) => Algorithm::RS256,
            (AlgorithmParameters::RSA(_), Some(KeyAlgorithm::RS384)) => Algorithm::RS384,
            (AlgorithmParameters::RSA(_), Some(KeyAlgorithm::RS512)) => Algorithm::RS512,
            (AlgorithmParameters::EllipticCurve(ec), None | Some(KeyAlgorithm::ES256))
                if ec.curve == EllipticCurve::P256 =>
            {
                Algorithm::ES256
            }
            (AlgorithmParameters::EllipticCurve(ec), None | Some(KeyAlgorithm::ES384))
                if ec.curve == EllipticCurve::P384 =>
            {
                Algorithm::ES384
            }
            _ => return None,
        };
        if !self.allowed.contains(&algorithm) {
            return None;
        }
        let decoding = DecodingKey::from_jwk(jwk).ok()?;
        Some(JwkKey {
            decoding,
            algorithm,
        })
    }
}

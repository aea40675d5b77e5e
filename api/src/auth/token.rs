//! Bearer token verification and the mapping of claims to a `Principal`.

use std::{collections::HashSet, str::FromStr, time::Duration};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use serde_json::Value;

use super::{
    jwks::JwksCache,
    principal::{Principal, Role},
};
use crate::{
    config::AuthConfig,
    domain::{GlobalId, Kind},
};

/// Why a token was refused. Clients learn only "expired" or "invalid".
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("expired token")]
    Expired,
    /// The reason is for the logs only.
    #[error("invalid token")]
    Invalid(String),
}

fn invalid(reason: impl Into<String>) -> AuthError {
    AuthError::Invalid(reason.into())
}

/// A development token to sign with the configured secret.
#[derive(Clone, Debug)]
pub struct DevTokenRequest {
    pub subject: String,
    pub role: Role,
    pub organisations: Vec<i32>,
    pub bassin: Option<String>,
    pub ttl: Duration,
}

pub struct Authenticator {
    config: AuthConfig,
    dev_secret: Option<Vec<u8>>,
    jwks: Option<JwksCache>,
    bassins: HashSet<String>,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Authenticator")
    }
}

impl Authenticator {
    /// `bassins` are the keys a basin-team token may name.
    pub fn new(config: &AuthConfig, bassins: HashSet<String>) -> Authenticator {
        let allowed: Vec<Algorithm> = config
            .algorithms
            .iter()
            .filter_map(|a| Algorithm::from_str(a).ok())
            .filter(|a| !matches!(a, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512))
            .collect();
        Authenticator {
            dev_secret: config
                .dev_secret
                .as_ref()
                .map(|s| s.expose().as_bytes().to_vec())
                .filter(|s| !s.is_empty()),
            jwks: config.jwks_url.clone().map(|url| {
                JwksCache::new(
                    url,
                    allowed,
                    Duration::from_secs(config.jwks_refresh_min_seconds),
                )
            }),
            config: config.clone(),
            bassins,
        }
    }

    fn validation(&self, algorithm: Algorithm) -> Validation {
        let mut validation = Validation::new(algorithm);
        validation.leeway = self.config.leeway_seconds;
        validation.validate_nbf = true;
        validation.set_audience(&[&self.config.audience]);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation
    }

    /// The principal of a request: public without a token, else the verified token's.
    pub async fn authenticate(&self, bearer: Option<&str>) -> Result<Principal, AuthError> {
        Ok(self.authenticate_until(bearer).await?.0)
    }

    /// The principal, and when its token expires (seconds since the epoch; `None`
    /// without a token): a long-lived connection ends then.
    pub async fn authenticate_until(
        &self,
        bearer: Option<&str>,
    ) -> Result<(Principal, Option<u64>), AuthError> {
        let Some(token) = bearer else {
            return Ok((Principal::public(), None));
        };
        let header =
            jsonwebtoken::decode_header(token).map_err(|e| invalid(format!("header: {e}")))?;
        let (key, algorithm) = match header.alg {
            Algorithm::HS256 => {
                let secret = self
                    .dev_secret
                    .as_ref()
                    .ok_or_else(|| invalid("HS256 token but no development secret configured"))?;
                (DecodingKey::from_secret(secret), Algorithm::HS256)
            }
            alg => {
                let jwks = self
                    .jwks
                    .as_ref()
                    .ok_or_else(|| invalid(format!("{alg:?} token but no JWKS configured")))?;
                let kid = header.kid.as_deref().ok_or_else(|| invalid("no kid"))?;
                let key = jwks
                    .key(kid)
                    .await
                    .ok_or_else(|| invalid(format!("unknown kid {kid}")))?;
                // The key decides the algorithm, never the token.
                if key.algorithm != alg {
                    return Err(invalid(format!(
                        "{alg:?} token for a {:?} key",
                        key.algorithm
                    )));
                }
                (key.decoding.clone(), key.algorithm)
            }
        };
        let data = jsonwebtoken::decode::<Value>(token, &key, &self.validation(algorithm))
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => AuthError::Expired,
                other => invalid(format!("{other:?}")),
            })?;
        let expires = data.claims.get("exp").and_then(Value::as_u64);
        Ok((self.principal(&data.claims)?, expires))
    }

    fn principal(&self, claims: &Value) -> Result<Principal, AuthError> {
        let subject = claims["sub"]
            .as_str()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid("no subject"))?
            .to_owned();
        let role = self.role(claims)?;
        let mut principal = Principal {
            subject: Some(subject),
            role,
            organisations: Vec::new(),
            bassin: None,
        };
        match role {
            Role::Partner => {
                principal.organisations =
                    organisation_ids(claim(claims, &self.config.organisations_claim))?;
                if principal.organisations.is_empty() {
                    return Err(invalid("partner token without organisations"));
                }
            }
            Role::BasinTeam => {
                let bassin = claim(claims, &self.config.bassin_claim)
                    .and_then(Value::as_str)
                    .map(|b| b.trim().trim_start_matches("bassin:").to_owned())
                    .ok_or_else(|| invalid("basin-team token without bassin"))?;
                if !self.bassins.contains(&bassin) {
                    return Err(invalid(format!("unknown bassin {bassin}")));
                }
                principal.bassin = Some(bassin);
            }
            _ => {}
        }
        Ok(principal)
    }

    /// The most privileged passerelle role named by the role claim.
    fn role(&self, claims: &Value) -> Result<Role, AuthError> {
        let names: Vec<&str> = match claim(claims, &self.config.role_claim) {
            Some(Value::String(name)) => vec![name.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        names
            .iter()
            .filter_map(|name| {
                self.config
                    .role_map
                    .get(*name)
                    .and_then(|mapped| Role::parse(mapped))
                    .or_else(|| Role::parse(name))
            })
            .filter(|role| *role != Role::Public)
            .max()
            .ok_or_else(|| invalid("no known role"))
    }

    /// Signs a development token; `None` when no development secret is configured.
    pub fn issue_dev_token(&self, request: &DevTokenRequest) -> Option<String> {
        let secret = self.dev_secret.as_ref()?;
        let now = jsonwebtoken::get_current_timestamp();
        let mut claims = serde_json::Map::new();
        claims.insert("sub".into(), Value::from(request.subject.clone()));
        claims.insert("iss".into(), Value::from(self.config.issuer.clone()));
        claims.insert("aud".into(), Value::from(self.config.audience.clone()));
        claims.insert("iat".into(), Value::from(now));
        claims.insert("nbf".into(), Value::from(now));
        claims.insert("exp".into(), Value::from(now + request.ttl.as_secs()));
        claims.insert(
            self.config.role_claim.clone(),
            Value::from(request.role.as_str()),
        );
        if !request.organisations.is_empty() {
            claims.insert(
                self.config.organisations_claim.clone(),
                Value::from(request.organisations.clone()),
            );
        }
        if let Some(bassin) = &request.bassin {
            claims.insert(
                self.config.bassin_claim.clone(),
                Value::from(bassin.clone()),
            );
        }
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &Value::Object(claims),
            &EncodingKey::from_secret(secret),
        )
        .ok()
    }
}

/// A claim by dotted path (`realm_access.roles`).
fn claim<'a>(claims: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(claims, |value, part| value.get(part))
}

/// Organisation ids as numbers, numeric strings or global ids.
fn organisation_ids(value: Option<&Value>) -> Result<Vec<i32>, AuthError> {
    let items: Vec<&Value> = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single) => vec![single],
    };
    items
        .into_iter()
        .map(|item| {
            let parsed = match item {
                Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
                Value::String(s) => s.trim().parse::<i32>().ok().or_else(|| {
                    GlobalId::parse(s)
                        .ok()
                        .filter(|g| g.kind == Kind::Organisation)
                        .map(|g| g.id)
                }),
                _ => None,
            };
            parsed
                .filter(|n| *n > 0)
                .ok_or_else(|| invalid(format!("bad organisation id {item}")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    fn authenticator() -> Authenticator {
        let config = AuthConfig {
            dev_secret: Some(Secret::new("test-secret-that-is-long-enough")),
            ..AuthConfig::default()
        };
        Authenticator::new(&config, ["nord".to_owned(), "sud".to_owned()].into())
    }

    fn request(role: Role) -> DevTokenRequest {
        DevTokenRequest {
            subject: "alice".to_owned(),
            role,
            organisations: vec![7],
            bassin: Some("nord".to_owned()),
            ttl: Duration::from_secs(60),
        }
    }

    #[tokio::test]
    async fn development_tokens_round_trip_to_principals() {
        let auth = authenticator();
        let token = auth
            .issue_dev_token(&request(Role::BasinTeam))
            .expect("dev secret set");
        let principal = auth.authenticate(Some(&token)).await.expect("valid token");
        assert_eq!(principal.role, Role::BasinTeam);
        assert_eq!(principal.bassin.as_deref(), Some("nord"));
        let token = auth
            .issue_dev_token(&request(Role::Partner))
            .expect("dev secret set");
        let principal = auth.authenticate(Some(&token)).await.expect("valid token");
        assert_eq!(principal.organisations, vec![7]);
    }

    #[tokio::test]
    async fn no_token_is_public_and_garbage_is_invalid() {
        let auth = authenticator();
        assert_eq!(auth.authenticate(None).await, Ok(Principal::public()));
        assert!(matches!(
            auth.authenticate(Some("x.y.z")).await,
            Err(AuthError::Invalid(_))
        ));
    }

    #[tokio::test]
    async fn a_basin_team_token_must_name_a_known_bassin() {
        let auth = authenticator();
        let mut req = request(Role::BasinTeam);
        req.bassin = Some("atlantis".to_owned());
        let token = auth.issue_dev_token(&req).expect("dev secret set");
        assert!(matches!(
            auth.authenticate(Some(&token)).await,
            Err(AuthError::Invalid(_))
        ));
    }

    #[test]
    fn without_a_dev_secret_no_token_is_issued() {
        let auth = Authenticator::new(&AuthConfig::default(), HashSet::new());
        assert!(auth.issue_dev_token(&request(Role::Admin)).is_none());
    }
}

//! HTTP (or file) access to one upstream: timeouts, retries with backoff on 5xx and
//! timeouts (never on 4xx), and a bounded request rate.

use std::time::Duration;

use reqwest::{StatusCode, header::HeaderMap};
use tokio::{sync::Mutex, time::Instant};

use crate::config::SourceConfig;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: {message}")]
    Transport { url: String, message: String },
    #[error("{url}: malformed document: {message}")]
    Malformed { url: String, message: String },
    #[error("{url}: cannot read: {message}")]
    File { url: String, message: String },
    #[error("invalid source configuration: {0}")]
    Config(String),
}

pub struct Fetcher {
    client: reqwest::Client,
    base_url: String,
    headers: HeaderMap,
    retries: u32,
    min_interval: Duration,
    next_slot: Mutex<Instant>,
    backoff: Duration,
}

impl Fetcher {
    pub fn new(source: &SourceConfig) -> Result<Fetcher, FetchError> {
        let mut headers = HeaderMap::new();
        if let Some(header) = &source.auth_header {
            let (name, value) = header.expose().split_once(':').ok_or_else(|| {
                FetchError::Config("auth_header must be 'Name: value'".to_owned())
            })?;
            let name = reqwest::header::HeaderName::from_bytes(name.trim().as_bytes())
                .map_err(|e| FetchError::Config(format!("auth_header name: {e}")))?;
            let mut value = reqwest::header::HeaderValue::from_str(value.trim())
                .map_err(|e| FetchError::Config(format!("auth_header value: {e}")))?;
            value.set_sensitive(true);
            headers.insert(name, value);
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(source.timeout_seconds.max(1)))
            .user_agent(concat!("passerelle/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| FetchError::Config(e.to_string()))?;
        Ok(Fetcher {
            client,
            base_url: source.base_url.trim_end_matches('/').to_owned(),
            headers,
            retries: source.retries,
            min_interval: Duration::from_secs_f64(1.0 / source.max_requests_per_second.max(0.001)),
            next_slot: Mutex::new(Instant::now()),
            backoff: Duration::from_millis(200),
        })
    }

    /// Shorter waits between retries, for tests.
    pub fn with_backoff(mut self, backoff: Duration) -> Fetcher {
        self.backoff = backoff;
        self
    }

    /// Whether the source is a file snapshot rather than an API.
    pub fn is_file(&self) -> bool {
        self.base_url.starts_with("file://")
    }

    /// The whole snapshot of a `file://` source.
    pub async fn read_file(&self) -> Result<String, FetchError> {
        let path = self.base_url.trim_start_matches("file://");
        tokio::fs::read_to_string(path)
            .await
            .map_err(|e| FetchError::File {
                url: self.base_url.clone(),
                message: e.to_string(),
            })
    }

    /// The whole snapshot of a `file://` source, as JSON.
    pub async fn read_json_file(&self) -> Result<serde_json::Value, FetchError> {
        serde_json::from_str(&self.read_file().await?).map_err(|e| FetchError::Malformed {
            url: self.base_url.clone(),
            message: e.to_string(),
        })
    }

    /// Waits for the next request slot of the rate limit.
    async fn pace(&self) {
        let mut next = self.next_slot.lock().await;
        let now = Instant::now();
        if *next > now {
            tokio::time::sleep_until(*next).await;
        }
        *next = Instant::now().max(*next) + self.min_interval;
    }

    /// GET `path` (with query) relative to the base URL, as text.
    pub async fn get_text(&self, path: &str) -> Result<String, FetchError> {
        let url = format!("{}{path}", self.base_url);
        let mut attempt = 0;
        loop {
            self.pace().await;
            let outcome = self
                .client
                .get(&url)
                .headers(self.headers.clone())
                .send()
                .await;
            let retryable = match outcome {
                Ok(response) if response.status().is_success() => {
                    return response.text().await.map_err(|e| FetchError::Transport {
                        url: url.clone(),
                        message: e.to_string(),
                    });
                }
                Ok(response) => {
                    let status = response.status();
                    let error = FetchError::Status {
                        url: url.clone(),
                        status: status.as_u16(),
                    };
                    if !(status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS) {
                        return Err(error);
                    }
                    error
                }
                Err(e) => FetchError::Transport {
                    url: url.clone(),
                    message: if e.is_timeout() {
                        "timed out".to_owned()
                    } else {
                        e.to_string()
                    },
                },
            };
            if attempt >= self.retries {
                return Err(retryable);
            }
            attempt += 1;
            tracing::warn!(%url, attempt, error = %retryable, "retrying upstream request");
            tokio::time::sleep(self.backoff * 2u32.saturating_pow(attempt - 1)).await;
        }
    }

    /// GET `path` as JSON.
    pub async fn get_json(&self, path: &str) -> Result<serde_json::Value, FetchError> {
        let text = self.get_text(path).await?;
        serde_json::from_str(&text).map_err(|e| FetchError::Malformed {
            url: format!("{}{path}", self.base_url),
            message: e.to_string(),
        })
    }
}

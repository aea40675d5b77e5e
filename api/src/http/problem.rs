//! An error answered without running an operation: a malformed request, a refused
//! limit, an unknown persisted query. Every one carries a stable `extensions.code`.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use serde_json::json;

use super::negotiate::MediaType;
use crate::error_code::ErrorCode;

#[derive(Debug)]
pub struct Problem {
    /// Status when the client accepts `application/graphql-response+json`.
    pub status: StatusCode,
    /// Status when it accepts only `application/json`: a GraphQL request error there
    /// is a 200 with `errors`, as the GraphQL-over-HTTP spec says.
    pub legacy_status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl Problem {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Problem {
        Problem {
            status,
            legacy_status: status,
            code,
            message: message.into(),
            headers: Vec::new(),
        }
    }

    /// A request the server cannot read: 400 whatever the client accepts.
    pub fn bad_request(message: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    pub fn bad_request_code(code: ErrorCode, message: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// A well-formed request GraphQL refuses before execution (a document that does
    /// not parse or validate, a limit): 400, or 200 for `application/json` clients.
    pub fn request_error(code: ErrorCode, message: impl Into<String>) -> Problem {
        Problem {
            legacy_status: StatusCode::OK,
            ..Problem::new(StatusCode::BAD_REQUEST, code, message)
        }
    }

    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Problem {
        self.headers.push((name, value));
        self
    }

    pub fn status_for(&self, media: MediaType) -> StatusCode {
        match media {
            MediaType::GraphqlResponseJson => self.status,
            MediaType::Json => self.legacy_status,
        }
    }

    /// The `errors` entry of a response body.
    pub fn error_json(&self) -> serde_json::Value {
        json!({ "message": self.message, "extensions": { "code": self.code.as_str() } })
    }
}

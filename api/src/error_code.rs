//! `ErrorCode`: every stable `extensions.code` the API answers with, HTTP refusals and
//! GraphQL errors alike. Clients match on these strings; `docs/api.md` lists them (a
//! test keeps the two equal).

macro_rules! codes {
    ($($variant:ident => $text:literal,)+) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($variant,)+
        }

        impl ErrorCode {
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $text,)+
                }
            }
        }
    };
}

codes! {
    BadRequest => "BAD_REQUEST",
    BadUserInput => "BAD_USER_INPUT",
    BatchingDisabled => "BATCHING_DISABLED",
    BatchTooLarge => "BATCH_TOO_LARGE",
    Conflict => "CONFLICT",
    ComplexityLimitExceeded => "COMPLEXITY_LIMIT_EXCEEDED",
    CursorExpired => "CURSOR_EXPIRED",
    DepthLimitExceeded => "DEPTH_LIMIT_EXCEEDED",
    Forbidden => "FORBIDDEN",
    GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
    GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
    IdempotencyKeyInUse => "IDEMPOTENCY_KEY_IN_USE",
    IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
    Internal => "INTERNAL",
    IntrospectionDisabled => "INTROSPECTION_DISABLED",
    MethodNotAllowed => "METHOD_NOT_ALLOWED",
    NotAcceptable => "NOT_ACCEPTABLE",
    NotFound => "NOT_FOUND",
    OperationNotTrusted => "OPERATION_NOT_TRUSTED",
    PayloadTooLarge => "PAYLOAD_TOO_LARGE",
    PersistedQueryHashMismatch => "PERSISTED_QUERY_HASH_MISMATCH",
    PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
    PersistedQueryNotSupported => "PERSISTED_QUERY_NOT_SUPPORTED",
    RateLimited => "RATE_LIMITED",
    RequestTimeout => "REQUEST_TIMEOUT",
    ResponseTooLarge => "RESPONSE_TOO_LARGE",
    Timeout => "TIMEOUT",
    TooManyAliases => "TOO_MANY_ALIASES",
    TooManyConnections => "TOO_MANY_CONNECTIONS",
    TooManyDirectives => "TOO_MANY_DIRECTIVES",
    TooManyRootFields => "TOO_MANY_ROOT_FIELDS",
    TooManySubscriptions => "TOO_MANY_SUBSCRIPTIONS",
    Unauthenticated => "UNAUTHENTICATED",
    UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
    ValidationFailed => "VALIDATION_FAILED",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The codes in the first column of `docs/api.md`'s table of error codes.
    fn documented() -> BTreeSet<String> {
        let doc = include_str!("../../docs/api.md");
        let table = doc
            .split_once("| code | when |")
            .map(|(_, rest)| rest)
            .unwrap_or_default();
        table
            .lines()
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .filter_map(|line| line.split('|').nth(1))
            .flat_map(|cell| cell.split('`').skip(1).step_by(2).map(str::to_owned))
            .collect()
    }

    #[test]
    fn the_documented_codes_are_exactly_the_codes_of_the_enum() {
        let ours: BTreeSet<String> = ErrorCode::ALL
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect();

        assert_eq!(documented(), ours);
    }
}

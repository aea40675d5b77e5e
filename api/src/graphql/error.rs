//! The one error type at the GraphQL boundary, with a stable `extensions.code`.

use std::fmt::Display;

use async_graphql::ErrorExtensions;

use crate::error_code::ErrorCode;

/// Client-facing error codes; clients may match on them.
#[derive(Clone, Debug)]
pub enum ApiError {
    /// The client sent an argument that cannot be honoured; `argument` names it.
    BadUserInput { argument: String, message: String },
    /// A token is needed for this.
    Unauthenticated,
    /// The principal may not do or see this.
    Forbidden,
    /// Something went wrong on our side; details are logged, never sent.
    Internal,
    /// The change feed no longer keeps the changes after this cursor; `oldest` is the
    /// cursor to go on from once the directory is read again.
    CursorExpired { oldest: String },
}

impl ApiError {
    pub fn bad_input(argument: impl Into<String>, message: impl Display) -> ApiError {
        ApiError::BadUserInput {
            argument: argument.into(),
            message: message.to_string(),
        }
    }

    /// Logs `cause` with its chain once, here, and hides it from the client.
    pub fn internal(cause: impl Display) -> ApiError {
        tracing::error!(error = %cause, "internal error while resolving a GraphQL field");
        ApiError::Internal
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::BadUserInput { argument, message } => {
                async_graphql::Error::new(format!("invalid argument `{argument}`: {message}"))
                    .extend_with(|_, e| {
                        e.set("code", ErrorCode::BadUserInput.as_str());
                        e.set("argument", argument.as_str());
                    })
            }
            ApiError::Unauthenticated => async_graphql::Error::new("authentication required")
                .extend_with(|_, e| e.set("code", ErrorCode::Unauthenticated.as_str())),
            ApiError::Forbidden => async_graphql::Error::new("forbidden for this role")
                .extend_with(|_, e| e.set("code", ErrorCode::Forbidden.as_str())),
            ApiError::Internal => async_graphql::Error::new("internal error")
                .extend_with(|_, e| e.set("code", ErrorCode::Internal.as_str())),
            ApiError::CursorExpired { oldest } => async_graphql::Error::new(
                "the changes after this cursor are no longer kept: read the directory again, \
                 then follow the changes from `changesCursor`",
            )
            .extend_with(|_, e| {
                e.set("code", ErrorCode::CursorExpired.as_str());
                e.set("argument", "after");
                e.set("oldestCursor", oldest.as_str());
            }),
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        ApiError::internal(error)
    }
}

/// Shorthand for resolver results.
pub type ApiResult<T> = Result<T, ApiError>;

/// Turns a policy decision on a field into a resolver result.
pub fn require(access: crate::auth::FieldAccess) -> ApiResult<()> {
    {
        match access {
            crate::auth::FieldAccess::Allow => Ok(()),
            crate::auth::FieldAccess::Unauthenticated => Err(ApiError::Unauthenticated),
            crate::auth::FieldAccess::Forbidden => Err(ApiError::Forbidden),
        }
    }
}

/// A field the policy may refuse: `null` at its path with the error beside, as GraphQL
/// says. (async-graphql, given the error, would leave the field out of its object, and
/// an object left empty becomes `null`.)
pub fn nullable<T>(ctx: &async_graphql::Context<'_>, result: ApiResult<T>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(error) => {
            let error = async_graphql::Error::from(error).into_server_error(ctx.item.pos);
            ctx.add_error(ctx.set_error_path(error));
            None
        }
    }
}

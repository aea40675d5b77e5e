//! Depth and complexity limits as an async-graphql extension: the validation hook gets
//! the typed depth and complexity of the operation and refuses it with our own code,
//! instead of async-graphql's limit errors, which carry only an English message.

use std::sync::Arc;

use async_graphql::{
    ServerError, ValidationResult,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation},
};

use crate::error_code::ErrorCode;

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_depth: usize,
    pub max_complexity: usize,
}

impl ExtensionFactory for Limits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for Limits {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if result.complexity > self.max_complexity {
            return Err(vec![refusal(
                ErrorCode::ComplexityLimitExceeded,
                format!(
                    "the operation's complexity is {}; at most {} is allowed",
                    result.complexity, self.max_complexity
                ),
            )]);
        }
        if result.depth > self.max_depth {
            return Err(vec![refusal(
                ErrorCode::DepthLimitExceeded,
                format!(
                    "the operation is nested {} levels deep; at most {} are allowed",
                    result.depth, self.max_depth
                ),
            )]);
        }
        Ok(result)
    }
}

fn refusal(code: ErrorCode, message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code.as_str());
    error
}

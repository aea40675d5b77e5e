//! The first answer to a mutation sent with an `Idempotency-Key`, replayed to a retry.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_key")]
pub struct Model {
    /// The token subject: two callers' keys never meet.
    #[sea_orm(primary_key, auto_increment = false)]
    pub actor: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// SHA-256 of the request body: the same key with another body is refused.
    pub request_hash: String,
    /// The response body; `None` while the first request is still running.
    #[sea_orm(column_type = "Text")]
    pub response: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

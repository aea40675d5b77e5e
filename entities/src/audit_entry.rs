//! One write to a listing, kept for good: who, when, from where, and each changed field's
//! value before and after. Nothing in the API deletes an entry.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    /// The token subject, or `sync:<source>` for a sync.
    pub actor: String,
    pub role: String,
    /// `mutation`, `upsert`, `import`, `sync`, `curation`.
    pub origin: String,
    pub organisation_id: Option<i32>,
    /// `service`, `site` or `annotation`.
    pub entity: String,
    pub entity_id: i32,
    /// `created`, `updated`, `deactivated`, `published`, `unpublished`, `annotated`.
    pub action: String,
    /// JSON object: field → `[before, after]`.
    #[sea_orm(column_type = "Text")]
    pub changes: String,
    pub request_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! One listing written by one transaction, in commit order (see the migrations): the
//! read model's followers reload its organisation, the change feed shows it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "change_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub organisation_id: i32,
    pub changed_at: DateTimeUtc,
    /// `service`, `site`, `organisation` or `annotation`.
    pub entity: String,
    /// `None` on rows older than the feed (the organisation alone).
    pub entity_id: Option<i32>,
    /// `created`, `updated`, `deactivated` or `deleted`.
    pub action: String,
    /// The changed fields, space-separated.
    #[sea_orm(column_type = "Text")]
    pub fields: String,
    /// `sync`, `mutation`, `upsert`, `import`, `curation` or `demo`.
    pub origin: String,
    /// A service's visibility before the change: `public`, `published` or `hidden`.
    pub seen_before: Option<String>,
    /// A service's visibility after the change.
    pub seen_after: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! One synchronisation run of one source.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_run")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub source_id: i32,
    pub full: bool,
    pub outcome: crate::vocab::RunOutcome,
    pub started_at: DateTimeUtc,
    pub finished_at: DateTimeUtc,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub deactivated: i32,
    pub rejected: i32,
    #[sea_orm(column_type = "Text")]
    pub error: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub report: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

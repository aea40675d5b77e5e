//! A site fed by an upstream record.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "source_site")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub source_record_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub upstream_key: String,
    pub site_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

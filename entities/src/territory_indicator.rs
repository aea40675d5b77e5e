//! A value of an indicator for one territory and year, imported from an observatory
//! export (`passerelle import indicators`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "territory_indicator")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub territory_id: i32,
    pub indicator: String,
    pub year: i32,
    #[sea_orm(column_type = "Double")]
    pub value: f64,
    pub unit: String,
    #[sea_orm(column_type = "Text")]
    pub source: String,
    pub imported_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

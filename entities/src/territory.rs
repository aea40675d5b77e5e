//! A territory of any level; geometry is GeoJSON text in WGS84.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "territory")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub level: String,
    pub name_fr: String,
    pub name_nl: String,
    pub population: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub geometry: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub extra: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

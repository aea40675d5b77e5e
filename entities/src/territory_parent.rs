//! Many-to-many parent links between territories.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "territory_parent")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub territory_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub parent_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

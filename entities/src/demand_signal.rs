//! A need a helpdesk was asked about, and how it ended (`passerelle::demand`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "demand_signal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub team: String,
    pub author: String,
    #[sea_orm(column_type = "Text")]
    pub categories: String,
    pub territory_id: i32,
    pub languages: String,
    pub asked_on: Date,
    pub outcome: String,
    pub service_id: Option<i32>,
    pub orientation_rank: Option<i32>,
    pub remark: Option<String>,
    pub logged_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

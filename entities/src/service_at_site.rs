//! A service delivered at a site, with its schedule and accessibility.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_at_site")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub service_id: i32,
    pub site_id: i32,
    #[sea_orm(column_type = "Text")]
    pub schedule: String,
    #[sea_orm(column_type = "Text")]
    pub schedule_remark_fr: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub schedule_remark_nl: Option<String>,
    pub wheelchair_accessible: Option<bool>,
    #[sea_orm(column_type = "Text")]
    pub accessibility_note_fr: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub accessibility_note_nl: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::site::Entity",
        from = "Column::SiteId",
        to = "super::site::Column::Id"
    )]
    Site,
}

impl Related<super::site::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Site.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

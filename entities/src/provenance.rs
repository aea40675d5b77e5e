//! Where values came from: source, upstream record and when, one row per entity and
//! record.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "provenance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub entity: String,
    pub entity_id: i32,
    /// The fields this record gave, space-separated (`name description fee`).
    pub fields: String,
    pub source_id: i32,
    pub upstream_id: String,
    pub retrieved_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::source::Entity",
        from = "Column::SourceId",
        to = "super::source::Column::Id"
    )]
    Source,
}

impl Related<super::source::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Source.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

//! A note, verification or helpdesk tip on a service, owned by a professional group.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "annotation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub service_id: i32,
    /// The owning group: `zone:bruzel` or `bassin:<key>`.
    pub group_code: String,
    pub visibility: crate::vocab::Visibility,
    pub kind: crate::vocab::AnnotationKind,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// Token subject of the author.
    pub author: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! A phone, email or web contact of an organisation or service.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_point")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: Option<i32>,
    pub service_id: Option<i32>,
    pub kind: crate::vocab::ContactKind,
    pub value: String,
    pub language: Option<String>,
    /// Reserved to professionals (zone partners, basin teams, the owning partner).
    pub internal: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

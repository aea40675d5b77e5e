//! A legal entity that offers services.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name_fr: Option<String>,
    pub name_nl: Option<String>,
    pub legal_status_fr: Option<String>,
    pub legal_status_nl: Option<String>,
    pub website: Option<String>,
    pub is_demo: bool,
    /// Folded names, for text search (see `domain::normalize_for_search`).
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

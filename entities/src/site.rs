//! A physical place where an organisation receives people.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "site")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub street_fr: Option<String>,
    pub street_nl: Option<String>,
    pub house_number: Option<String>,
    pub postcode: Option<String>,
    pub municipality_fr: Option<String>,
    pub municipality_nl: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Raised by every write: an update naming an older one is refused (`CONFLICT`).
    pub version: i32,
    /// The owning partner's own id for it, unique within the organisation.
    pub external_id: Option<String>,
    /// Fields a partner or curator set, space-separated, that a sync leaves alone.
    #[sea_orm(column_type = "Text")]
    pub pinned: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

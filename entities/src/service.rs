//! What an organisation offers to the public.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub name_fr: Option<String>,
    pub name_nl: Option<String>,
    pub name_en: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub description_fr: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub description_nl: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub description_en: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub target_public_fr: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub target_public_nl: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub target_public_en: Option<String>,
    pub fee: crate::vocab::Fee,
    pub referral_required: bool,
    pub status: crate::vocab::ServiceStatus,
    pub published: bool,
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
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

macro_rules! texts {
    ($value:ident, $field:ident, $($amp:tt)+) => {
        Some(match $field {
            "name_fr" => $($amp)+ $value.name_fr,
            "name_nl" => $($amp)+ $value.name_nl,
            "name_en" => $($amp)+ $value.name_en,
            "description_fr" => $($amp)+ $value.description_fr,
            "description_nl" => $($amp)+ $value.description_nl,
            "description_en" => $($amp)+ $value.description_en,
            "target_public_fr" => $($amp)+ $value.target_public_fr,
            "target_public_nl" => $($amp)+ $value.target_public_nl,
            "target_public_en" => $($amp)+ $value.target_public_en,
            _ => return None,
        })
    };
}

impl Model {
    /// The texts of a service by field name, as priorities, pins, conflicts and the
    /// audit trail name them.
    pub const TEXTS: [&'static str; 9] = [
        "name_fr",
        "name_nl",
        "name_en",
        "description_fr",
        "description_nl",
        "description_en",
        "target_public_fr",
        "target_public_nl",
        "target_public_en",
    ];

    /// A text of [`Model::TEXTS`]; `None` for another name.
    pub fn text(&self, field: &str) -> Option<&Option<String>> {
        texts!(self, field, &)
    }

    /// The same, to write.
    pub fn text_mut(&mut self, field: &str) -> Option<&mut Option<String>> {
        texts!(self, field, &mut)
    }
}

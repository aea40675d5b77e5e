//! The harmonised directory model: reference data (authorities, categories, territories),
//! organisations, sites, services and where every value came from.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables() {
            manager.create_table(table).await?;
        }
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in TABLES_IN_CREATION_ORDER.iter().rev() {
            manager
                .drop_table(
                    Table::drop()
                        .table(Alias::new(*name))
                        .if_exists()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

const TABLES_IN_CREATION_ORDER: &[&str] = &[
    "authority",
    "category",
    "territory",
    "territory_parent",
    "organisation",
    "organisation_identifier",
    "site",
    "site_territory",
    "service",
    "service_category",
    "service_language",
    "service_at_site",
    "accreditation",
    "contact_point",
    "source",
    "provenance",
    "category_mapping",
];

fn fk(from: &str, column: &str, to: &str, cascade: bool) -> ForeignKeyCreateStatement {
    let mut key = ForeignKey::create();
    key.name(format!("fk_{from}_{column}"))
        .from(Alias::new(from), Alias::new(column))
        .to(Alias::new(to), Alias::new("id"));
    if cascade {
        key.on_delete(ForeignKeyAction::Cascade);
    }
    key
}

fn col(name: &str) -> Alias {
    Alias::new(name)
}

fn tables() -> Vec<TableCreateStatement> {
    vec![
        Table::create()
            .table(col("authority"))
            .col(pk_auto(col("id")))
            .col(string_uniq(col("code")))
            .col(string(col("name_fr")))
            .col(string(col("name_nl")))
            .col(string(col("name_en")))
            .col(string(col("level")))
            .to_owned(),
        Table::create()
            .table(col("category"))
            .col(pk_auto(col("id")))
            .col(string_uniq(col("code")))
            .col(integer_null(col("parent_id")))
            .col(string(col("label_fr")))
            .col(string(col("label_nl")))
            .col(string(col("label_en")))
            .col(integer(col("position")))
            .foreign_key(&mut fk("category", "parent_id", "category", false))
            .to_owned(),
        Table::create()
            .table(col("territory"))
            .col(pk_auto(col("id")))
            .col(string_uniq(col("code")))
            .col(string(col("level")))
            .col(string(col("name_fr")))
            .col(string(col("name_nl")))
            .col(big_integer_null(col("population")))
            .col(text_null(col("geometry")))
            .col(text_null(col("extra")))
            .to_owned(),
        Table::create()
            .table(col("territory_parent"))
            .col(integer(col("territory_id")))
            .col(integer(col("parent_id")))
            .primary_key(
                Index::create()
                    .col(col("territory_id"))
                    .col(col("parent_id")),
            )
            .foreign_key(&mut fk(
                "territory_parent",
                "territory_id",
                "territory",
                true,
            ))
            .foreign_key(&mut fk("territory_parent", "parent_id", "territory", true))
            .to_owned(),
        Table::create()
            .table(col("organisation"))
            .col(pk_auto(col("id")))
            .col(string_null(col("name_fr")))
            .col(string_null(col("name_nl")))
            .col(string_null(col("legal_status_fr")))
            .col(string_null(col("legal_status_nl")))
            .col(string_null(col("website")))
            .col(boolean(col("is_demo")).default(false))
            .col(timestamp_with_time_zone(col("created_at")))
            .col(timestamp_with_time_zone(col("updated_at")))
            .to_owned(),
        Table::create()
            .table(col("organisation_identifier"))
            .col(pk_auto(col("id")))
            .col(integer(col("organisation_id")))
            .col(string(col("scheme")))
            .col(string(col("value")))
            .foreign_key(&mut fk(
                "organisation_identifier",
                "organisation_id",
                "organisation",
                true,
            ))
            .to_owned(),
        Table::create()
            .table(col("site"))
            .col(pk_auto(col("id")))
            .col(integer(col("organisation_id")))
            .col(string_null(col("street_fr")))
            .col(string_null(col("street_nl")))
            .col(string_null(col("house_number")))
            .col(string_null(col("postcode")))
            .col(string_null(col("municipality_fr")))
            .col(string_null(col("municipality_nl")))
            .col(double_null(col("lat")))
            .col(double_null(col("lon")))
            .foreign_key(&mut fk("site", "organisation_id", "organisation", true))
            .to_owned(),
        Table::create()
            .table(col("site_territory"))
            .col(integer(col("site_id")))
            .col(integer(col("territory_id")))
            .primary_key(Index::create().col(col("site_id")).col(col("territory_id")))
            .foreign_key(&mut fk("site_territory", "site_id", "site", true))
            .foreign_key(&mut fk("site_territory", "territory_id", "territory", true))
            .to_owned(),
        Table::create()
            .table(col("service"))
            .col(pk_auto(col("id")))
            .col(integer(col("organisation_id")))
            .col(string_null(col("name_fr")))
            .col(string_null(col("name_nl")))
            .col(string_null(col("name_en")))
            .col(text_null(col("description_fr")))
            .col(text_null(col("description_nl")))
            .col(text_null(col("description_en")))
            .col(text_null(col("target_public_fr")))
            .col(text_null(col("target_public_nl")))
            .col(text_null(col("target_public_en")))
            .col(string(col("fee")))
            .col(boolean(col("referral_required")))
            .col(string(col("status")))
            .col(boolean(col("published")))
            .col(text(col("search_text")))
            .col(timestamp_with_time_zone(col("created_at")))
            .col(timestamp_with_time_zone(col("updated_at")))
            .foreign_key(&mut fk("service", "organisation_id", "organisation", true))
            .to_owned(),
        Table::create()
            .table(col("service_category"))
            .col(integer(col("service_id")))
            .col(integer(col("category_id")))
            .primary_key(
                Index::create()
                    .col(col("service_id"))
                    .col(col("category_id")),
            )
            .foreign_key(&mut fk("service_category", "service_id", "service", true))
            .foreign_key(&mut fk("service_category", "category_id", "category", true))
            .to_owned(),
        Table::create()
            .table(col("service_language"))
            .col(integer(col("service_id")))
            .col(string(col("language")))
            .primary_key(Index::create().col(col("service_id")).col(col("language")))
            .foreign_key(&mut fk("service_language", "service_id", "service", true))
            .to_owned(),
        Table::create()
            .table(col("service_at_site"))
            .col(pk_auto(col("id")))
            .col(integer(col("service_id")))
            .col(integer(col("site_id")))
            .col(text(col("schedule")))
            .col(text_null(col("schedule_remark_fr")))
            .col(text_null(col("schedule_remark_nl")))
            .col(boolean_null(col("wheelchair_accessible")))
            .col(text_null(col("accessibility_note_fr")))
            .col(text_null(col("accessibility_note_nl")))
            .foreign_key(&mut fk("service_at_site", "service_id", "service", true))
            .foreign_key(&mut fk("service_at_site", "site_id", "site", true))
            .to_owned(),
        Table::create()
            .table(col("accreditation"))
            .col(pk_auto(col("id")))
            .col(integer(col("service_id")))
            .col(integer(col("authority_id")))
            .col(string(col("kind")))
            .col(text_null(col("legal_basis")))
            .col(date_null(col("valid_from")))
            .col(date_null(col("valid_to")))
            .foreign_key(&mut fk("accreditation", "service_id", "service", true))
            .foreign_key(&mut fk("accreditation", "authority_id", "authority", false))
            .to_owned(),
        Table::create()
            .table(col("contact_point"))
            .col(pk_auto(col("id")))
            .col(integer_null(col("organisation_id")))
            .col(integer_null(col("service_id")))
            .col(string(col("kind")))
            .col(string(col("value")))
            .col(string_null(col("language")))
            .foreign_key(&mut fk(
                "contact_point",
                "organisation_id",
                "organisation",
                true,
            ))
            .foreign_key(&mut fk("contact_point", "service_id", "service", true))
            .to_owned(),
        Table::create()
            .table(col("source"))
            .col(pk_auto(col("id")))
            .col(string_uniq(col("name")))
            .col(string(col("kind")))
            .col(timestamp_with_time_zone(col("created_at")))
            .to_owned(),
        Table::create()
            .table(col("provenance"))
            .col(pk_auto(col("id")))
            .col(string(col("entity")))
            .col(integer(col("entity_id")))
            .col(string(col("field")))
            .col(integer(col("source_id")))
            .col(string(col("upstream_id")))
            .col(timestamp_with_time_zone(col("retrieved_at")))
            .foreign_key(&mut fk("provenance", "source_id", "source", true))
            .to_owned(),
        Table::create()
            .table(col("category_mapping"))
            .col(pk_auto(col("id")))
            .col(string(col("scheme")))
            .col(string(col("source_code")))
            .col(integer(col("category_id")))
            .foreign_key(&mut fk("category_mapping", "category_id", "category", true))
            .to_owned(),
    ]
}

fn index(table: &str, columns: &[&str], unique: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(format!("ix_{table}_{}", columns.join("_")))
        .table(col(table));
    for column in columns {
        index.col(col(column));
    }
    if unique {
        index.unique();
    }
    index.to_owned()
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        index("category", &["parent_id"], false),
        index("territory", &["level"], false),
        index("territory_parent", &["parent_id"], false),
        index("organisation_identifier", &["scheme", "value"], true),
        index("organisation_identifier", &["organisation_id"], false),
        index("site", &["organisation_id"], false),
        index("site", &["lat", "lon"], false),
        index("site_territory", &["territory_id"], false),
        index("service", &["organisation_id"], false),
        index("service", &["published", "status"], false),
        index("service_category", &["category_id"], false),
        index("service_language", &["language"], false),
        index("service_at_site", &["service_id", "site_id"], true),
        index("service_at_site", &["site_id"], false),
        index("accreditation", &["service_id"], false),
        index("accreditation", &["authority_id"], false),
        index("contact_point", &["organisation_id"], false),
        index("contact_point", &["service_id"], false),
        index(
            "provenance",
            &["entity", "entity_id", "field", "source_id"],
            true,
        ),
        index("category_mapping", &["scheme", "source_code"], true),
    ]
}

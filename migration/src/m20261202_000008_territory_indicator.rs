//! Territory indicators ("cold data"): values per territory imported from observatory
//! exports (`passerelle import indicators FILE`), e.g. the population of each Monitoring
//! des Quartiers unit, with their source, year and unit. One value per territory,
//! indicator and year.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let c = Alias::new;
        manager
            .create_table(
                Table::create()
                    .table(c("territory_indicator"))
                    .col(pk_auto(c("id")))
                    .col(integer(c("territory_id")))
                    // A short key: `population`, `poverty_risk_rate`, `age_65_plus_share`.
                    .col(string(c("indicator")))
                    .col(integer(c("year")))
                    .col(double(c("value")))
                    // `inhabitants`, `%`, `EUR`…: one unit per indicator.
                    .col(string(c("unit")))
                    .col(text(c("source")))
                    .col(timestamp_with_time_zone(c("imported_at")))
                    .foreign_key(
                        ForeignKey::create()
                            .from(c("territory_indicator"), c("territory_id"))
                            .to(c("territory"), c("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_territory_indicator")
                    .table(c("territory_indicator"))
                    .col(c("territory_id"))
                    .col(c("indicator"))
                    .col(c("year"))
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new("territory_indicator"))
                    .to_owned(),
            )
            .await
    }
}

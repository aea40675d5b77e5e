//! Helpdesk demand signals ("hot data"): what basin teams and zone partners were asked,
//! and how it ended, never who asked. One row per need logged.

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
                    .table(c("demand_signal"))
                    .col(pk_auto(c("id")))
                    // The team that logged it: `bassin:nord`, `zone:bruzel`.
                    .col(string(c("team")))
                    // The token subject of the worker who logged it.
                    .col(string(c("author")))
                    // Category codes, space-separated.
                    .col(text(c("categories")))
                    .col(integer(c("territory_id")))
                    // ISO 639-1 codes, space-separated; empty when not asked.
                    .col(string(c("languages")).default(""))
                    .col(date(c("asked_on")))
                    // `oriented`, `no_service`, `too_far`, `waiting_list`, `language`, `cost`.
                    .col(string(c("outcome")))
                    .col(integer_null(c("service_id")))
                    // The service's rank in the orientation (`orient`) it came from.
                    .col(integer_null(c("orientation_rank")))
                    // A few lowercase code words; never a name, a number or an address.
                    .col(string_null(c("remark")))
                    .col(timestamp_with_time_zone(c("logged_at")))
                    .foreign_key(
                        ForeignKey::create()
                            .from(c("demand_signal"), c("territory_id"))
                            .to(c("territory"), c("id")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_demand_signal_asked_on")
                    .table(c("demand_signal"))
                    .col(c("asked_on"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("demand_signal")).to_owned())
            .await
    }
}

//! The change log: one row per organisation written, in the transaction that wrote it.
//! Replicas follow it to keep their in-memory read model current; the change feed will
//! read it by sequence.

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
                    .table(c("change_log"))
                    .col(big_pk_auto(c("seq")))
                    // No foreign key: a deleted organisation's change must stay readable.
                    .col(integer(c("organisation_id")))
                    .col(timestamp_with_time_zone(c("changed_at")))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("change_log")).to_owned())
            .await
    }
}

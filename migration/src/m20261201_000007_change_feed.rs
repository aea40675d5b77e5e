//! The change feed: the change log's rows name what changed (one row per listing
//! written, no longer one per organisation), so that integrations read it by sequence.
//! Old rows keep the organisation alone. `change_feed` keeps how far the log was pruned
//! (retention), so that a cursor from before is told it expired.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns added to `change_log`, each nullable or with a default.
fn columns() -> Vec<ColumnDef> {
    let c = Alias::new;
    vec![
        // `service`, `site`, `organisation`, `annotation`.
        string(c("entity")).default("organisation").to_owned(),
        integer_null(c("entity_id")),
        // `created`, `updated`, `deactivated`, `deleted`.
        string(c("action")).default("updated").to_owned(),
        // The changed fields, space-separated (the audit trail's names).
        text(c("fields")).default("").to_owned(),
        // `sync`, `mutation`, `upsert`, `import`, `curation`, `demo`.
        string(c("origin")).default("").to_owned(),
        // A service's visibility before and after: `public` (published and active),
        // `published`, `hidden`; none before a creation, none for other entities.
        string_null(c("seen_before")),
        string_null(c("seen_after")),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let c = Alias::new;
        // SQLite alters one column per statement.
        for column in columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(c("change_log"))
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_change_log_changed_at")
                    .table(c("change_log"))
                    .col(c("changed_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(c("change_feed"))
                    .col(pk_auto(c("id")))
                    // Every sequence up to this one was pruned.
                    .col(big_integer(c("pruned_through")).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let c = Alias::new;
        manager
            .drop_table(Table::drop().table(c("change_feed")).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_change_log_changed_at")
                    .table(c("change_log"))
                    .to_owned(),
            )
            .await?;
        for name in [
            "entity",
            "entity_id",
            "action",
            "fields",
            "origin",
            "seen_before",
            "seen_after",
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(c("change_log"))
                        .drop_column(c(name))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

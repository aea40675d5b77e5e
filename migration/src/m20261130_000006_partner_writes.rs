//! Partner writes: a version on each listing (optimistic concurrency), the partner's own
//! ids for its services and sites (unique within an organisation), the fields a partner
//! has set that a sync keeps (`pinned`), an append-only audit trail, and the
//! idempotency keys of retried mutations.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The listing tables that get a version, an external id and pinned fields.
const LISTINGS: [&str; 2] = ["service", "site"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for table in LISTINGS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(integer(Alias::new("version")).default(1))
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(string_null(Alias::new("external_id")))
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(text(Alias::new("pinned")).default(""))
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name(format!("ux_{table}_organisation_id_external_id"))
                        .table(Alias::new(table))
                        .col(Alias::new("organisation_id"))
                        .col(Alias::new("external_id"))
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("audit_entry"))
                    .col(pk_auto(Alias::new("id")))
                    .col(timestamp_with_time_zone(Alias::new("at")))
                    .col(string(Alias::new("actor")))
                    .col(string(Alias::new("role")))
                    .col(string(Alias::new("origin")))
                    .col(integer_null(Alias::new("organisation_id")))
                    .col(string(Alias::new("entity")))
                    .col(integer(Alias::new("entity_id")))
                    .col(string(Alias::new("action")))
                    .col(text(Alias::new("changes")))
                    .col(string_null(Alias::new("request_id")))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "ix_audit_entry_organisation_id",
                &["organisation_id", "id"][..],
            ),
            (
                "ix_audit_entry_entity_entity_id",
                &["entity", "entity_id", "id"][..],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Alias::new("audit_entry"));
            for column in columns {
                index.col(Alias::new(*column));
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("idempotency_key"))
                    .col(string(Alias::new("actor")))
                    .col(string(Alias::new("key")))
                    .col(string(Alias::new("request_hash")))
                    .col(text_null(Alias::new("response")))
                    .col(timestamp_with_time_zone(Alias::new("created_at")))
                    .col(timestamp_with_time_zone(Alias::new("expires_at")))
                    .primary_key(
                        Index::create()
                            .col(Alias::new("actor"))
                            .col(Alias::new("key")),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["idempotency_key", "audit_entry"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        for table in LISTINGS {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("ux_{table}_organisation_id_external_id"))
                        .table(Alias::new(table))
                        .to_owned(),
                )
                .await?;
            for column in ["pinned", "external_id", "version"] {
                manager
                    .alter_table(
                        Table::alter()
                            .table(Alias::new(table))
                            .drop_column(Alias::new(column))
                            .to_owned(),
                    )
                    .await?;
            }
        }
        Ok(())
    }
}

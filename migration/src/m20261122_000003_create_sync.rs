//! Federation bookkeeping: which upstream record feeds which organisation, service and
//! site, each run of each source, values of organisations per source (merged by
//! priority) and the disagreements between sources.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(from: &str, column: &str, to: &str) -> ForeignKeyCreateStatement {
    let mut key = ForeignKey::create();
    key.name(format!("fk_{from}_{column}"))
        .from(Alias::new(from), Alias::new(column))
        .to(Alias::new(to), Alias::new("id"))
        .on_delete(ForeignKeyAction::Cascade);
    key
}

fn index(table: &str, columns: &[&str], unique: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(format!("ix_{table}_{}", columns.join("_")))
        .table(Alias::new(table));
    for column in columns {
        index.col(Alias::new(*column));
    }
    if unique {
        index.unique();
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let c = Alias::new;
        manager
            .create_table(
                Table::create()
                    .table(c("source_record"))
                    .col(pk_auto(c("id")))
                    .col(integer(c("source_id")))
                    .col(string(c("upstream_id")))
                    .col(integer(c("organisation_id")))
                    .col(string(c("content_hash")))
                    .col(boolean(c("active")))
                    // The organisation-level values this source gives (JSON object).
                    .col(text(c("fields")))
                    // The upstream document as received, to replay mappings later.
                    .col(text(c("raw")))
                    .col(timestamp_with_time_zone(c("updated_at")))
                    .foreign_key(&mut fk("source_record", "source_id", "source"))
                    .foreign_key(&mut fk("source_record", "organisation_id", "organisation"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(c("source_service"))
                    .col(integer(c("source_record_id")))
                    .col(string(c("upstream_id")))
                    .col(integer(c("service_id")))
                    .primary_key(
                        Index::create()
                            .col(c("source_record_id"))
                            .col(c("upstream_id")),
                    )
                    .foreign_key(&mut fk(
                        "source_service",
                        "source_record_id",
                        "source_record",
                    ))
                    .foreign_key(&mut fk("source_service", "service_id", "service"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(c("source_site"))
                    .col(integer(c("source_record_id")))
                    .col(string(c("upstream_key")))
                    .col(integer(c("site_id")))
                    .primary_key(
                        Index::create()
                            .col(c("source_record_id"))
                            .col(c("upstream_key")),
                    )
                    .foreign_key(&mut fk("source_site", "source_record_id", "source_record"))
                    .foreign_key(&mut fk("source_site", "site_id", "site"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(c("sync_run"))
                    .col(pk_auto(c("id")))
                    .col(integer(c("source_id")))
                    .col(boolean(c("full")))
                    .col(string(c("outcome")))
                    .col(timestamp_with_time_zone(c("started_at")))
                    .col(timestamp_with_time_zone(c("finished_at")))
                    .col(integer(c("created")))
                    .col(integer(c("updated")))
                    .col(integer(c("unchanged")))
                    .col(integer(c("deactivated")))
                    .col(integer(c("rejected")))
                    .col(text_null(c("error")))
                    // Rejections with reasons, unknown codes, dropped values (JSON).
                    .col(text(c("report")))
                    .foreign_key(&mut fk("sync_run", "source_id", "source"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(c("conflict"))
                    .col(pk_auto(c("id")))
                    .col(integer(c("organisation_id")))
                    .col(string(c("field")))
                    // {source name: value} of every source that gives one (JSON).
                    .col(text(c("values")))
                    .col(string(c("chosen_source")))
                    .col(timestamp_with_time_zone(c("detected_at")))
                    .foreign_key(&mut fk("conflict", "organisation_id", "organisation"))
                    .to_owned(),
            )
            .await?;
        // Organisation names are searched through their own folded text, so a name
        // chosen anew from another source does not require rewriting its services.
        manager
            .alter_table(
                Table::alter()
                    .table(c("organisation"))
                    .add_column(text(c("search_text")).default(""))
                    .to_owned(),
            )
            .await?;
        for statement in [
            index("source_record", &["source_id", "upstream_id"], true),
            index("source_record", &["organisation_id"], false),
            index("source_service", &["service_id"], false),
            index("source_site", &["site_id"], false),
            index("sync_run", &["source_id", "started_at"], false),
            index("conflict", &["organisation_id", "field"], true),
        ] {
            manager.create_index(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("organisation"))
                    .drop_column(Alias::new("search_text"))
                    .to_owned(),
            )
            .await?;
        for table in [
            "conflict",
            "sync_run",
            "source_site",
            "source_service",
            "source_record",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}

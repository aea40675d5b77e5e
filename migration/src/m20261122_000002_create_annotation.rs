//! Working space of the professional groups: annotations on services (notes,
//! verifications, helpdesk tips), and contact points reserved to professionals.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("annotation"))
                    .col(pk_auto(Alias::new("id")))
                    .col(integer(Alias::new("service_id")))
                    .col(string(Alias::new("group_code")))
                    .col(string(Alias::new("visibility")))
                    .col(string(Alias::new("kind")))
                    .col(text(Alias::new("body")))
                    .col(string(Alias::new("author")))
                    .col(timestamp_with_time_zone(Alias::new("created_at")))
                    .col(timestamp_with_time_zone(Alias::new("updated_at")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_annotation_service_id")
                            .from(Alias::new("annotation"), Alias::new("service_id"))
                            .to(Alias::new("service"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_annotation_service_id")
                    .table(Alias::new("annotation"))
                    .col(Alias::new("service_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("contact_point"))
                    .add_column(boolean(Alias::new("internal")).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("contact_point"))
                    .drop_column(Alias::new("internal"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Alias::new("annotation")).to_owned())
            .await
    }
}

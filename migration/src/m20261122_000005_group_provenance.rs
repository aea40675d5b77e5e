//! Provenance by record rather than by field: one row per entity and upstream record,
//! listing the fields that record gave (`fields`, space-separated). A service comes
//! from one record, so its ten per-field rows said the same thing ten times; a sync
//! run wrote over 100,000 of them. Existing rows are grouped, nothing is lost.

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const OLD_INDEX: &str = "ix_provenance_entity_entity_id_field_source_id";
const NEW_INDEX: &str = "ix_provenance_entity_entity_id_source_id_upstream_id";

/// The fields of a group, in the order they were written.
fn fields_of_group(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => {
            "(SELECT string_agg(q.fields, ' ' ORDER BY q.id) FROM provenance q \
              WHERE q.entity = provenance.entity AND q.entity_id = provenance.entity_id \
                AND q.source_id = provenance.source_id AND q.upstream_id = provenance.upstream_id)"
        }
        _ => {
            "(SELECT group_concat(f, ' ') FROM (SELECT q.fields AS f FROM provenance q \
              WHERE q.entity = provenance.entity AND q.entity_id = provenance.entity_id \
                AND q.source_id = provenance.source_id AND q.upstream_id = provenance.upstream_id \
              ORDER BY q.id))"
        }
    }
}

const FIRST_OF_GROUP: &str = "SELECT MIN(id) FROM provenance \
     GROUP BY entity, entity_id, source_id, upstream_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        manager
            .drop_index(
                Index::drop()
                    .name(OLD_INDEX)
                    .table(Alias::new("provenance"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("provenance"))
                    .rename_column(Alias::new("field"), Alias::new("fields"))
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared(&format!(
            "UPDATE provenance SET fields = {} WHERE id IN ({FIRST_OF_GROUP})",
            fields_of_group(backend)
        ))
        .await?;
        db.execute_unprepared(&format!(
            "DELETE FROM provenance WHERE id NOT IN ({FIRST_OF_GROUP})"
        ))
        .await?;
        manager
            .create_index(
                Index::create()
                    .name(NEW_INDEX)
                    .table(Alias::new("provenance"))
                    .col(Alias::new("entity"))
                    .col(Alias::new("entity_id"))
                    .col(Alias::new("source_id"))
                    .col(Alias::new("upstream_id"))
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Splitting the groups again is possible but nobody needs it: restore a backup.
        Err(DbErr::Migration(
            "grouped provenance cannot be split back into one row per field".to_owned(),
        ))
    }
}

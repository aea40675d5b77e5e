//! Database migrations of passerelle, the same on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_directory;
mod m20261122_000002_create_annotation;
mod m20261122_000003_create_sync;
mod m20261122_000004_create_change_log;
mod m20261122_000005_group_provenance;
mod m20261130_000006_partner_writes;
mod m20261201_000007_change_feed;
mod m20261202_000008_territory_indicator;
mod m20261203_000009_demand_signal;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_directory::Migration),
            Box::new(m20261122_000002_create_annotation::Migration),
            Box::new(m20261122_000003_create_sync::Migration),
            Box::new(m20261122_000004_create_change_log::Migration),
            Box::new(m20261122_000005_group_provenance::Migration),
            Box::new(m20261130_000006_partner_writes::Migration),
            Box::new(m20261201_000007_change_feed::Migration),
            Box::new(m20261202_000008_territory_indicator::Migration),
            Box::new(m20261203_000009_demand_signal::Migration),
        ]
    }
}

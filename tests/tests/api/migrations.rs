//! Migrations that reshape existing data keep it: each is run over rows written in the
//! previous shape.

use migration::{Migrator, MigratorTrait};
use passerelle_tests::{Backend, both_backends, empty_database};
use sea_orm::{ConnectionTrait, Database};

/// Per-field provenance rows become one row per entity and upstream record, listing
/// its fields in the order they were written.
async fn provenance_is_grouped_by_record(backend: Backend) {
    let db = Database::connect(empty_database(backend).await)
        .await
        .unwrap();
    Migrator::up(&db, Some(4)).await.unwrap();
    db.execute_unprepared(
        "INSERT INTO source (id, name, kind, created_at) VALUES (1, 'hsds', 'hsds', '2026-01-01T00:00:00Z'), (2, 'csv', 'csv', '2026-01-01T00:00:00Z');
         INSERT INTO provenance (entity, entity_id, field, source_id, upstream_id, retrieved_at) VALUES
           ('service', 7, 'name', 1, 's7', '2026-01-01T00:00:00Z'),
           ('service', 7, 'fee', 1, 's7', '2026-01-01T00:00:00Z'),
           ('organisation', 7, 'name_fr', 1, 'o7', '2026-01-01T00:00:00Z'),
           ('service', 7, 'status', 1, 's7', '2026-01-01T00:00:00Z'),
           ('organisation', 7, 'name_nl', 2, 'row-3', '2026-01-02T00:00:00Z'),
           ('organisation', 7, 'website', 1, 'o7', '2026-01-01T00:00:00Z')",
    )
    .await
    .unwrap();

    Migrator::up(&db, None).await.unwrap();

    let rows: Vec<(String, i32, i32, String, String)> = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT entity, entity_id, source_id, upstream_id, fields FROM provenance ORDER BY id",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.try_get("", "entity").unwrap(),
                r.try_get("", "entity_id").unwrap(),
                r.try_get("", "source_id").unwrap(),
                r.try_get("", "upstream_id").unwrap(),
                r.try_get("", "fields").unwrap(),
            )
        })
        .collect();
    let row = |e: &str, s: i32, u: &str, f: &str| (e.to_owned(), 7, s, u.to_owned(), f.to_owned());
    assert_eq!(
        rows,
        vec![
            row("service", 1, "s7", "name fee status"),
            row("organisation", 1, "o7", "name_fr website"),
            row("organisation", 2, "row-3", "name_nl"),
        ]
    );
}

both_backends!(provenance_is_grouped_by_record);

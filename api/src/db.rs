//! Database connection: SQLite (embedded default) or PostgreSQL, migrated on start.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, DatabaseBackend, DatabaseConnection};

use crate::config::DatabaseConfig;

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("unsupported database URL: expected sqlite://… or postgres://…")]
    UnsupportedUrl,
    #[error("cannot create the directory of the SQLite database {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sea_orm::DbErr),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[source] sea_orm::DbErr),
}

/// The connection pool plus a count of the SQL statements it has run, which tests use to
/// prove that nested queries are batched and operators can export as a metric.
#[derive(Clone, Debug)]
pub struct Database {
    pub conn: DatabaseConnection,
    statements: Arc<AtomicU64>,
    writes: Arc<AtomicU64>,
    max_connections: u32,
}

impl Database {
    pub async fn connect(config: &DatabaseConfig) -> Result<Database, DbSetupError> {
        let url = config.url.expose();
        if let Some(rest) = url.strip_prefix("sqlite://") {
            let path = rest.split('?').next().unwrap_or_default();
            if let Some(parent) = std::path::Path::new(path).parent()
                && !parent.as_os_str().is_empty()
                && !path.starts_with(':')
            {
                std::fs::create_dir_all(parent).map_err(|source| DbSetupError::CreateDir {
                    path: parent.display().to_string(),
                    source,
                })?;
            }
        } else if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(DbSetupError::UnsupportedUrl);
        }
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .max_connections(config.max_connections.max(1))
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false);
        let mut conn = sea_orm::Database::connect(options)
            .await
            .map_err(DbSetupError::Connect)?;
        let statements = Arc::new(AtomicU64::new(0));
        let writes = Arc::new(AtomicU64::new(0));
        let (counter, write_counter) = (Arc::clone(&statements), Arc::clone(&writes));
        conn.set_metric_callback(move |info| {
            counter.fetch_add(1, Ordering::Relaxed);
            let sql = info.statement.sql.trim_start();
            let verb = sql.get(..6).unwrap_or_default();
            if ["INSERT", "UPDATE", "DELETE"]
                .iter()
                .any(|v| verb.eq_ignore_ascii_case(v))
            {
                write_counter.fetch_add(1, Ordering::Relaxed);
            }
        });
        if conn.get_database_backend() == DatabaseBackend::Sqlite {
            // WAL lets readers proceed while a sync run writes.
            conn.execute_unprepared("PRAGMA journal_mode=WAL")
                .await
                .map_err(DbSetupError::Connect)?;
        }
        Ok(Database {
            conn,
            statements,
            writes,
            max_connections: config.max_connections.max(1),
        })
    }

    pub async fn migrate(&self) -> Result<(), DbSetupError> {
        Migrator::up(&self.conn, None)
            .await
            .map_err(DbSetupError::Migrate)
    }

    /// SQL statements run through this pool since it was opened.
    pub fn statement_count(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// INSERT, UPDATE and DELETE statements run through this pool since it was opened.
    pub fn write_count(&self) -> u64 {
        self.writes.load(Ordering::Relaxed)
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.conn.get_database_backend()
    }

    /// Why the database cannot serve yet: unreachable, or migrations pending.
    pub async fn readiness(&self) -> Result<(), String> {
        self.conn
            .ping()
            .await
            .map_err(|_| "the database does not answer".to_owned())?;
        let pending = Migrator::get_pending_migrations_read_only(&self.conn)
            .await
            .map_err(|_| "cannot read the migration table".to_owned())?;
        if pending.is_empty() {
            Ok(())
        } else {
            Err(format!("{} migration(s) pending", pending.len()))
        }
    }

    /// Connections open and idle in the pool, and its configured size.
    pub fn pool_stats(&self) -> crate::metrics::PoolStats {
        let (size, idle) = match self.backend() {
            DatabaseBackend::Postgres => {
                let pool = self.conn.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
            _ => {
                let pool = self.conn.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
        };
        crate::metrics::PoolStats {
            size,
            idle: u32::try_from(idle).unwrap_or(u32::MAX),
            max: self.max_connections,
        }
    }
}

//! A throw-away PostgreSQL cluster for the test process, started with initdb/postgres
//! from the machine's binaries (as the `postgres` user when running as root, since
//! PostgreSQL refuses to run as root). A watchdog stops it when the test process exits.
//!
//! Set `PASSERELLE_TEST_PG_URL=postgres://user:password@host:port` to use an existing
//! server instead.

#![expect(clippy::unwrap_used, clippy::print_stdout, reason = "test harness")]

use std::{
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, Database};

pub struct PgCluster {
    /// `postgres://user@host:port` without a database name.
    base_url: String,
}

fn find_binary(name: &str) -> PathBuf {
    if let Ok(path) = std::env::var("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path().join("bin").join(name))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    versions.pop().unwrap_or_else(|| {
        panic!("PostgreSQL binary {name} not found: install PostgreSQL (see README) or set PASSERELLE_TEST_PG_URL")
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Runs `program args` as the postgres user when we are root.
fn command(as_postgres: bool, program: &Path) -> Command {
    if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl PgCluster {
    pub fn shared() -> &'static PgCluster {
        static CLUSTER: OnceLock<PgCluster> = OnceLock::new();
        CLUSTER.get_or_init(|| match std::env::var("PASSERELLE_TEST_PG_URL") {
            Ok(url) => PgCluster {
                base_url: url.trim_end_matches('/').to_owned(),
            },
            Err(_) => PgCluster::start(),
        })
    }

    #[expect(
        clippy::zombie_processes,
        reason = "the watchdog outlives the test process on purpose: it stops the server after it"
    )]
    fn start() -> PgCluster {
        let initdb = find_binary("initdb");
        let postgres = find_binary("postgres");
        let as_postgres = is_root();
        let dir = std::env::temp_dir().join(format!("passerelle-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()
                .unwrap();
            assert!(status.success(), "cannot chown {}", dir.display());
        }
        let data = dir.join("data");
        let output = command(as_postgres, &initdb)
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
            ])
            .stdout(Stdio::null())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let port = free_port();
        // The watchdog stops the server once this test process is gone.
        let script = format!(
            "{postgres} -D {data} -p {port} -k {dir} -c listen_addresses=127.0.0.1 \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
             > {dir}/postgres.log 2>&1 & pg=$!; \
             while [ -d /proc/{pid} ] && kill -0 $pg 2>/dev/null; do sleep 1; done; \
             kill -INT $pg 2>/dev/null; wait $pg; rm -rf {dir}",
            postgres = postgres.display(),
            data = data.display(),
            dir = dir.display(),
            pid = std::process::id(),
        );
        command(as_postgres, Path::new("/bin/sh"))
            .arg("-c")
            .arg(script)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "PostgreSQL did not start; see {}/postgres.log",
                dir.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        println!(
            "test PostgreSQL cluster on port {port} in {}",
            dir.display()
        );
        PgCluster {
            base_url: format!("postgres://postgres@127.0.0.1:{port}"),
        }
    }

    pub fn admin_url(&self) -> String {
        self.url_for("postgres")
    }

    pub fn url_for(&self, database: &str) -> String {
        format!("{}/{database}", self.base_url)
    }
}

/// Creates `name`, optionally as a copy of `template`; retried because PostgreSQL refuses
/// to copy a template that another session is still leaving.
pub async fn create_database(admin_url: &str, name: &str, template: Option<&str>) {
    let mut last_error = None;
    for _ in 0..50 {
        let db = Database::connect(admin_url).await.unwrap();
        let _ = db
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\""))
            .await;
        let sql = match template {
            Some(t) => format!("CREATE DATABASE \"{name}\" TEMPLATE \"{t}\""),
            None => format!("CREATE DATABASE \"{name}\""),
        };
        let result = db.execute_unprepared(&sql).await;
        let _ = db.close().await;
        match result {
            Ok(_) => return,
            Err(e) => {
                last_error = Some(e);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    panic!("cannot create database {name}: {last_error:?}");
}

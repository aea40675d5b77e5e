//! The `passerelle` binary run as processes of their own, as an operator runs it: a
//! server (`serve`), a `sync`. Tests of what holds across processes (replicas on one
//! PostgreSQL, a sync beside a server) use these, not a second app in the test process.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    sync::mpsc,
    time::Duration,
};

use crate::DEV_SECRET;

/// The `passerelle` binary cargo built beside this test. `cargo test --workspace` builds
/// it first (the `passerelle` package has integration tests); run alone, this crate's
/// tests need `cargo build -p passerelle`, and say so rather than run a stale binary:
/// one older than a file it was built from (cargo's dep-info, `passerelle.d`).
pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/<test> → target/<profile>/passerelle
    let dir = exe.parent().and_then(Path::parent).unwrap();
    let path = dir.join(format!("passerelle{}", std::env::consts::EXE_SUFFIX));
    let build = "run `cargo build -p passerelle` (`cargo test --workspace` builds it)";
    let built = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| panic!("{} is missing: {build}", path.display()));
    let inputs = std::fs::read_to_string(dir.join("passerelle.d")).unwrap_or_default();
    let newer = inputs
        .split_once(": ")
        .map(|(_, files)| files)
        .unwrap_or_default()
        .replace("\\ ", "\0")
        .split_whitespace()
        .map(|file| PathBuf::from(file.replace('\0', " ")))
        .find(|file| {
            std::fs::metadata(file)
                .and_then(|m| m.modified())
                .is_ok_and(|changed| changed > built)
        });
    if let Some(file) = newer {
        panic!(
            "{} is older than {}: {build}",
            path.display(),
            file.display()
        );
    }
    path
}

/// The environment every process here gets: the database, the tests' development
/// secret (so `TestApp::token`s are accepted), no demo data, no rate limit, warnings
/// only.
fn command(database_url: &str) -> Command {
    let mut command = Command::new(binary());
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("PASSERELLE_AUTH__DEV_SECRET", DEV_SECRET)
        .env("PASSERELLE_DEMO__ENABLED", "false")
        .env("PASSERELLE_LIMITS__RATE_PER_SECOND", "0")
        .env("PASSERELLE_LOG", "info");
    command
}

/// `passerelle serve` in a process of its own, on a port of its choosing; killed when
/// dropped.
pub struct Server {
    pub url: String,
    child: Child,
}

impl Server {
    /// Starts a server on `database_url` and waits until it is ready (`/readyz`).
    pub async fn start(database_url: &str) -> Server {
        let child = command(database_url)
            .arg("serve")
            .env("PASSERELLE_HTTP__ADDR", "127.0.0.1:0")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the passerelle binary starts");
        // The log (on stdout) says where it listens; the rest of it is drained so the
        // server never blocks on a full pipe, and shown when a test fails.
        // Killed and waited for when dropped, a failed start included.
        let mut server = Server {
            url: String::new(),
            child,
        };
        let log = server.child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(log).lines().map_while(Result::ok) {
                if let Some(at) = line.find("http://")
                    && line.contains("serving GraphQL")
                {
                    let url = line[at..].split("/graphql").next().unwrap_or("").to_owned();
                    let _ = tx.send(url);
                } else {
                    eprintln!("[passerelle serve] {line}");
                }
            }
        });
        server.url = tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(60)))
            .await
            .unwrap()
            .unwrap_or_else(|_| {
                let status = server.child.try_wait();
                panic!("the server did not say where it listens within 60 s (exit: {status:?})")
            });
        let client = reqwest::Client::new();
        for _ in 0..300 {
            let ready = client.get(format!("{}/readyz", server.url)).send().await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server at {} never became ready", server.url);
    }

    /// Stops the server (SIGKILL: what survives a crash survives a clean stop).
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `passerelle --config <file> <args>` on `database_url` to its end (killed after
/// two minutes); `config` is the TOML file's text (sources…).
pub async fn run(database_url: &str, config: &str, args: &[&str]) -> Output {
    let file = crate::scratch_dir().join(format!(
        "process-{}-{}.toml",
        std::process::id(),
        crate::COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::write(&file, config).unwrap();
    // Killed when dropped: by the timeout below, or by a failing test.
    let child = tokio::process::Command::from(command(database_url))
        .arg("--config")
        .arg(&file)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the passerelle binary runs");
    let output = tokio::time::timeout(Duration::from_secs(120), child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("passerelle {args:?} did not end within two minutes"))
        .expect("the passerelle binary runs to its end");
    let _ = std::fs::remove_file(file);
    output
}

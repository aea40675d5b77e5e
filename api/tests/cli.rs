//! The command line: readable one-line errors and non-zero exits for mistakes.

use std::process::{Command, Output};

fn passerelle(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_passerelle"));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn token_refuses_without_a_development_secret() {
    let output = passerelle(&["token", "--role", "admin"], &[]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("no development secret configured"),
        "{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn token_prints_a_signed_jwt_for_a_basin_team() {
    let output = passerelle(
        &["token", "--role", "basin_team", "--bassin", "nord"],
        &[("PASSERELLE_AUTH__DEV_SECRET", "cli-test-secret")],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let token = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert_eq!(token.split('.').count(), 3, "{token}");
}

#[test]
fn token_checks_what_the_role_needs() {
    let secret = [("PASSERELLE_AUTH__DEV_SECRET", "cli-test-secret")];
    for (args, message) in [
        (&["token", "--role", "basin_team"][..], "needs --bassin"),
        (
            &["token", "--role", "basin_team", "--bassin", "atlantis"][..],
            "unknown bassin",
        ),
        (&["token", "--role", "partner"][..], "needs --organisation"),
        (
            &["token", "--role", "partner", "--organisation", "abc"][..],
            "not an organisation id",
        ),
    ] {
        let output = passerelle(args, &secret);
        assert!(!output.status.success(), "{args:?}");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn bad_configuration_is_one_readable_line() {
    let output = passerelle(&["migrate"], &[("PASSERELLE_HTTP__ADDR", "not-an-address")]);
    assert!(!output.status.success());
    let text = stderr(&output);
    assert!(
        text.starts_with("passerelle: invalid value for PASSERELLE_HTTP__ADDR"),
        "{text}"
    );
    assert_eq!(text.trim_end().lines().count(), 1, "{text}");
}

#[test]
fn schema_prints_the_sdl() {
    let output = passerelle(&["schema"], &[]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("type Query"));
}

#[test]
fn health_reports_whether_the_server_is_ready() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let addr = format!("127.0.0.1:{port}");
    let down = passerelle(&["health"], &[("PASSERELLE_HTTP__ADDR", &addr)]);
    assert!(!down.status.success());
    assert!(
        stderr(&down).starts_with(&format!("passerelle: http://{addr}/readyz")),
        "{}",
        stderr(&down)
    );

    let dir = std::env::temp_dir().join(format!("passerelle-cli-health-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let url = format!("sqlite://{}/h.db?mode=rwc", dir.display());
    let mut server = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .arg("serve")
        .env_clear()
        .env("PASSERELLE_HTTP__ADDR", &addr)
        .env("PASSERELLE_DEMO__ENABLED", "false")
        .env("DATABASE_URL", &url)
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut ready = false;
    for _ in 0..150 {
        if passerelle(&["health"], &[("PASSERELLE_HTTP__ADDR", &addr)])
            .status
            .success()
        {
            ready = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(ready, "the server never reported ready");
}

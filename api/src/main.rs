//! The `passerelle` command: config → telemetry → App::build → run.

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use passerelle::{
    App, AppState,
    config::{Config, Profile},
};

#[derive(Parser)]
#[command(
    name = "passerelle",
    version,
    about = "One GraphQL map of the social and health services of Brussels"
)]
struct Cli {
    /// TOML configuration file (settings: docs/configuration.md).
    #[arg(long, global = true, env = "PASSERELLE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, seed and serve the GraphQL API (the default).
    Serve,
    /// Migrate the database and seed reference data (and demo data when enabled), then exit.
    Migrate,
    /// Print the GraphQL schema (SDL).
    Schema,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("passerelle: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Schema = command {
        #[expect(clippy::print_stdout, reason = "the schema is the command's output")]
        {
            print!("{}", passerelle::graphql::sdl());
        }
        return Ok(());
    }
    let config = Config::load(cli.config.as_deref()).map_err(|e| e.to_string())?;
    init_tracing(config.profile);
    let state = AppState::prepare(config).await.map_err(|e| e.to_string())?;
    match command {
        Command::Migrate => {
            tracing::info!("database migrated and seeded");
            Ok(())
        }
        Command::Serve | Command::Schema => {
            let app = App::build(state).await.map_err(|e| e.to_string())?;
            let addr = app.local_addr().map_err(|e| e.to_string())?;
            tracing::info!(%addr, "serving GraphQL on http://{addr}/graphql");
            app.run_until(shutdown_signal())
                .await
                .map_err(|e| format!("server error: {e}"))
        }
    }
}

fn init_tracing(profile: Profile) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PASSERELLE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match profile {
        Profile::Production => builder.json().init(),
        Profile::Development => builder.init(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

//! End-to-end tests over HTTP against the real application, on SQLite and PostgreSQL.

#![expect(clippy::unwrap_used, reason = "tests")]

mod bad_input;
mod labels;
mod pagination;
mod schema_file;
mod search;
mod statements;
mod territories;

//! End-to-end tests over HTTP against the real application, on SQLite and PostgreSQL.

#![expect(clippy::unwrap_used, reason = "tests")]

mod architecture;
mod auth;
mod bad_input;
mod coverage;
mod curation;
mod demand;
mod demo_map;
mod federation;
mod feed;
mod geojson;
mod graphiql;
mod hours;
mod hsds;
mod http_spec;
mod indicators;
mod labels;
mod limits;
mod migrations;
mod operations;
mod orientation;
mod pagination;
mod ranking;
mod read_model;
mod response_cache;
mod roles;
mod schema_file;
mod search;
mod statements;
mod subscriptions;
mod sync_feeds;
mod sync_hsds;
mod sync_sources;
mod territories;
mod web;
mod writes;

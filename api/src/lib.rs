//! passerelle: one GraphQL map of the social and health services of Brussels.
//!
//! See ARCHITECTURE.md for the code map.

pub mod app;
pub mod auth;
pub mod config;
pub mod coverage;
pub mod db;
pub mod demand;
pub mod demo;
pub mod domain;
pub mod error_code;
pub mod feed;
pub mod geo;
pub mod geojson;
pub mod graphql;
pub mod hsds;
pub mod http;
pub mod indicators;
pub mod listing;
pub mod metrics;
pub mod orientation;
pub mod read_model;
pub mod reference;
pub mod search;
pub mod sources;
pub mod startup;
pub mod state;
pub mod store;
pub mod sync;
pub mod write;

pub use app::App;
pub use state::AppState;

//! SeaORM entities of passerelle's harmonised model.
//!
//! This crate knows nothing of GraphQL or HTTP: API types live in `passerelle::graphql::types`
//! and are built from these models.

pub mod accreditation;
pub mod annotation;
pub mod audit_entry;
pub mod authority;
pub mod category;
pub mod category_mapping;
pub mod change_feed;
pub mod change_log;
pub mod conflict;
pub mod contact_point;
pub mod demand_signal;
pub mod idempotency_key;
pub mod organisation;
pub mod organisation_identifier;
pub mod provenance;
pub mod service;
pub mod service_at_site;
pub mod service_category;
pub mod service_language;
pub mod site;
pub mod site_territory;
pub mod source;
pub mod source_record;
pub mod source_service;
pub mod source_site;
pub mod sync_run;
pub mod territory;
pub mod territory_indicator;
pub mod territory_parent;
pub mod vocab;

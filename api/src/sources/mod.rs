//! Connectors to the upstream directories: each reads one upstream format (over HTTP or
//! from a `file://` snapshot) and yields harmonised records for the sync engine.

pub mod fetch;

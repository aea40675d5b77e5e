//! GraphQL object types, built from entity models (entities never derive GraphQL).

mod connection;
mod coverage;
mod filter;
mod instant;
mod node;
mod organisation;
mod orientation;
mod reference;
mod service;

pub use connection::{
    OrganisationConnection, OrganisationEdge, PageInfo, ServiceConnection, ServiceEdge,
};
pub use coverage::{
    BasicOfferItem, CategoryCoverage, Coverage, CoverageFilter, report as coverage_report,
};
pub use filter::{
    MAX_LIST_ITEMS, NearInput, OrganisationFilter, ServiceFilter, ServiceOrder, language_codes,
    page_size, search_text, service_order, territory_id as filter_territory_id,
};
pub use instant::Instant;
pub use node::Node;
pub use organisation::{Identifier, Organisation, Site};
pub use orientation::{
    MAX_PROPOSALS, Orientation, OrientationNeed, proposals as orientation_proposals,
};
pub use reference::{Authority, Category, Indicator, Territory};
pub use service::{
    Accreditation, Annotation, AnnotationKind, ContactPoint, Fee, GeoPoint, Opening, Provenance,
    Service, ServiceSite, ServiceStatus,
};

//! The Relay `Node` interface: any object by its global id.

use async_graphql::{ID, Interface};

use super::{Authority, Category, Organisation, Service, Site, Territory};

#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    Service(Service),
    Organisation(Organisation),
    Site(Site),
    Territory(Territory),
    Category(Category),
    Authority(Authority),
}

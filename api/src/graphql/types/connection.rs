//! Relay connections.

use async_graphql::{Context, Object, SimpleObject};

use crate::{
    auth::ServiceScope,
    graphql::{ApiResult, snapshot},
    search::{Cursor, ServiceQuery},
};

use super::{Organisation, Service};

/// Relay page information (forward pagination).
#[derive(SimpleObject, Clone)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

pub struct ServiceEdge {
    pub cursor: Cursor,
    pub node: Service,
}

#[Object]
impl ServiceEdge {
    async fn cursor(&self) -> String {
        self.cursor.encode()
    }

    async fn node(&self) -> &Service {
        &self.node
    }
}

pub struct ServiceConnection {
    pub query: ServiceQuery,
    /// What the principal may see; the count respects it like the list does.
    pub scope: ServiceScope,
    pub edges: Vec<ServiceEdge>,
    pub page_info: PageInfo,
}

/// A page of services.
#[Object]
impl ServiceConnection {
    /// Number of services matching the filter, over all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> ApiResult<u64> {
        Ok(self.query.count(&*snapshot(ctx)?, &self.scope))
    }

    async fn edges(&self) -> &[ServiceEdge] {
        &self.edges
    }

    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }
}

#[derive(SimpleObject)]
pub struct OrganisationEdge {
    pub cursor: String,
    pub node: Organisation,
}

/// A page of organisations.
#[derive(SimpleObject)]
pub struct OrganisationConnection {
    pub total_count: u64,
    pub edges: Vec<OrganisationEdge>,
    pub page_info: PageInfo,
}

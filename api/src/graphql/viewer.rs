//! `viewer`: who the request acts as, so that a client (the web page among them) can
//! show a role's view without reading the token's claims itself (their names are
//! configurable, `auth.role_claim` and the others).

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, SimpleObject};

use crate::{
    domain::Lang,
    graphql::{ApiResult, ids, lang, principal, state, types::Territory},
};

// `remote`: the compiler keeps its variants those of `auth::Role`.
/// The role a request acts as.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "ViewerRole", remote = "crate::auth::Role")]
pub enum ViewerRole {
    /// No token.
    Public,
    Partner,
    ZonePartner,
    BasinTeam,
    Admin,
}

/// The caller as its token says (the public without one).
#[derive(SimpleObject)]
pub struct Viewer {
    pub role: ViewerRole,
    /// A basin team's bassin.
    pub bassin: Option<Territory>,
    /// A partner's organisations (global ids, for `organisation(id:)`).
    pub organisations: Vec<ID>,
    /// The professional group whose annotations the caller writes: `zone:bruzel` or
    /// `bassin:<key>`; `null` for other roles.
    pub group: Option<String>,
}

#[derive(Default)]
pub struct ViewerRoot;

#[Object]
impl ViewerRoot {
    /// Who this request acts as: its role, a basin team's bassin, a partner's
    /// organisations.
    async fn viewer(&self, ctx: &Context<'_>, lang: Option<Lang>) -> ApiResult<Viewer> {
        let principal = principal(ctx)?;
        let reference = Arc::clone(&state(ctx)?.reference);
        let lang = self::lang(ctx, lang);
        let bassin = principal
            .bassin
            .as_deref()
            .and_then(|key| reference.territory_by_code(&format!("bassin:{key}")))
            .map(|t| t.id);
        Ok(Viewer {
            role: principal.role.into(),
            bassin: bassin.map(|id| Territory {
                reference,
                id,
                lang,
            }),
            organisations: principal
                .organisations
                .iter()
                .map(|id| ids::encode(ids::Kind::Organisation, *id))
                .collect(),
            group: principal.group().map(|g| g.code()),
        })
    }
}

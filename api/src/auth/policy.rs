//! The one authorization policy. Every read path (lists and their counts, `service`,
//! `node`, nested fields) and every write asks it; the rules are the table in
//! `docs/roles.md`, which the tests check this code against.

use crate::domain::{Seen, Visibility};
use entities::{annotation, service};

use super::principal::{Group, Principal, Role};

/// Which services a principal may see at all; the read path applies it to every row it
/// lists, counts or returns (`ServiceScope::admits`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServiceScope {
    /// Published and active only.
    PublishedActive,
    /// Published and active, plus every listing of these organisations.
    PublishedActiveOrOwn(Vec<i32>),
    /// Published, whatever their status.
    Published,
    /// Everything, unpublished included.
    All,
}

impl ServiceScope {
    /// Whether a service row falls within the scope.
    pub fn admits(&self, service: &service::Model) -> bool {
        self.admits_seen(
            Seen::of(service.published, service.status),
            service.organisation_id,
        )
    }

    /// Whether a service of `organisation_id` that is `seen` so falls within the scope
    /// (the change feed decides on a service as it was when it changed).
    pub fn admits_seen(&self, seen: Seen, organisation_id: i32) -> bool {
        match self {
            ServiceScope::PublishedActive => seen == Seen::Public,
            ServiceScope::PublishedActiveOrOwn(own) => {
                seen == Seen::Public || own.contains(&organisation_id)
            }
            ServiceScope::Published => seen != Seen::Hidden,
            ServiceScope::All => true,
        }
    }

    /// Whether an organisation, or a site of it, falls within the scope: it is seen
    /// through the services it offers (at that site), so when one of `services` is
    /// admitted; a partner sees its own organisations and their sites regardless.
    pub fn admits_holder<'a>(
        &self,
        organisation_id: i32,
        mut services: impl Iterator<Item = &'a service::Model>,
    ) -> bool {
        match self {
            ServiceScope::All => true,
            ServiceScope::PublishedActiveOrOwn(own) if own.contains(&organisation_id) => true,
            _ => services.any(|service| self.admits(service)),
        }
    }
}

/// The audit entries a principal reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditScope {
    /// Every entry.
    All,
    /// Those of these organisations' listings, annotations left out: they are the
    /// professional groups', never a partner's to read.
    Organisations(Vec<i32>),
}

impl AuditScope {
    /// Whether the scope reaches an organisation's entries at all.
    pub fn covers(&self, organisation_id: i32) -> bool {
        match self {
            AuditScope::All => true,
            AuditScope::Organisations(own) => own.contains(&organisation_id),
        }
    }

    /// Whether an entry about `organisation_id` with `action` falls within the scope.
    pub fn admits(&self, organisation_id: Option<i32>, action: &str) -> bool {
        match self {
            AuditScope::All => true,
            AuditScope::Organisations(_) => {
                action != "annotated" && organisation_id.is_some_and(|id| self.covers(id))
            }
        }
    }
}

/// The outcome of reading a protected field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldAccess {
    Allow,
    /// Anonymous: a token is required.
    Unauthenticated,
    /// Authenticated, but this role may not.
    Forbidden,
}

/// Something a principal may want to change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Change a listing (organisation, its services, sites).
    EditListing,
    /// Add a note or a helpdesk tip on a service.
    Annotate,
    /// Record that a listing was checked.
    Verify,
    /// Curate a listing's harmonised data (categories, publication review).
    Curate,
    /// Configure and run sources, see conflicts and the audit trail.
    ManageSources,
}

/// What the policy needs to know about a service to decide a write.
#[derive(Clone, Debug, Default)]
pub struct ServiceFacts {
    pub organisation_id: i32,
    /// Keys of the bassins its sites lie in.
    pub bassins: Vec<String>,
}

impl Principal {
    pub fn service_scope(&self) -> ServiceScope {
        match self.role {
            Role::Public => ServiceScope::PublishedActive,
            Role::Partner => ServiceScope::PublishedActiveOrOwn(self.organisations.clone()),
            Role::ZonePartner | Role::BasinTeam => ServiceScope::Published,
            Role::Admin => ServiceScope::All,
        }
    }

    /// A team's own demand signals, to log and to read in full: zone partners and basin
    /// teams, for their group.
    pub fn own_demand(&self) -> FieldAccess {
        match self.role {
            Role::Public => FieldAccess::Unauthenticated,
            Role::ZonePartner | Role::BasinTeam if self.group().is_some() => FieldAccess::Allow,
            _ => FieldAccess::Forbidden,
        }
    }

    /// Summaries of every team's demand signals, small counts suppressed (k-anonymity):
    /// zone partners, basin teams and administrators (councils are given such a token).
    pub fn demand_summaries(&self) -> FieldAccess {
        match self.role {
            Role::Public => FieldAccess::Unauthenticated,
            Role::Partner => FieldAccess::Forbidden,
            Role::ZonePartner | Role::BasinTeam | Role::Admin => FieldAccess::Allow,
        }
    }

    /// Internal fields (professional contacts, provenance) of an organisation's data.
    pub fn internal_fields(&self, organisation_id: i32) -> FieldAccess {
        match self.role {
            Role::Public => FieldAccess::Unauthenticated,
            Role::Partner if self.owns(organisation_id) => FieldAccess::Allow,
            Role::Partner => FieldAccess::Forbidden,
            Role::ZonePartner | Role::BasinTeam | Role::Admin => FieldAccess::Allow,
        }
    }

    /// Sources, sync runs and conflicts between sources.
    pub fn administration(&self) -> FieldAccess {
        match self.role {
            Role::Public => FieldAccess::Unauthenticated,
            Role::Admin => FieldAccess::Allow,
            _ => FieldAccess::Forbidden,
        }
    }

    /// Which part of the audit trail the principal reads.
    pub fn audit_scope(&self) -> Result<AuditScope, FieldAccess> {
        match self.role {
            Role::Admin => Ok(AuditScope::All),
            Role::Partner => Ok(AuditScope::Organisations(self.organisations.clone())),
            Role::Public => Err(FieldAccess::Unauthenticated),
            Role::ZonePartner | Role::BasinTeam => Err(FieldAccess::Forbidden),
        }
    }

    /// The annotations field as a whole.
    pub fn annotations_field(&self) -> FieldAccess {
        match self.role {
            Role::Public => FieldAccess::Unauthenticated,
            Role::Partner => FieldAccess::Forbidden,
            Role::ZonePartner | Role::BasinTeam | Role::Admin => FieldAccess::Allow,
        }
    }

    /// One annotation: a group sees its own; shared ones are seen by every group;
    /// private ones by their group only (and administrators).
    pub fn can_see_annotation(&self, annotation: &annotation::Model) -> bool {
        if self.role == Role::Admin {
            return true;
        }
        let Some(group) = self.group() else {
            return false;
        };
        annotation.visibility == Visibility::Shared
            || Group::parse(&annotation.group_code).as_ref() == Some(&group)
    }

    /// Whether the principal may do `action` on a service with these facts.
    pub fn can(&self, action: Action, target: &ServiceFacts) -> bool {
        let in_own_bassin = self
            .bassin
            .as_ref()
            .is_some_and(|b| target.bassins.iter().any(|t| t == b));
        match (self.role, action) {
            (Role::Admin, _) => true,
            (Role::Partner, Action::EditListing) => self.owns(target.organisation_id),
            (Role::ZonePartner, Action::Annotate | Action::Verify) => true,
            (Role::BasinTeam, Action::Annotate | Action::Verify | Action::Curate) => in_own_bassin,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basin(key: &str) -> Principal {
        Principal {
            subject: Some("t".to_owned()),
            role: Role::BasinTeam,
            organisations: Vec::new(),
            bassin: Some(key.to_owned()),
        }
    }

    #[test]
    fn a_partner_reads_its_organisations_audit_entries_but_no_annotation() {
        let partner = Principal {
            subject: Some("p".to_owned()),
            role: Role::Partner,
            organisations: vec![7],
            bassin: None,
        };
        let scope = partner.audit_scope().expect("a partner reads some");
        assert!(scope.admits(Some(7), "updated"));
        assert!(!scope.admits(Some(7), "annotated"));
        assert!(!scope.admits(Some(8), "updated"));
        assert_eq!(basin("nord").audit_scope(), Err(FieldAccess::Forbidden));
        assert_eq!(
            Principal::public().audit_scope(),
            Err(FieldAccess::Unauthenticated)
        );
    }

    #[test]
    fn a_basin_team_acts_only_inside_its_bassin() {
        let inside = ServiceFacts {
            organisation_id: 1,
            bassins: vec!["nord".to_owned()],
        };
        let outside = ServiceFacts {
            organisation_id: 1,
            bassins: vec!["sud".to_owned()],
        };
        assert!(basin("nord").can(Action::Annotate, &inside));
        assert!(!basin("nord").can(Action::Annotate, &outside));
        assert!(!basin("nord").can(Action::EditListing, &inside));
    }
}

//! Who is asking: a role, and the organisations or bassin it acts for.

use std::fmt;

/// The five roles of the service map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// No token.
    Public,
    /// A partner organisation, acting for its own organisations.
    Partner,
    /// A Dutch-speaking first-line zone partner (BruZEL), region-wide.
    ZonePartner,
    /// A bicommunal basin team, scoped to one bassin.
    BasinTeam,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Public,
        Role::Partner,
        Role::ZonePartner,
        Role::BasinTeam,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Public => "public",
            Role::Partner => "partner",
            Role::ZonePartner => "zone_partner",
            Role::BasinTeam => "basin_team",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text.trim())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A professional group owning annotations: the BruZEL zone, or one basin team.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    Zone,
    Basin(String),
}

impl Group {
    /// The territory code naming the group: `zone:bruzel` or `bassin:<key>`.
    pub fn code(&self) -> String {
        match self {
            Group::Zone => "zone:bruzel".to_owned(),
            Group::Basin(key) => format!("bassin:{key}"),
        }
    }

    pub fn parse(code: &str) -> Option<Group> {
        match code.split_once(':') {
            Some(("zone", "bruzel")) => Some(Group::Zone),
            Some(("bassin", key)) if !key.is_empty() => Some(Group::Basin(key.to_owned())),
            _ => None,
        }
    }
}

/// The identity a request acts as, after its token (if any) was verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The token subject; `None` for the public.
    pub subject: Option<String>,
    pub role: Role,
    /// Organisation ids a partner acts for.
    pub organisations: Vec<i32>,
    /// The bassin key of a basin team (`nord`, `sud-est`…).
    pub bassin: Option<String>,
}

impl Principal {
    pub fn public() -> Principal {
        Principal {
            subject: None,
            role: Role::Public,
            organisations: Vec::new(),
            bassin: None,
        }
    }

    /// The professional group the principal belongs to, if any.
    pub fn group(&self) -> Option<Group> {
        match (self.role, &self.bassin) {
            (Role::ZonePartner, _) => Some(Group::Zone),
            (Role::BasinTeam, Some(bassin)) => Some(Group::Basin(bassin.clone())),
            _ => None,
        }
    }

    pub fn owns(&self, organisation_id: i32) -> bool {
        self.role == Role::Partner && self.organisations.contains(&organisation_id)
    }
}

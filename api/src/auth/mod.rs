//! Authentication (bearer JWTs) and authorization (one policy for every path).
//!
//! `token` verifies tokens (HS256 with the development secret, RS256/ES256 with keys
//! from a JWKS URL) and maps their claims to a `Principal`; `policy` decides what a
//! principal may see and change. No resolver decides visibility on its own.

pub mod jwks;
pub mod policy;
pub mod principal;
pub mod token;

pub use policy::{Action, AuditScope, FieldAccess, ServiceFacts, ServiceScope};
pub use principal::{Group, Principal, Role};
pub use token::{AuthError, Authenticator, DevTokenRequest};

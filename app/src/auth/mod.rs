//! Who is signed in, as which member of which tenant: sign-in, sessions, passwords.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod sign_ins;
#[cfg(feature = "ssr")]
pub mod steps;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod throttle;

use serde::{Deserialize, Serialize};

use crate::tenancy::Role;

/// Where a person is signed in: one browser's session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    pub id: String,
    /// "Firefox on Windows".
    pub device: String,
    pub ip: Option<String>,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The session this list was asked from.
    pub current: bool,
}

/// The signed-in user acting in their current tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Member {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub tenant_id: String,
    pub tenant_slug: String,
    pub tenant_name: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub role: Role,
    /// When the member proved the email address is theirs; None until then.
    pub email_verified_at: Option<i64>,
}

impl Member {
    /// This member, if their role allows `needed`.
    pub fn require(self, needed: crate::tenancy::Role) -> Result<Member, crate::error::AppError> {
        if self.role.allows(needed) {
            Ok(self)
        } else {
            Err(crate::error::AppError::Forbidden)
        }
    }

    /// How others see this member: the name, or the email when no name was given.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            &self.email
        } else {
            &self.name
        }
    }
}

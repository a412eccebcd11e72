//! Tenants (the businesses we serve), their theme, and the roles of their members.

pub mod api;
#[cfg(feature = "ssr")]
pub mod store;
mod theme;

pub use theme::{contrast_ratio, ColorMode, Font, HexColor, Radius, Theme};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub id: String,
    pub slug: String,
    pub name: String,
    /// The built-in tenant whose site is the platform's marketing site.
    pub is_platform: bool,
    pub theme: Theme,
}

/// A member's role in one tenant, from most to least powerful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Viewer,
    Editor,
    Admin,
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
            Role::Owner => "owner",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        match value {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            "owner" => Some(Role::Owner),
            _ => None,
        }
    }

    /// Whether this role may do what `needed` allows.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

/// A tenant's subdomain: lowercase letters, digits and inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantSlug(String);

impl TenantSlug {
    pub fn parse(value: &str) -> Result<TenantSlug, String> {
        let ok = (2..=40).contains(&value.len())
            && value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !value.starts_with('-')
            && !value.ends_with('-');
        if ok {
            Ok(TenantSlug(value.to_string()))
        } else {
            Err(format!(
                "{value:?} cannot be a site address; use 2-40 lowercase letters, digits or hyphens."
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Owner.allows(Role::Editor));
        assert!(Role::Editor.allows(Role::Editor));
        assert!(!Role::Viewer.allows(Role::Editor));
    }

    #[test]
    fn tenant_slugs() {
        assert!(TenantSlug::parse("acme").is_ok());
        assert!(TenantSlug::parse("-acme").is_err());
        assert!(TenantSlug::parse("Acme").is_err());
        assert!(TenantSlug::parse("a.b").is_err());
    }
}

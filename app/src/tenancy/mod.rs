//! Tenants (the businesses we serve), their theme, and the roles of their members.

pub mod address;
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
mod theme;

pub use theme::{contrast_ratio, ColorMode, Font, HexColor, Radius, Theme};

use crate::cms::Link;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub id: String,
    pub slug: String,
    pub name: String,
    /// The built-in tenant whose site is the platform's marketing site.
    pub is_platform: bool,
    pub theme: Theme,
    pub settings: SiteSettings,
    /// The host of a verified custom domain (`www.example.com` when www is preferred):
    /// the site's canonical address wherever else it is served.
    #[serde(default)]
    pub custom_domain: Option<String>,
}

/// The parts of a site around its pages: navigation and footer. Every field is
/// required when saved, so a request that leaves one out is refused rather than
/// clearing it; stored settings from before a field existed are read with its default
/// (`server::db::stored_json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettings {
    pub navigation: Vec<Link>,
    pub footer_text: String,
    pub footer_links: Vec<Link>,
    /// Unpublished versions kept per document (published ones are always kept).
    pub versions_kept: u32,
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            navigation: Vec::new(),
            footer_text: String::new(),
            footer_links: Vec::new(),
            versions_kept: 50,
        }
    }
}

/// Fewest and most unpublished versions a site may keep per document.
pub const VERSIONS_KEPT_RANGE: std::ops::RangeInclusive<u32> = 5..=500;

pub const MAX_NAV_LINKS: usize = 8;
pub const MAX_NAV_LABEL_CHARS: usize = 40;
pub const MAX_FOOTER_TEXT_CHARS: usize = 500;

impl SiteSettings {
    /// Every problem, as sentences for the editor; empty when the settings can be saved.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !VERSIONS_KEPT_RANGE.contains(&self.versions_kept) {
            problems.push(format!(
                "Keep between {} and {} unpublished versions of each document.",
                VERSIONS_KEPT_RANGE.start(),
                VERSIONS_KEPT_RANGE.end()
            ));
        }
        for (area, links) in [
            ("navigation", &self.navigation),
            ("footer", &self.footer_links),
        ] {
            if links.len() > MAX_NAV_LINKS {
                problems.push(format!(
                    "The {area} can have at most {MAX_NAV_LINKS} links."
                ));
            }
            for (n, link) in links.iter().enumerate() {
                let label = link.label.trim();
                if label.is_empty() || label.chars().count() > MAX_NAV_LABEL_CHARS {
                    problems.push(format!(
                        "Link {} in the {area} needs a label of 1 to {MAX_NAV_LABEL_CHARS} characters.",
                        n + 1
                    ));
                }
                if !crate::cms::is_safe_url(&link.href, true) {
                    problems.push(format!(
                        "Link {} in the {area} must go to a web address (https://...) or a path on your site (/...).",
                        n + 1
                    ));
                }
            }
        }
        if self.footer_text.chars().count() > MAX_FOOTER_TEXT_CHARS {
            problems.push(format!(
                "The footer text is longer than {MAX_FOOTER_TEXT_CHARS} characters."
            ));
        }
        problems
    }
}

/// A business a person belongs to, with their role in it (the header's switcher).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Business {
    pub slug: String,
    pub name: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub role: Role,
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

/// A role as stored (`memberships.role`).
impl TryFrom<String> for Role {
    type Error = String;
    fn try_from(value: String) -> Result<Role, String> {
        Role::parse(&value).ok_or_else(|| format!("there is no role called {value:?}"))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Owner.allows(Role::Editor));
        assert!(Role::Editor.allows(Role::Editor));
        assert!(!Role::Viewer.allows(Role::Editor));
    }
}

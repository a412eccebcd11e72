//! Tenants (the businesses we serve), their theme, and the roles of their members.

#[cfg(feature = "ssr")]
pub mod store;

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

/// How a tenant's site looks; every value is validated when parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    pub primary_color: HexColor,
    pub font: Font,
    /// Short text shown as the logo when no logo image is set.
    pub logo_text: String,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            primary_color: HexColor::parse("#4f46e5").expect("valid default colour"),
            font: Font::Sans,
            logo_text: String::new(),
        }
    }
}

impl Theme {
    /// The CSS custom properties that the site stylesheet reads.
    pub fn css_variables(&self) -> String {
        format!(
            ":root{{--color-primary:{};--font-body:{};}}",
            self.primary_color.as_str(),
            self.font.css_stack()
        )
    }
}

/// A `#rrggbb` colour. Holding one means it is valid (safe to put in CSS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HexColor(String);

impl HexColor {
    pub fn parse(value: &str) -> Result<HexColor, String> {
        let value = value.trim();
        let digits = value.strip_prefix('#').unwrap_or("");
        if digits.len() == 6 && digits.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(HexColor(format!("#{}", digits.to_ascii_lowercase())))
        } else {
            Err(format!(
                "{value:?} is not a colour; use the form #1a2b3c (six hex digits)."
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for HexColor {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        HexColor::parse(&value)
    }
}

impl From<HexColor> for String {
    fn from(value: HexColor) -> Self {
        value.0
    }
}

/// Fonts come from a fixed list so a theme can never inject CSS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Font {
    Sans,
    Serif,
    Mono,
    Rounded,
}

impl Font {
    pub fn css_stack(self) -> &'static str {
        match self {
            Font::Sans => {
                "ui-sans-serif, system-ui, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
            }
            Font::Serif => "Georgia, Cambria, 'Times New Roman', Times, serif",
            Font::Mono => "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
            Font::Rounded => "ui-rounded, 'SF Pro Rounded', 'Nunito', system-ui, sans-serif",
        }
    }
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
    fn hex_colors_are_parsed_strictly() {
        assert_eq!(HexColor::parse("#A1B2C3").unwrap().as_str(), "#a1b2c3");
        for bad in [
            "red",
            "#12345",
            "#1234567",
            "#12345g",
            "123456",
            "#123;}body{",
        ] {
            assert!(HexColor::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn theme_json_with_bad_colour_is_refused() {
        let json = r##"{"primary_color":"url(x)","font":"sans","logo_text":"A"}"##;
        assert!(serde_json::from_str::<Theme>(json).is_err());
        let json = r##"{"primary_color":"#000000","font":"comic","logo_text":"A"}"##;
        assert!(serde_json::from_str::<Theme>(json).is_err());
    }

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

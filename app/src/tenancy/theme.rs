//! How a tenant's site looks. Every value is a validated type, so a theme can be put
//! into CSS as it is; contrast problems are reported, not refused.

use serde::{Deserialize, Serialize};

use crate::cms::is_safe_url;

/// Every field but the optional ones is required when saved (a missing one is refused,
/// not reset); stored themes from before a field existed read with its default
/// (`server::db::stored_json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    pub primary_color: HexColor,
    pub secondary_color: HexColor,
    pub accent_color: HexColor,
    pub background_color: HexColor,
    pub text_color: HexColor,
    pub body_font: Font,
    /// None: headings use the body font.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading_font: Option<Font>,
    pub radius: Radius,
    pub mode: ColorMode,
    /// Short text shown as the logo when no logo image is set.
    pub logo_text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub favicon_url: Option<String>,
}

mod defaults {
    use super::HexColor;

    fn colour(hex: &str) -> HexColor {
        HexColor::parse(hex).expect("valid default colour")
    }
    pub fn primary() -> HexColor {
        colour("#4f46e5")
    }
    pub fn secondary() -> HexColor {
        colour("#0f172a")
    }
    pub fn accent() -> HexColor {
        colour("#f59e0b")
    }
    pub fn background() -> HexColor {
        colour("#ffffff")
    }
    pub fn text() -> HexColor {
        colour("#0f172a")
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            primary_color: defaults::primary(),
            secondary_color: defaults::secondary(),
            accent_color: defaults::accent(),
            background_color: defaults::background(),
            text_color: defaults::text(),
            body_font: Font::Sans,
            heading_font: None,
            radius: Radius::default(),
            mode: ColorMode::default(),
            logo_text: String::new(),
            logo_url: None,
            favicon_url: None,
        }
    }
}

/// WCAG AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;
pub const MAX_LOGO_TEXT_CHARS: usize = 60;

impl Theme {
    /// The CSS custom properties that the site stylesheet reads.
    pub fn css_variables(&self) -> String {
        format!(
            ":root{{--color-primary:{};--color-secondary:{};--color-accent:{};--color-bg:{};--color-text:{};\
             --font-body:{};--font-heading:{};--radius:{};color-scheme:{};}}",
            self.primary_color.as_str(),
            self.secondary_color.as_str(),
            self.accent_color.as_str(),
            self.background_color.as_str(),
            self.text_color.as_str(),
            self.body_font.css_stack(),
            self.heading_font.unwrap_or(self.body_font).css_stack(),
            self.radius.css(),
            self.mode.as_str(),
        )
    }

    /// Mistakes that make the theme unusable; the theme is refused with these.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.logo_text.chars().count() > MAX_LOGO_TEXT_CHARS {
            problems.push(format!(
                "The logo text is longer than {MAX_LOGO_TEXT_CHARS} characters."
            ));
        }
        for (what, url) in [("logo", &self.logo_url), ("favicon", &self.favicon_url)] {
            if url.as_deref().is_some_and(|u| !is_safe_url(u, false)) {
                problems.push(format!(
                    "The {what} must be a web address (https://...) or a path on your site (/...)."
                ));
            }
        }
        problems
    }

    /// Colour pairs visitors would struggle to read (below WCAG AA, 4.5:1), as
    /// sentences for the editor. The theme is still saved: it is the tenant's call.
    pub fn contrast_warnings(&self) -> Vec<String> {
        let white = HexColor::parse("#ffffff").expect("valid colour");
        [
            ("Text", &self.text_color, "the background", &self.background_color),
            ("White text", &white, "the primary colour (buttons, hero)", &self.primary_color),
            ("The primary colour (links)", &self.primary_color, "the background", &self.background_color),
        ]
        .into_iter()
        .filter_map(|(fg_name, fg, bg_name, bg)| {
            let ratio = contrast_ratio(fg, bg);
            (ratio < MIN_CONTRAST).then(|| {
                format!("{fg_name} on {bg_name} has a contrast of {ratio:.1}:1; at least {MIN_CONTRAST}:1 is needed to be easy to read.")
            })
        })
        .collect()
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

    fn channels(&self) -> [f64; 3] {
        let byte = |i: usize| u8::from_str_radix(&self.0[i..i + 2], 16).unwrap_or(0) as f64 / 255.0;
        [byte(1), byte(3), byte(5)]
    }

    /// WCAG relative luminance.
    fn luminance(&self) -> f64 {
        let linear = |c: f64| {
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.channels();
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }
}

/// WCAG contrast ratio of two colours, from 1 (none) to 21 (black on white).
pub fn contrast_ratio(a: &HexColor, b: &HexColor) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
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

/// Fonts come from a fixed list so a theme can never inject CSS. All but `System` are
/// self-hosted under `/fonts/` (no third-party requests from visitors' browsers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Font {
    /// Inter.
    Sans,
    /// Merriweather.
    Serif,
    /// JetBrains Mono.
    Mono,
    /// Nunito.
    Rounded,
    /// The visitor's own system font: nothing to download.
    System,
}

impl Font {
    pub fn css_stack(self) -> &'static str {
        match self {
            Font::Sans => "'Inter', ui-sans-serif, system-ui, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
            Font::Serif => "'Merriweather', Georgia, Cambria, 'Times New Roman', Times, serif",
            Font::Mono => "'JetBrains Mono', ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
            Font::Rounded => "'Nunito', ui-rounded, system-ui, sans-serif",
            Font::System => "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Radius {
    None,
    Small,
    #[default]
    Medium,
    Large,
    Full,
}

impl Radius {
    pub fn css(self) -> &'static str {
        match self {
            Radius::None => "0",
            Radius::Small => "0.25rem",
            Radius::Medium => "0.5rem",
            Radius::Large => "1rem",
            Radius::Full => "9999px",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ColorMode {
    #[default]
    Light,
    Dark,
}

impl ColorMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ColorMode::Light => "light",
            ColorMode::Dark => "dark",
        }
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
    fn theme_json_with_bad_values_is_refused() {
        let mut theme = serde_json::to_value(Theme::default()).unwrap();
        theme["primary_color"] = "url(x)".into();
        assert!(serde_json::from_value::<Theme>(theme.clone()).is_err());
        theme["primary_color"] = "#000000".into();
        theme["body_font"] = "comic".into();
        assert!(serde_json::from_value::<Theme>(theme).is_err());
    }

    #[test]
    fn a_theme_sent_without_a_field_is_refused_but_older_stored_ones_read() {
        let mut theme = serde_json::to_value(Theme::default()).unwrap();
        theme.as_object_mut().unwrap().remove("background_color");
        let refused = serde_json::from_value::<Theme>(theme).unwrap_err();
        assert!(
            refused.to_string().contains("background_color"),
            "{refused}"
        );

        #[cfg(feature = "ssr")]
        {
            let json = r##"{"primary_color":"#e11d48","font":"serif","logo_text":"ACME"}"##;
            let theme = crate::tenancy::store::stored_theme(json).unwrap();
            assert_eq!(theme.body_font, Font::Serif);
            assert_eq!(theme.background_color.as_str(), "#ffffff");
            assert_eq!(theme.logo_text, "ACME");
        }
    }

    #[test]
    fn contrast_follows_wcag() {
        let black = HexColor::parse("#000000").unwrap();
        let white = HexColor::parse("#ffffff").unwrap();
        assert!((contrast_ratio(&black, &white) - 21.0).abs() < 0.01);
        let grey = HexColor::parse("#777777").unwrap();
        assert!((contrast_ratio(&grey, &white) - 4.48).abs() < 0.01);
    }

    #[test]
    fn low_contrast_is_reported_per_pair() {
        let theme = Theme {
            primary_color: HexColor::parse("#ffff00").unwrap(),
            text_color: HexColor::parse("#eeeeee").unwrap(),
            ..Theme::default()
        };
        let warnings = theme.contrast_warnings();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].starts_with("Text on the background has a contrast of 1.2:1"));
        assert!(Theme::default().contrast_warnings().is_empty());
    }

    #[test]
    fn unsafe_logo_urls_are_problems() {
        let theme = Theme {
            logo_url: Some("javascript:alert(1)".into()),
            ..Theme::default()
        };
        assert_eq!(theme.problems().len(), 1);
    }
}

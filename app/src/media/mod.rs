//! The media library: images uploaded once, kept untouched, and served in several widths
//! (WebP variants made by a background job) for `srcset` on the sites.

pub mod api;
#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
pub mod picker;
#[cfg(feature = "ssr")]
pub mod sizes;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// The job that makes an uploaded image's WebP sizes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MakeSizes {
    pub media_id: String,
}

/// Largest file accepted.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// Widths of the WebP variants, for images wider than each.
pub const VARIANT_WIDTHS: [u32; 4] = [320, 640, 1024, 1600];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaFile {
    pub id: String,
    /// The name it was uploaded with (shown to editors only).
    pub filename: String,
    pub content_type: String,
    pub bytes: i64,
    pub width: i64,
    pub height: i64,
    /// What the image shows, for people who cannot see it.
    pub alt: String,
    /// Widths of the WebP variants made so far.
    pub variants: Vec<u32>,
    pub created_at: i64,
}

impl MediaFile {
    /// Whether smaller sizes are still to come: an image no wider than the smallest size
    /// is served as it is and gets none.
    pub fn sizes_pending(&self) -> bool {
        self.variants.is_empty() && self.width > i64::from(VARIANT_WIDTHS[0])
    }

    /// What the library says about the sizes made for phones and tablets.
    pub fn sizes_label(&self) -> String {
        if self.sizes_pending() {
            "Sizes: being made…".to_string()
        } else if self.variants.is_empty() {
            "Small already: served as uploaded.".to_string()
        } else {
            let widths: Vec<String> = self.variants.iter().map(|w| format!("{w}px")).collect();
            format!("Sizes: {}", widths.join(", "))
        }
    }

    pub fn extension(&self) -> &'static str {
        match self.content_type.as_str() {
            "image/png" => "png",
            "image/webp" => "webp",
            "image/gif" => "gif",
            _ => "jpg",
        }
    }

    /// Where the original is served, on every host.
    pub fn url(&self) -> String {
        format!("/media/{}/original.{}", self.id, self.extension())
    }

    pub fn variant_url(id: &str, width: u32) -> String {
        format!("/media/{id}/w{width}.webp")
    }

    /// Whether a search (already lower-cased) finds this file by its name or alt text.
    pub fn matches(&self, needle: &str) -> bool {
        needle.is_empty()
            || self.filename.to_lowercase().contains(needle)
            || self.alt.to_lowercase().contains(needle)
    }

    /// The smallest picture that still looks sharp as a thumbnail.
    pub fn thumbnail_url(&self) -> String {
        match self.variants.iter().min() {
            Some(width) => Self::variant_url(&self.id, *width),
            None => self.url(),
        }
    }

    /// `srcset` of the variants, with the original as the widest.
    pub fn srcset(&self) -> String {
        let mut set: Vec<String> = self
            .variants
            .iter()
            .map(|w| format!("{} {w}w", Self::variant_url(&self.id, *w)))
            .collect();
        set.push(format!("{} {}w", self.url(), self.width));
        set.join(", ")
    }
}

/// Where a file is used: a document that links to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub collection: crate::cms::Collection,
    pub title: String,
    pub path: String,
}

/// The media id in a `/media/{id}/...` URL.
pub fn media_id_of(url: &str) -> Option<&str> {
    let rest = url.trim().strip_prefix("/media/")?;
    let (id, _) = rest.split_once('/')?;
    (!id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srcset_lists_variants_then_the_original() {
        let file = MediaFile {
            id: "abc".into(),
            filename: "a.png".into(),
            content_type: "image/png".into(),
            bytes: 1,
            width: 2000,
            height: 1000,
            alt: String::new(),
            variants: vec![320, 640],
            created_at: 0,
        };
        assert_eq!(
            file.srcset(),
            "/media/abc/w320.webp 320w, /media/abc/w640.webp 640w, /media/abc/original.png 2000w"
        );
        assert_eq!(media_id_of("/media/abc/original.png"), Some("abc"));
        assert_eq!(media_id_of("https://x.test/media/abc/original.png"), None);
        assert_eq!(media_id_of("/media/../etc/passwd"), None);
    }
}

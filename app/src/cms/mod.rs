//! The built-in CMS: pages made of typed blocks, blog posts and products, each edited
//! as a draft and then published.

pub mod api;
pub mod audit;
mod blocks;
pub mod content;
mod editor;
#[cfg(feature = "ssr")]
pub mod editors;
pub mod pages;
pub mod posts;
pub mod presence;
pub mod products;
#[cfg(feature = "ssr")]
pub mod scheduled;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// A scheduled publish's job: publish the draft as it is when the time comes, in the
/// name of whoever scheduled it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduledPublish {
    pub collection: Collection,
    pub id: String,
    #[serde(default)]
    pub user_id: String,
    #[serde(default)]
    pub user_name: String,
}

pub use blocks::{
    is_safe_url, is_site_path, Block, FaqItem, Feature, FieldKind, FormField, Image, Link,
    Testimonial,
};
pub(crate) use content::with_content;
pub use content::{
    clip, slugify, AuditEntry, AuditSubject, Collection, Content, Document, Published, Status,
    VersionSummary,
};
pub use editor::forms::SiteSettingsForm;
pub use posts::PostContent;
pub use products::{Money, ProductContent};

pub type Page = Document<PageContent>;
pub type Post = Document<PostContent>;
pub type Product = Document<ProductContent>;

/// What a page says: the same type is edited in the CMS, validated by the server,
/// stored as JSON and drawn by the site renderer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PageContent {
    pub title: String,
    pub meta_description: String,
    pub blocks: Vec<Block>,
}

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_META_DESCRIPTION_CHARS: usize = 320;
pub const MAX_TEXT_CHARS: usize = 100_000;
/// A block's short fields (headings, names, labels).
pub const MAX_SHORT_CHARS: usize = 200;
/// A block's longer fields (a feature's text, a quote, an answer).
pub const MAX_PARAGRAPH_CHARS: usize = 2_000;
/// Items in one block (features, testimonials, questions, images).
pub const MAX_ITEMS: usize = 24;
pub const MAX_BLOCKS: usize = 200;

/// First path segments that belong to the site itself, not to pages.
const RESERVED_PAGE_ROOTS: &[&str] = &[
    "blog",
    "products",
    "_form",
    "pkg",
    "fonts",
    "api",
    "sitemap.xml",
    "robots.txt",
    "favicon.ico",
];
/// Deepest nesting of a page path (`services/web/design`).
const MAX_PAGE_DEPTH: usize = 5;

impl Content for PageContent {
    const COLLECTION: Collection = Collection::Page;

    fn path(slug: &str) -> String {
        format!("/{slug}")
    }

    /// "" is the home page; nested paths such as `services/design` are allowed.
    fn slug_problem(slug: &str) -> Option<String> {
        if slug.is_empty() {
            return None;
        }
        let segments: Vec<&str> = slug.split('/').collect();
        if segments.len() > MAX_PAGE_DEPTH {
            return Some(format!(
                "A page address can have at most {MAX_PAGE_DEPTH} parts."
            ));
        }
        if RESERVED_PAGE_ROOTS.contains(&segments[0]) {
            return Some(format!(
                "/{} is used by the site itself; choose another address.",
                segments[0]
            ));
        }
        segments.into_iter().find_map(content::segment_problem)
    }

    fn title(&self) -> &str {
        &self.title
    }

    fn titled(title: String) -> Self {
        PageContent {
            title,
            ..PageContent::default()
        }
    }

    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.title.trim().is_empty() {
            problems.push("The title is empty.".to_string());
        }
        if self.title.chars().count() > MAX_TITLE_CHARS {
            problems.push(format!(
                "The title is longer than {MAX_TITLE_CHARS} characters."
            ));
        }
        if self.meta_description.chars().count() > MAX_META_DESCRIPTION_CHARS {
            problems.push(format!(
                "The meta description is longer than {MAX_META_DESCRIPTION_CHARS} characters."
            ));
        }
        if self.blocks.len() > MAX_BLOCKS {
            problems.push(format!("A page can have at most {MAX_BLOCKS} blocks."));
        }
        for (n, block) in self.blocks.iter().enumerate() {
            for problem in block.problems() {
                problems.push(format!(
                    "Block {} ({}): {problem}",
                    n + 1,
                    block.kind_label()
                ));
            }
        }
        problems
    }

    fn missing_for_visitors(&self) -> Vec<String> {
        if self.blocks.is_empty() {
            vec!["The page has no blocks yet: add at least one, such as a text.".to_string()]
        } else {
            Vec::new()
        }
    }

    /// A block this version cannot read (unknown type, bad fields) is skipped and logged,
    /// so one bad block never takes a whole page down.
    fn from_stored(json: &str) -> Result<Self, String> {
        // Every block readable (the usual case, and a site's cache miss): read straight.
        if let Ok(content) = serde_json::from_str(json) {
            return Ok(content);
        }
        let mut value: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let stored_blocks = value
            .get_mut("blocks")
            .map(|blocks| std::mem::replace(blocks, serde_json::Value::Array(Vec::new())))
            .unwrap_or_default();
        let mut content: PageContent = serde_json::from_value(value).map_err(|e| e.to_string())?;
        let serde_json::Value::Array(stored_blocks) = stored_blocks else {
            return Ok(content);
        };
        // Each block is moved into its type, not copied (this runs at every cache miss).
        content.blocks = stored_blocks
            .into_iter()
            .enumerate()
            .filter_map(|(index, block)| {
                let kind = block
                    .get("type")
                    .map(ToString::to_string)
                    .unwrap_or_default();
                match serde_json::from_value(block) {
                    Ok(block) => Some(block),
                    Err(err) => {
                        #[cfg(feature = "ssr")]
                        tracing::warn!(
                            error = &err as &dyn std::error::Error,
                            index,
                            kind,
                            "skipping a block that cannot be read"
                        );
                        let _ = (err, index, kind);
                        None
                    }
                }
            })
            .collect();
        Ok(content)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_tagged_json() {
        let json = r#"[{"type":"hero","heading":"Hi","subheading":"there"},{"type":"text","markdown":"*x*"}]"#;
        let blocks: Vec<Block> = serde_json::from_str(json).unwrap();
        assert_eq!(blocks.len(), 2);
        assert!(serde_json::from_str::<Block>(r#"{"type":"video"}"#).is_err());
    }

    #[test]
    fn a_stored_page_keeps_the_blocks_this_version_can_read() {
        let text = |markdown: &str| Block::Text {
            markdown: markdown.into(),
        };
        let complete = r#"{"title":"T","meta_description":"","blocks":[
            {"type":"text","markdown":"one"},{"type":"text","markdown":"two"}]}"#;
        let page = PageContent::from_stored(complete).unwrap();
        assert_eq!(page.blocks, [text("one"), text("two")]);

        let with_unreadable = r#"{"title":"T","meta_description":"","blocks":[
            {"type":"text","markdown":"one"},{"type":"video","url":"x"},
            {"type":"text","markdown":7},{"type":"text","markdown":"two"}]}"#;
        let page = PageContent::from_stored(with_unreadable).unwrap();
        assert_eq!(page.title, "T");
        assert_eq!(page.blocks, [text("one"), text("two")]);
        assert!(PageContent::from_stored(r#"{"title":5}"#).is_err());
    }

    #[test]
    fn problems_lists_each_issue() {
        let content = PageContent {
            title: " ".into(),
            meta_description: "x".repeat(400),
            blocks: vec![Block::Text {
                markdown: "y".repeat(MAX_TEXT_CHARS + 1),
            }],
        };
        assert_eq!(content.problems().len(), 3);
    }
}

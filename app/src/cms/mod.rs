//! The built-in CMS: pages made of typed blocks, edited as drafts and then published.

pub mod api;
mod blocks;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

pub use blocks::{
    is_safe_url, Block, FaqItem, Feature, FieldKind, FormField, Image, Link, Testimonial,
};

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

impl PageContent {
    /// Every problem at once, so an editor can fix them in one go.
    pub fn problems(&self) -> Vec<String> {
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageStatus {
    /// Never published: the site does not show it.
    Draft,
    Published,
    /// Published, and the draft has changes the site does not show yet.
    Changed,
}

impl PageStatus {
    pub fn label(self) -> &'static str {
        match self {
            PageStatus::Draft => "Draft",
            PageStatus::Published => "Published",
            PageStatus::Changed => "Unpublished changes",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub id: String,
    /// The path on the site without the leading slash; "" is the home page.
    pub slug: String,
    pub draft: PageContent,
    pub published: Option<PageContent>,
    pub updated_at: i64,
    pub published_at: Option<i64>,
}

impl Page {
    pub fn status(&self) -> PageStatus {
        match &self.published {
            None => PageStatus::Draft,
            Some(published) if *published == self.draft => PageStatus::Published,
            Some(_) => PageStatus::Changed,
        }
    }

    pub fn path(&self) -> String {
        format!("/{}", self.slug)
    }
}

/// What the live site shows at one path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedPage {
    pub slug: String,
    pub content: PageContent,
    /// Unix milliseconds of the last publish.
    pub published_at: i64,
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

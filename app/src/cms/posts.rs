//! Blog posts: markdown with an excerpt, a cover image, tags and an author.

use serde::{Deserialize, Serialize};

use super::blocks::Problems;
use super::content::{segment_problem, slugify, Collection, Content};
use super::{Image, MAX_META_DESCRIPTION_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS};

pub const MAX_TAGS: usize = 10;
const MAX_TAG_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PostContent {
    pub title: String,
    /// Shown in lists and used as the meta description.
    #[serde(default)]
    pub excerpt: String,
    /// Markdown.
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover_image: Option<Image>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub author: String,
}

impl PostContent {
    /// Each tag with the address of its list: `("Rust tips", "rust-tips")`.
    pub fn tag_slugs(&self) -> Vec<(&str, String)> {
        let mut seen = Vec::<(&str, String)>::new();
        for tag in &self.tags {
            let slug = slugify(tag);
            if !slug.is_empty() && !seen.iter().any(|(_, s)| *s == slug) {
                seen.push((tag.trim(), slug));
            }
        }
        seen
    }
}

impl Content for PostContent {
    const COLLECTION: Collection = Collection::Post;

    fn path(slug: &str) -> String {
        format!("/blog/{slug}")
    }

    fn slug_problem(slug: &str) -> Option<String> {
        match slug {
            // These read as the blog's own lists.
            "page" | "tag" | "feed.xml" => Some(format!("\"{slug}\" is reserved on the blog.")),
            _ => segment_problem(slug),
        }
    }

    fn tag_index(&self) -> Vec<String> {
        self.tag_slugs().into_iter().map(|(_, slug)| slug).collect()
    }

    fn title(&self) -> &str {
        &self.title
    }

    fn titled(title: String) -> Self {
        PostContent {
            title,
            ..PostContent::default()
        }
    }

    fn missing_for_visitors(&self) -> Vec<String> {
        if self.body.trim().is_empty() {
            vec!["The post has no text yet: write its body first.".to_string()]
        } else {
            Vec::new()
        }
    }

    fn problems(&self) -> Vec<String> {
        let mut p = Problems::default();
        p.required("The title", &self.title);
        p.limit("The title", &self.title, MAX_TITLE_CHARS);
        p.limit("The excerpt", &self.excerpt, MAX_META_DESCRIPTION_CHARS);
        p.limit("The text", &self.body, MAX_TEXT_CHARS);
        p.short("The author", &self.author);
        if let Some(cover) = &self.cover_image {
            p.image("The cover image", cover);
        }
        if self.tags.len() > MAX_TAGS {
            p.0.push(format!("A post can have at most {MAX_TAGS} tags."));
        }
        for tag in &self.tags {
            p.limit(&format!("The tag \"{tag}\""), tag, MAX_TAG_CHARS);
            if slugify(tag).is_empty() {
                p.0.push(format!(
                    "The tag \"{tag}\" needs at least one letter or digit."
                ));
            }
        }
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_have_addresses_and_duplicates_collapse() {
        let post = PostContent {
            tags: vec!["Rust tips".into(), "rust  TIPS".into(), "News".into()],
            ..PostContent::default()
        };
        assert_eq!(
            post.tag_slugs(),
            vec![
                ("Rust tips", "rust-tips".to_string()),
                ("News", "news".into())
            ]
        );
    }

    #[test]
    fn posts_are_validated() {
        let post = PostContent {
            title: "".into(),
            body: "x".into(),
            tags: vec!["!!".into()],
            cover_image: Some(Image {
                src: "javascript:x".into(),
                alt: "".into(),
            }),
            ..PostContent::default()
        };
        assert_eq!(post.problems().len(), 4, "{:?}", post.problems());
        assert!(PostContent::slug_problem("page").is_some());
        assert!(PostContent::slug_problem("hello-world").is_none());
    }
}

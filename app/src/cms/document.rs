//! What pages, posts and products share: a slug, a draft that editors change, and the
//! published copy the live site shows.

use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// The content of one kind of CMS document.
pub trait Content: Clone + PartialEq + Serialize + DeserializeOwned {
    /// The table holding this kind; a constant, never user input.
    const TABLE: &'static str;
    /// The kind in a sentence: "page", "post", "product".
    const NOUN: &'static str;
    /// Where the live site shows the document at `slug`.
    fn path(slug: &str) -> String;
    /// What is wrong with the slug, if anything.
    fn slug_problem(slug: &str) -> Option<String>;
    /// Every problem at once, so an editor can fix them in one go.
    fn problems(&self) -> Vec<String>;
    /// Tag addresses the document is listed under once published.
    fn tag_index(&self) -> Vec<String> {
        Vec::new()
    }
    /// Reads stored JSON; pages override this to skip blocks they cannot read.
    fn from_stored(json: &str) -> Result<Self, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "C: Content")]
pub struct Document<C> {
    pub id: String,
    /// The document's part of its path, without slashes around it.
    pub slug: String,
    pub draft: C,
    pub published: Option<C>,
    pub updated_at: i64,
    /// Unix milliseconds of the last publish.
    pub published_at: Option<i64>,
    /// Unix milliseconds of the first publish: a post's date.
    pub first_published_at: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Never published: the site does not show it.
    Draft,
    Published,
    /// Published, and the draft has changes the site does not show yet.
    Changed,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::Published => "Published",
            Status::Changed => "Unpublished changes",
        }
    }
}

impl<C: Content> Document<C> {
    pub fn status(&self) -> Status {
        match &self.published {
            None => Status::Draft,
            Some(published) if *published == self.draft => Status::Published,
            Some(_) => Status::Changed,
        }
    }

    pub fn path(&self) -> String {
        C::path(&self.slug)
    }
}

/// What the live site shows of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "C: Content")]
pub struct Published<C> {
    pub id: String,
    pub slug: String,
    pub content: C,
    /// Unix milliseconds of the last publish (the sitemap's lastmod).
    pub published_at: i64,
    /// Unix milliseconds of the first publish.
    pub first_published_at: i64,
}

impl<C: Content> Published<C> {
    pub fn path(&self) -> String {
        C::path(&self.slug)
    }
}

/// Lower-case words joined by hyphens: `Hello, World!` → `hello-world`.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if let Some(plain) = latin_letter(c) {
            slug.push_str(plain);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.chars().take(MAX_SEGMENT_CHARS).collect();
    slug.trim_end_matches('-').to_string()
}

/// Accented Latin letters as plain ones, so `Crème brûlée` reads `creme-brulee`.
fn latin_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'ç' | 'č' | 'ć' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'ű' | 'ů' => "u",
        'ý' | 'ÿ' => "y",
        'š' | 'ś' => "s",
        'ž' | 'ź' | 'ż' => "z",
        'ł' => "l",
        'ř' => "r",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

const MAX_SEGMENT_CHARS: usize = 80;

/// One path segment: lower-case letters, digits and single hyphens between them.
pub fn segment_problem(segment: &str) -> Option<String> {
    let valid = !segment.is_empty()
        && segment.len() <= MAX_SEGMENT_CHARS
        && segment
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !segment.starts_with('-')
        && !segment.ends_with('-')
        && !segment.contains("--");
    (!valid).then(|| {
        format!(
            "\"{segment}\" is not a valid address: use lower-case letters, digits and hyphens \
             (at most {MAX_SEGMENT_CHARS} characters), like \"spring-sale\"."
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_slugs() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  Ten -- tips  "), "ten-tips");
        assert_eq!(slugify("Crème brûlée"), "creme-brulee");
        assert_eq!(slugify("!!!"), "");
        assert!(segment_problem(&slugify(&"word ".repeat(50))).is_none());
    }

    #[test]
    fn segments_are_checked() {
        assert!(segment_problem("spring-sale-2026").is_none());
        for bad in ["", "Spring", "a b", "a--b", "-a", "a-", "a/b", "ü"] {
            assert!(segment_problem(bad).is_some(), "{bad}");
        }
    }
}

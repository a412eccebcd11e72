//! What pages, posts and products share: a slug, a draft that editors change, and the
//! published copy the live site shows.

use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// The content of one kind of CMS document.
pub trait Content: Clone + PartialEq + Serialize + DeserializeOwned {
    const COLLECTION: Collection;
    /// The table holding this kind; a constant, never user input.
    const TABLE: &'static str = Self::COLLECTION.table();
    /// The kind in a sentence: "page", "post", "product".
    const NOUN: &'static str = Self::COLLECTION.noun();
    /// Where the live site shows the document at `slug`.
    fn path(slug: &str) -> String;
    /// What is wrong with the slug, if anything.
    fn slug_problem(slug: &str) -> Option<String>;
    /// Every problem at once, so an editor can fix them in one go.
    fn problems(&self) -> Vec<String>;
    /// What a visitor would miss if this went live as it is (a post without a word of
    /// text): a draft may be saved like that, not published.
    fn missing_for_visitors(&self) -> Vec<String>;
    /// Everything that stops a publish: the problems, then what is missing.
    fn publish_problems(&self) -> Vec<String> {
        let mut problems = self.problems();
        problems.extend(self.missing_for_visitors());
        problems
    }
    /// What people call it in lists and the audit log.
    fn title(&self) -> &str;
    /// A new draft called `title`, as "New" creates it.
    fn titled(title: String) -> Self;
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
    /// Goes up with every change to the draft; a save must name the revision it edited.
    pub revision: i64,
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

/// Runs `$body` with `$C` standing for the content type of `$collection`: the one place
/// a collection named at run time becomes a type, so everything else is generic over
/// `Content` and a new collection is a compile error here until it is added.
macro_rules! with_content {
    ($collection:expr, |$C:ident| $body:expr) => {
        match $collection {
            $crate::cms::Collection::Page => {
                type $C = $crate::cms::PageContent;
                $body
            }
            $crate::cms::Collection::Post => {
                type $C = $crate::cms::PostContent;
                $body
            }
            $crate::cms::Collection::Product => {
                type $C = $crate::cms::ProductContent;
                $body
            }
        }
    };
}
pub(crate) use with_content;

/// The kinds of documents, for calls that work on any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    Page,
    Post,
    Product,
}

impl Collection {
    pub const ALL: [Collection; 3] = [Collection::Page, Collection::Post, Collection::Product];

    pub const fn table(self) -> &'static str {
        match self {
            Collection::Page => "pages",
            Collection::Post => "posts",
            Collection::Product => "products",
        }
    }

    pub fn of_table(table: &str) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.table() == table)
    }

    pub const fn noun(self) -> &'static str {
        match self {
            Collection::Page => "page",
            Collection::Post => "post",
            Collection::Product => "product",
        }
    }
}

/// A collection as stored (its table's name).
impl TryFrom<String> for Collection {
    type Error = String;
    fn try_from(table: String) -> Result<Self, String> {
        Collection::of_table(&table).ok_or_else(|| format!("there is no collection {table:?}"))
    }
}

impl std::str::FromStr for Collection {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "page" => Ok(Collection::Page),
            "post" => Ok(Collection::Post),
            "product" => Ok(Collection::Product),
            other => Err(format!("There is no collection called {other:?}.")),
        }
    }
}

impl std::fmt::Display for Collection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.noun())
    }
}

/// One kept version of a document, with what changed since the one before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionSummary {
    pub number: i64,
    /// `created`, `saved`, `published`, `restored`.
    pub action: String,
    pub author: String,
    pub created_at: i64,
    pub slug: String,
    /// "Title changed", "Blocks: 1 added, 2 changed"...; empty when nothing changed.
    pub changes: Vec<String>,
}

/// Who did what, when: to a document, or to the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEntry {
    pub at: i64,
    pub user_name: String,
    /// Documents: `created`, `edited`, `published`, `unpublished`, `restored`, `moved`,
    /// `deleted`; the team: `invited`, `joined`, `role changed`, `removed`...
    pub action: String,
    #[cfg_attr(feature = "ssr", sqlx(rename = "collection", try_from = "String"))]
    pub subject: AuditSubject,
    /// The document's id, or the member's or invitation's.
    pub document_id: String,
    pub title: String,
}

/// What an audit entry is about; stored as a collection's table name, or `team`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditSubject {
    Document(Collection),
    Team,
}

impl TryFrom<String> for AuditSubject {
    type Error = String;
    fn try_from(stored: String) -> Result<Self, String> {
        if stored == "team" {
            Ok(AuditSubject::Team)
        } else {
            Collection::try_from(stored).map(AuditSubject::Document)
        }
    }
}

impl std::fmt::Display for AuditSubject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditSubject::Document(collection) => collection.fmt(f),
            AuditSubject::Team => f.write_str("team"),
        }
    }
}

/// The differences between two versions of content, in words: top-level fields that
/// changed, and for lists (blocks, images, tags) how many items were added, removed or
/// changed.
pub fn describe_changes(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    let empty = serde_json::Map::new();
    let (before, after) = (
        before.as_object().unwrap_or(&empty),
        after.as_object().unwrap_or(&empty),
    );
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut changes = Vec::new();
    for key in keys {
        let (old, new) = (before.get(key), after.get(key));
        if old == new {
            continue;
        }
        let label = {
            let words = key.replace('_', " ");
            let mut chars = words.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        };
        match (old, new) {
            (Some(Value::Array(old)), Some(Value::Array(new))) => {
                let mut unmatched: Vec<&Value> = old.iter().collect();
                let mut added = 0;
                for item in new {
                    match unmatched.iter().position(|o| *o == item) {
                        Some(at) => {
                            unmatched.remove(at);
                        }
                        None => added += 1,
                    }
                }
                let removed = unmatched.len();
                // An item edited in place shows as one removed and one added: call it changed.
                let changed = added.min(removed);
                let mut parts = Vec::new();
                for (n, what) in [
                    (added - changed, "added"),
                    (removed - changed, "removed"),
                    (changed, "changed"),
                ] {
                    if n > 0 {
                        parts.push(format!("{n} {what}"));
                    }
                }
                if parts.is_empty() {
                    parts.push("reordered".to_string());
                }
                changes.push(format!("{label}: {}", parts.join(", ")));
            }
            _ => changes.push(format!("{label} changed")),
        }
    }
    changes
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
/// At most `max` characters, cut at a word with an ellipsis when it was longer (written
/// text that must fit a field: a title, a summary).
pub fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    format!("{cut}…")
}

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

/// An address for something an agent titled: the slug of the title, cut between words
/// to at most 50 characters, so a long headline does not make a long address.
pub fn short_slug(title: &str) -> String {
    let slug = slugify(title);
    if slug.len() <= 50 {
        return slug;
    }
    let mut short = String::new();
    for word in slug.split('-') {
        if !short.is_empty() && short.len() + 1 + word.len() > 50 {
            break;
        }
        if !short.is_empty() {
            short.push('-');
        }
        short.push_str(word);
    }
    short.chars().take(50).collect()
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
    fn agent_titles_get_short_addresses_of_whole_words() {
        let slug = short_slug(
            "How our certified technicians install and maintain heat pumps in older homes",
        );
        assert!(slug.len() <= 50, "{slug}");
        assert_eq!(slug, "how-our-certified-technicians-install-and-maintain");
        assert_eq!(short_slug("Winter hours"), "winter-hours");
    }

    #[test]
    fn changes_are_described_in_words() {
        let before =
            serde_json::json!({ "title": "A", "meta_description": "x", "blocks": [1, 2, 3] });
        let after =
            serde_json::json!({ "title": "B", "meta_description": "x", "blocks": [1, 5, 3, 4] });
        assert_eq!(
            describe_changes(&before, &after),
            vec![
                "Blocks: 1 added, 1 changed".to_string(),
                "Title changed".into()
            ]
        );
        let reordered =
            serde_json::json!({ "title": "A", "meta_description": "x", "blocks": [3, 2, 1] });
        assert_eq!(
            describe_changes(&before, &reordered),
            vec!["Blocks: reordered".to_string()]
        );
        assert!(describe_changes(&before, &before).is_empty());
    }

    #[test]
    fn segments_are_checked() {
        assert!(segment_problem("spring-sale-2026").is_none());
        for bad in ["", "Spring", "a b", "a--b", "-a", "a-", "a/b", "ü"] {
            assert!(segment_problem(bad).is_some(), "{bad}");
        }
    }
}

//! The block types a page is made of. One enum for the editor, the server's validation,
//! the stored JSON and the site renderer.

use serde::{Deserialize, Serialize};

use super::{
    MAX_ITEMS, MAX_META_DESCRIPTION_CHARS, MAX_PARAGRAPH_CHARS, MAX_SHORT_CHARS, MAX_TEXT_CHARS,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Hero {
        heading: String,
        subheading: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cta: Option<Link>,
        /// An image URL (`https://...` or a path on the site).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        background_image: Option<String>,
    },
    Text {
        markdown: String,
    },
    Features {
        #[serde(default)]
        heading: String,
        items: Vec<Feature>,
    },
    Testimonials {
        #[serde(default)]
        heading: String,
        items: Vec<Testimonial>,
    },
    CallToAction {
        heading: String,
        #[serde(default)]
        text: String,
        link: Link,
    },
    Faq {
        #[serde(default)]
        heading: String,
        items: Vec<FaqItem>,
    },
    Gallery {
        #[serde(default)]
        heading: String,
        images: Vec<Image>,
    },
    /// Products from the catalogue: the chosen ones in order, or else the latest few.
    ProductGrid {
        #[serde(default)]
        heading: String,
        /// Slugs of chosen products; empty shows the `count` most recently added.
        #[serde(default)]
        products: Vec<String>,
        #[serde(default = "default_product_count")]
        count: u8,
    },
    /// A lead form: what visitors send becomes a CRM contact of the tenant.
    ContactForm {
        #[serde(default)]
        heading: String,
        #[serde(default)]
        text: String,
        fields: Vec<FormField>,
        #[serde(default = "default_submit_label")]
        submit_label: String,
        #[serde(default = "default_thank_you")]
        thank_you: String,
    },
}

fn default_product_count() -> u8 {
    8
}

fn default_submit_label() -> String {
    "Send".into()
}

fn default_thank_you() -> String {
    "Thank you! We will get back to you soon.".into()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormField {
    pub kind: FieldKind,
    pub label: String,
    #[serde(default)]
    pub required: bool,
}

/// The fields a lead form can ask for; each fills one part of the CRM contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Name,
    Email,
    Phone,
    Company,
    Message,
}

impl FieldKind {
    /// The form input's name.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Name => "name",
            FieldKind::Email => "email",
            FieldKind::Phone => "phone",
            FieldKind::Company => "company",
            FieldKind::Message => "message",
        }
    }

    pub fn max_chars(self) -> usize {
        match self {
            FieldKind::Message => 5_000,
            _ => MAX_SHORT_CHARS,
        }
    }
}

/// Both parts default to empty, so a button being typed in (a label, no link yet) is a
/// draft with a problem to show rather than a value that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    #[serde(default)]
    pub label: String,
    /// `https://...`, `http://...`, `mailto:...`, `tel:...` or a path such as `/pricing`.
    #[serde(default)]
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feature {
    pub title: String,
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Testimonial {
    pub quote: String,
    pub author: String,
    #[serde(default)]
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqItem {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    #[serde(default)]
    pub src: String,
    #[serde(default)]
    pub alt: String,
}

impl Block {
    pub fn kind_label(&self) -> &'static str {
        match self {
            Block::Hero { .. } => "Hero",
            Block::Text { .. } => "Text",
            Block::Features { .. } => "Features",
            Block::Testimonials { .. } => "Testimonials",
            Block::CallToAction { .. } => "Call to action",
            Block::Faq { .. } => "FAQ",
            Block::Gallery { .. } => "Gallery",
            Block::ProductGrid { .. } => "Product grid",
            Block::ContactForm { .. } => "Contact form",
        }
    }

    /// What is wrong with this block, in sentences for the editor; empty when valid.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Problems::default();
        match self {
            Block::Hero {
                heading,
                subheading,
                cta,
                background_image,
            } => {
                p.short("The heading", heading);
                p.limit("The subheading", subheading, MAX_META_DESCRIPTION_CHARS);
                if let Some(cta) = cta {
                    p.link("The button", cta);
                }
                if let Some(src) = background_image {
                    p.url("The background image", src, false);
                }
            }
            Block::Text { markdown } => p.limit("The text", markdown, MAX_TEXT_CHARS),
            Block::Features { heading, items } => {
                p.short("The heading", heading);
                p.items(items.len());
                for (n, item) in items.iter().enumerate() {
                    p.required(&format!("Feature {} title", n + 1), &item.title);
                    p.short(&format!("Feature {} title", n + 1), &item.title);
                    p.limit(
                        &format!("Feature {} text", n + 1),
                        &item.text,
                        MAX_PARAGRAPH_CHARS,
                    );
                }
            }
            Block::Testimonials { heading, items } => {
                p.short("The heading", heading);
                p.items(items.len());
                for (n, item) in items.iter().enumerate() {
                    p.required(&format!("Testimonial {} quote", n + 1), &item.quote);
                    p.limit(
                        &format!("Testimonial {} quote", n + 1),
                        &item.quote,
                        MAX_PARAGRAPH_CHARS,
                    );
                    p.required(&format!("Testimonial {} author", n + 1), &item.author);
                    p.short(&format!("Testimonial {} author", n + 1), &item.author);
                    p.short(&format!("Testimonial {} role", n + 1), &item.role);
                }
            }
            Block::CallToAction {
                heading,
                text,
                link,
            } => {
                p.required("The heading", heading);
                p.short("The heading", heading);
                p.limit("The text", text, MAX_PARAGRAPH_CHARS);
                p.link("The button", link);
            }
            Block::Faq { heading, items } => {
                p.short("The heading", heading);
                p.items(items.len());
                for (n, item) in items.iter().enumerate() {
                    p.required(&format!("Question {}", n + 1), &item.question);
                    p.short(&format!("Question {}", n + 1), &item.question);
                    p.required(&format!("Answer {}", n + 1), &item.answer);
                    p.limit(
                        &format!("Answer {}", n + 1),
                        &item.answer,
                        MAX_PARAGRAPH_CHARS,
                    );
                }
            }
            Block::Gallery { heading, images } => {
                p.short("The heading", heading);
                p.items(images.len());
                for (n, image) in images.iter().enumerate() {
                    p.image(&format!("Image {}", n + 1), image);
                }
            }
            Block::ProductGrid {
                heading,
                products,
                count,
            } => {
                p.short("The heading", heading);
                p.items(products.len());
                for slug in products {
                    if let Some(problem) = super::content::segment_problem(slug) {
                        p.0.push(format!("Product {problem}"));
                    }
                }
                if products.is_empty() && !(1..=MAX_ITEMS).contains(&usize::from(*count)) {
                    p.0.push(format!("Show between 1 and {MAX_ITEMS} products."));
                }
            }
            Block::ContactForm {
                heading,
                text,
                fields,
                submit_label,
                thank_you,
            } => {
                p.short("The heading", heading);
                p.limit("The text", text, MAX_PARAGRAPH_CHARS);
                p.required("The button label", submit_label);
                p.short("The button label", submit_label);
                p.limit("The thank-you message", thank_you, MAX_PARAGRAPH_CHARS);
                if fields.iter().filter(|f| f.kind == FieldKind::Email).count() != 1 {
                    p.0.push("A contact form needs exactly one email field.".into());
                }
                for (n, field) in fields.iter().enumerate() {
                    if fields[..n].iter().any(|f| f.kind == field.kind) {
                        p.0.push(format!(
                            "Field {} repeats the {} field.",
                            n + 1,
                            field.kind.as_str()
                        ));
                    }
                    p.required(&format!("Field {} label", n + 1), &field.label);
                    p.short(&format!("Field {} label", n + 1), &field.label);
                }
            }
        }
        p.0
    }
}

/// Collects problems, one sentence each.
#[derive(Default)]
pub(super) struct Problems(pub(super) Vec<String>);

impl Problems {
    pub(super) fn limit(&mut self, what: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.0
                .push(format!("{what} is longer than {max} characters."));
        }
    }

    pub(super) fn short(&mut self, what: &str, value: &str) {
        self.limit(what, value, MAX_SHORT_CHARS);
    }

    pub(super) fn required(&mut self, what: &str, value: &str) {
        if value.trim().is_empty() {
            self.0.push(format!("{what} is empty."));
        }
    }

    pub(super) fn items(&mut self, count: usize) {
        if count > MAX_ITEMS {
            self.0
                .push(format!("A block can have at most {MAX_ITEMS} items."));
        }
    }

    pub(super) fn link(&mut self, what: &str, link: &Link) {
        self.required(&format!("{what} label"), &link.label);
        self.short(&format!("{what} label"), &link.label);
        self.url(&format!("{what} link"), &link.href, true);
    }

    pub(super) fn image(&mut self, what: &str, image: &Image) {
        self.url(what, &image.src, false);
        self.required(&format!("{what} alt text"), &image.alt);
        self.short(&format!("{what} alt text"), &image.alt);
    }

    pub(super) fn url(&mut self, what: &str, url: &str, allow_contact: bool) {
        if !is_safe_url(url, allow_contact) {
            self.0.push(format!(
                "{what} must be a web address (https://...) or a path on your site (/...)."
            ));
        }
    }
}

/// A path on the site itself: `/pricing`, never `//host` or `/\host`, which browsers
/// read as another site.
pub fn is_site_path(url: &str) -> bool {
    let mut chars = url.chars();
    chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'))
}

/// Web addresses and site paths only: never `javascript:` or `data:`. Links may also
/// be `mailto:` and `tel:`.
pub fn is_safe_url(url: &str, allow_contact: bool) -> bool {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    let path = is_site_path(url);
    let contact = allow_contact && (lower.starts_with("mailto:") || lower.starts_with("tel:"));
    !url.is_empty()
        && url.len() <= 2_000
        && !url.chars().any(char::is_whitespace)
        && (web || path || contact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_links_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,x",
            "//evil.example",
            "/\\evil.example",
            "",
            "ht tp://x",
        ] {
            assert!(!is_safe_url(bad, true), "{bad}");
        }
        for good in [
            "https://acme.example/x",
            "/pricing",
            "mailto:hi@acme.example",
            "tel:+15551234",
        ] {
            assert!(is_safe_url(good, true), "{good}");
        }
        assert!(
            !is_safe_url("mailto:hi@acme.example", false),
            "images are not mail addresses"
        );
    }

    #[test]
    fn a_button_half_typed_is_a_problem_not_an_unreadable_block() {
        let hero: Block =
            serde_json::from_value(serde_json::json!({ "type": "hero", "heading": "Hi",
                "subheading": "", "cta": { "label": "G" } }))
            .unwrap();
        assert_eq!(
            hero.problems(),
            vec![
                "The button link must be a web address (https://...) or a path on your site (/...)."
                    .to_string()
            ]
        );
    }

    #[test]
    fn each_block_reports_its_own_problems() {
        let cta = Block::CallToAction {
            heading: "".into(),
            text: "".into(),
            link: Link {
                label: "Go".into(),
                href: "javascript:alert(1)".into(),
            },
        };
        let problems = cta.problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        let gallery = Block::Gallery {
            heading: "".into(),
            images: vec![Image {
                src: "/a.png".into(),
                alt: " ".into(),
            }],
        };
        assert_eq!(
            gallery.problems(),
            vec!["Image 1 alt text is empty.".to_string()]
        );
    }
}

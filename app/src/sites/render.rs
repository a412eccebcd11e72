//! Draws a tenant page (or the themed 404) as a complete HTML document. Plain string
//! templates with explicit escaping: no hydration markers, nothing a visitor's browser
//! has to run, and fast enough to render on every request.

use crate::time::iso_date;
use std::fmt::Write;

use crate::cms::{is_safe_url, Block, FieldKind, PageContent, ProductContent, Published};
use crate::tenancy::Tenant;

/// The stylesheet built by Tailwind; shared by every site, themed by CSS variables.
const STYLESHEET: &str = "/pkg/bizosaas.css";
static FINGERPRINTED_STYLESHEET: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The stylesheet's URL with a version of its content, so browsers may keep it for a
/// year; without the built file, the plain URL.
pub fn stylesheet() -> &'static str {
    FINGERPRINTED_STYLESHEET
        .get()
        .map_or(STYLESHEET, String::as_str)
}

/// Finds the built stylesheet's URL once at start-up: `/pkg/bizosaas.<hash>.css` when the
/// build hashed its file names (`hashes` is its hash file, a `css: <hash>` line among
/// others); otherwise the plain name with a digest of the file (`?v=…`).
pub fn fingerprint_stylesheet(site_root: &str, hashes: Option<&str>) {
    use sha2::{Digest, Sha256};
    let hashed = hashes.and_then(|hashes| {
        hashes.lines().find_map(|line| {
            let hash = line.strip_prefix("css:")?.trim();
            let url = STYLESHEET.replace(".css", &format!(".{hash}.css"));
            std::path::Path::new(&format!("{site_root}{url}"))
                .exists()
                .then_some(url)
        })
    });
    let url = hashed.or_else(|| {
        let css = std::fs::read(format!("{site_root}{STYLESHEET}")).ok()?;
        let digest = Sha256::digest(&css);
        Some(format!(
            "{STYLESHEET}?v={}",
            crate::server::secrets::to_hex(&digest[..8])
        ))
    });
    if let Some(url) = url {
        let _ = FINGERPRINTED_STYLESHEET.set(url);
    }
}

/// Text made safe for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Where a page is served: the origin the visitor used (`https://acme.example.com`) and
/// the path, for canonical URLs, social cards and the sitemap.
#[derive(Debug, Clone, Copy)]
pub struct Location<'a> {
    pub origin: &'a str,
    pub path: &'a str,
}

impl Location<'_> {
    pub fn url(&self) -> String {
        format!("{}{}", self.origin, self.path)
    }
}

/// "About · Acme": the page's own title, then the site's.
pub(super) fn full_title(tenant: &Tenant, title: &str) -> String {
    if title == tenant.name || tenant.name.is_empty() {
        title.to_string()
    } else {
        format!("{title} · {}", tenant.name)
    }
}

/// What a page's blocks draw besides their own content.
#[derive(Default)]
pub struct Extras {
    /// Newest products first, and any chosen by slug (product grids).
    pub products: Vec<Published<ProductContent>>,
    /// Library files the page's images use (for `srcset`).
    pub media: Vec<crate::media::MediaFile>,
}

pub fn page_document(tenant: &Tenant, page: &PageContent, at: Location, extras: &Extras) -> String {
    let title = full_title(tenant, &page.title);
    let mut main = String::from("<main>");
    let slug = at.path.trim_matches('/');
    for (index, block) in page.blocks.iter().enumerate() {
        render_block(
            &mut main,
            block,
            Placement {
                slug,
                index,
                extras,
            },
        );
    }
    main.push_str("</main>");
    let mut structured = Vec::new();
    if at.path == "/" {
        let home = format!("{}/", at.origin);
        structured.push(serde_json::json!({
            "@context": "https://schema.org",
            "@graph": [
                { "@type": "Organization", "name": tenant.name, "url": home },
                { "@type": "WebSite", "name": tenant.name, "url": home },
            ]
        }));
    }
    structured.extend(faq_json_ld(page));
    let head = Head {
        title: &title,
        description: &page.meta_description,
        kind: "website",
        image: None,
        structured,
    }
    .render(tenant, at);
    document(tenant, at.path, &title, &head, &main)
}

/// What goes into a page's `<head>` for search engines and social networks.
pub(super) struct Head<'a> {
    /// The full title, site name included.
    pub title: &'a str,
    pub description: &'a str,
    /// OpenGraph type: `website`, `article`, `product`.
    pub kind: &'a str,
    /// A picture for social cards: an absolute URL or a path on the site.
    pub image: Option<&'a str>,
    /// JSON-LD documents.
    pub structured: Vec<serde_json::Value>,
}

impl Head<'_> {
    /// Description, canonical URL, OpenGraph and Twitter cards, JSON-LD.
    pub fn render(&self, tenant: &Tenant, at: Location) -> String {
        let url = escape(&at.url());
        let title = escape(self.title);
        let description = escape(self.description);
        let mut head = String::new();
        if !self.description.is_empty() {
            let _ = write!(head, r#"<meta name="description" content="{description}">"#);
        }
        let _ = write!(
            head,
            r#"<link rel="canonical" href="{url}"><meta property="og:type" content="{kind}"><meta property="og:title" content="{title}"><meta property="og:description" content="{description}"><meta property="og:url" content="{url}"><meta property="og:site_name" content="{site}">"#,
            kind = escape(self.kind),
            site = escape(&tenant.name),
        );
        let image = self
            .image
            .filter(|src| is_safe_url(src, false))
            .map(|src| absolute_url(at.origin, src));
        let card = if image.is_some() {
            "summary_large_image"
        } else {
            "summary"
        };
        if let Some(image) = &image {
            let _ = write!(
                head,
                r#"<meta property="og:image" content="{0}"><meta name="twitter:image" content="{0}">"#,
                escape(image)
            );
        }
        let _ = write!(
            head,
            r#"<meta name="twitter:card" content="{card}"><meta name="twitter:title" content="{title}"><meta name="twitter:description" content="{description}">"#
        );
        for data in &self.structured {
            let _ = write!(
                head,
                r#"<script type="application/ld+json">{}</script>"#,
                json_for_script(data)
            );
        }
        head
    }
}

/// Where a list is in its pages, and what its links to the neighbours say.
pub(super) struct Pages<'a> {
    /// 1-based.
    pub current: i64,
    pub last: i64,
    /// The links to the previous and the next page.
    pub labels: (&'a str, &'a str),
}

/// Links to the neighbouring pages under a list (none when there is one page); returns
/// the matching `<link rel="prev|next">` for the head.
pub(super) fn pagination(
    main: &mut String,
    pages: Pages,
    path_of: impl Fn(i64) -> String,
    origin: &str,
) -> String {
    let mut head = String::new();
    if pages.last <= 1 {
        return head;
    }
    main.push_str(
        r#"<nav class="mt-12 flex items-center justify-between text-sm" aria-label="Pages">"#,
    );
    let mut neighbour = |main: &mut String, rel: &str, page: i64, label: &str| {
        let path = escape(&path_of(page));
        let _ = write!(
            main,
            r#"<a class="hover:underline" rel="{rel}" href="{path}">{label}</a>"#
        );
        let _ = write!(
            head,
            r#"<link rel="{rel}" href="{}{path}">"#,
            escape(origin)
        );
    };
    if pages.current > 1 {
        neighbour(main, "prev", pages.current - 1, pages.labels.0);
    } else {
        main.push_str("<span></span>");
    }
    let _ = write!(
        main,
        "<span>Page {} of {}</span>",
        pages.current, pages.last
    );
    if pages.current < pages.last {
        neighbour(main, "next", pages.current + 1, pages.labels.1);
    } else {
        main.push_str("<span></span>");
    }
    main.push_str("</nav>");
    head
}

/// An absolute URL for a link or image that may be a path on the site.
pub(super) fn absolute_url(origin: &str, url: &str) -> String {
    let url = url.trim();
    if url.starts_with('/') {
        format!("{origin}{url}")
    } else {
        url.to_string()
    }
}

/// JSON that cannot end, or change the parsing of, the `<script>` element it sits in:
/// `<`, `>` and `&` are written as JSON escapes.
pub(super) fn json_for_script(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// One address in the sitemap: a path and when it last changed (unix milliseconds).
pub struct SitemapEntry {
    pub path: String,
    pub modified: i64,
}

/// The sitemap of everything published, with the day each last changed.
pub fn sitemap(origin: &str, entries: &[SitemapEntry]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#,
    );
    for entry in entries {
        let _ = write!(
            xml,
            "<url><loc>{}{}</loc><lastmod>{}</lastmod></url>",
            escape(origin),
            escape(&entry.path),
            iso_date(entry.modified)
        );
    }
    xml.push_str("</urlset>");
    xml
}

/// robots.txt: everything public may be crawled; the platform's app areas may not.
pub fn robots(origin: &str, is_platform: bool) -> String {
    let private = if is_platform {
        "Disallow: /dashboard\nDisallow: /cms\nDisallow: /login\nDisallow: /api/\n"
    } else {
        ""
    };
    format!("User-agent: *\nAllow: /\n{private}Sitemap: {origin}/sitemap.xml\n")
}

pub fn not_found_document(tenant: &Tenant) -> String {
    let main = r#"<main class="mx-auto max-w-3xl px-6 py-24 text-center"><p class="text-sm font-semibold" style="color: var(--color-primary)">404</p><h1 class="mt-2 text-3xl font-bold">This page does not exist</h1><p class="mt-4 text-slate-600">It may have moved, or the link may be mistyped.</p><a class="mt-8 inline-block themed-radius px-4 py-2 text-white" style="background: var(--color-primary)" href="/">Go to the home page</a></main>"#;
    document(tenant, "", "Page not found", NOINDEX, main)
}

/// A neutral page for hosts we do not serve: it must not reveal which tenants exist.
pub fn unknown_site_document() -> String {
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Site not found</title><link rel="stylesheet" href="{stylesheet}"></head><body class="min-h-screen flex items-center justify-center bg-slate-50 text-slate-800"><main class="text-center px-6"><h1 class="text-2xl font-bold">Site not found</h1><p class="mt-2 text-slate-600">There is no website at this address.</p></main></body></html>"#,
        stylesheet = stylesheet()
    )
}

/// A rendered page marked as a preview: kept out of search results, and saying so.
pub fn mark_preview(html: &str) -> String {
    html.replacen("<head>", &format!("<head>{NOINDEX}"), 1).replacen(
        r#"<body class="site">"#,
        r#"<body class="site"><p class="preview-banner bg-amber-100 px-4 py-1 text-center text-xs text-amber-900">Preview: not published</p>"#,
        1,
    )
}

/// Keeps a page out of search results.
pub(super) const NOINDEX: &str = r#"<meta name="robots" content="noindex">"#;

/// The themed frame around every page: head, header with navigation, footer.
pub(super) fn document(
    tenant: &Tenant,
    path: &str,
    title: &str,
    extra_head: &str,
    main: &str,
) -> String {
    let theme = &tenant.theme;
    let logo_text = if theme.logo_text.is_empty() {
        &tenant.name
    } else {
        &theme.logo_text
    };
    let logo = match theme.logo_url.as_deref().filter(|u| is_safe_url(u, false)) {
        Some(src) => format!(
            r#"<img class="h-8 w-auto" src="{}" alt="{}">"#,
            escape(src),
            escape(logo_text)
        ),
        None => escape(logo_text),
    };
    let favicon = theme
        .favicon_url
        .as_deref()
        .filter(|u| is_safe_url(u, false))
        .map(escape)
        .unwrap_or_else(|| "/favicon.ico".to_string());
    // Theme values are validated types (HexColor, Font), so they are safe inside CSS.
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>{extra_head}<link rel="stylesheet" href="{stylesheet}"><link rel="icon" href="{favicon}"><style id="theme">{css}</style></head><body class="site"><header class="site-header border-b border-slate-200"><div class="mx-auto max-w-5xl px-6 h-16 flex items-center gap-8"><a href="/" class="site-logo text-xl font-bold" style="color: var(--color-primary)">{logo}</a>{navigation}</div></header>{main}<footer class="site-footer border-t border-slate-200 mt-16"><div class="mx-auto max-w-5xl px-6 py-8 text-sm opacity-75 flex flex-wrap gap-x-6 gap-y-2"><span>{footer_text}</span>{footer_links}</div></footer></body></html>"#,
        title = escape(title),
        stylesheet = stylesheet(),
        css = theme.css_variables(),
        navigation = navigation(&tenant.settings.navigation, path),
        footer_text = if tenant.settings.footer_text.is_empty() {
            format!("© {}", escape(&tenant.name))
        } else {
            escape(&tenant.settings.footer_text)
        },
        footer_links = links(&tenant.settings.footer_links, path, "hover:underline"),
    )
}

fn navigation(items: &[crate::cms::Link], path: &str) -> String {
    if items.is_empty() {
        return String::new();
    }
    format!(
        r#"<nav class="site-nav flex flex-wrap gap-5 text-sm font-medium" aria-label="Site">{}</nav>"#,
        links(items, path, "hover:underline aria-[current=page]:underline")
    )
}

/// Links in order; the one for the current page is marked for people and screen readers.
fn links(items: &[crate::cms::Link], path: &str, class: &str) -> String {
    let mut out = String::new();
    for link in items {
        let current = if !path.is_empty() && link.href.trim() == path {
            r#" aria-current="page""#
        } else {
            ""
        };
        let _ = write!(
            out,
            r#"<a class="{class}" href="{}"{current}>{}</a>"#,
            href(&link.href),
            escape(&link.label)
        );
    }
    out
}

/// A link target that is safe to put in `href`: validated on save, checked again here in
/// case older data slipped through.
pub(super) fn href(url: &str) -> String {
    if is_safe_url(url, true) {
        escape(url.trim())
    } else {
        "#".to_string()
    }
}

/// An image URL for CSS `url('...')`: characters that could end the string are encoded.
fn css_url(url: &str) -> Option<String> {
    is_safe_url(url, false).then(|| {
        url.trim()
            .replace('\\', "%5C")
            .replace('\'', "%27")
            .replace('"', "%22")
            .replace('(', "%28")
            .replace(')', "%29")
    })
}

/// Columns that leave no hole for a block's number of items: one item centred, two or
/// four in pairs, otherwise rows of three.
pub(super) fn grid_of(items: usize) -> &'static str {
    match items {
        1 => "mx-auto grid max-w-2xl gap-8",
        2 | 4 => "grid gap-8 md:grid-cols-2",
        _ => "grid gap-8 md:grid-cols-3",
    }
}

/// A heading above a block's items, when the editor gave one.
pub(super) fn section_heading(out: &mut String, heading: &str) {
    if !heading.trim().is_empty() {
        let _ = write!(
            out,
            r#"<h2 class="text-3xl font-bold text-center mb-10">{}</h2>"#,
            escape(heading)
        );
    }
}

/// Where a block sits: which page and block a form posts from (so the server knows the
/// form's fields), and the products a product grid may show.
#[derive(Clone, Copy)]
struct Placement<'a> {
    slug: &'a str,
    index: usize,
    extras: &'a Extras,
}

/// The field a spam bot fills in and a person never sees.
pub const HONEYPOT_FIELD: &str = "_website";

fn render_block(out: &mut String, block: &Block, target: Placement) {
    match block {
        Block::Hero {
            heading,
            subheading,
            cta,
            background_image,
        } => {
            const SHADE: &str = "linear-gradient(rgba(0,0,0,.45),rgba(0,0,0,.45))";
            let src = background_image.as_deref().unwrap_or_default();
            let sources = responsive(src, &target.extras.media, "100vw");
            // A library image with its sizes is a picture behind the text, so the browser
            // fetches the width the screen needs; any other image is a CSS background.
            let (background, picture) = match css_url(src) {
                Some(_) if !sources.is_empty() => (
                    "background: var(--color-primary)".to_string(),
                    format!(
                        r#"<img src="{}"{sources} alt="" fetchpriority="high" class="absolute inset-0 h-full w-full object-cover"><div class="absolute inset-0" style="background: {SHADE}"></div>"#,
                        escape(src.trim())
                    ),
                ),
                Some(url) => (
                    format!(
                        "background: {SHADE}, url('{}') center/cover, var(--color-primary)",
                        escape(&url)
                    ),
                    String::new(),
                ),
                None => (
                    "background: var(--color-primary)".to_string(),
                    String::new(),
                ),
            };
            let _ = write!(
                out,
                r#"<section class="hero relative overflow-hidden py-20 text-white" style="{background}">{picture}<div class="relative mx-auto max-w-5xl px-6"><h1 class="text-4xl font-bold tracking-tight">{}</h1><p class="mt-4 text-lg">{}</p>"#,
                escape(heading),
                escape(subheading)
            );
            if let Some(cta) = cta {
                let _ = write!(
                    out,
                    r#"<a class="mt-8 inline-block themed-radius bg-white px-5 py-3 font-semibold" style="color: var(--color-primary)" href="{}">{}</a>"#,
                    href(&cta.href),
                    escape(&cta.label)
                );
            }
            out.push_str("</div></section>");
        }
        Block::Text { markdown } => {
            let _ = write!(
                out,
                r#"<section class="mx-auto max-w-5xl px-6 py-10"><div class="prose-block max-w-3xl">{}</div></section>"#,
                super::markdown::to_safe_html(markdown)
            );
        }
        Block::Features { heading, items } => {
            out.push_str(r#"<section class="features mx-auto max-w-5xl px-6 py-16">"#);
            section_heading(out, heading);
            let _ = write!(out, r#"<div class="{}">"#, grid_of(items.len()));
            for item in items {
                let _ = write!(
                    out,
                    r#"<div class="feature"><h3 class="text-lg font-semibold" style="color: var(--color-primary)">{}</h3><p class="mt-2 text-slate-600">{}</p></div>"#,
                    escape(&item.title),
                    escape(&item.text)
                );
            }
            out.push_str("</div></section>");
        }
        Block::Testimonials { heading, items } => {
            out.push_str(r#"<section class="testimonials bg-slate-50 py-16"><div class="mx-auto max-w-5xl px-6">"#);
            section_heading(out, heading);
            let _ = write!(out, r#"<div class="{}">"#, grid_of(items.len()));
            for item in items {
                let role = if item.role.is_empty() {
                    String::new()
                } else {
                    format!(", {}", escape(&item.role))
                };
                let _ = write!(
                    out,
                    r#"<figure class="themed-radius bg-white p-6 shadow-sm"><blockquote class="text-slate-700">“{}”</blockquote><figcaption class="mt-4 text-sm font-semibold">{}<span class="font-normal text-slate-500">{role}</span></figcaption></figure>"#,
                    escape(&item.quote),
                    escape(&item.author)
                );
            }
            out.push_str("</div></div></section>");
        }
        Block::CallToAction {
            heading,
            text,
            link,
        } => {
            let _ = write!(
                out,
                r#"<section class="cta px-6 py-16 text-center"><div class="mx-auto max-w-3xl themed-radius px-6 py-12 text-white" style="background: var(--color-primary)"><h2 class="text-3xl font-bold">{}</h2><p class="mt-4">{}</p><a class="mt-8 inline-block themed-radius bg-white px-5 py-3 font-semibold" style="color: var(--color-primary)" href="{}">{}</a></div></section>"#,
                escape(heading),
                escape(text),
                href(&link.href),
                escape(&link.label)
            );
        }
        Block::Faq { heading, items } => {
            // <details> opens and closes without any JavaScript.
            out.push_str(r#"<section class="faq mx-auto max-w-3xl px-6 py-16">"#);
            section_heading(out, heading);
            for item in items {
                let _ = write!(
                    out,
                    r#"<details class="border-b border-slate-200 py-4"><summary class="cursor-pointer font-semibold">{}</summary><p class="mt-2 text-slate-600">{}</p></details>"#,
                    escape(&item.question),
                    escape(&item.answer)
                );
            }
            out.push_str("</section>");
        }
        Block::Gallery { heading, images } => {
            out.push_str(r#"<section class="gallery mx-auto max-w-5xl px-6 py-16">"#);
            section_heading(out, heading);
            out.push_str(r#"<div class="grid grid-cols-2 gap-4 md:grid-cols-3">"#);
            for image in images {
                if let Some(src) = is_safe_url(&image.src, false).then(|| escape(image.src.trim()))
                {
                    let _ = write!(
                        out,
                        r#"<img class="aspect-square w-full themed-radius object-cover" src="{src}"{} alt="{}" loading="lazy">"#,
                        responsive(&image.src, &target.extras.media, GALLERY_SIZES),
                        escape(&image.alt)
                    );
                }
            }
            out.push_str("</div></section>");
        }
        Block::ProductGrid {
            heading,
            products,
            count,
        } => {
            let shown: Vec<&Published<ProductContent>> = if products.is_empty() {
                target
                    .extras
                    .products
                    .iter()
                    .take(usize::from(*count))
                    .collect()
            } else {
                products
                    .iter()
                    .filter_map(|slug| target.extras.products.iter().find(|p| p.slug == *slug))
                    .collect()
            };
            // Visitors see nothing rather than an empty shelf.
            if !shown.is_empty() {
                out.push_str(r#"<section class="product-grid mx-auto max-w-5xl px-6 py-16">"#);
                section_heading(out, heading);
                super::shop::product_cards(out, &shown, &target.extras.media);
                out.push_str("</section>");
            }
        }
        Block::ContactForm {
            heading,
            text,
            fields,
            submit_label,
            ..
        } => {
            out.push_str(r#"<section class="contact-form mx-auto max-w-xl px-6 py-16">"#);
            section_heading(out, heading);
            if !text.is_empty() {
                let _ = write!(
                    out,
                    r#"<p class="mb-6 text-center opacity-80">{}</p>"#,
                    escape(text)
                );
            }
            // A plain form: it works with JavaScript turned off.
            let _ = write!(
                out,
                r#"<form method="post" action="/_form" class="space-y-4"><input type="hidden" name="_page" value="{}"><input type="hidden" name="_block" value="{}"><div style="position:absolute;left:-10000px" aria-hidden="true"><label>Leave this field empty<input type="text" name="{HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></label></div>"#,
                escape(target.slug),
                target.index
            );
            for field in fields {
                let name = field.kind.as_str();
                let required = if field.required || field.kind == FieldKind::Email {
                    " required"
                } else {
                    ""
                };
                let input_class = "mt-1 block w-full themed-radius border border-slate-300 bg-white px-3 py-2 text-slate-900";
                let input = match field.kind {
                    FieldKind::Message => format!(
                        r#"<textarea name="{name}" rows="5" maxlength="5000" class="{input_class}"{required}></textarea>"#
                    ),
                    kind => {
                        let (input_type, autocomplete) = match kind {
                            FieldKind::Email => ("email", "email"),
                            FieldKind::Phone => ("tel", "tel"),
                            FieldKind::Company => ("text", "organization"),
                            _ => ("text", "name"),
                        };
                        format!(
                            r#"<input type="{input_type}" name="{name}" autocomplete="{autocomplete}" maxlength="200" class="{input_class}"{required}>"#
                        )
                    }
                };
                let _ = write!(
                    out,
                    r#"<label class="block"><span class="text-sm font-medium">{}</span>{input}</label>"#,
                    escape(&field.label)
                );
            }
            let _ = write!(
                out,
                r#"<button type="submit" class="themed-radius px-5 py-3 font-semibold text-white" style="background: var(--color-primary)">{}</button></form></section>"#,
                escape(submit_label)
            );
        }
    }
}

/// How wide gallery images are shown: half the screen on phones, a third from 768px.
const GALLERY_SIZES: &str = "(min-width: 768px) 33vw, 50vw";

/// `srcset` and `sizes` for an image from the media library whose variants are made;
/// nothing for other images.
pub(super) fn responsive(src: &str, media: &[crate::media::MediaFile], sizes: &str) -> String {
    crate::media::media_id_of(src)
        .and_then(|id| media.iter().find(|file| file.id == id))
        .filter(|file| !file.variants.is_empty())
        .map(|file| {
            format!(
                r#" srcset="{}" sizes="{}""#,
                escape(&file.srcset()),
                escape(sizes)
            )
        })
        .unwrap_or_default()
}

/// A short themed page: the thank-you after a form, or what to fix in it.
pub fn message_document(tenant: &Tenant, title: &str, lines: &[String], back: &str) -> String {
    let mut main = format!(
        r#"<main class="mx-auto max-w-xl px-6 py-24 text-center"><h1 class="text-3xl font-bold">{}</h1>"#,
        escape(title)
    );
    for line in lines {
        let _ = write!(main, r#"<p class="mt-4">{}</p>"#, escape(line));
    }
    let _ = write!(
        main,
        r#"<a class="mt-8 inline-block themed-radius px-4 py-2 text-white" style="background: var(--color-primary)" href="{}">Back to the page</a></main>"#,
        href(back)
    );
    document(tenant, "", title, NOINDEX, &main)
}

/// FAQPage structured data for every question on the page, or None without any.
fn faq_json_ld(page: &PageContent) -> Option<serde_json::Value> {
    let questions: Vec<_> = page
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Faq { items, .. } => Some(items),
            _ => None,
        })
        .flatten()
        .map(|item| {
            serde_json::json!({
                "@type": "Question",
                "name": item.question,
                "acceptedAnswer": { "@type": "Answer", "text": item.answer },
            })
        })
        .collect();
    (!questions.is_empty()).then(|| {
        serde_json::json!({ "@context": "https://schema.org", "@type": "FAQPage", "mainEntity": questions })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_grids_leave_no_hole() {
        assert!(!grid_of(1).contains("grid-cols"), "one item is centred");
        assert!(grid_of(2).contains("md:grid-cols-2"));
        assert!(grid_of(4).contains("md:grid-cols-2"), "two rows of two");
        assert!(grid_of(3).contains("md:grid-cols-3"));
        assert!(grid_of(6).contains("md:grid-cols-3"));
    }
    use crate::tenancy::{Font, HexColor, Theme};

    fn tenant() -> Tenant {
        Tenant {
            id: "t".into(),
            slug: "acme".into(),
            name: "Acme <Co>".into(),
            is_platform: false,
            theme: Theme {
                primary_color: HexColor::parse("#ff0000").unwrap(),
                body_font: Font::Serif,
                logo_text: "ACME".into(),
                ..Theme::default()
            },
            settings: Default::default(),
            custom_domain: None,
        }
    }

    #[test]
    fn page_is_themed_escaped_and_sanitized() {
        let page = PageContent {
            title: "Hello </title><script>x</script>".into(),
            meta_description: "A description".into(),
            blocks: vec![
                Block::Hero {
                    heading: "<b>Big</b>".into(),
                    subheading: "sub".into(),
                    cta: Some(crate::cms::Link {
                        label: "Go".into(),
                        href: "javascript:alert(1)".into(),
                    }),
                    background_image: Some("/bg.png') no-repeat".into()),
                },
                Block::Text {
                    markdown: "Hi <script>alert(1)</script>".into(),
                },
            ],
        };
        let html = page_document(
            &tenant(),
            &page,
            Location {
                origin: "http://acme.test",
                path: "/about",
            },
            &Extras::default(),
        );
        assert!(html.contains("--color-primary:#ff0000"));
        assert!(html.contains("Georgia"));
        assert!(html.contains("<meta name=\"description\" content=\"A description\""));
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;b&gt;Big&lt;/b&gt;"));
        assert!(html.contains("Acme &lt;Co&gt;"));
        assert!(html.contains(
            "<title>Hello &lt;/title&gt;&lt;script&gt;x&lt;/script&gt; · Acme &lt;Co&gt;</title>"
        ));
        assert!(
            !html.contains("<!>"),
            "no hydration markers on a static page"
        );
        assert!(
            !html.contains("javascript:"),
            "unsafe stored links become #"
        );
        assert!(
            !html.contains("no-repeat"),
            "an unsafe image URL is left out"
        );
    }

    #[test]
    fn image_urls_cannot_break_out_of_css() {
        assert_eq!(css_url("/a'b(c).png").as_deref(), Some("/a%27b%28c%29.png"));
        assert_eq!(css_url("javascript:x"), None);
    }
}

#[cfg(test)]
mod seo_tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let json = json_for_script(&serde_json::json!({ "name": "</script><script>alert(1)" }));
        assert!(!json.contains('<') && !json.contains('>'), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)");
    }
}

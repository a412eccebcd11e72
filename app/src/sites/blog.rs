//! A tenant's blog: lists of posts (all, or by tag) with pagination, one post, and the
//! Atom feed readers subscribe to.

use std::fmt::Write;

use super::render::{
    absolute_url, document, escape, full_title, pagination, Head, Location, Pages,
};
use crate::cms::{is_safe_url, PostContent, Published};
use crate::tenancy::Tenant;
use crate::time::{human_date, iso_date, iso_datetime};

pub const POSTS_PER_PAGE: i64 = 10;

/// One page of a post list.
pub struct PostList<'a> {
    pub posts: &'a [Published<PostContent>],
    /// 1-based.
    pub page: i64,
    pub pages: i64,
    /// The tag's label and address, when only its posts are listed.
    pub tag: Option<(&'a str, &'a str)>,
}

impl PostList<'_> {
    /// The list's own address for a page number: `/blog`, `/blog/page/2`, `/blog/tag/x/page/3`.
    fn path_of(&self, page: i64) -> String {
        let base = match self.tag {
            Some((_, slug)) => format!("/blog/tag/{slug}"),
            None => "/blog".to_string(),
        };
        if page <= 1 {
            base
        } else {
            format!("{base}/page/{page}")
        }
    }
}

fn byline(out: &mut String, post: &Published<PostContent>) {
    let _ = write!(
        out,
        r#"<p class="text-sm opacity-70"><time datetime="{}">{}</time>"#,
        iso_date(post.first_published_at),
        human_date(post.first_published_at)
    );
    if !post.content.author.trim().is_empty() {
        let _ = write!(out, " · {}", escape(post.content.author.trim()));
    }
    out.push_str("</p>");
}

fn tag_links(out: &mut String, post: &PostContent) {
    let tags = post.tag_slugs();
    if tags.is_empty() {
        return;
    }
    out.push_str(r#"<ul class="mt-3 flex flex-wrap gap-2 text-xs" aria-label="Tags">"#);
    for (label, slug) in tags {
        let _ = write!(
            out,
            r#"<li><a class="themed-radius border border-slate-300 px-2 py-1 hover:underline" href="/blog/tag/{slug}">{}</a></li>"#,
            escape(label)
        );
    }
    out.push_str("</ul>");
}

pub fn post_list_document(tenant: &Tenant, list: &PostList, at: Location) -> String {
    let heading = match list.tag {
        Some((label, _)) => format!("Posts tagged “{label}”"),
        None => "Blog".to_string(),
    };
    let title = if list.page > 1 {
        format!("{heading} (page {} of {})", list.page, list.pages)
    } else {
        heading.clone()
    };
    let mut main = format!(
        r#"<main class="mx-auto max-w-3xl px-6 py-16"><h1 class="text-4xl font-bold">{}</h1><p class="mt-2"><a class="text-sm hover:underline" style="color: var(--color-primary)" href="/blog/feed.xml">Subscribe (Atom feed)</a></p>"#,
        escape(&heading)
    );
    if list.posts.is_empty() {
        main.push_str(r#"<p class="mt-10 opacity-75">No posts yet. Check back soon.</p>"#);
    }
    for post in list.posts {
        let _ = write!(
            main,
            r#"<article class="mt-10 border-t border-slate-200 pt-8"><h2 class="text-2xl font-semibold"><a class="hover:underline" href="{}">{}</a></h2>"#,
            escape(&post.path()),
            escape(&post.content.title)
        );
        byline(&mut main, post);
        if !post.content.excerpt.is_empty() {
            let _ = write!(
                main,
                r#"<p class="mt-3">{}</p>"#,
                escape(&post.content.excerpt)
            );
        }
        tag_links(&mut main, &post.content);
        main.push_str("</article>");
    }
    let head_links = pagination(
        &mut main,
        Pages {
            current: list.page,
            last: list.pages,
            labels: ("← Newer posts", "Older posts →"),
        },
        |n| list.path_of(n),
        at.origin,
    );
    main.push_str("</main>");
    let title = full_title(tenant, &title);
    let description = format!("{heading} of {}", tenant.name);
    let mut head = Head {
        title: &title,
        description: &description,
        kind: "website",
        image: None,
        structured: Vec::new(),
    }
    .render(tenant, at);
    head.push_str(&head_links);
    head.push_str(&feed_link(tenant));
    document(tenant, at.path, &title, &head, &main)
}

/// Lets feed readers find the feed from any blog page.
fn feed_link(tenant: &Tenant) -> String {
    format!(
        r#"<link rel="alternate" type="application/atom+xml" title="{}" href="/blog/feed.xml">"#,
        escape(&tenant.name)
    )
}

pub fn post_document(
    tenant: &Tenant,
    post: &Published<PostContent>,
    at: Location,
    media: &[crate::media::MediaFile],
) -> String {
    let content = &post.content;
    let mut main = String::from(r#"<main><article class="mx-auto max-w-3xl px-6 py-16">"#);
    byline(&mut main, post);
    let _ = write!(
        main,
        r#"<h1 class="mt-2 text-4xl font-bold tracking-tight">{}</h1>"#,
        escape(&content.title)
    );
    tag_links(&mut main, content);
    let cover = content
        .cover_image
        .as_ref()
        .filter(|image| is_safe_url(&image.src, false));
    if let Some(image) = cover {
        let _ = write!(
            main,
            r#"<img class="mt-8 w-full themed-radius" src="{}"{} alt="{}">"#,
            escape(image.src.trim()),
            super::render::responsive(&image.src, media, "(min-width: 768px) 720px, 100vw"),
            escape(&image.alt)
        );
    }
    let _ = write!(
        main,
        r#"<div class="prose-block mt-8">{}</div><p class="mt-12"><a class="hover:underline" style="color: var(--color-primary)" href="/blog">← All posts</a></p></article></main>"#,
        super::markdown::to_safe_html(&content.body)
    );
    let title = full_title(tenant, &content.title);
    let mut article = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": content.title,
        "description": content.excerpt,
        "datePublished": iso_datetime(post.first_published_at),
        "dateModified": iso_datetime(post.published_at),
        "mainEntityOfPage": at.url(),
        "publisher": { "@type": "Organization", "name": tenant.name, "url": format!("{}/", at.origin) },
        "keywords": content.tags.join(", "),
    });
    if !content.author.trim().is_empty() {
        article["author"] = serde_json::json!({ "@type": "Person", "name": content.author.trim() });
    }
    if let Some(image) = cover {
        article["image"] = absolute_url(at.origin, &image.src).into();
    }
    let mut head = Head {
        title: &title,
        description: &content.excerpt,
        kind: "article",
        image: cover.map(|image| image.src.as_str()),
        structured: vec![article],
    }
    .render(tenant, at);
    let _ = write!(
        head,
        r#"<meta property="article:published_time" content="{}">"#,
        iso_datetime(post.first_published_at)
    );
    head.push_str(&feed_link(tenant));
    document(tenant, at.path, &title, &head, &main)
}

/// The newest posts as an Atom feed (RFC 4287).
pub fn atom_feed(tenant: &Tenant, origin: &str, posts: &[Published<PostContent>]) -> String {
    let origin = escape(origin);
    let updated = posts
        .iter()
        .map(|post| post.published_at)
        .max()
        .unwrap_or_default();
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{name}</title><subtitle>Blog of {name}</subtitle><link href="{origin}/blog"/><link rel="self" type="application/atom+xml" href="{origin}/blog/feed.xml"/><id>{origin}/blog</id><updated>{updated}</updated><author><name>{name}</name></author>"#,
        name = escape(&tenant.name),
        updated = iso_datetime(updated),
    );
    for post in posts {
        let url = format!("{origin}{}", escape(&post.path()));
        let _ = write!(
            xml,
            r#"<entry><title>{}</title><link href="{url}"/><id>{url}</id><published>{}</published><updated>{}</updated>"#,
            escape(&post.content.title),
            iso_datetime(post.first_published_at),
            iso_datetime(post.published_at),
        );
        if !post.content.author.trim().is_empty() {
            let _ = write!(
                xml,
                "<author><name>{}</name></author>",
                escape(post.content.author.trim())
            );
        }
        for (label, _) in post.content.tag_slugs() {
            let _ = write!(xml, r#"<category term="{}"/>"#, escape(label));
        }
        let _ = write!(
            xml,
            r#"<summary>{}</summary><content type="html">{}</content></entry>"#,
            escape(&post.content.excerpt),
            escape(&super::markdown::to_safe_html(&post.content.body))
        );
    }
    xml.push_str("</feed>");
    xml
}

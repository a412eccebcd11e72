//! A tenant's products: the catalogue list, one product with its buy link, and the
//! cards the product grid block shows.

use std::fmt::Write;

use super::render::responsive;
use super::render::{
    absolute_url, document, escape, full_title, href, pagination, Head, Location, Pages,
};
use crate::cms::{is_safe_url, ProductContent, Published};
use crate::media::MediaFile;

/// How wide a product card's picture is: half the screen (two columns) until 1024px,
/// then a quarter.
const CARD_SIZES: &str = "(min-width: 1024px) 25vw, 50vw";
use crate::tenancy::Tenant;

pub const PRODUCTS_PER_PAGE: i64 = 24;

fn first_image(product: &ProductContent) -> Option<&crate::cms::Image> {
    product
        .images
        .iter()
        .find(|image| is_safe_url(&image.src, false))
}

/// Where a product has no picture yet: its initial on a tint of the theme's colour, so
/// the shop looks intended rather than broken.
fn placeholder(out: &mut String, name: &str, size: &str) {
    let initial: String = name
        .chars()
        .find(|c| c.is_alphanumeric())
        .into_iter()
        .flat_map(char::to_uppercase)
        .collect();
    let _ = write!(
        out,
        r#"<div class="product-placeholder flex aspect-square w-full items-center justify-center themed-radius font-bold {size}" style="background: color-mix(in srgb, var(--color-primary) 12%, var(--color-bg)); color: var(--color-primary)" aria-hidden="true">{}</div>"#,
        escape(&initial)
    );
}

/// A grid of product cards, each linking to its page.
pub(super) fn product_cards(
    out: &mut String,
    products: &[&Published<ProductContent>],
    media: &[MediaFile],
) {
    out.push_str(r#"<ul class="grid grid-cols-2 gap-4 sm:gap-8 lg:grid-cols-4">"#);
    for product in products {
        let content = &product.content;
        out.push_str(r#"<li class="product-card">"#);
        let _ = write!(
            out,
            r#"<a class="block group" href="{}">"#,
            escape(&product.path())
        );
        match first_image(content) {
            Some(image) => {
                let _ = write!(
                    out,
                    r#"<img class="aspect-square w-full themed-radius object-cover" src="{}"{} alt="{}" loading="lazy">"#,
                    escape(image.src.trim()),
                    responsive(&image.src, media, CARD_SIZES),
                    escape(&image.alt)
                );
            }
            None => placeholder(out, &content.name, "text-4xl"),
        }
        let _ = write!(
            out,
            r#"<h3 class="mt-3 font-semibold group-hover:underline">{}</h3><p class="product-price mt-1" style="color: var(--color-primary)">{}</p></a></li>"#,
            escape(&content.name),
            escape(&content.price.display())
        );
    }
    out.push_str("</ul>");
}

pub fn product_list_document(
    tenant: &Tenant,
    products: &[Published<ProductContent>],
    page: i64,
    pages: i64,
    at: Location,
    media: &[MediaFile],
) -> String {
    let mut main = String::from(
        r#"<main class="mx-auto max-w-5xl px-6 py-16"><h1 class="text-4xl font-bold mb-10">Products</h1>"#,
    );
    if products.is_empty() {
        main.push_str(r#"<p class="opacity-75">No products yet. Check back soon.</p>"#);
    } else {
        product_cards(&mut main, &products.iter().collect::<Vec<_>>(), media);
    }
    let head_links = pagination(
        &mut main,
        Pages {
            current: page,
            last: pages,
            labels: ("← Previous", "Next →"),
        },
        |n| {
            if n <= 1 {
                "/products".to_string()
            } else {
                format!("/products/page/{n}")
            }
        },
        at.origin,
    );
    main.push_str("</main>");
    let title = if page > 1 {
        format!("Products (page {page} of {pages})")
    } else {
        "Products".to_string()
    };
    let title = full_title(tenant, &title);
    let description = format!("Products of {}", tenant.name);
    let head = Head {
        title: &title,
        description: &description,
        kind: "website",
        image: None,
        structured: Vec::new(),
    }
    .render(tenant, at)
        + &head_links;
    document(tenant, at.path, &title, &head, &main)
}

pub fn product_document(
    tenant: &Tenant,
    product: &Published<ProductContent>,
    at: Location,
    media: &[MediaFile],
) -> String {
    let content = &product.content;
    let images: Vec<&crate::cms::Image> = content
        .images
        .iter()
        .filter(|image| is_safe_url(&image.src, false))
        .collect();
    let mut main = String::from(
        r#"<main class="mx-auto max-w-5xl px-6 py-16"><div class="grid gap-10 md:grid-cols-2"><div class="product-images space-y-4">"#,
    );
    if images.is_empty() {
        placeholder(&mut main, &content.name, "text-8xl");
    }
    for (n, image) in images.iter().enumerate() {
        let lazy = if n == 0 { "" } else { r#" loading="lazy""# };
        let _ = write!(
            main,
            r#"<img class="w-full themed-radius object-cover" src="{}"{} alt="{}"{lazy}>"#,
            escape(image.src.trim()),
            responsive(&image.src, media, "(min-width: 768px) 50vw, 100vw"),
            escape(&image.alt)
        );
    }
    let _ = write!(
        main,
        r#"</div><div><h1 class="text-4xl font-bold tracking-tight">{}</h1><p class="product-price mt-4 text-2xl font-semibold" style="color: var(--color-primary)">{}</p>"#,
        escape(&content.name),
        escape(&content.price.display())
    );
    if !content.summary.is_empty() {
        let _ = write!(
            main,
            r#"<p class="mt-4 text-lg">{}</p>"#,
            escape(&content.summary)
        );
    }
    if !content.buy_url.trim().is_empty() {
        let _ = write!(
            main,
            r#"<a class="buy mt-8 inline-block themed-radius px-6 py-3 font-semibold text-white" style="background: var(--color-primary)" href="{}" rel="nofollow">Buy now</a>"#,
            href(&content.buy_url)
        );
    }
    let _ = write!(
        main,
        r#"<div class="prose-block mt-8">{}</div><p class="mt-12"><a class="hover:underline" style="color: var(--color-primary)" href="/products">← All products</a></p></div></div></main>"#,
        super::markdown::to_safe_html(&content.description)
    );
    let title = full_title(tenant, &content.name);
    let offer_url = if is_safe_url(&content.buy_url, false) {
        absolute_url(at.origin, &content.buy_url)
    } else {
        at.url()
    };
    let data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": content.name,
        "description": content.summary,
        "url": at.url(),
        "image": images.iter().map(|image| absolute_url(at.origin, &image.src)).collect::<Vec<_>>(),
        "brand": { "@type": "Brand", "name": tenant.name },
        "offers": {
            "@type": "Offer",
            "price": content.price.decimal(),
            "priceCurrency": content.price.currency,
            "url": offer_url,
            "availability": "https://schema.org/InStock",
        },
    });
    let head = Head {
        title: &title,
        description: &content.summary,
        kind: "product",
        image: images.first().map(|image| image.src.as_str()),
        structured: vec![data],
    }
    .render(tenant, at);
    document(tenant, at.path, &title, &head, &main)
}

//! Tenant websites: server-rendered HTML from published CMS content, themed from the
//! tenant's configuration. No WASM, no JavaScript needed to read them.

#[cfg(feature = "ssr")]
pub mod blog;
#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod check;
pub mod host;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod load;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod render;
#[cfg(feature = "ssr")]
pub mod shop;

/// The highest page number of any list (a million posts); past it there is no page.
pub const MAX_PAGE: i64 = 100_000;

/// The site check's job: audit the tenant's published site as search engines see it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SiteCheck {}

/// What a page's blocks need besides their own content: the products its product grids
/// may show (the newest, and any chosen by slug) and the library files its images use.
/// `newest_read` are the newest products when they were read with the page (newest first,
/// as many as a grid can show); else they are read here when a grid wants them.
#[cfg(feature = "ssr")]
pub async fn extras_for(
    db: &crate::server::Db,
    tenant_id: &str,
    page: &crate::cms::PageContent,
    newest_read: Option<Vec<crate::cms::Published<crate::cms::ProductContent>>>,
) -> Result<render::Extras, crate::server::StoreError> {
    use crate::cms::{store, Block, ProductContent};
    let mut newest = 0;
    let mut chosen = Vec::new();
    let mut media_ids = Vec::new();
    for block in &page.blocks {
        match block {
            Block::ProductGrid {
                products, count, ..
            } => {
                if products.is_empty() {
                    newest = newest.max(i64::from(*count));
                } else {
                    chosen.extend(products.iter().cloned());
                }
            }
            Block::Gallery { images, .. } => {
                media_ids.extend(images.iter().map(|image| image.src.clone()))
            }
            Block::Hero {
                background_image: Some(src),
                ..
            } => media_ids.push(src.clone()),
            _ => {}
        }
    }
    let mut products = match newest_read {
        Some(mut read) => {
            read.truncate(usize::try_from(newest).unwrap_or(0));
            read
        }
        None if newest > 0 => {
            store::newest_items::<ProductContent>(db, tenant_id, None, 0, newest).await?
        }
        None => Vec::new(),
    };
    // The newest stay first: a "latest N" grid takes from the front.
    chosen.retain(|slug| !products.iter().any(|product| product.slug == *slug));
    products.extend(store::published_with_slugs::<ProductContent>(db, tenant_id, &chosen).await?);
    let mut wanted: Vec<String> = media_ids;
    wanted.extend(image_sources(products.iter().map(|p| &p.content)));
    let media = media_for(db, tenant_id, &wanted).await?;
    Ok(render::Extras { products, media })
}

/// The library files behind these image URLs (others are ignored), for `srcset`.
#[cfg(feature = "ssr")]
pub async fn media_for(
    db: &crate::server::Db,
    tenant_id: &str,
    sources: &[String],
) -> Result<Vec<crate::media::MediaFile>, crate::server::StoreError> {
    let mut ids: Vec<&str> = sources
        .iter()
        .filter_map(|src| crate::media::media_id_of(src))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    crate::media::store::files(db, tenant_id, &ids).await
}

/// The image URLs of some products.
#[cfg(feature = "ssr")]
pub fn image_sources<'a>(
    products: impl Iterator<Item = &'a crate::cms::ProductContent>,
) -> Vec<String> {
    products
        .flat_map(|p| p.images.iter().map(|i| i.src.clone()))
        .collect()
}

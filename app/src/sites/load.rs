//! "Load what this document needs, then draw it", once, for every reader of a site: the
//! HTTP path (visitors), the CMS preview (a draft as it would look) and the site check.

use crate::cms::{store as cms, PageContent, PostContent, ProductContent, Published};
use crate::server::{Db, StoreError};
use crate::sites::render::{self, Location, SitemapEntry};
use crate::tenancy::Tenant;

/// What to draw.
pub enum What<'a> {
    /// An address of the published site, such as `/blog/hello`.
    Path(&'a str),
    /// A draft, at the address it would have once published.
    Draft(&'a Draft),
}

/// Unpublished content of any collection, as the editor has it.
pub enum Draft {
    Page(Published<PageContent>),
    Post(Published<PostContent>),
    Product(Published<ProductContent>),
}

impl Draft {
    /// The draft `content` of `collection`, at `slug`, as if published now.
    pub fn read(
        collection: crate::cms::Collection,
        slug: &str,
        content: serde_json::Value,
    ) -> Result<Draft, serde_json::Error> {
        fn now<C>(slug: &str, content: C) -> Published<C> {
            let now = crate::server::now_ms();
            Published {
                id: String::new(),
                slug: slug.to_string(),
                content,
                published_at: now,
                first_published_at: now,
            }
        }
        Ok(crate::cms::with_content!(collection, |C| {
            Draft::from(now::<C>(slug, serde_json::from_value(content)?))
        }))
    }

    /// Its address on the site.
    pub fn path(&self) -> String {
        match self {
            Draft::Page(page) => page.path(),
            Draft::Post(post) => post.path(),
            Draft::Product(product) => product.path(),
        }
    }
}

impl From<Published<PageContent>> for Draft {
    fn from(page: Published<PageContent>) -> Draft {
        Draft::Page(page)
    }
}

impl From<Published<PostContent>> for Draft {
    fn from(post: Published<PostContent>) -> Draft {
        Draft::Post(post)
    }
}

impl From<Published<ProductContent>> for Draft {
    fn from(product: Published<ProductContent>) -> Draft {
        Draft::Product(product)
    }
}

/// What a visitor would find.
#[derive(Debug, PartialEq)]
pub enum Found {
    Page(String),
    /// The address moved; visitors are redirected here.
    Moved(String),
    Missing,
}

/// Draws `what` of the tenant's site as visitors (or, for a draft, its editors) see it;
/// `origin` is where the site's own links point.
pub async fn load(
    db: &Db,
    tenant: &Tenant,
    origin: &str,
    what: What<'_>,
) -> Result<Found, StoreError> {
    match what {
        What::Draft(draft) => {
            let path = draft.path();
            let at = Location {
                origin,
                path: &path,
            };
            Ok(Found::Page(draw_draft(db, tenant, draft, at).await?))
        }
        What::Path(path) => {
            let trimmed = path.trim_matches('/');
            let path = format!("/{trimmed}");
            let at = Location {
                origin,
                path: &path,
            };
            if let Some(route) = route(trimmed) {
                if let Some(html) = draw_route(db, tenant, &route, at).await? {
                    return Ok(Found::Page(html));
                }
            }
            Ok(match cms::redirect_for(db, &tenant.id, &path).await? {
                Some(to) => Found::Moved(to),
                None => Found::Missing,
            })
        }
    }
}

/// What a path on a tenant's site shows.
#[derive(Debug, PartialEq, Eq)]
enum Route<'a> {
    /// A CMS page; "" is the home page, nested slugs such as `services/design` allowed.
    Page(&'a str),
    /// A page of the blog, optionally only posts with a tag.
    Blog {
        tag: Option<&'a str>,
        page: i64,
    },
    Post(&'a str),
    Products {
        page: i64,
    },
    Product(&'a str),
}

/// `/page/2` after a list's own path; page 1 has no such suffix. Numbers past any list
/// a site can hold are no page (and never reach the offset arithmetic).
fn page_number(rest: &[&str]) -> Option<i64> {
    match rest {
        [] => Some(1),
        ["page", n] => n
            .parse()
            .ok()
            .filter(|n| (2..=crate::sites::MAX_PAGE).contains(n)),
        _ => None,
    }
}

/// The route of a path (without its surrounding slashes), or None for one no content
/// can have, such as `/blog/page/0`.
fn route(path: &str) -> Option<Route<'_>> {
    let segments: Vec<&str> = path.split('/').collect();
    Some(match segments.as_slice() {
        ["blog", "tag", tag, rest @ ..] => Route::Blog {
            tag: Some(tag),
            page: page_number(rest)?,
        },
        ["blog", "page", ..] | ["blog"] => Route::Blog {
            tag: None,
            page: page_number(&segments[1..])?,
        },
        ["blog", slug] => Route::Post(slug),
        ["products", "page", ..] | ["products"] => Route::Products {
            page: page_number(&segments[1..])?,
        },
        ["products", slug] => Route::Product(slug),
        ["blog" | "products", ..] => return None,
        _ => Route::Page(path),
    })
}

/// A single page, post or product with what it shows besides itself (forms' pages,
/// product cards, image sizes).
async fn draw_draft(
    db: &Db,
    tenant: &Tenant,
    draft: &Draft,
    at: Location<'_>,
) -> Result<String, StoreError> {
    use crate::sites::{blog, shop};
    Ok(match draft {
        Draft::Page(page) => {
            let extras = crate::sites::extras_for(db, &tenant.id, &page.content, None).await?;
            render::page_document(tenant, &page.content, at, &extras)
        }
        Draft::Post(post) => {
            let cover: Vec<String> = post
                .content
                .cover_image
                .iter()
                .map(|i| i.src.clone())
                .collect();
            let media = crate::sites::media_for(db, &tenant.id, &cover).await?;
            blog::post_document(tenant, post, at, &media)
        }
        Draft::Product(product) => {
            let images = crate::sites::image_sources(std::iter::once(&product.content));
            let media = crate::sites::media_for(db, &tenant.id, &images).await?;
            shop::product_document(tenant, product, at, &media)
        }
    })
}

/// The HTML of a route, or None when nothing is published there.
async fn draw_route(
    db: &Db,
    tenant: &Tenant,
    route: &Route<'_>,
    at: Location<'_>,
) -> Result<Option<String>, StoreError> {
    use crate::sites::{blog, shop};
    let pages = |total: i64, per_page: i64| (total + per_page - 1).div_euclid(per_page).max(1);
    let one = match *route {
        Route::Page(slug) => {
            // The page and its grids' newest products in one statement (a miss's cost).
            let Some((page, newest)) =
                cms::published_page_with_products(db, &tenant.id, slug).await?
            else {
                return Ok(None);
            };
            let extras =
                crate::sites::extras_for(db, &tenant.id, &page.content, Some(newest)).await?;
            return Ok(Some(render::page_document(
                tenant,
                &page.content,
                at,
                &extras,
            )));
        }
        Route::Post(slug) => cms::published_by_slug::<PostContent>(db, &tenant.id, slug)
            .await?
            .map(Draft::Post),
        Route::Product(slug) => cms::published_by_slug::<ProductContent>(db, &tenant.id, slug)
            .await?
            .map(Draft::Product),
        Route::Blog { tag, page } => {
            let per_page = blog::POSTS_PER_PAGE;
            let listing =
                cms::newest::<PostContent>(db, &tenant.id, tag, (page - 1) * per_page, per_page)
                    .await?;
            let last = pages(listing.total, per_page);
            // A tag no published post has is not a page.
            let label = match tag {
                Some(tag) => match listing.items.first().and_then(|post| {
                    post.content
                        .tag_slugs()
                        .into_iter()
                        .find(|(_, slug)| slug == tag)
                        .map(|(label, _)| label.to_string())
                }) {
                    Some(label) => Some((label, tag)),
                    None => return Ok(None),
                },
                None => None,
            };
            return Ok((page <= last).then(|| {
                blog::post_list_document(
                    tenant,
                    &blog::PostList {
                        posts: &listing.items,
                        page,
                        pages: last,
                        tag: label.as_ref().map(|(label, slug)| (label.as_str(), *slug)),
                    },
                    at,
                )
            }));
        }
        Route::Products { page } => {
            let per_page = shop::PRODUCTS_PER_PAGE;
            let listing = cms::newest::<ProductContent>(
                db,
                &tenant.id,
                None,
                (page - 1) * per_page,
                per_page,
            )
            .await?;
            let last = pages(listing.total, per_page);
            let images = crate::sites::image_sources(listing.items.iter().map(|p| &p.content));
            let media = crate::sites::media_for(db, &tenant.id, &images).await?;
            return Ok((page <= last).then(|| {
                shop::product_list_document(tenant, &listing.items, page, last, at, &media)
            }));
        }
    };
    match one {
        Some(draft) => Ok(Some(draw_draft(db, tenant, &draft, at).await?)),
        None => Ok(None),
    }
}

/// Every published page, post and product, and the lists when they have something.
pub async fn sitemap_entries(db: &Db, tenant_id: &str) -> Result<Vec<SitemapEntry>, StoreError> {
    fn entries<C: crate::cms::Content>(
        published: &[Published<C>],
    ) -> impl Iterator<Item = SitemapEntry> + '_ {
        published.iter().map(|p| SitemapEntry {
            path: p.path(),
            modified: p.published_at,
        })
    }
    fn list<C: crate::cms::Content>(
        path: &str,
        published: &[Published<C>],
    ) -> Option<SitemapEntry> {
        published
            .iter()
            .map(|p| p.published_at)
            .max()
            .map(|modified| SitemapEntry {
                path: path.to_string(),
                modified,
            })
    }
    let pages = cms::published::<PageContent>(db, tenant_id).await?;
    let posts = cms::published::<PostContent>(db, tenant_id).await?;
    let products = cms::published::<ProductContent>(db, tenant_id).await?;
    let mut all: Vec<SitemapEntry> = entries(&pages).collect();
    all.extend(list("/blog", &posts));
    all.extend(entries(&posts));
    all.extend(list("/products", &products));
    all.extend(entries(&products));
    Ok(all)
}

/// Every published address of the tenant's site (as the sitemap lists them).
pub async fn published_paths(db: &Db, tenant_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(sitemap_entries(db, tenant_id)
        .await?
        .into_iter()
        .map(|entry| entry.path)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::{route, Route};

    #[test]
    fn paths_have_routes() {
        assert_eq!(route(""), Some(Route::Page("")));
        assert_eq!(
            route("services/design"),
            Some(Route::Page("services/design"))
        );
        assert_eq!(route("blog"), Some(Route::Blog { tag: None, page: 1 }));
        assert_eq!(
            route("blog/page/3"),
            Some(Route::Blog { tag: None, page: 3 })
        );
        assert_eq!(route("blog/page/1"), None, "page 1 lives at /blog");
        assert_eq!(route("blog/page/x"), None);
        assert_eq!(
            route("blog/tag/news/page/2"),
            Some(Route::Blog {
                tag: Some("news"),
                page: 2
            })
        );
        assert_eq!(route("blog/hello"), Some(Route::Post("hello")));
        assert_eq!(route("blog/a/b"), None);
        assert_eq!(route("products"), Some(Route::Products { page: 1 }));
        assert_eq!(route("products/anvil"), Some(Route::Product("anvil")));
        assert_eq!(route("products/page/2"), Some(Route::Products { page: 2 }));
        // Numbers no list reaches are no page, rather than wrapping round to the first.
        assert_eq!(route("blog/page/9223372036854775807"), None);
        assert_eq!(route("products/page/100001"), None);
        assert_eq!(
            route("products/page/100000"),
            Some(Route::Products { page: 100_000 })
        );
    }
}

//! HTTP side of tenant websites: find the tenant and its published page, answer with HTML.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use app::cms::{store as cms, PageContent, PostContent, ProductContent, Published};
use app::sites::cache::CachedPage;
use app::sites::render::{self, Location, SitemapEntry};
use app::tenancy::{store as tenants, Tenant};

use crate::ServerState;

/// What a site needs to know of a request.
pub struct SiteRequest {
    /// `scheme://host[:port]` as the visitor asked for it. Only built for hosts matched
    /// to a site, so the Host header is known to be one of ours.
    origin: String,
    path: String,
    if_none_match: Option<String>,
    accept_encoding: String,
    /// The Referer's host when it is another site.
    referrer: String,
    /// IP and user agent; only ever stored as a daily-salted hash.
    visitor_key: String,
}

impl SiteRequest {
    /// The origin the site's own URLs use (canonical, sitemap, feeds): its verified custom
    /// domain when it has one, so search engines index one address; else the one asked.
    fn canonical_origin(&self, tenant: &Tenant, scheme: &str) -> String {
        match &tenant.custom_domain {
            Some(domain) if !self.is_host(domain) => format!("{scheme}://{domain}"),
            _ => self.origin.clone(),
        }
    }

    fn is_host(&self, name: &str) -> bool {
        let host = self.origin.split_once("://").map_or("", |(_, host)| host);
        let host = host.rsplit_once(':').map_or(host, |(name, _)| name);
        host == name
    }

    pub fn of(state: &ServerState, request: &Request) -> SiteRequest {
        let headers = request.headers();
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or(&state.app.base_domain);
        let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok());
        let ip = client_ip(state, request)
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        let agent = headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        SiteRequest {
            referrer: app::analytics::referrer_host(referer, host),
            visitor_key: format!("{ip}\n{agent}"),
            origin: format!("{}://{}", state.scheme, host.to_ascii_lowercase()),
            path: request.uri().path().to_string(),
            accept_encoding: headers
                .get(header::ACCEPT_ENCODING)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string(),
            if_none_match: headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        }
    }
}

pub async fn tenant_site(state: &ServerState, slug: &str, request: SiteRequest) -> Response {
    match tenant_by_slug(state, slug).await {
        Ok(Some(tenant)) => site_response(state, &tenant, &request).await,
        Ok(None) => unknown_site(),
        Err(err) => internal(err),
    }
}

/// The tenant at a subdomain, from memory when it was read before.
async fn tenant_by_slug(
    state: &ServerState,
    slug: &str,
) -> Result<Option<std::sync::Arc<Tenant>>, app::server::StoreError> {
    let cache = &state.app.site_cache;
    if let Some(tenant) = cache.tenant(slug) {
        return Ok(Some(tenant));
    }
    // Unknown slugs are not cached: they cost one indexed read, and cannot fill memory.
    let changes = cache.changes();
    let tenant = tenants::tenant_by_slug(&state.app.db, slug)
        .await?
        .map(std::sync::Arc::new);
    if let Some(tenant) = &tenant {
        cache.insert_tenant(changes, tenant.clone());
    }
    Ok(tenant)
}

/// A custom domain: served once verified, at the name the tenant prefers (the other
/// name redirects there). Hosts we do not serve get the same neutral 404 as always.
pub async fn custom_domain_site(state: &ServerState, host: &str, request: Request) -> Response {
    if host.is_empty() {
        return unknown_site();
    }
    let cache = &state.app.site_cache;
    let site = match cache.domain(host) {
        Some(site) => site,
        None => {
            let changes = cache.changes();
            match app::domains::store::site_for_host(&state.app.db, host).await {
                Ok(Some(site)) => {
                    cache.insert_domain(changes, host, site.clone());
                    site
                }
                Ok(None) => return unknown_site(),
                Err(err) => return internal(err),
            }
        }
    };
    let canonical = site.domain.canonical_host();
    if host != canonical {
        let port = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.rsplit_once(':'))
            .map(|(_, port)| format!(":{port}"))
            .unwrap_or_default();
        let path = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let location = format!("{}://{canonical}{port}{path}", state.scheme);
        return match HeaderValue::from_str(&location) {
            Ok(location) => (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response(),
            Err(_) => unknown_site(),
        };
    }
    if request.method() == axum::http::Method::POST && request.uri().path() == "/_form" {
        return tenant_form(state, &site.tenant_slug, request).await;
    }
    let site_request = SiteRequest::of(state, &request);
    tenant_site(state, &site.tenant_slug, site_request).await
}

/// The bare platform host serves the built-in platform tenant's site (the marketing site).
pub async fn platform_site(State(state): State<ServerState>, request: Request) -> Response {
    let request = SiteRequest::of(&state, &request);
    match tenants::platform_tenant(&state.app.db).await {
        Ok(Some(tenant)) => site_response(&state, &tenant, &request).await,
        Ok(None) => unknown_site(),
        Err(err) => internal(err),
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

/// `/page/2` after a list's own path; page 1 has no such suffix.
fn page_number(rest: &[&str]) -> Option<i64> {
    match rest {
        [] => Some(1),
        ["page", n] => n.parse().ok().filter(|n| *n >= 2),
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

async fn site_response(state: &ServerState, tenant: &Tenant, request: &SiteRequest) -> Response {
    let origin = &request.canonical_origin(tenant, state.scheme);
    match request.path.as_str() {
        "/robots.txt" => (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            render::robots(origin, tenant.is_platform),
        )
            .into_response(),
        "/sitemap.xml" => match sitemap_entries(&state.app.db, &tenant.id).await {
            Ok(entries) => (
                [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
                render::sitemap(origin, &entries),
            )
                .into_response(),
            Err(err) => internal(err),
        },
        "/blog/feed.xml" => {
            match cms::newest::<PostContent>(&state.app.db, &tenant.id, None, 0, FEED_POSTS).await {
                Ok(listing) => (
                    [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
                    app::sites::blog::atom_feed(tenant, origin, &listing.items),
                )
                    .into_response(),
                Err(err) => internal(err),
            }
        }
        path if path.starts_with("/media/") => {
            let mut parts = path["/media/".len()..].splitn(2, '/');
            match (parts.next(), parts.next()) {
                (Some(id), Some(name)) => crate::media::serve(state, &tenant.id, id, name).await,
                _ => unknown_site(),
            }
        }
        _ => page_of(state, tenant, request).await,
    }
}

/// Posts in the Atom feed.
const FEED_POSTS: i64 = 20;

/// Every published page, post and product, and the lists when they have something.
async fn sitemap_entries(
    db: &app::server::Db,
    tenant_id: &str,
) -> Result<Vec<SitemapEntry>, app::server::StoreError> {
    fn entries<C: app::cms::Content>(
        published: &[Published<C>],
    ) -> impl Iterator<Item = SitemapEntry> + '_ {
        published.iter().map(|p| SitemapEntry {
            path: p.path(),
            modified: p.published_at,
        })
    }
    fn list<C: app::cms::Content>(path: &str, published: &[Published<C>]) -> Option<SitemapEntry> {
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

/// What a visitor would find at `path` on the tenant's site, rendered by the site's own
/// renderer (the site check crawls with it).
pub enum Found {
    Page(String),
    /// The address moved; visitors are redirected here.
    Moved(String),
    Missing,
}

pub async fn look_up(
    db: &app::server::Db,
    tenant: &Tenant,
    origin: &str,
    path: &str,
) -> Result<Found, app::server::StoreError> {
    let trimmed = path.trim_matches('/');
    let path = format!("/{trimmed}");
    let at = Location {
        origin,
        path: &path,
    };
    if let Some(route) = route(trimmed) {
        if let Some(html) = render_route(db, tenant, &route, at).await? {
            return Ok(Found::Page(html));
        }
    }
    Ok(match cms::redirect_for(db, &tenant.id, &path).await? {
        Some(to) => Found::Moved(to),
        None => Found::Missing,
    })
}

/// Every published address of the tenant's site (as the sitemap lists them).
pub async fn published_paths(
    db: &app::server::Db,
    tenant_id: &str,
) -> Result<Vec<String>, app::server::StoreError> {
    Ok(sitemap_entries(db, tenant_id)
        .await?
        .into_iter()
        .map(|entry| entry.path)
        .collect())
}

pub fn unknown_site() -> Response {
    (StatusCode::NOT_FOUND, Html(render::unknown_site_document())).into_response()
}

/// The HTML of a route, or None when nothing is published there.
async fn render_route(
    db: &app::server::Db,
    tenant: &Tenant,
    route: &Route<'_>,
    at: Location<'_>,
) -> Result<Option<String>, app::server::StoreError> {
    use app::sites::{blog, shop};
    let pages = |total: i64, per_page: i64| (total + per_page - 1).div_euclid(per_page).max(1);
    Ok(match *route {
        Route::Page(slug) => {
            match cms::published_by_slug::<PageContent>(db, &tenant.id, slug).await? {
                Some(page) => {
                    let extras = app::sites::extras_for(db, &tenant.id, &page.content).await?;
                    Some(render::page_document(tenant, &page.content, at, &extras))
                }
                None => None,
            }
        }
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
            (page <= last).then(|| {
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
            })
        }
        Route::Post(slug) => {
            match cms::published_by_slug::<PostContent>(db, &tenant.id, slug).await? {
                Some(post) => {
                    let cover: Vec<String> = post
                        .content
                        .cover_image
                        .iter()
                        .map(|i| i.src.clone())
                        .collect();
                    let media = app::sites::media_for(db, &tenant.id, &cover).await?;
                    Some(blog::post_document(tenant, &post, at, &media))
                }
                None => None,
            }
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
            let images = app::sites::image_sources(listing.items.iter().map(|p| &p.content));
            let media = app::sites::media_for(db, &tenant.id, &images).await?;
            (page <= last).then(|| {
                shop::product_list_document(tenant, &listing.items, page, last, at, &media)
            })
        }
        Route::Product(slug) => {
            match cms::published_by_slug::<ProductContent>(db, &tenant.id, slug).await? {
                Some(product) => {
                    let images = app::sites::image_sources(std::iter::once(&product.content));
                    let media = app::sites::media_for(db, &tenant.id, &images).await?;
                    Some(shop::product_document(tenant, &product, at, &media))
                }
                None => None,
            }
        }
    })
}

async fn page_of(state: &ServerState, tenant: &Tenant, request: &SiteRequest) -> Response {
    let trimmed = request.path.trim_matches('/');
    let path = format!("/{trimmed}");
    let cache = &state.app.site_cache;
    // The page names its own URL (canonical, og:url), so the host is part of the key.
    let key = format!("{}{path}", request.origin);
    let page = match cache.get(&tenant.id, &key) {
        Some(page) => page,
        None => {
            let changes = cache.changes();
            let origin = request.canonical_origin(tenant, state.scheme);
            let at = Location {
                origin: &origin,
                path: &path,
            };
            let html = match route(trimmed) {
                Some(route) => render_route(&state.app.db, tenant, &route, at).await,
                None => Ok(None),
            };
            match html {
                Ok(Some(html)) => cache.insert(&tenant.id, &key, changes, CachedPage::new(html)),
                Ok(None) => return moved_or_not_found(state, tenant, &path).await,
                Err(err) => return internal(err),
            }
        }
    };
    count_view(state, tenant, request, &path).await;
    // Browsers revalidate every time (a publish shows on the next request), and get a
    // bodiless 304 when nothing changed.
    let headers = [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (header::VARY, HeaderValue::from_static("accept-encoding")),
        (
            header::ETAG,
            HeaderValue::from_str(&page.etag).expect("a hex etag"),
        ),
    ];
    let unchanged = request.if_none_match.as_deref().is_some_and(|tags| {
        tags.split(',')
            .any(|tag| tag.trim() == page.etag || tag.trim() == "*")
    });
    if unchanged {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let html = HeaderValue::from_static("text/html; charset=utf-8");
    let accepts = |coding: &str| {
        request.accept_encoding.split(',').any(|c| {
            c.split(';')
                .next()
                .is_some_and(|name| name.trim().eq_ignore_ascii_case(coding))
        })
    };
    if accepts("br") {
        let encoding = [
            (header::CONTENT_TYPE, html),
            (header::CONTENT_ENCODING, HeaderValue::from_static("br")),
        ];
        (headers, encoding, page.brotli.clone()).into_response()
    } else if accepts("gzip") {
        let encoding = [
            (header::CONTENT_TYPE, html),
            (header::CONTENT_ENCODING, HeaderValue::from_static("gzip")),
        ];
        (headers, encoding, page.gzip.clone()).into_response()
    } else {
        (headers, [(header::CONTENT_TYPE, html)], page.html.clone()).into_response()
    }
}

/// An address that moved answers with a permanent redirect; anything else is the
/// tenant's own 404 page.
async fn moved_or_not_found(state: &ServerState, tenant: &Tenant, path: &str) -> Response {
    match cms::redirect_for(&state.app.db, &tenant.id, path).await {
        Ok(Some(to)) => match HeaderValue::from_str(&to) {
            Ok(location) => (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response(),
            Err(_) => internal(app::server::StoreError::Corrupt(format!(
                "redirect target {to:?}"
            ))),
        },
        Ok(None) => (
            StatusCode::NOT_FOUND,
            Html(render::not_found_document(tenant)),
        )
            .into_response(),
        Err(err) => internal(err),
    }
}

/// Counts a view of a published page (in memory; written in batches).
async fn count_view(state: &ServerState, tenant: &Tenant, request: &SiteRequest, path: &str) {
    let view = app::analytics::store::PageView {
        path,
        referrer: &request.referrer,
        visitor_key: &request.visitor_key,
    };
    if let Err(err) = state
        .app
        .views
        .record(&state.app.db, &tenant.id, view)
        .await
    {
        tracing::warn!(error = %err, "could not count a page view");
    }
}

fn internal(err: app::server::StoreError) -> Response {
    tracing::error!(error = %err, "site rendering failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong. Please try again.",
    )
        .into_response()
}

/// The visitor's IP: the connection's peer, or behind a trusted reverse proxy the
/// address that proxy appended last to X-Forwarded-For (earlier entries can be forged).
pub fn client_ip(state: &ServerState, request: &Request) -> Option<std::net::IpAddr> {
    if state.trust_proxy {
        let forwarded = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last()
            .and_then(|ip| ip.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
}

/// Largest form body accepted (a long message fits many times over).
const MAX_FORM_BYTES: usize = 32 * 1024;

/// Lead forms allowed per visitor IP: a burst of 5, then one every 12 seconds.
pub fn lead_limiter() -> governor::DefaultKeyedRateLimiter<std::net::IpAddr> {
    let quota = governor::Quota::per_minute(std::num::NonZeroU32::new(5).expect("non-zero"));
    governor::RateLimiter::keyed(quota)
}

/// A lead form posted from the platform's own site.
pub async fn platform_form(State(state): State<ServerState>, request: Request) -> Response {
    match tenants::platform_tenant(&state.app.db).await {
        Ok(Some(tenant)) => submit_form(&state, &tenant, request).await,
        Ok(None) => unknown_site(),
        Err(err) => internal(err),
    }
}

pub async fn tenant_form(state: &ServerState, slug: &str, request: Request) -> Response {
    match tenant_by_slug(state, slug).await {
        Ok(Some(tenant)) => submit_form(state, &tenant, request).await,
        Ok(None) => unknown_site(),
        Err(err) => internal(err),
    }
}

/// A contact form, posted without any JavaScript: checked, stored as a CRM contact of
/// this tenant (and only this one), announced in the activity feed, answered with a
/// themed page.
async fn submit_form(state: &ServerState, tenant: &Tenant, request: Request) -> Response {
    use app::crm::parse_lead;
    use std::collections::HashMap;

    // Every answer is a short page in the tenant's theme.
    let answer = |status: StatusCode, title: &str, lines: &[String], back: &str| {
        (
            status,
            Html(render::message_document(tenant, title, lines, back)),
        )
            .into_response()
    };
    if let Some(ip) = client_ip(state, &request) {
        if state.lead_limiter.check_key(&ip).is_err() {
            tracing::info!(tenant = %tenant.slug, %ip, "lead form rate limited");
            let mut response = answer(
                StatusCode::TOO_MANY_REQUESTS,
                "Please wait a moment",
                &[
                    "You have sent several messages in a short time. Please try again in a minute."
                        .into(),
                ],
                "/",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            return response;
        }
    }
    let Ok(body) = axum::body::to_bytes(request.into_body(), MAX_FORM_BYTES).await else {
        let shorten = ["Please shorten your message and send it again.".to_string()];
        return answer(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Message too long",
            &shorten,
            "/",
        );
    };
    let values: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let slug = values.get("_page").cloned().unwrap_or_default();
    let back = format!("/{slug}");
    if values
        .get(render::HONEYPOT_FIELD)
        .is_some_and(|v| !v.is_empty())
    {
        tracing::info!(tenant = %tenant.slug, "lead form spam (honeypot filled)");
        let not_sent = ["Your message could not be sent.".to_string()];
        return answer(
            StatusCode::BAD_REQUEST,
            "Message not sent",
            &not_sent,
            &back,
        );
    }
    // The form's fields come from the published page, never from the request.
    let form = match cms::published_by_slug::<PageContent>(&state.app.db, &tenant.id, &slug).await {
        Ok(page) => page
            .map(|page| page.content)
            .zip(values.get("_block").and_then(|n| n.parse::<usize>().ok()))
            .and_then(|(page, n)| page.blocks.into_iter().nth(n))
            .and_then(|block| match block {
                app::cms::Block::ContactForm {
                    fields, thank_you, ..
                } => Some((fields, thank_you)),
                _ => None,
            }),
        Err(err) => return internal(err),
    };
    let Some((fields, thank_you)) = form else {
        let gone = ["This form is no longer on the site.".to_string()];
        return answer(StatusCode::NOT_FOUND, "Form not found", &gone, "/");
    };
    let lead = match parse_lead(&fields, &values) {
        Ok(lead) => lead,
        Err(problems) => {
            return answer(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Please check the form",
                &problems,
                &back,
            )
        }
    };
    match record_lead(state, tenant, &slug, &lead).await {
        Ok(event) => state.app.feed_changed(&event.tenant_id).await,
        Err(err) => return internal(err),
    }
    tracing::info!(tenant = %tenant.slug, page = %back, "lead captured");
    answer(StatusCode::OK, "Thank you", &[thank_you], &back)
}

async fn record_lead(
    state: &ServerState,
    tenant: &Tenant,
    slug: &str,
    lead: &app::crm::Lead,
) -> Result<app::activity::AgentTaskEvent, app::server::StoreError> {
    use app::activity::store::{create_task, NewTask};
    use app::activity::TaskStatus;
    let mut tx = state.app.db.pool.begin().await?;
    let contact_id = app::crm::store::record_lead(&mut tx, &tenant.id, slug, lead).await?;
    let who = if lead.name.is_empty() {
        lead.email.clone()
    } else {
        format!("{} <{}>", lead.name, lead.email)
    };
    let task_id = app::server::new_id();
    let summary = format!("New lead: {who} via /{slug}");
    let event = create_task(
        &mut tx,
        &tenant.id,
        NewTask {
            status: TaskStatus::Completed,
            progress: 100,
            summary: Some(&summary),
            metadata: serde_json::json!({ "contact_id": contact_id, "page": format!("/{slug}") }),
            ..NewTask::pending(&task_id, "lead_captured", "lead-forms")
        },
    )
    .await?;
    tx.commit().await?;
    Ok(event)
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
    }
}

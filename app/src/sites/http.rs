//! Tenant websites over HTTP. Every tenant host, verified custom domain, and path the
//! platform host does not answer itself is served by this router, for the tenant the
//! Host names (`SiteTenant`).

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, Path, State};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::cache::CachedPage;
use super::host::{classify_host, host_of, origin, split_host, SiteHost};
use super::load::{self, Found, What};
use super::render;
use crate::cms::{store as cms, PostContent};
use crate::server::{AppState, StoreError};
use crate::tenancy::{store as tenants, Tenant};

/// The site router; `S` is the server's state, from which the app's and the lead
/// forms' parts are taken.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
    crate::crm::http::LeadLimiter: FromRef<S>,
{
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap))
        .route("/blog/feed.xml", get(feed))
        .route("/media/{id}/{name}", get(media_file))
        .route("/_form", post(crate::crm::http::lead_form))
        .fallback(page)
}

/// The tenant whose site a request is for: a subdomain, a verified custom domain (the
/// other name of it redirects to the one the tenant prefers), or the platform's own
/// site on the platform host. Hosts we do not serve get one neutral 404.
pub struct SiteTenant(pub Arc<Tenant>);

impl<S> FromRequestParts<S> for SiteTenant
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let app = AppState::from_ref(state);
        let found = match classify_host(host_of(&parts.headers, &parts.uri), &app.base_domain) {
            SiteHost::Platform => tenants::platform_tenant(&app.db)
                .await
                .map(|tenant| tenant.map(Arc::new)),
            SiteHost::Tenant(slug) => tenant_by_slug(&app, &slug).await,
            SiteHost::Other(host) => return custom_domain(&app, &host, parts).await,
        };
        match found {
            Ok(Some(tenant)) => {
                crate::auth::session::record_caller(&tenant.slug, "visitor");
                Ok(SiteTenant(tenant))
            }
            Ok(None) => Err(unknown_site()),
            Err(err) => Err(internal(err)),
        }
    }
}

/// The tenant at a subdomain, from memory when it was read before.
async fn tenant_by_slug(app: &AppState, slug: &str) -> Result<Option<Arc<Tenant>>, StoreError> {
    let cache = app.part::<super::cache::SiteCache>();
    if let Some(tenant) = cache.tenant(slug) {
        return Ok(Some(tenant));
    }
    // Unknown slugs are not cached: they cost one indexed read, and cannot fill memory.
    let changes = cache.changes();
    let tenant = tenants::tenant_by_slug(&app.db, slug).await?.map(Arc::new);
    if let Some(tenant) = &tenant {
        cache.insert_tenant(changes, tenant.clone());
    }
    Ok(tenant)
}

async fn custom_domain(app: &AppState, host: &str, parts: &Parts) -> Result<SiteTenant, Response> {
    if host.is_empty() {
        return Err(unknown_site());
    }
    let cache = app.part::<super::cache::SiteCache>();
    let site = match cache.domain(host) {
        Some(site) => site,
        None => {
            let changes = cache.changes();
            match crate::domains::store::site_for_host(&app.db, host).await {
                Ok(Some(site)) => {
                    cache.insert_domain(changes, host, site.clone());
                    site
                }
                Ok(None) => return Err(unknown_site()),
                Err(err) => return Err(internal(err)),
            }
        }
    };
    let canonical = site.domain.canonical_host();
    if host != canonical {
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let location = format!("{}{path}", origin(app.scheme, &canonical, app.site_port));
        return Err(match HeaderValue::from_str(&location) {
            Ok(location) => (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response(),
            Err(_) => unknown_site(),
        });
    }
    match tenant_by_slug(app, &site.tenant_slug).await {
        Ok(Some(tenant)) => Ok(SiteTenant(tenant)),
        Ok(None) => Err(unknown_site()),
        Err(err) => Err(internal(err)),
    }
}

/// The visitor's IP: the connection's peer, or behind a trusted reverse proxy the
/// address that proxy appended last to X-Forwarded-For (earlier entries can be forged).
pub struct ClientIp(pub Option<IpAddr>);

impl<S> FromRequestParts<S> for ClientIp
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(crate::server::client_ip(
            AppState::from_ref(state).trust_proxy,
            parts,
        )))
    }
}

/// What a site needs to know of a request besides its tenant.
pub struct Visit {
    /// `scheme://host[:port]`: the host the visitor asked for, on the platform's public
    /// port (a Host header's own port is not reflected into links, nor splits the cache).
    /// Only read for hosts matched to a site, so the host is known to be one of ours.
    origin: String,
    path: String,
    if_none_match: Option<String>,
    accept_encoding: String,
    /// The Referer's host when it is another site.
    referrer: String,
    /// IP and user agent; only ever stored as a daily-salted hash.
    visitor_key: String,
    scheme: &'static str,
}

impl<S> FromRequestParts<S> for Visit
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let app = AppState::from_ref(state);
        let text = |name: header::HeaderName| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let host = Some(host_of(&parts.headers, &parts.uri))
            .filter(|h| !h.is_empty())
            .unwrap_or(&app.base_domain);
        let ip = crate::server::client_ip(app.trust_proxy, parts)
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        let agent = text(header::USER_AGENT).unwrap_or_default();
        Ok(Visit {
            referrer: crate::analytics::referrer_host(text(header::REFERER).as_deref(), host),
            visitor_key: format!("{ip}\n{agent}"),
            origin: origin(app.scheme, &split_host(host).0, app.site_port),
            path: parts.uri.path().to_string(),
            accept_encoding: text(header::ACCEPT_ENCODING).unwrap_or_default(),
            if_none_match: text(header::IF_NONE_MATCH),
            scheme: app.scheme,
        })
    }
}

impl Visit {
    /// The origin the site's own URLs use (canonical, sitemap, feeds): its verified custom
    /// domain when it has one, so search engines index one address; else the one asked.
    fn canonical_origin(&self, tenant: &Tenant) -> String {
        match &tenant.custom_domain {
            Some(domain) if !self.is_host(domain) => origin(self.scheme, domain, None),
            _ => self.origin.clone(),
        }
    }

    fn is_host(&self, name: &str) -> bool {
        let host = self.origin.split_once("://").map_or("", |(_, host)| host);
        split_host(host).0 == name
    }

    fn accepts(&self, coding: &str) -> bool {
        self.accept_encoding.split(',').any(|c| {
            c.split(';')
                .next()
                .is_some_and(|name| name.trim().eq_ignore_ascii_case(coding))
        })
    }
}

async fn robots(SiteTenant(tenant): SiteTenant, visit: Visit) -> Response {
    let origin = visit.canonical_origin(&tenant);
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        render::robots(&origin, tenant.is_platform),
    )
        .into_response()
}

async fn sitemap(
    State(app): State<AppState>,
    SiteTenant(tenant): SiteTenant,
    visit: Visit,
) -> Response {
    match load::sitemap_entries(&app.db, &tenant.id).await {
        Ok(entries) => (
            [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
            render::sitemap(&visit.canonical_origin(&tenant), &entries),
        )
            .into_response(),
        Err(err) => internal(err),
    }
}

/// Posts in the Atom feed.
const FEED_POSTS: i64 = 20;

async fn feed(
    State(app): State<AppState>,
    SiteTenant(tenant): SiteTenant,
    visit: Visit,
) -> Response {
    match cms::newest_items::<PostContent>(&app.db, &tenant.id, None, 0, FEED_POSTS).await {
        Ok(posts) => (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            super::blog::atom_feed(&tenant, &visit.canonical_origin(&tenant), &posts),
        )
            .into_response(),
        Err(err) => internal(err),
    }
}

async fn media_file(
    State(app): State<AppState>,
    SiteTenant(tenant): SiteTenant,
    Path((id, name)): Path<(String, String)>,
) -> Response {
    crate::media::http::serve(&app, &tenant.id, &id, &name).await
}

/// A page, post, product or list: from the cache when it was drawn before, with an ETag
/// (a bodiless 304 when the browser has it) and compressed as the browser accepts.
async fn page(
    State(app): State<AppState>,
    SiteTenant(tenant): SiteTenant,
    visit: Visit,
) -> Response {
    let path = format!("/{}", visit.path.trim_matches('/'));
    let cache = app.part::<super::cache::SiteCache>();
    // The page names its own URL (canonical, og:url), so the host is part of the key;
    // the origin's port is the platform's, never the request's.
    let key = format!("{}{path}", visit.origin);
    // A page drawn for this request, so a client that takes no compression gets it as is.
    let mut drawn = None;
    let page = match cache.get(&tenant.id, &key) {
        Some(page) => page,
        None => {
            let changes = cache.changes();
            let origin = visit.canonical_origin(&tenant);
            match load::load(&app.db, &tenant, &origin, What::Path(&path)).await {
                Ok(Found::Page(html)) => {
                    let page = cache.insert(&tenant.id, &key, changes, CachedPage::new(&html));
                    drawn = Some(html);
                    page
                }
                Ok(Found::Moved(to)) => return moved(&to),
                Ok(Found::Missing) => {
                    return (
                        StatusCode::NOT_FOUND,
                        Html(render::not_found_document(&tenant)),
                    )
                        .into_response()
                }
                Err(err) => return internal(err),
            }
        }
    };
    count_view(&app, &tenant, &visit, &path).await;
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
    let unchanged = visit.if_none_match.as_deref().is_some_and(|tags| {
        tags.split(',')
            .any(|tag| tag.trim() == page.etag || tag.trim() == "*")
    });
    if unchanged {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let html = HeaderValue::from_static("text/html; charset=utf-8");
    let (encoding, body) = if visit.accepts("br") {
        (Some("br"), page.brotli())
    } else if visit.accepts("gzip") {
        (Some("gzip"), page.gzip())
    } else {
        (
            None,
            drawn.map_or_else(
                || cache.html(&tenant.id, &key, &page),
                axum::body::Bytes::from,
            ),
        )
    };
    let mut response = (headers, [(header::CONTENT_TYPE, html)], body).into_response();
    if let Some(encoding) = encoding {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}

/// An address that moved answers with a permanent redirect.
fn moved(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(location) => (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response(),
        Err(_) => internal(StoreError::Corrupt(format!("redirect target {to:?}"))),
    }
}

/// Counts a view of a published page (in memory; written in batches).
async fn count_view(app: &AppState, tenant: &Tenant, visit: &Visit, path: &str) {
    let view = crate::analytics::store::PageView {
        path,
        referrer: &visit.referrer,
        visitor_key: &visit.visitor_key,
    };
    if let Err(err) = app
        .part::<crate::analytics::store::ViewCounter>()
        .record(&app.db, &tenant.id, view)
        .await
    {
        tracing::warn!(
            error = &err as &dyn std::error::Error,
            "could not count a page view"
        );
    }
}

pub fn unknown_site() -> Response {
    (StatusCode::NOT_FOUND, Html(render::unknown_site_document())).into_response()
}

pub fn internal(err: StoreError) -> Response {
    tracing::error!(
        error = &err as &dyn std::error::Error,
        "site rendering failed"
    );
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong. Please try again.",
    )
        .into_response()
}

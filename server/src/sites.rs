//! HTTP side of tenant websites: find the tenant and its published page, answer with HTML.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use app::sites::render::{self, Location};
use app::tenancy::{store as tenants, Tenant};

use crate::ServerState;

/// What a site needs to know of a request.
pub struct SiteRequest {
    /// `scheme://host[:port]` as the visitor asked for it. Only built for hosts matched
    /// to a site, so the Host header is known to be one of ours.
    origin: String,
    path: String,
    if_none_match: Option<String>,
}

impl SiteRequest {
    pub fn of(state: &ServerState, request: &Request) -> SiteRequest {
        let headers = request.headers();
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or(&state.app.base_domain);
        SiteRequest {
            origin: format!("{}://{}", state.scheme, host.to_ascii_lowercase()),
            path: request.uri().path().to_string(),
            if_none_match: headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        }
    }
}

pub async fn tenant_site(state: &ServerState, slug: &str, request: SiteRequest) -> Response {
    match tenants::tenant_by_slug(&state.app.db, slug).await {
        Ok(Some(tenant)) => site_response(state, &tenant, &request).await,
        Ok(None) => unknown_site(),
        Err(err) => internal(err),
    }
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

async fn site_response(state: &ServerState, tenant: &Tenant, request: &SiteRequest) -> Response {
    let origin = request.origin.as_str();
    match request.path.as_str() {
        "/robots.txt" => (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            render::robots(origin, tenant.is_platform),
        )
            .into_response(),
        "/sitemap.xml" => match app::cms::store::published_pages(&state.app.db, &tenant.id).await {
            Ok(pages) => (
                [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
                render::sitemap(origin, &pages),
            )
                .into_response(),
            Err(err) => internal(err),
        },
        _ => page_of(state, tenant, request).await,
    }
}

pub fn unknown_site() -> Response {
    (StatusCode::NOT_FOUND, Html(render::unknown_site_document())).into_response()
}

async fn page_of(state: &ServerState, tenant: &Tenant, request: &SiteRequest) -> Response {
    let slug = request.path.trim_matches('/');
    let page = match app::cms::store::published_page_by_slug(&state.app.db, &tenant.id, slug).await
    {
        Ok(Some(page)) => page,
        Ok(None) => {
            return (
                StatusCode::NOT_FOUND,
                Html(render::not_found_document(tenant)),
            )
                .into_response()
        }
        Err(err) => return internal(err),
    };
    let at = Location {
        origin: &request.origin,
        path: &format!("/{slug}"),
    };
    let html = render::page_document(tenant, &page, at);
    let etag = etag_of(&html);
    // Browsers revalidate every time (a publish shows on the next request), and get a
    // bodiless 304 when nothing changed.
    let headers = [
        (header::CACHE_CONTROL, "no-cache".to_string()),
        (header::ETAG, etag.clone()),
    ];
    let unchanged = request.if_none_match.as_deref().is_some_and(|tags| {
        tags.split(',')
            .any(|tag| tag.trim() == etag || tag.trim() == "*")
    });
    if unchanged {
        (StatusCode::NOT_MODIFIED, headers).into_response()
    } else {
        (headers, Html(html)).into_response()
    }
}

/// A strong validator from the page's bytes: same HTML, same tag, in every process.
fn etag_of(html: &str) -> String {
    use std::hash::{Hash, Hasher};
    // DefaultHasher::new() uses fixed keys, so the tag is stable across processes.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    html.hash(&mut hasher);
    format!("\"{:016x}{:08x}\"", hasher.finish(), html.len())
}

fn internal(err: app::server::StoreError) -> Response {
    tracing::error!(error = %err, "site rendering failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong. Please try again.",
    )
        .into_response()
}

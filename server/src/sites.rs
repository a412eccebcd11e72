//! HTTP side of tenant websites: find the tenant and its published page, answer with HTML.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use app::sites::render::{self, Location};
use app::tenancy::{store as tenants, Tenant};

use crate::ServerState;

/// `scheme://host[:port]` as the visitor asked for it. Only called for hosts that were
/// matched to a site, so the Host header is known to be one of ours.
pub fn origin(state: &ServerState, request: &Request) -> String {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or(&state.app.base_domain);
    format!("{}://{}", state.scheme, host.to_ascii_lowercase())
}

pub async fn tenant_site(state: &ServerState, slug: &str, origin: &str, path: &str) -> Response {
    match tenants::tenant_by_slug(&state.app.db, slug).await {
        Ok(Some(tenant)) => site_response(state, &tenant, origin, path).await,
        Ok(None) => unknown_site(),
        Err(err) => internal(err),
    }
}

/// The bare platform host serves the built-in platform tenant's site (the marketing site).
pub async fn platform_site(State(state): State<ServerState>, request: Request) -> Response {
    let origin = origin(&state, &request);
    match tenants::platform_tenant(&state.app.db).await {
        Ok(Some(tenant)) => site_response(&state, &tenant, &origin, request.uri().path()).await,
        Ok(None) => unknown_site(),
        Err(err) => internal(err),
    }
}

async fn site_response(state: &ServerState, tenant: &Tenant, origin: &str, path: &str) -> Response {
    match path {
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
        _ => page_of(state, tenant, origin, path).await,
    }
}

pub fn unknown_site() -> Response {
    (StatusCode::NOT_FOUND, Html(render::unknown_site_document())).into_response()
}

async fn page_of(state: &ServerState, tenant: &Tenant, origin: &str, path: &str) -> Response {
    let slug = path.trim_matches('/');
    match app::cms::store::published_page_by_slug(&state.app.db, &tenant.id, slug).await {
        Ok(Some(page)) => (
            // Visitors see a publish on their next request.
            [(header::CACHE_CONTROL, "no-cache")],
            Html(render::page_document(
                tenant,
                &page,
                Location {
                    origin,
                    path: &format!("/{slug}"),
                },
            )),
        )
            .into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            Html(render::not_found_document(tenant)),
        )
            .into_response(),
        Err(err) => internal(err),
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

//! HTTP side of tenant websites: find the tenant and its published page, answer with HTML.

use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};

use app::sites::render;
use app::tenancy::{store as tenants, Tenant};

use crate::ServerState;

pub async fn tenant_site(state: &ServerState, slug: &str, path: &str) -> Response {
    match tenants::tenant_by_slug(&state.app.db, slug).await {
        Ok(Some(tenant)) => page_of(state, &tenant, path).await,
        Ok(None) => unknown_site(),
        Err(err) => internal(err),
    }
}

/// The bare platform host serves the built-in platform tenant's site (the marketing site).
pub async fn platform_site(State(state): State<ServerState>, uri: Uri) -> Response {
    match tenants::platform_tenant(&state.app.db).await {
        Ok(Some(tenant)) => page_of(&state, &tenant, uri.path()).await,
        Ok(None) => unknown_site(),
        Err(err) => internal(err),
    }
}

pub fn unknown_site() -> Response {
    (StatusCode::NOT_FOUND, Html(render::unknown_site_document())).into_response()
}

async fn page_of(state: &ServerState, tenant: &Tenant, path: &str) -> Response {
    let slug = path.trim_matches('/');
    match app::cms::store::published_page_by_slug(&state.app.db, &tenant.id, slug).await {
        Ok(Some(page)) => (
            // Visitors see a publish on their next request.
            [(header::CACHE_CONTROL, "no-cache")],
            Html(render::page_document(tenant, &page)),
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

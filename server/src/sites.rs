//! HTTP side of tenant websites: find the tenant and its published page, answer with HTML.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use app::sites::cache::CachedPage;
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
    accept_encoding: String,
    /// The Referer's host when it is another site.
    referrer: String,
    /// IP and user agent; only ever stored as a daily-salted hash.
    visitor_key: String,
}

impl SiteRequest {
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
) -> Result<Option<Tenant>, app::server::StoreError> {
    let cache = &state.app.site_cache;
    if let Some(tenant) = cache.tenant(slug) {
        return Ok(Some(tenant));
    }
    // Unknown slugs are not cached: they cost one indexed read, and cannot fill memory.
    let changes = cache.changes();
    let tenant = tenants::tenant_by_slug(&state.app.db, slug).await?;
    if let Some(tenant) = &tenant {
        cache.insert_tenant(changes, tenant.clone());
    }
    Ok(tenant)
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
    let path = format!("/{slug}");
    let cache = &state.app.site_cache;
    // The page names its own URL (canonical, og:url), so the host is part of the key.
    let key = format!("{}{path}", request.origin);
    let page =
        match cache.get(&tenant.id, &key) {
            Some(page) => page,
            None => {
                let changes = cache.changes();
                let content =
                    match app::cms::store::published_page_by_slug(&state.app.db, &tenant.id, slug)
                        .await
                    {
                        Ok(Some(content)) => content,
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
                    path: &path,
                };
                let html = render::page_document(tenant, &content, at);
                cache.insert(&tenant.id, &key, changes, CachedPage::new(html))
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
    let form = match app::cms::store::published_page_by_slug(&state.app.db, &tenant.id, &slug).await
    {
        Ok(page) => page
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
        Ok(event) => state.app.publish(&event).await,
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
    use app::activity::store::{record_finished_task, NewTask};
    let mut tx = state.app.db.pool.begin().await?;
    let contact_id = app::crm::store::record_lead(&mut tx, &tenant.id, slug, lead).await?;
    let who = if lead.name.is_empty() {
        lead.email.clone()
    } else {
        format!("{} <{}>", lead.name, lead.email)
    };
    let task_id = app::server::new_id();
    let event = record_finished_task(
        &mut tx,
        &tenant.id,
        NewTask {
            id: &task_id,
            task_type: "lead_captured",
            worker_name: "lead-forms",
            job_id: None,
            campaign_id: None,
        },
        &format!("New lead: {who} via /{slug}"),
        &serde_json::json!({ "contact_id": contact_id, "page": format!("/{slug}") }),
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}

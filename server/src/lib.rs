//! The `bizosaas` server: one process serving tenant sites, the marketing site, the
//! dashboard, the CMS and the live feed, and running the job queue.

#![forbid(unsafe_code)]
// Leptos view types of the CMS editor are deep; laying out their futures needs more.
#![recursion_limit = "256"]

pub mod assets;
pub mod config;
pub mod connections;
pub mod jobs;
pub mod relay;
pub mod seed;
pub mod sessions;

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{FromRef, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::{cookie::SameSite, Expiry, Session, SessionManagerLayer};

use app::activity::agent_api::KeyLimiter;
use app::activity::hub::FeedHub;
use app::analytics::store::ViewCounter;
use app::api_keys::store::KeysInUse;
use app::cms::editors::EditorsChannel;
use app::crm::http::LeadLimiter;
use app::error::AppError;
use app::server::{AppState, Db, Parts, Shutdown};
use app::signals::FeedBell;
use app::sites::cache::SiteCache;
use app::sites::host::{classify_host, host_of, SiteHost};
use app::tenancy::address::{self, TenantInAddress};
use config::Config;
use sessions::Sessions;

/// What axum handlers reach through `State`.
#[derive(Clone)]
pub struct ServerState {
    pub app: AppState,
    pub leptos: LeptosOptions,
    /// Cancelled on shutdown: ends live streams and stops the job runner.
    pub shutdown: CancellationToken,
    /// Lead forms per visitor IP.
    pub leads: LeadLimiter,
    /// Agent API requests per key.
    pub api_keys: KeyLimiter,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos.clone()
    }
}

impl FromRef<ServerState> for AppState {
    fn from_ref(state: &ServerState) -> Self {
        state.app.clone()
    }
}

impl FromRef<ServerState> for KeyLimiter {
    fn from_ref(state: &ServerState) -> Self {
        state.api_keys.clone()
    }
}

impl FromRef<ServerState> for Shutdown {
    fn from_ref(state: &ServerState) -> Self {
        Shutdown(state.shutdown.clone())
    }
}

impl FromRef<ServerState> for LeadLimiter {
    fn from_ref(state: &ServerState) -> Self {
        state.leads.clone()
    }
}

pub struct Application {
    listener: tokio::net::TcpListener,
    signals: Option<sqlx::postgres::PgListener>,
    router: Router,
    state: ServerState,
    sessions: Sessions,
    job_workers: usize,
    limits: connections::Limits,
}

impl Application {
    /// Connects and migrates the database, and binds the address (port 0 picks a free port).
    pub async fn build(
        config: Config,
    ) -> Result<Application, Box<dyn std::error::Error + Send + Sync>> {
        let db = Db::connect(&config.database_url).await?;
        db.migrate().await?;
        let newest_event = app::activity::store::newest_event_id(&db).await?;
        let parts = Parts::default()
            .with(FeedHub::after(newest_event))
            .with(FeedBell::default())
            .with(EditorsChannel::default())
            .with(SiteCache::with_budget(config.cache_bytes))
            .with(ViewCounter::default())
            .with(KeysInUse::default())
            .with(app::accounts::api::SignUpLimiter::default());
        let db = db.with_parts(parts);
        let signals = relay::listen(&db).await?;
        seed::ensure_platform(&db).await?;
        let sessions = Sessions::open(&db).await?;
        let secret_key = app::server::secrets::SecretKey::for_database(
            config.secret_key.as_deref(),
            &config.database_url,
        )?;
        let mut app_state = AppState::new(db, config.base_domain.clone(), secret_key);
        app_state.dns_server = config.dns_server;
        app_state.scheme = if config.https { "https" } else { "http" };
        app_state.trust_proxy = config.trust_proxy;
        app_state.media_dir = config.media_dir.clone();
        app_state.llm = config.llm.clone();
        app_state.mail = config.mail.clone();
        // Bound first: with port 0 the port is known only now, and links in email need it.
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let public_url = match &config.public_url {
            Some(url) => url.clone(),
            None => {
                let port = listener.local_addr()?.port();
                let default = if config.https { 443 } else { 80 };
                let port = (port != default).then_some(port);
                app::sites::host::origin(app_state.scheme, &config.base_domain, port)
            }
        };
        app_state.set_public_url(public_url);
        let state = ServerState {
            app: app_state,
            leptos: config.leptos.clone(),
            shutdown: CancellationToken::new(),
            leads: LeadLimiter::default(),
            api_keys: KeyLimiter::default(),
        };
        let router = router(state.clone(), sessions.clone(), config.https);
        Ok(Application {
            listener,
            signals,
            router,
            state,
            sessions,
            job_workers: config.job_workers,
            limits: config.connections,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `stop` is cancelled (or the process gets SIGTERM / Ctrl-C when `stop`
    /// is the one from `shutdown_on_signal`), then lets requests and jobs finish.
    pub async fn run_until_stopped(self, stop: CancellationToken) -> std::io::Result<()> {
        let Application {
            listener,
            signals,
            router,
            state,
            sessions,
            job_workers,
            limits,
        } = self;
        let runners: Vec<_> = (0..job_workers)
            .map(|_| tokio::spawn(jobs::run(state.app.clone(), state.shutdown.clone())))
            .collect();
        let scheduler = (job_workers > 0)
            .then(|| tokio::spawn(jobs::schedule(state.app.clone(), state.shutdown.clone())));
        let counter = tokio::spawn(flush_counts(state.app.clone(), state.shutdown.clone()));
        let tidier = tokio::spawn(forget_idle_clients(state.clone()));
        let hub = spawn_until_shutdown(&state, |app, stop| async move {
            app.part::<FeedHub>().follow(&app.db, stop).await
        });
        let bell = spawn_until_shutdown(&state, |app, stop| async move {
            app.part::<FeedBell>().ring_others(&app.db, stop).await
        });
        let relay = tokio::spawn(relay::relay_notifications(
            state.app.clone(),
            signals,
            state.shutdown.clone(),
        ));
        let cleaner = tokio::spawn(
            tower_sessions::session_store::ExpiredDeletion::continuously_delete_expired(
                sessions,
                Duration::from_secs(3600),
            ),
        );
        let shutdown = state.shutdown.clone();
        let served = connections::serve(listener, router, limits, async move {
            stop.cancelled().await;
            tracing::info!("shutting down: finishing requests and jobs");
            // Streams end first, or graceful shutdown would wait on them forever.
            shutdown.cancel();
        })
        .await;
        state.shutdown.cancel();
        for runner in runners {
            let _ = runner.await;
        }
        let _ = relay.await;
        let _ = hub.await;
        let _ = bell.await;
        if let Some(scheduler) = scheduler {
            let _ = scheduler.await;
        }
        let _ = counter.await;
        cleaner.abort();
        tidier.abort();
        served
    }
}

/// Runs a process-wide part's loop (the feed hub, the feed bell) until shutdown.
fn spawn_until_shutdown<Loop>(
    state: &ServerState,
    run: impl FnOnce(AppState, WaitForCancellationFutureOwned) -> Loop,
) -> tokio::task::JoinHandle<()>
where
    Loop: std::future::Future<Output = ()> + Send + 'static,
{
    tokio::spawn(run(
        state.app.clone(),
        state.shutdown.clone().cancelled_owned(),
    ))
}

/// Writes counted page views and API keys' use every second, and once more at shutdown.
async fn flush_counts(state: AppState, shutdown: CancellationToken) {
    loop {
        let stopping = tokio::select! {
            _ = shutdown.cancelled() => true,
            _ = tokio::time::sleep(Duration::from_secs(1)) => false,
        };
        if let Err(err) = state.part::<ViewCounter>().flush(&state.db).await {
            tracing::warn!(
                error = &err as &dyn std::error::Error,
                "could not write page views"
            );
        }
        if let Err(err) = state.part::<KeysInUse>().flush(&state.db).await {
            tracing::warn!(
                error = &err as &dyn std::error::Error,
                "could not write when API keys were last used"
            );
        }
        if stopping {
            return;
        }
    }
}

/// A token cancelled on SIGTERM or Ctrl-C.
pub fn shutdown_on_signal() -> CancellationToken {
    let token = CancellationToken::new();
    let cancel = token.clone();
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {}
            _ = term => {}
        }
        cancel.cancel();
    });
    token
}

fn router(state: ServerState, sessions: Sessions, https: bool) -> Router {
    let sites: Router = app::sites::http::routes().with_state(state.clone());
    let base_domain = state.app.base_domain.clone();
    let leptos_options = state.leptos.clone();
    let routes = generate_route_list(app::App);
    let site_root = leptos_options.site_root.to_string();
    let app_state = state.app.clone();

    let session_layer = SessionManagerLayer::new(sessions)
        .with_name("bizosaas_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(https)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::days(7),
        ));

    let platform = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/logout", post(logout))
        .merge(app::accounts::http::routes())
        .merge(app::activity::http::routes())
        .merge(app::activity::agent_api::routes())
        .merge(app::cms::editors::routes())
        .merge(app::media::http::routes())
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(app_state.clone()),
            {
                let options = leptos_options.clone();
                move || app::shell(options.clone())
            },
        )
        // The platform's own site: its marketing pages, robots.txt, lead forms...
        .fallback_service(sites.clone())
        .layer(middleware::from_fn(server_fn_status))
        .layer(middleware::from_fn(server_fn_content_type))
        .layer(middleware::from_fn_with_state(
            state.app.clone(),
            signed_in_areas,
        ));

    app::sites::render::fingerprint_stylesheet(
        &site_root,
        assets::build_hashes(&leptos_options).as_deref(),
    );
    let platform: Router = assets::routes(&site_root)
        .route_service(
            "/favicon.ico",
            tower_http::services::ServeFile::new(format!("{site_root}/favicon.ico")),
        )
        .merge(platform)
        .layer(middleware::from_fn(check_origin))
        // Visitors of tenant sites never have sessions: the layer is the platform's.
        .layer(session_layer)
        .with_state(state);
    // Chosen before either router matches a path, so neither sees the other's routes.
    Router::new()
        .fallback_service(platform)
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            by_host(base_domain.clone(), sites.clone(), request, next)
        }))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(
                    tower_http::trace::DefaultOnResponse::new()
                        // Not INFO: a line per cached site page would cost the hot path;
                        // failures are logged at ERROR by the layer anyway.
                        .level(tracing::Level::DEBUG)
                        .latency_unit(tower_http::LatencyUnit::Millis),
                ),
        )
}

/// One span per request: every line logged while serving it (a server function, a
/// handler, a site page) carries its method and path, and once the caller is known
/// (`auth::session::record_caller`) the tenant and user, and the answer closes it with
/// its status and time.
fn request_span(request: &Request) -> tracing::Span {
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        tenant = tracing::field::Empty,
        user = tracing::field::Empty,
    )
}

/// Tenant hosts and custom domains get the site router; the platform host (and the
/// shared assets on any host) get the platform's.
async fn by_host(base_domain: String, sites: Router, request: Request, next: Next) -> Response {
    use tower::ServiceExt;
    let path = request.uri().path();
    let shared_asset =
        path.starts_with("/pkg/") || path.starts_with("/fonts/") || path == "/favicon.ico";
    let host = classify_host(host_of(request.headers(), request.uri()), &base_domain);
    if shared_asset || host == SiteHost::Platform {
        return match tenant_in_address(request) {
            Some(request) => next.run(request).await,
            None => no_such_business(),
        };
    }
    match sites.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// Reads the business from a `/t/{slug}/...` address into the request (see
/// `app::tenancy::address`) before any route is chosen; server functions and handlers
/// called as `/t/{slug}/api/...` are routed as `/api/...`. None for a `/t/` address no
/// business could have.
fn tenant_in_address(mut request: Request) -> Option<Request> {
    let path = request.uri().path();
    if !path.starts_with(address::PREFIX) {
        return Some(request);
    }
    let (slug, rest) = address::split(path)?;
    let slug = slug.to_string();
    if rest.starts_with("/api/") {
        let inner = match request.uri().query() {
            Some(query) => format!("{rest}?{query}"),
            None => rest.to_string(),
        };
        *request.uri_mut() = inner.parse().ok()?;
    }
    request.extensions_mut().insert(TenantInAddress(slug));
    Some(request)
}

/// The signed-in areas: signed-out visitors go to the sign-in page and come back after;
/// a business's pages open only for its members (404 for anyone else, the same as for a
/// business that does not exist); old addresses without a business (`/dashboard`,
/// `/cms/...`) open the business this person used last.
async fn signed_in_areas(
    State(app): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let under = |area: &str| path == area || path.starts_with(&format!("{area}/"));
    let business_page = address::split(path).map(|(slug, _)| slug.to_string());
    let without_business = address::lacks_business(path);
    let protected =
        business_page.is_some() || without_business || under("/account") || under("/businesses");
    if protected && !app::auth::session::has_user(&session).await {
        return to_sign_in(&request);
    }
    // The account's own pages need the business used last (its header), except the one
    // where two-factor is set up: that must open while a business requires it.
    let account_page = (under("/account") && !under("/account/two-factor")) || under("/businesses");
    if account_page {
        if let Err(AppError::TwoFactorRequired) =
            app::auth::session::member(&app.db, &session, None).await
        {
            return to_two_factor(&request);
        }
    }
    if business_page.is_some() || without_business {
        let member =
            match app::auth::session::member(&app.db, &session, business_page.as_deref()).await {
                Ok(Some(member)) => member,
                Ok(None) => return to_sign_in(&request),
                Err(AppError::NotFound(_)) => return no_such_business(),
                Err(AppError::TwoFactorRequired) => return to_two_factor(&request),
                Err(err) => return err.into_response(),
            };
        if without_business {
            let target = request.uri().path_and_query().map_or(path, |p| p.as_str());
            return Redirect::to(&address::within(&member.tenant_slug, target)).into_response();
        }
        if let Err(err) = app::auth::session::remember_tenant(&session, &member.tenant_id).await {
            return err.into_response();
        }
    }
    next.run(request).await
}

fn to_sign_in(request: &Request) -> Response {
    Redirect::to(&format!("/login?next={}", back_to(request))).into_response()
}

/// A business of theirs requires two-factor sign-in: set it up, then come back.
fn to_two_factor(request: &Request) -> Response {
    Redirect::to(&format!("/account/two-factor?next={}", back_to(request))).into_response()
}

/// The page asked for, as a `next` parameter.
fn back_to(request: &Request) -> String {
    let back = request
        .uri()
        .path_and_query()
        .map_or(request.uri().path(), |p| p.as_str());
    form_urlencoded::byte_serialize(back.as_bytes()).collect()
}

/// The same page for a business that does not exist and one the person is not part of.
fn no_such_business() -> Response {
    (
        StatusCode::NOT_FOUND,
        axum::response::Html(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Business not found · BizOSaaS</title></head>\
             <body style=\"font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#0f172a\">\
             <h1>Business not found</h1>\
             <p>There is no business at this address, or you are not one of its members. \
             If someone invited you, open the link in their email.</p>\
             <p><a href=\"/dashboard\" style=\"color:#4338ca\">Go to your dashboard</a></p>\
             </body></html>",
        ),
    )
        .into_response()
}

/// State-changing requests must come from our own pages (a second wall beside SameSite).
async fn check_origin(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        if let Some(origin) = request.headers().get(header::ORIGIN) {
            let host = request
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok());
            let origin_host = origin
                .to_str()
                .ok()
                .and_then(|o| o.split_once("://").map(|(_, rest)| rest.to_string()));
            if host.is_none() || origin_host.as_deref() != host {
                return (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response();
            }
        }
    }
    next.run(request).await
}

async fn readyz(State(state): State<ServerState>) -> Response {
    match state.app.db.ping().await {
        Ok(()) => "ready".into_response(),
        Err(err) => {
            tracing::warn!(
                error = &err as &dyn std::error::Error,
                "database not reachable"
            );
            (StatusCode::SERVICE_UNAVAILABLE, "database not reachable").into_response()
        }
    }
}

async fn logout(State(state): State<ServerState>, session: Session) -> Response {
    if let Err(err) = app::auth::session::end(&state.app.db, &session).await {
        return err.into_response();
    }
    Redirect::to("/login").into_response()
}

/// Keeps the rate limiters' tables to the clients seen lately.
async fn forget_idle_clients(state: ServerState) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    loop {
        every.tick().await;
        state.leads.0.forget_idle();
        state.api_keys.0.forget_idle();
        state
            .app
            .part::<app::accounts::api::SignUpLimiter>()
            .0
            .forget_idle();
    }
}

/// Server functions take their arguments as a form or as JSON, said so in the
/// Content-Type; anything else (`text/plain`, which any web page can post across sites
/// without asking) is refused before the function runs.
async fn server_fn_content_type(request: Request, next: Next) -> Response {
    static SERVER_FNS: std::sync::LazyLock<std::collections::HashSet<String>> =
        std::sync::LazyLock::new(|| {
            leptos::server_fn::axum::server_fn_paths()
                .map(|(path, _)| path.to_string())
                .collect()
        });
    if request.method() == Method::POST && SERVER_FNS.contains(request.uri().path()) {
        let headers = request.headers();
        let kind = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase());
        // A call without arguments may come without a body, and so without a type.
        let has_body = headers.contains_key(header::TRANSFER_ENCODING)
            || headers
                .get(header::CONTENT_LENGTH)
                .is_some_and(|length| length != "0");
        let readable = match kind.as_deref() {
            Some("application/json" | "application/x-www-form-urlencoded") => true,
            Some(_) => false,
            None => !has_body,
        };
        if !readable {
            return AppError::Unsupported(
                "Send the arguments as JSON (Content-Type: application/json) or as a form \
                 (application/x-www-form-urlencoded)."
                    .into(),
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// Server-function errors leave Leptos as 500s; answer each with the status its
/// `AppError` stands for (401, 403, 404, 422...).
async fn server_fn_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    // A form posted without JavaScript is sent back to its page with the error in the
    // address (Leptos's form redirects), where the form shows it: keep that redirect.
    if !response.headers().contains_key("serverfnerror")
        || response
            .headers()
            .contains_key(axum::http::header::LOCATION)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some((name, value)) = err.header() {
            parts.headers.insert(name, value);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

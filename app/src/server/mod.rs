//! Server-only plumbing shared by every feature: the database, the state handed to
//! server functions, and the conversion of store errors into `AppError`.

pub mod db;
pub mod rate_limit;
pub mod secrets;

use std::sync::Arc;

use tokio::sync::Notify;

use crate::error::AppError;

pub use db::{Backend, Db, Parts, StoreError};

/// What every request handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database, with what features keep for the whole process (`Db::parts`).
    pub db: Db,
    /// Woken when a job is enqueued so the runner does not wait for its next poll.
    pub jobs_wakeup: Arc<Notify>,
    /// This process, as the job queue knows it (which process holds a job's lease).
    pub process_id: String,
    pub base_domain: String,
    /// The DNS server domain checks ask; None asks the system's resolvers.
    pub dns_server: Option<std::net::SocketAddr>,
    /// `https` when served behind TLS, for the sites' addresses.
    pub scheme: &'static str,
    /// Take visitors' IPs from X-Forwarded-For (set when behind a reverse proxy).
    pub trust_proxy: bool,
    /// Where uploaded files are kept.
    pub media_dir: std::path::PathBuf,
    /// The language model agents write with; None uses the template drafter.
    pub llm: Option<LanguageModel>,
    /// Where email goes; None keeps it in the outbox for the dashboard.
    pub mail: Option<MailServer>,
    /// Where people reach the dashboard (`https://app.example.com`), for links in email;
    /// set when the server binds its address.
    pub public_url: String,
    /// The port of `public_url` (None for the scheme's own): sites are reached at the
    /// same one, whatever port a request's Host header names.
    pub site_port: Option<u16>,
    /// Seals the secrets kept in the database (`secrets`).
    pub secret_key: secrets::SecretKey,
}

/// An SMTP server: `smtp://user:pass@host:587?tls=required`, `smtps://...`, `smtp://localhost:25`.
#[derive(Clone, Debug)]
pub struct MailServer {
    pub url: String,
    /// `Name <address>` the mail is from.
    pub from: String,
}

/// An OpenAI-compatible chat-completions API (OpenAI, Ollama, vLLM, llama.cpp...).
#[derive(Clone, Debug)]
pub struct LanguageModel {
    /// The API's base address, e.g. `http://localhost:11434/v1`; `/chat/completions` is added.
    pub url: String,
    pub model: String,
    pub api_key: Option<String>,
}

impl AppState {
    pub fn new(db: Db, base_domain: String, secret_key: secrets::SecretKey) -> Self {
        AppState {
            db,
            jobs_wakeup: Arc::new(Notify::new()),
            process_id: format!("{}-{}", std::process::id(), &new_id()[24..]),
            base_domain,
            dns_server: None,
            scheme: "http",
            trust_proxy: false,
            media_dir: std::path::PathBuf::from("data/media"),
            llm: None,
            mail: None,
            public_url: String::new(),
            site_port: None,
            secret_key,
        }
    }
}

impl AppState {
    /// Where people reach the platform (`https://app.example.com`), and with it the port
    /// of every site's own URLs.
    pub fn set_public_url(&mut self, url: String) {
        self.site_port = url::Url::parse(&url).ok().and_then(|u| u.port());
        self.public_url = url;
    }

    /// The feature state of type `T` (see `Db::part`).
    pub fn part<T: Send + Sync + 'static>(&self) -> &T {
        self.db.part()
    }
}

/// The client's IP: the connection's peer, or behind a trusted reverse proxy the address
/// that proxy appended last to X-Forwarded-For (earlier entries can be forged).
pub fn client_ip(trust_proxy: bool, parts: &http::request::Parts) -> Option<std::net::IpAddr> {
    if trust_proxy {
        let forwarded = parts
            .headers
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
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
}

/// The IP of whoever called the running server function.
pub fn caller_ip(state: &AppState) -> Option<std::net::IpAddr> {
    let parts: http::request::Parts = leptos::prelude::use_context()?;
    client_ip(state.trust_proxy, &parts)
}

/// Cancelled when the server shuts down: live streams end so requests can finish.
#[derive(Clone, Default)]
pub struct Shutdown(pub tokio_util::sync::CancellationToken);

/// The state, inside a server function or a Leptos render.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// A secret as it is stored (API keys, email links): its SHA-256, in hex.
pub fn sha256_hex(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    secrets::to_hex(&Sha256::digest(secret.as_bytes()))
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Ids are UUID v7 text: sortable by creation time and fine on both engines.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::Conflict(what) => AppError::Conflict(what),
            StoreError::Invalid(what) => AppError::Invalid(what),
            StoreError::Database(err) => {
                tracing::error!(error = &err as &dyn std::error::Error, "database error");
                AppError::Internal
            }
            StoreError::SqliteRead(err) => {
                tracing::error!(error = &err as &dyn std::error::Error, "database error");
                AppError::Internal
            }
            StoreError::Corrupt(what) => {
                tracing::error!(what, "corrupt row");
                AppError::Internal
            }
        }
    }
}

/// Plain HTTP handlers (REST, SSE, uploads) answer errors as server functions do: the
/// same JSON body, the matching status, and the headers that status calls for.
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        use axum::http::StatusCode;
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let extra = self.header();
        let mut response = (status, axum::Json(self)).into_response();
        if let Some((name, value)) = extra {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

impl AppError {
    /// The header the error's status calls for (a handler's answer and a server
    /// function's, through the status middleware, both carry it).
    pub fn header(&self) -> Option<(http::HeaderName, http::HeaderValue)> {
        use http::{header, HeaderValue};
        match self {
            AppError::NoApiKey => {
                Some((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")))
            }
            AppError::RateLimited { retry_after_s } => {
                Some((header::RETRY_AFTER, HeaderValue::from(*retry_after_s)))
            }
            _ => None,
        }
    }
}

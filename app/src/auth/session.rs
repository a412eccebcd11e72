//! The session holds only ids; the member (and their role) is re-read on every request,
//! so a removed membership takes effect at once.

use tower_sessions::Session;

use super::Member;
use crate::error::AppError;
use crate::server::Db;
use crate::tenancy::address::TenantInAddress;
use crate::tenancy::Role;

const USER_ID: &str = "user_id";
const TENANT_ID: &str = "tenant_id";
/// When the session was signed in: a password reset ends the sessions begun before it.
const SIGNED_IN_AT: &str = "signed_in_at";
/// The sign-in this session is (`auth::sign_ins`), and when it was last marked as used.
const SIGN_IN: &str = "sign_in";
const SEEN_AT: &str = "seen_at";
/// How stale "last used" may get before a request refreshes it.
const SEEN_EVERY_MS: i64 = 60_000;
/// A password was right and the two-factor code is still to come (`WaitingForCode`).
const AWAITING_CODE: &str = "awaiting_code";
/// How long a right password waits for its code.
const CODE_WAITS_MS: i64 = 10 * 60 * 1000;

/// Who gave the right password and waits to give their code, and where they were going.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct WaitingForCode {
    pub user_id: String,
    pub next: Option<String>,
    since: i64,
}

/// Notes that `user_id` gave the right password and owes a code. The session is not
/// signed in: it opens nothing until `start`.
pub async fn await_code(
    session: &Session,
    user_id: &str,
    next: Option<&str>,
) -> Result<(), AppError> {
    // Whoever this browser was signed in as is signed out: it waits for one person.
    session.clear().await;
    session.cycle_id().await.map_err(session_error)?;
    let waiting = WaitingForCode {
        user_id: user_id.to_string(),
        next: next.map(str::to_string),
        since: crate::server::now_ms(),
    };
    session
        .insert(AWAITING_CODE, waiting)
        .await
        .map_err(session_error)
}

/// Whoever waits to give their code in this session, if their password was given in the
/// last ten minutes.
pub async fn awaiting_code(session: &Session) -> Result<Option<WaitingForCode>, AppError> {
    let waiting: Option<WaitingForCode> =
        session.get(AWAITING_CODE).await.map_err(session_error)?;
    Ok(waiting.filter(|w| crate::server::now_ms() - w.since < CODE_WAITS_MS))
}

/// A device an account that had signed in before was signed in from for the first time.
pub struct NewDevice {
    pub device: String,
    pub ip: Option<String>,
}

/// Signs the session in (from a server function: the device and address are the
/// call's). Returns the device when it is new to an account that had signed in before.
pub async fn start(
    state: &crate::server::AppState,
    session: &Session,
    user_id: &str,
    tenant_id: &str,
) -> Result<Option<NewDevice>, AppError> {
    let parts: Option<http::request::Parts> = leptos::prelude::use_context();
    let user_agent = parts
        .as_ref()
        .and_then(|p| p.headers.get(http::header::USER_AGENT))
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let device = super::sign_ins::device_label(user_agent);
    let ip = crate::server::caller_ip(state).map(|ip| ip.to_string());
    let (signed_in_before, known) =
        super::sign_ins::seen_device(&state.db, user_id, &device).await?;
    let sign_in = super::sign_ins::record(&state.db, user_id, &device, ip.as_deref()).await?;
    // A new id on sign-in, so a session id planted before sign-in is worthless.
    session.cycle_id().await.map_err(session_error)?;
    session
        .remove::<WaitingForCode>(AWAITING_CODE)
        .await
        .map_err(session_error)?;
    session
        .insert(SIGN_IN, &sign_in)
        .await
        .map_err(session_error)?;
    session
        .insert(SEEN_AT, crate::server::now_ms())
        .await
        .map_err(session_error)?;
    session
        .insert(USER_ID, user_id)
        .await
        .map_err(session_error)?;
    session
        .insert(TENANT_ID, tenant_id)
        .await
        .map_err(session_error)?;
    session
        .insert(SIGNED_IN_AT, crate::server::now_ms())
        .await
        .map_err(session_error)?;
    Ok((signed_in_before && !known).then_some(NewDevice { device, ip }))
}

/// The sign-in this session is, if it was made since sign-ins were recorded.
pub async fn sign_in_id(session: &Session) -> Result<String, AppError> {
    Ok(session
        .get::<String>(SIGN_IN)
        .await
        .map_err(session_error)?
        .unwrap_or_default())
}

/// Signs the session out; its sign-in leaves the account page's list.
pub async fn end(db: &Db, session: &Session) -> Result<(), AppError> {
    let user_id: Option<String> = session.get(USER_ID).await.map_err(session_error)?;
    let sign_in = sign_in_id(session).await?;
    if let (Some(user_id), false) = (user_id, sign_in.is_empty()) {
        // Ended already (from another device) is fine: the session goes either way.
        let _ = super::sign_ins::end(db, &user_id, &sign_in).await;
    }
    session.flush().await.map_err(session_error)
}

/// Whether the session belongs to someone who signed in (membership is checked later).
pub async fn has_user(session: &Session) -> bool {
    matches!(session.get::<String>(USER_ID).await, Ok(Some(_)))
}

/// The signed-in member acting for the business named in the address (`address`, see
/// `tenancy::address`), or for the one last used in this session when the address names
/// none. Not a member of the named business (or no such business): 404, the same answer
/// either way, so an address tells nothing about businesses one is not part of.
pub async fn member(
    db: &Db,
    session: &Session,
    address: Option<&str>,
) -> Result<Option<Member>, AppError> {
    let Some(ids) = signed_in(session).await? else {
        return Ok(None);
    };
    let member = match address {
        Some(slug) => {
            let member = super::store::member_in(db, slug, &ids).await?;
            if member.is_none() && super::store::session_is_current(db, &ids).await? {
                return Err(AppError::NotFound("This business".into()));
            }
            member
        }
        None => {
            let tenant_id: Option<String> = session.get(TENANT_ID).await.map_err(session_error)?;
            let Some(tenant_id) = tenant_id else {
                return Ok(None);
            };
            super::store::member(db, &tenant_id, &ids).await?
        }
    };
    let Some(row) = member else {
        return Ok(None);
    };
    record_caller(&row.member.tenant_slug, &row.member.user_id);
    mark_used(db, session, &ids.sign_in).await?;
    if row.must_set_up_two_factor() {
        return Err(AppError::TwoFactorRequired);
    }
    Ok(Some(row.member))
}

/// Whoever is signed in, whatever business: (user id, email, name). For what belongs to
/// the person rather than a business (accepting an invitation).
pub async fn user(
    db: &Db,
    session: &Session,
) -> Result<Option<(String, String, String)>, AppError> {
    let Some(ids) = signed_in(session).await? else {
        return Ok(None);
    };
    Ok(super::store::current_user(db, &ids).await?)
}

/// Who signed the session in, when, and its sign-in; None for a visitor.
async fn signed_in(session: &Session) -> Result<Option<super::store::SessionIds>, AppError> {
    let user_id: Option<String> = session.get(USER_ID).await.map_err(session_error)?;
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    let signed_in_at: i64 = session
        .get(SIGNED_IN_AT)
        .await
        .map_err(session_error)?
        .unwrap_or(0);
    Ok(Some(super::store::SessionIds {
        user_id,
        signed_in_at,
        sign_in: sign_in_id(session).await?,
    }))
}

/// Keeps the sign-in's "last used" within a minute of the truth, writing at most once a
/// minute.
async fn mark_used(db: &Db, session: &Session, sign_in: &str) -> Result<(), AppError> {
    if sign_in.is_empty() {
        return Ok(());
    }
    let seen_at: i64 = session
        .get(SEEN_AT)
        .await
        .map_err(session_error)?
        .unwrap_or(0);
    let now = crate::server::now_ms();
    if now - seen_at >= SEEN_EVERY_MS {
        super::sign_ins::touch(db, sign_in).await?;
        session.insert(SEEN_AT, now).await.map_err(session_error)?;
    }
    Ok(())
}

/// Remembers the business a page was opened for, so an address without one (an old
/// link to `/dashboard`) opens the business this person used last.
pub async fn remember_tenant(session: &Session, tenant_id: &str) -> Result<(), AppError> {
    let current: Option<String> = session.get(TENANT_ID).await.map_err(session_error)?;
    if current.as_deref() != Some(tenant_id) {
        session
            .insert(TENANT_ID, tenant_id)
            .await
            .map_err(session_error)?;
    }
    Ok(())
}

/// Names the tenant and the caller on the request's span (server/src/lib.rs makes it),
/// so every line logged while serving the request says whose it was.
pub fn record_caller(tenant: &str, user: &str) {
    tracing::Span::current()
        .record("tenant", tenant)
        .record("user", user);
}

/// The signed-in member if their role allows `needed`.
pub async fn require(
    db: &Db,
    session: &Session,
    address: Option<&str>,
    needed: Role,
) -> Result<Member, AppError> {
    member(db, session, address)
        .await?
        .ok_or(AppError::NotSignedIn)?
        .require(needed)
}

/// The signed-in member, for plain axum handlers (REST, SSE, uploads); server functions
/// use `require_in_server_fn`. Refused with 401 when nobody is signed in; the role is
/// checked by the handler (`member.require(Role::Editor)?`), which knows what it needs.
pub struct SignedIn(pub Member);

impl<S> axum::extract::FromRequestParts<S> for SignedIn
where
    S: Send + Sync,
    crate::server::AppState: axum::extract::FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &S,
    ) -> Result<Self, AppError> {
        use axum::extract::FromRef;
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|_| {
                tracing::error!("session layer missing");
                AppError::Internal
            })?;
        let app = crate::server::AppState::from_ref(state);
        let address = TenantInAddress::of(parts);
        let member = member(&app.db, &session, address).await?;
        member.map(SignedIn).ok_or(AppError::NotSignedIn)
    }
}

/// `Option<SignedIn>`: nobody signed in is None, not a refusal.
impl<S> axum::extract::OptionalFromRequestParts<S> for SignedIn
where
    S: Send + Sync,
    crate::server::AppState: axum::extract::FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &S,
    ) -> Result<Option<Self>, AppError> {
        match <SignedIn as axum::extract::FromRequestParts<S>>::from_request_parts(parts, state)
            .await
        {
            Ok(member) => Ok(Some(member)),
            Err(AppError::NotSignedIn) => Ok(None),
            Err(err) => Err(err),
        }
    }
}

fn session_error(err: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = &err as &dyn std::error::Error, "session store");
    AppError::Internal
}

/// Inside a server function: the member whose role allows `needed`.
pub async fn require_in_server_fn(
    needed: Role,
) -> Result<(crate::server::AppState, Member), AppError> {
    let state = crate::server::state()?;
    let session: Session = leptos_axum::extract().await.map_err(|_| {
        tracing::error!("session layer missing");
        AppError::Internal
    })?;
    let address = address_of_call();
    let member = require(&state.db, &session, address.as_deref(), needed).await?;
    Ok((state, member))
}

/// Inside a server function: the business named by the address it was called at.
pub fn address_of_call() -> Option<String> {
    let parts: Option<http::request::Parts> = leptos::prelude::use_context();
    parts
        .as_ref()
        .and_then(TenantInAddress::of)
        .map(str::to_string)
}

//! The session holds only ids; the member (and their role) is re-read on every request,
//! so a removed membership takes effect at once.

use tower_sessions::Session;

use super::Member;
use crate::error::AppError;
use crate::server::Db;
use crate::tenancy::Role;

const USER_ID: &str = "user_id";
const TENANT_ID: &str = "tenant_id";

pub async fn start(session: &Session, user_id: &str, tenant_id: &str) -> Result<(), AppError> {
    // A new id on sign-in, so a session id planted before sign-in is worthless.
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(USER_ID, user_id)
        .await
        .map_err(session_error)?;
    session
        .insert(TENANT_ID, tenant_id)
        .await
        .map_err(session_error)?;
    Ok(())
}

pub async fn end(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

/// Whether the session belongs to someone who signed in (membership is checked later).
pub async fn has_user(session: &Session) -> bool {
    matches!(session.get::<String>(USER_ID).await, Ok(Some(_)))
}

pub async fn member(db: &Db, session: &Session) -> Result<Option<Member>, AppError> {
    let user_id: Option<String> = session.get(USER_ID).await.map_err(session_error)?;
    let tenant_id: Option<String> = session.get(TENANT_ID).await.map_err(session_error)?;
    let (Some(user_id), Some(tenant_id)) = (user_id, tenant_id) else {
        return Ok(None);
    };
    Ok(super::store::member(db, &tenant_id, &user_id).await?)
}

/// The signed-in member if their role allows `needed`.
pub async fn require(db: &Db, session: &Session, needed: Role) -> Result<Member, AppError> {
    let member = member(db, session).await?.ok_or(AppError::NotSignedIn)?;
    if member.role.allows(needed) {
        Ok(member)
    } else {
        Err(AppError::Forbidden)
    }
}

fn session_error(err: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %err, "session store");
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
    let member = require(&state.db, &session, needed).await?;
    Ok((state, member))
}

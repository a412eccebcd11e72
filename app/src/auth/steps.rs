//! The steps of signing in: the password (or a reset link), then a code when the person
//! has two-factor sign-in on, then the session. Between the two the session holds only
//! "waiting for a code" (`session::await_code`), which opens nothing.

use super::session;
use crate::error::AppError;
use crate::server::AppState;
use tower_sessions::Session;

/// After the password was right: signs in, or, when the person has two-factor on, asks
/// for the code first. Answers where to send the browser.
pub async fn after_password(
    state: &AppState,
    session: &Session,
    user_id: &str,
    next: Option<&str>,
) -> Result<String, AppError> {
    if crate::two_factor::store::is_on(&state.db, user_id).await? {
        session::await_code(session, user_id, next).await?;
        return Ok("/login/code".to_string());
    }
    finish(state, session, user_id, next).await
}

/// Signs the person in and answers where they go: `next` or their business, or first to
/// set up two-factor when a business of theirs requires it and they have none.
pub async fn finish(
    state: &AppState,
    session: &Session,
    user_id: &str,
    next: Option<&str>,
) -> Result<String, AppError> {
    let (tenant_id, slug) = super::store::first_tenant_of(&state.db, user_id)
        .await?
        .ok_or_else(|| AppError::invalid("This account is not a member of any site yet."))?;
    let new_device = session::start(state, session, user_id, &tenant_id).await?;
    super::store::record_sign_in(&state.db, user_id).await?;
    if let Some(device) = new_device {
        tell_of_new_device(state, user_id, &device).await;
    }
    let landing = super::api::landing(next, &slug);
    let status = crate::two_factor::store::status(&state.db, user_id).await?;
    if status.on_since.is_none() && !status.required_by.is_empty() {
        let back: String = form_urlencoded::byte_serialize(landing.as_bytes()).collect();
        return Ok(format!("/account/two-factor?next={back}"));
    }
    Ok(landing)
}

/// Emails the account's owner that it was signed in to from a device it had not used.
async fn tell_of_new_device(state: &AppState, user_id: &str, sign_in: &session::NewDevice) {
    let when = crate::time::day_time_label(crate::server::now_ms());
    let from = sign_in.ip.as_deref().unwrap_or("an unknown address");
    let first = format!(
        "Your account was just signed in to from {} ({from}) at {when}.",
        sign_in.device
    );
    let lines = [
        first.as_str(),
        "If it was you, there is nothing to do. If not, change your password now and sign that session out on your account page.",
    ];
    crate::accounts::notices::tell(
        state,
        user_id,
        None,
        "New sign-in to your BizOSaaS account",
        &lines,
        "Review where you are signed in",
        "/account",
    )
    .await;
}

//! Two-factor server functions. They belong to the person, not to a business, so they
//! work while a business that requires two-factor keeps its pages closed to them.

use leptos::prelude::*;

use super::{Enrolment, TwoFactorStatus};
use crate::error::AppError;

/// The signed-in person (id, email, name), whatever business; called from a page of a
/// business (its address), only by its members, like every other server function.
#[cfg(feature = "ssr")]
async fn person() -> Result<(crate::server::AppState, (String, String, String)), AppError> {
    use crate::auth::session;
    let state = crate::server::state()?;
    let session: tower_sessions::Session = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    if let Some(slug) = session::address_of_call() {
        match session::member(&state.db, &session, Some(&slug)).await {
            // Setting it up is what a business that requires it asks for.
            Ok(_) | Err(AppError::TwoFactorRequired) => {}
            Err(err) => return Err(err),
        }
    }
    let person = session::user(&state.db, &session)
        .await?
        .ok_or(AppError::NotSignedIn)?;
    Ok((state, person))
}

#[cfg(feature = "ssr")]
fn now_s() -> u64 {
    (crate::server::now_ms() / 1000).max(0) as u64
}

/// How a code was proved.
#[cfg(feature = "ssr")]
#[derive(Debug, PartialEq, Eq)]
pub enum Proof {
    App,
    /// A recovery code, now used up.
    RecoveryCode,
}

/// Checks a code from the person's authenticator app (each works once) or one of their
/// recovery codes (used up), with growing waits after failures per account and per IP.
#[cfg(feature = "ssr")]
pub async fn prove(
    state: &crate::server::AppState,
    user_id: &str,
    code: &str,
) -> Result<Proof, AppError> {
    use super::{authenticator, store};
    use crate::auth::throttle::{self, Attempt};
    let mut attempts = vec![Attempt::code_for(user_id)];
    attempts.extend(crate::server::caller_ip(state).map(Attempt::code_from));
    if let Some(retry_after_s) = throttle::wait(&state.db, &attempts).await? {
        tracing::info!(retry_after_s, "two-factor code refused: too many failures");
        return Err(AppError::RateLimited { retry_after_s });
    }
    let code = code.trim();
    let proof = if authenticator::is_app_code(code) {
        let secret = store::secret(&state.db, &state.secret_key, user_id, true).await?;
        match secret.and_then(|s| authenticator::step_of(&s, code, now_s())) {
            Some(step) if store::take_step(&state.db, user_id, step).await? => Some(Proof::App),
            _ => None,
        }
    } else if !code.is_empty()
        && store::use_recovery_code(&state.db, user_id, &authenticator::recovery_code_hash(code))
            .await?
    {
        Some(Proof::RecoveryCode)
    } else {
        None
    };
    match proof {
        Some(proof) => {
            throttle::succeeded(&state.db, &attempts[0]).await?;
            Ok(proof)
        }
        None => {
            tracing::info!("wrong two-factor code");
            throttle::failed(&state.db, &attempts).await?;
            Err(AppError::invalid(
                "That code is not right, or it was used already. Enter the code your \
                 authenticator app shows now, or one of your recovery codes.",
            ))
        }
    }
}

/// A new set of recovery codes, stored hashed; the plain codes go to the person once.
#[cfg(feature = "ssr")]
fn recovery_codes() -> (Vec<String>, Vec<String>) {
    let codes = super::authenticator::new_recovery_codes(super::RECOVERY_CODES);
    let hashes = codes
        .iter()
        .map(|c| super::authenticator::recovery_code_hash(c))
        .collect();
    (codes, hashes)
}

/// Emails the person that their two-factor sign-in changed: if it was not them, they
/// should know at once.
#[cfg(feature = "ssr")]
async fn tell(state: &crate::server::AppState, user_id: &str, subject: &str, what: &str) {
    let lines = [
        what,
        "If this was not you, change your password now and check your two-factor sign-in on your account page.",
    ];
    crate::accounts::notices::tell(
        state,
        user_id,
        None,
        subject,
        &lines,
        "Open your account",
        "/account/two-factor",
    )
    .await;
}

/// Whether two-factor is on, recovery codes left, and which businesses require it.
#[server(prefix = "/api", endpoint = "two_factor/status")]
pub async fn load_two_factor() -> Result<TwoFactorStatus, AppError> {
    let (state, (user_id, _, _)) = person().await?;
    Ok(super::store::status(&state.db, &user_id).await?)
}

/// Starts enrolment (needs the password): a new secret as a QR code and as text. It does
/// not count until `confirm_two_factor` gets a code made from it.
#[server(prefix = "/api", endpoint = "two_factor/begin")]
pub async fn begin_two_factor(password: String) -> Result<Enrolment, AppError> {
    use super::{authenticator, store};
    let (state, (user_id, email, _)) = person().await?;
    crate::accounts::api::check_current_password(&state, &email, password).await?;
    let secret = authenticator::new_secret();
    let qr_svg = authenticator::qr_svg(&secret, &email).ok_or(AppError::Internal)?;
    store::begin(&state.db, &state.secret_key, &user_id, &secret).await?;
    Ok(Enrolment {
        key: authenticator::typed_key(&secret),
        qr_svg,
    })
}

/// Turns two-factor on with a code from the app just set up; answers the recovery codes,
/// shown this once.
#[server(prefix = "/api", endpoint = "two_factor/confirm")]
pub async fn confirm_two_factor(code: String) -> Result<Vec<String>, AppError> {
    use super::{authenticator, store};
    use crate::auth::throttle::{self, Attempt};
    let (state, (user_id, _, _)) = person().await?;
    let attempts = [Attempt::code_for(&user_id)];
    if let Some(retry_after_s) = throttle::wait(&state.db, &attempts).await? {
        return Err(AppError::RateLimited { retry_after_s });
    }
    let secret = store::secret(&state.db, &state.secret_key, &user_id, false)
        .await?
        .ok_or_else(|| AppError::invalid("Start again: set up with your password first."))?;
    let Some(step) = authenticator::step_of(&secret, &code, now_s()) else {
        throttle::failed(&state.db, &attempts).await?;
        return Err(AppError::invalid(
            "That is not the code the app shows. Check the app lists BizOSaaS with your email, \
             and that your phone's clock is right, then enter the code shown now.",
        ));
    };
    let (codes, hashes) = recovery_codes();
    if !store::confirm(&state.db, &user_id, step, &hashes).await? {
        return Err(AppError::invalid(
            "Start again: set up with your password first.",
        ));
    }
    throttle::succeeded(&state.db, &attempts[0]).await?;
    tracing::info!("two-factor sign-in turned on");
    tell(
        &state,
        &user_id,
        "Two-factor sign-in is on for your BizOSaaS account",
        "Two-factor sign-in was turned on for your account: signing in now needs a code from your authenticator app after the password.",
    )
    .await;
    Ok(codes)
}

/// Replaces the recovery codes (needs a code); the old ones stop working.
#[server(prefix = "/api", endpoint = "two_factor/recovery_codes")]
pub async fn new_recovery_codes(code: String) -> Result<Vec<String>, AppError> {
    let (state, (user_id, _, _)) = person().await?;
    if !super::store::is_on(&state.db, &user_id).await? {
        return Err(AppError::invalid(
            "Two-factor sign-in is off; there are no recovery codes.",
        ));
    }
    prove(&state, &user_id, &code).await?;
    let (codes, hashes) = recovery_codes();
    super::store::replace_recovery_codes(&state.db, &user_id, &hashes).await?;
    tracing::info!("new recovery codes");
    tell(
        &state,
        &user_id,
        "New recovery codes for your BizOSaaS account",
        "New recovery codes were made for your account's two-factor sign-in; the old ones no longer work.",
    )
    .await;
    Ok(codes)
}

/// Turns two-factor off; needs the password and a code (or a recovery code).
#[server(prefix = "/api", endpoint = "two_factor/turn_off")]
pub async fn turn_off_two_factor(password: String, code: String) -> Result<(), AppError> {
    let (state, (user_id, email, _)) = person().await?;
    if !super::store::is_on(&state.db, &user_id).await? {
        return Err(AppError::invalid("Two-factor sign-in is off already."));
    }
    crate::accounts::api::check_current_password(&state, &email, password).await?;
    prove(&state, &user_id, &code).await?;
    super::store::turn_off(&state.db, &user_id).await?;
    tracing::info!("two-factor sign-in turned off");
    tell(
        &state,
        &user_id,
        "Two-factor sign-in is off for your BizOSaaS account",
        "Two-factor sign-in was turned off for your account: signing in needs only the password now.",
    )
    .await;
    Ok(())
}

//! Sign-in and "who am I" server functions.

use leptos::prelude::*;

use super::Member;
use crate::error::AppError;

/// Signs in with email and password, then sends the browser on to `next` (or the dashboard).
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use super::{password, store, throttle};
    use crate::server::state;

    let state = state()?;
    let session: tower_sessions::Session = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    if email.trim().is_empty() || password.is_empty() {
        return Err(AppError::invalid("Enter your email and password."));
    }
    // Unknown emails count as accounts too: the answer must not tell them apart.
    let mut attempts = vec![throttle::Attempt::sign_in_as(&email)];
    attempts.extend(crate::server::caller_ip(&state).map(throttle::Attempt::sign_in_from));
    if let Some(retry_after_s) = throttle::wait(&state.db, &attempts).await? {
        tracing::info!(email = %email.trim(), retry_after_s, "sign-in refused: too many failures");
        return Err(AppError::RateLimited { retry_after_s });
    }
    let credentials = store::credentials_by_email(&state.db, &email).await?;
    let matches = password::verify_in_background(
        password,
        credentials.as_ref().map(|c| c.password_hash.clone()),
    )
    .await;
    let user = match credentials {
        Some(user) if matches => user,
        _ => {
            tracing::info!(email = %email.trim(), "failed sign-in");
            throttle::failed(&state.db, &attempts).await?;
            return Err(AppError::WrongCredentials);
        }
    };
    throttle::succeeded(&state.db, &attempts[0]).await?;
    let target = super::steps::after_password(&state, &session, &user.id, next.as_deref()).await?;
    leptos_axum::redirect(&target);
    Ok(())
}

/// The second step of signing in: a code from the authenticator app, or a recovery code.
#[server(prefix = "/api", endpoint = "login/code")]
pub async fn login_code(code: String) -> Result<(), AppError> {
    use super::session;
    use crate::two_factor::api::{prove, Proof};
    let state = crate::server::state()?;
    let session: tower_sessions::Session = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    let Some(waiting) = session::awaiting_code(&session).await? else {
        return Err(AppError::invalid(
            "Your sign-in timed out. Sign in with your password again.",
        ));
    };
    if prove(&state, &waiting.user_id, &code).await? == Proof::RecoveryCode {
        tracing::info!(user = %waiting.user_id, "signed in with a recovery code");
        let left = crate::two_factor::store::status(&state.db, &waiting.user_id)
            .await?
            .recovery_codes_left;
        let used = format!(
            "A recovery code was used to sign in to your account; {left} are left. If you lost your phone, set up two-factor sign-in again on your account page."
        );
        crate::accounts::notices::tell(
            &state,
            &waiting.user_id,
            None,
            "A recovery code was used for your BizOSaaS account",
            &[used.as_str()],
            "Open your account",
            "/account/two-factor",
        )
        .await;
    }
    let target =
        super::steps::finish(&state, &session, &waiting.user_id, waiting.next.as_deref()).await?;
    leptos_axum::redirect(&target);
    Ok(())
}

/// Where sign-in (or a password reset) sends a person: `next` when it is a safe path,
/// inside their business when it names a signed-in area without one (an old
/// `/cms/...` link), otherwise their business's dashboard.
#[cfg(feature = "ssr")]
pub fn landing(next: Option<&str>, slug: &str) -> String {
    use crate::tenancy::address;
    match safe_next(next) {
        Some(path) if address::lacks_business(&path) => address::within(slug, &path),
        Some(path) => path,
        None => address::within(slug, "/dashboard"),
    }
}

/// Only same-site paths, so the login form cannot be used to send people elsewhere.
/// `next` is read as a browser would read it (which drops tabs and line breaks, so
/// `/<TAB>/evil.example` is `//evil.example`, another site) and kept only when it stays
/// on this site; what goes into the `Location` header is the parser's own path and
/// query, never the text as sent.
#[cfg(feature = "ssr")]
fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next.filter(|n| n.starts_with('/') && !n.chars().any(char::is_control))?;
    let base = url::Url::parse("http://platform.invalid/").ok()?;
    match base.join(next) {
        Ok(target) if target.origin() == base.origin() => Some(match target.query() {
            Some(query) => format!("{}?{query}", target.path()),
            None => target.path().to_string(),
        }),
        _ => None,
    }
}

/// The signed-in member, or None for a visitor.
#[server(prefix = "/api", endpoint = "current_member")]
pub async fn current_member() -> Result<Option<Member>, AppError> {
    let state = crate::server::state()?;
    let session: tower_sessions::Session = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    let address = super::session::address_of_call();
    super::session::member(&state.db, &session, address.as_deref()).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_must_stay_on_this_site() {
        assert_eq!(super::landing(Some("/cms"), "acme"), "/t/acme/cms");
        assert_eq!(super::landing(Some("/account"), "acme"), "/account");
        assert_eq!(
            super::landing(Some("//evil.example"), "acme"),
            "/t/acme/dashboard"
        );
        assert_eq!(
            super::landing(Some("https://evil.example"), "acme"),
            "/t/acme/dashboard"
        );
        assert_eq!(super::landing(None, "acme"), "/t/acme/dashboard");
        assert_eq!(
            super::landing(Some("/cms/pages?tab=2"), "acme"),
            "/t/acme/cms/pages?tab=2"
        );
        // Browsers drop tabs and line breaks: these are other sites, or a header split.
        assert_eq!(
            super::landing(Some("/\t/evil.example"), "acme"),
            "/t/acme/dashboard"
        );
        assert_eq!(
            super::landing(Some("/\\evil.example"), "acme"),
            "/t/acme/dashboard"
        );
        assert_eq!(
            super::landing(Some("/ok\r\nSet-Cookie: x=1"), "acme"),
            "/t/acme/dashboard"
        );
        assert_eq!(
            super::landing(Some("/%0d%0aSet-Cookie:x"), "acme"),
            "/%0d%0aSet-Cookie:x"
        );
        assert_eq!(
            super::landing(Some("evil.example"), "acme"),
            "/t/acme/dashboard"
        );
    }
}

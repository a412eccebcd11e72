//! Sign-up's server functions. Anyone may call them: they are how a stranger becomes a
//! customer, so they check everything and are limited per IP.

use leptos::prelude::*;

use super::AddressCheck;
use crate::error::AppError;

/// Whether a site address can be had, for the form as you type.
#[server(prefix = "/api", endpoint = "accounts/check_address")]
pub async fn check_address(address: String) -> Result<AddressCheck, AppError> {
    let state = crate::server::state()?;
    let address = address.trim().to_lowercase();
    let problem = match super::address_problem(&address) {
        Some(problem) => Some(problem),
        None if super::store::address_taken(&state.db, &address).await? => Some(taken(&address)),
        None => None,
    };
    Ok(AddressCheck {
        suffix: format!(".{}", state.base_domain),
        problem,
    })
}

/// Creates the owner, the business and its site, signs the owner in and sends them to
/// the dashboard. `website` is a field people never see: a bot fills it in.
#[server(prefix = "/api", endpoint = "accounts/sign_up")]
pub async fn sign_up(
    name: String,
    email: String,
    password: String,
    business: String,
    address: String,
    website: Option<String>,
) -> Result<(), AppError> {
    use super::store::{self, NewAccount};
    use crate::auth::session;

    let state = crate::server::state()?;
    if website.is_some_and(|w| !w.trim().is_empty()) {
        tracing::info!("sign-up refused: the hidden field was filled in");
        return Err(AppError::invalid(
            "This form could not be sent. If you are a person, reload the page and try again.",
        ));
    }
    let email = email.trim().to_lowercase();
    let address = address.trim().to_lowercase();
    let problems = super::sign_up_problems(&name, &email, &password, &business, &address);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems.join(" ")));
    }
    if let Some(problem) = weak_password(&password, &[&name, &email, &business, &address]) {
        return Err(AppError::Invalid(problem));
    }
    // Said before the slow hash, and again by the transaction if someone is faster.
    if store::address_taken(&state.db, &address).await? {
        return Err(AppError::Conflict(taken(&address)));
    }
    // Creating accounts is what is limited (the hash, the writes); saying what is wrong
    // with a form is not.
    limit_new_businesses(&state)?;
    let password_hash = hash_password(password).await?;
    let (user_id, tenant) = store::create_account(
        &state.db,
        &NewAccount {
            name: &name,
            email: &email,
            password_hash: &password_hash,
            business: &business,
            address: &address,
        },
    )
    .await
    .map_err(|err| match err {
        crate::server::StoreError::Conflict(message) if message.contains("site address") => {
            AppError::Conflict(taken(&address))
        }
        err => err.into(),
    })?;
    if let Err(err) = first_site(&state.db, &tenant).await {
        // The account stands; the owner can build the site in the CMS.
        tracing::error!(error = &err as &dyn std::error::Error, tenant = %tenant.slug, "could not make the first page");
    }
    let session: tower_sessions::Session = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    let verify = super::links::Purpose::VerifyEmail;
    if let Err(err) = super::links::send(&state, verify, &tenant.id, &user_id, &email, &name).await
    {
        // The account stands; the dashboard offers to send the link again.
        tracing::error!(
            error = &err as &dyn std::error::Error,
            "could not send the verification link"
        );
    }
    session::start(&state, &session, &user_id, &tenant.id).await?;
    crate::auth::session::record_caller(&tenant.slug, &user_id);
    tracing::info!(tenant = %tenant.slug, "signed up");
    leptos_axum::redirect(&crate::tenancy::address::within(
        &tenant.slug,
        "/dashboard/welcome",
    ));
    Ok(())
}

/// Another business for the signed-in person, who owns it; its site starts like a new
/// account's, and the person is sent to its dashboard.
#[server(prefix = "/api", endpoint = "accounts/create_business")]
pub async fn create_business(business: String, address: String) -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    let address = address.trim().to_lowercase();
    let problems = super::business_problems(&business, &address);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems.join(" ")));
    }
    if super::store::address_taken(&state.db, &address).await? {
        return Err(AppError::Conflict(taken(&address)));
    }
    limit_new_businesses(&state)?;
    let tenant = super::store::create_business(&state.db, &member.user_id, &business, &address)
        .await
        .map_err(|err| match err {
            crate::server::StoreError::Conflict(_) => AppError::Conflict(taken(&address)),
            err => err.into(),
        })?;
    if let Err(err) = first_site(&state.db, &tenant).await {
        tracing::error!(error = &err as &dyn std::error::Error, tenant = %tenant.slug, "could not make the first page");
    }
    tracing::info!(tenant = %tenant.slug, "business created");
    leptos_axum::redirect(&crate::tenancy::address::within(
        &tenant.slug,
        "/dashboard/welcome",
    ));
    Ok(())
}

/// New businesses (with or without a new account) are limited per IP: each is a
/// tenant, a site and an argon2 hash or more.
#[cfg(feature = "ssr")]
fn limit_new_businesses(state: &crate::server::AppState) -> Result<(), AppError> {
    if let Some(ip) = crate::server::caller_ip(state) {
        if let Err(retry_after_s) = state.part::<SignUpLimiter>().0.check(&ip) {
            return Err(AppError::RateLimited { retry_after_s });
        }
    }
    Ok(())
}

/// Sends the signed-in member a new link to verify their email address.
#[server(prefix = "/api", endpoint = "accounts/resend_verification")]
pub async fn resend_verification() -> Result<String, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    if member.email_verified_at.is_some() {
        return Err(AppError::Conflict(format!(
            "{} is verified already.",
            member.email
        )));
    }
    crate::auth::throttle::take_mail(&state.db, &member.user_id).await?;
    super::links::send(
        &state,
        super::links::Purpose::VerifyEmail,
        &member.tenant_id,
        &member.user_id,
        &member.email,
        &member.name,
    )
    .await?;
    Ok(format!("A new link is on its way to {}.", member.email))
}

/// Emails a link to choose a new password. The answer is the same whether or not there
/// is an account for the address, so it tells nobody who has one.
#[server(prefix = "/api", endpoint = "accounts/request_reset")]
pub async fn request_reset(email: String) -> Result<String, AppError> {
    use crate::auth::throttle::{self, Attempt};
    let state = crate::server::state()?;
    let email = email.trim().to_lowercase();
    if !crate::crm::is_email(&email) {
        return Err(AppError::invalid(
            "Enter the email address you sign in with, like you@example.com.",
        ));
    }
    let mut attempts = vec![Attempt::reset_for(&email)];
    attempts.extend(crate::server::caller_ip(&state).map(Attempt::reset_from));
    // Every request counts: they send email, wanted or not.
    if let Some(retry_after_s) = throttle::take(&state.db, &attempts).await? {
        return Err(AppError::RateLimited { retry_after_s });
    }
    if let Some((user_id, name, tenant_id)) =
        super::store::account_for_reset(&state.db, &email).await?
    {
        let reset = super::links::Purpose::ResetPassword;
        super::links::send(&state, reset, &tenant_id, &user_id, &email, &name).await?;
        tracing::info!(user = %user_id, "password reset link sent");
    }
    Ok(format!(
        "If {email} has an account, a link to choose a new password is on its way. It works \
         for one hour."
    ))
}

/// Sets a new password with a reset link, ends every other session and signs in (after
/// the two-factor code when the person has it on).
#[server(prefix = "/api", endpoint = "accounts/reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let state = crate::server::state()?;
    let password_hash = new_password_hash(password, &[]).await?;
    let user_id = super::store::reset_password(&state.db, token.trim(), &password_hash)
        .await?
        .map_err(|problem| AppError::invalid(problem.sentence()))?;
    let session: tower_sessions::Session = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    tracing::info!(user = %user_id, "password reset");
    // The link stands for the password, not for the second factor.
    let target = crate::auth::steps::after_password(&state, &session, &user_id, None).await?;
    leptos_axum::redirect(&target);
    Ok(())
}

/// Changes the name the signed-in person goes by.
#[server(prefix = "/api", endpoint = "accounts/change_name")]
pub async fn change_name(name: String) -> Result<String, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::invalid("Write your name in 1 to 100 characters."));
    }
    super::store::set_name(&state.db, &member.user_id, &name).await?;
    Ok(name)
}

/// Changes the password (the current one is needed); every other session ends.
#[server(prefix = "/api", endpoint = "accounts/change_password")]
pub async fn change_password(current: String, password: String) -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    check_current_password(&state, &member.email, current).await?;
    let own_words = [member.name.as_str(), member.email.as_str()];
    let password_hash = new_password_hash(password, &own_words).await?;
    super::store::set_password(&state.db, &member.user_id, &password_hash).await?;
    restart_session(&state, &member).await?;
    tracing::info!("password changed");
    Ok(())
}

/// Ends every session of the signed-in person but this one.
#[server(prefix = "/api", endpoint = "accounts/sign_out_elsewhere")]
pub async fn sign_out_elsewhere() -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    super::store::end_sessions(&state.db, &member.user_id).await?;
    restart_session(&state, &member).await?;
    tracing::info!("signed out everywhere else");
    Ok(())
}

/// Starts changing the account's email address: a link goes to the new address, and the
/// change happens when it is opened (`/confirm-email`). Needs the current password.
#[server(prefix = "/api", endpoint = "accounts/change_email")]
pub async fn change_email(email: String, current: String) -> Result<String, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    let email = email.trim().to_lowercase();
    if !crate::crm::is_email(&email) {
        return Err(AppError::invalid(
            "Enter the new address, like you@example.com.",
        ));
    }
    if email == member.email {
        return Err(AppError::invalid("That is your address already."));
    }
    check_current_password(&state, &member.email, current).await?;
    if crate::auth::store::credentials_by_email(&state.db, &email)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(
            "Another account uses that address.".into(),
        ));
    }
    super::links::send(
        &state,
        super::links::Purpose::ChangeEmail,
        &member.tenant_id,
        &member.user_id,
        &email,
        &member.name,
    )
    .await?;
    tracing::info!("email change asked for");
    Ok(format!(
        "Open the link we sent to {email} to confirm it; until then you sign in with {}.",
        member.email
    ))
}

/// The current password, checked as a sign-in is (failures count toward the same limit).
#[cfg(feature = "ssr")]
pub async fn check_current_password(
    state: &crate::server::AppState,
    email: &str,
    current: String,
) -> Result<(), AppError> {
    use crate::auth::throttle::{self, Attempt};
    use crate::auth::{password as passwords, store as users};
    let attempts = [Attempt::sign_in_as(email)];
    if let Some(retry_after_s) = throttle::wait(&state.db, &attempts).await? {
        return Err(AppError::RateLimited { retry_after_s });
    }
    let stored = users::credentials_by_email(&state.db, email)
        .await?
        .map(|c| c.password_hash);
    if !passwords::verify_in_background(current, stored).await {
        throttle::failed(&state.db, &attempts).await?;
        return Err(AppError::invalid("Your current password is not that one."));
    }
    Ok(())
}

/// Where the signed-in person is signed in, this browser first marked.
#[server(prefix = "/api", endpoint = "accounts/sessions")]
pub async fn sessions() -> Result<Vec<crate::auth::SignIn>, AppError> {
    use crate::auth::session::{require_in_server_fn, sign_in_id};
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    let session: tower_sessions::Session = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    let current = sign_in_id(&session).await?;
    Ok(crate::auth::sign_ins::active(&state.db, &member.user_id, &current).await?)
}

/// Signs one of the person's sessions out (another device, or this one).
#[server(prefix = "/api", endpoint = "accounts/end_session")]
pub async fn end_session(id: String) -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(crate::tenancy::Role::Viewer).await?;
    crate::auth::sign_ins::end(&state.db, &member.user_id, &id).await?;
    tracing::info!("signed a session out");
    Ok(())
}

/// Signs this browser in again after the account's sessions were ended, so it stays.
#[cfg(feature = "ssr")]
async fn restart_session(
    state: &crate::server::AppState,
    member: &crate::auth::Member,
) -> Result<(), AppError> {
    let session: tower_sessions::Session = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    crate::auth::session::start(state, &session, &member.user_id, &member.tenant_id).await?;
    Ok(())
}

#[cfg(feature = "ssr")]
fn taken(address: &str) -> String {
    format!("{address} is taken; choose another address.")
}

/// A chosen password checked (length, strength against its owner's own words) and
/// hashed; the error says what to change.
#[cfg(feature = "ssr")]
pub(crate) async fn new_password_hash(
    password: String,
    own_words: &[&str],
) -> Result<String, AppError> {
    if let Some(problem) = super::password_length_problem(&password) {
        return Err(AppError::Invalid(problem));
    }
    if let Some(problem) = weak_password(&password, own_words) {
        return Err(AppError::Invalid(problem));
    }
    hash_password(password).await
}

/// argon2 is slow by design: off the async threads.
#[cfg(feature = "ssr")]
async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || crate::auth::password::hash(&password))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|err| {
            tracing::error!(error = %err, "could not hash a password");
            AppError::Internal
        })
}

/// Why a password is too easy to guess (zxcvbn: common passwords, names, patterns and
/// the sign-up's own words), as advice a person can follow; None when it will do.
#[cfg(feature = "ssr")]
fn weak_password(password: &str, own_words: &[&str]) -> Option<String> {
    let estimate = zxcvbn::zxcvbn(password, own_words);
    if u8::from(estimate.score()) >= 3 {
        return None;
    }
    let mut advice = vec!["This password is too easy to guess.".to_string()];
    if let Some(feedback) = estimate.feedback() {
        if let Some(warning) = feedback.warning() {
            advice.push(format!("{warning}."));
        }
        advice.extend(feedback.suggestions().iter().map(|s| format!("{s}.")));
    }
    advice.push("A few unrelated words make a strong one.".into());
    Some(advice.join(" ").replace("..", "."))
}

/// Sign-ups a client may make: a few at once, then one every few minutes.
#[cfg(feature = "ssr")]
pub struct SignUpLimiter(pub crate::server::rate_limit::RateLimit<std::net::IpAddr>);

#[cfg(feature = "ssr")]
impl Default for SignUpLimiter {
    fn default() -> Self {
        use std::num::NonZeroU32;
        let quota = governor::Quota::per_minute(NonZeroU32::MIN)
            .allow_burst(NonZeroU32::new(10).unwrap_or(NonZeroU32::MIN));
        SignUpLimiter(crate::server::rate_limit::RateLimit::new(quota))
    }
}

/// The site a new business starts with, before the wizard writes it: a home page with
/// its name, and a navigation that leads there.
#[cfg(feature = "ssr")]
async fn first_site(
    db: &crate::server::Db,
    tenant: &crate::tenancy::Tenant,
) -> Result<(), crate::server::StoreError> {
    use crate::cms::{store::Actor, Block, Link, PageContent};
    use crate::tenancy::SiteSettings;
    let settings = SiteSettings {
        navigation: vec![Link {
            label: "Home".into(),
            href: "/".into(),
        }],
        footer_text: format!("© {}", tenant.name),
        ..SiteSettings::default()
    };
    crate::tenancy::store::update_site_settings(db, &tenant.id, &settings).await?;
    let home = PageContent {
        title: tenant.name.clone(),
        meta_description: format!(
            "{}: our new website is on its way. Come back soon to see what we do.",
            tenant.name
        ),
        blocks: vec![
            Block::Hero {
                heading: format!("Welcome to {}", tenant.name),
                subheading: "Our new website is on its way.".into(),
                cta: None,
                background_image: None,
            },
            Block::Text {
                markdown: "We are putting the finishing touches to this site. Come back soon to \
                           see what we do."
                    .into(),
            },
        ],
    };
    crate::cms::store::create(db, &tenant.id, Actor::PLATFORM, "", &home, true).await?;
    crate::onboarding::store::offer(db, &tenant.id).await?;
    Ok(())
}

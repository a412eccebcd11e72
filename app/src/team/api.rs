//! The team's server functions: the list for every member; invitations, roles, removal
//! and ownership for owners and admins (the rules in `team::*_problem`); and accepting
//! an invitation, for whoever holds its link.

use leptos::prelude::*;

use super::{Invitation, InvitationOffer, Team};
use crate::error::AppError;
use crate::tenancy::Role;

/// The members; the pending invitations too for those who manage the team.
#[server(prefix = "/api", endpoint = "team/members")]
pub async fn load_team() -> Result<Team, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(Role::Viewer).await?;
    let manages = member.role.allows(Role::Admin);
    Ok(super::store::team(&state.db, &member.tenant_id, manages).await?)
}

/// Invites `email` as `role` and emails them the link. Needs a verified address.
#[server(prefix = "/api", endpoint = "team/invite")]
pub async fn invite(email: String, role: Role) -> Result<Invitation, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(Role::Admin).await?;
    if super::invite_problem(member.role, role).is_some() {
        return Err(AppError::Forbidden);
    }
    if member.email_verified_at.is_none() {
        return Err(AppError::invalid(
            "Verify your own email address first: open the link we sent you (or send it again from the banner).",
        ));
    }
    let email = email.trim().to_lowercase();
    if !crate::crm::is_email(&email) {
        return Err(AppError::invalid(
            "Enter the address to invite, like jo@example.com.",
        ));
    }
    crate::auth::throttle::take_mail(&state.db, &member.user_id).await?;
    let token = new_token();
    let invitation = super::store::invite(
        &state.db,
        &member,
        &email,
        role,
        &crate::server::sha256_hex(&token),
    )
    .await?;
    send_invitation(&state, &member, &invitation, &token).await?;
    Ok(invitation)
}

/// Sends a pending invitation again with a new link (the old one stops working).
#[server(prefix = "/api", endpoint = "team/resend")]
pub async fn resend_invitation(id: String) -> Result<Invitation, AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(Role::Admin).await?;
    crate::auth::throttle::take_mail(&state.db, &member.user_id).await?;
    let token = new_token();
    let invitation =
        super::store::renew(&state.db, &member, &id, &crate::server::sha256_hex(&token)).await?;
    send_invitation(&state, &member, &invitation, &token).await?;
    Ok(invitation)
}

#[server(prefix = "/api", endpoint = "team/revoke")]
pub async fn revoke_invitation(id: String) -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(Role::Admin).await?;
    Ok(super::store::revoke(&state.db, &member, &id).await?)
}

#[server(prefix = "/api", endpoint = "team/change_role")]
pub async fn change_role(user_id: String, role: Role) -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(Role::Admin).await?;
    Ok(super::store::change_role(&state.db, &member, &user_id, role).await?)
}

#[server(prefix = "/api", endpoint = "team/remove")]
pub async fn remove_member(user_id: String) -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(Role::Admin).await?;
    Ok(super::store::remove(&state.db, &member, &user_id).await?)
}

/// Hands the business to another member; the owner who gives it stays, as an admin.
#[server(prefix = "/api", endpoint = "team/transfer")]
pub async fn transfer_ownership(user_id: String) -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(Role::Owner).await?;
    Ok(super::store::transfer(&state.db, &member, &user_id).await?)
}

/// Requires (or stops requiring) two-factor sign-in of every member: those without it are
/// sent to set it up when they next open the business. Owners only.
#[server(prefix = "/api", endpoint = "team/require_two_factor")]
pub async fn require_two_factor(required: bool) -> Result<(), AppError> {
    use crate::auth::session::require_in_server_fn;
    let (state, member) = require_in_server_fn(Role::Owner).await?;
    super::store::require_two_factor(&state.db, &member, required).await?;
    tracing::info!(required, "two-factor requirement changed");
    Ok(())
}

/// What an invitation link offers, for the page it opens.
#[server(prefix = "/api", endpoint = "team/invitation")]
pub async fn open_invitation(token: String) -> Result<InvitationOffer, AppError> {
    let state = crate::server::state()?;
    let found = usable_invitation(&state, &token).await?;
    let has_account = crate::auth::store::credentials_by_email(&state.db, &found.email)
        .await?
        .is_some();
    let signed_in_as = signed_in_user(&state).await?.map(|(_, email, _)| email);
    Ok(InvitationOffer {
        business: found.business,
        email: found.email,
        role: Role::parse(&found.role).unwrap_or(Role::Viewer),
        invited_by: found.invited_by,
        has_account,
        signed_in_as,
    })
}

/// Accepts an invitation: someone signed in as the invited address joins the business;
/// a new person (no account for the address) chooses a name and a password, and is
/// signed in. Either way they land on the business's dashboard.
#[server(prefix = "/api", endpoint = "team/accept")]
pub async fn accept_invitation(
    token: String,
    name: Option<String>,
    password: Option<String>,
) -> Result<(), AppError> {
    use super::store::Joiner;
    let state = crate::server::state()?;
    let found = usable_invitation(&state, &token).await?;
    let session: tower_sessions::Session = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    let existing = crate::auth::store::credentials_by_email(&state.db, &found.email).await?;
    let accepted = match existing {
        Some(_) => {
            let Some((user_id, email, name)) = signed_in_user(&state).await? else {
                return Err(AppError::NotSignedIn);
            };
            if email != found.email {
                return Err(AppError::invalid(format!(
                    "This invitation is for {}; you are signed in as {email}. Sign out, then open the link again.",
                    found.email
                )));
            }
            super::store::accept(
                &state.db,
                &found,
                Joiner::Existing {
                    user_id: &user_id,
                    name: &name,
                },
            )
            .await?
        }
        None => {
            let name = name.unwrap_or_default();
            let name = name.trim();
            if name.is_empty() || name.chars().count() > crate::accounts::MAX_NAME_CHARS {
                return Err(AppError::invalid(format!(
                    "Tell us your name (up to {} characters).",
                    crate::accounts::MAX_NAME_CHARS
                )));
            }
            let password_hash = crate::accounts::api::new_password_hash(
                password.unwrap_or_default(),
                &[name, &found.email, &found.business],
            )
            .await?;
            super::store::accept(
                &state.db,
                &found,
                Joiner::New {
                    name,
                    password_hash: &password_hash,
                },
            )
            .await?
        }
    };
    let user_id = accepted.map_err(AppError::invalid)?;
    crate::auth::session::start(&state, &session, &user_id, &found.tenant_id).await?;
    crate::auth::store::record_sign_in(&state.db, &user_id).await?;
    crate::auth::session::record_caller(&found.slug, &user_id);
    tracing::info!(tenant = %found.slug, "invitation accepted");
    leptos_axum::redirect(&crate::tenancy::address::within(&found.slug, "/dashboard"));
    Ok(())
}

#[cfg(feature = "ssr")]
fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// The invitation behind a link, if it can still be used; the refusal says why not.
#[cfg(feature = "ssr")]
async fn usable_invitation(
    state: &crate::server::AppState,
    token: &str,
) -> Result<super::store::InvitationRow, AppError> {
    let found = super::store::by_token(&state.db, &crate::server::sha256_hex(token.trim()))
        .await?
        .ok_or_else(|| {
            AppError::invalid(crate::accounts::links::LinkProblem::Unknown.sentence())
        })?;
    match found.problem(crate::server::now_ms()) {
        Some(problem) => Err(AppError::invalid(problem)),
        None => Ok(found),
    }
}

/// (user id, email, name) of whoever is signed in in this browser, whatever business.
#[cfg(feature = "ssr")]
async fn signed_in_user(
    state: &crate::server::AppState,
) -> Result<Option<(String, String, String)>, AppError> {
    let session: tower_sessions::Session = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Internal)?;
    crate::auth::session::user(&state.db, &session).await
}

/// Emails the invitation's link (through the business's outbox).
#[cfg(feature = "ssr")]
async fn send_invitation(
    state: &crate::server::AppState,
    inviter: &crate::auth::Member,
    invitation: &Invitation,
    token: &str,
) -> Result<(), AppError> {
    let link = format!("{}/invite?token={token}", state.public_url);
    let subject = format!(
        "{} invited you to {} on BizOSaaS",
        inviter.display_name(),
        inviter.tenant_name
    );
    let invited = format!(
        "{} invited you to join {} on BizOSaaS as {}.",
        inviter.display_name(),
        inviter.tenant_name,
        invitation.role.as_str()
    );
    let message = crate::mail::Email::with_link(
        &invitation.email,
        &subject,
        &[
            "Hello,",
            &invited,
            "The link works once, for seven days. If you have no account yet, you will choose a name and a password.",
            "If you did not expect this, ignore this email.",
        ],
        "Accept the invitation",
        &link,
    );
    crate::mail::send::queue(&state.db, &inviter.tenant_id, &message).await?;
    if state.mail.is_none() {
        tracing::info!(email = %invitation.email, %link, "no mail server is configured: open this link");
    }
    state.jobs_wakeup.notify_one();
    Ok(())
}
